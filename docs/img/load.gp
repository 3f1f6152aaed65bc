set datafile separator ','
set terminal pngcairo size 960,600 font 'sans,11'
set output "load.png"
set title "Mpps out vs offered load (Mpps)\nslices 64, filters 1000, queues 0, size 60, code_option passthrough\n1 run(s) of 3 s, 2 MB hugepages, 2026-11-23" noenhanced
set xlabel "offered load (Mpps)" noenhanced
set ylabel "Mpps (median of runs)"
set grid
set key outside right top
set yrange [0:*]
plot 'load.csv' using ($1/1e6):3 skip 1 with linespoints lw 2 title 'slicepath out', 'load.csv' using ($1/1e6):2 skip 1 with linespoints lw 1 dt 2 title 'slicepath in', 'load.csv' using ($1/1e6):($1/1e6) skip 1 with lines lw 1 dt 3 title 'offered'

unset yrange
set logscale y 10
set terminal pngcairo size 960,600 font 'sans,11'
set output "load-latency.png"
set title "slicepath latency, rx round to tx burst, against offered load\nslices 64, filters 1000, queues 0, size 60, code_option passthrough\n1 run(s) of 3 s, 2 MB hugepages, 2026-11-23" noenhanced
set xlabel "offered load (Mpps)" noenhanced
set ylabel "latency (us, median of runs)"
set grid
set key outside right top
plot 'load.csv' using ($1/1e6):($5/1000) skip 1 with linespoints lw 2 title 'p50', 'load.csv' using ($1/1e6):($6/1000) skip 1 with linespoints lw 2 title 'p90', 'load.csv' using ($1/1e6):($7/1000) skip 1 with linespoints lw 2 title 'p99', 'load.csv' using ($1/1e6):($8/1000) skip 1 with linespoints lw 2 title 'p99.9'
