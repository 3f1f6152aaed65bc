set datafile separator ','
set terminal pngcairo size 960,600 font 'sans,11'
set output "filters.png"
set title "Mpps out vs filters per slice\nslices 1, queues 0, size 60, code_option passthrough\n3 run(s) of 4 s, 2 MB hugepages, 2026-11-23" noenhanced
set xlabel "filters per slice" noenhanced
set ylabel "Mpps (median of runs)"
set grid
set key outside right top
set logscale x 4
set yrange [0:*]
plot 'filters.csv' using 1:3 skip 1 with linespoints lw 2 title 'slicepath out', 'filters.csv' using 1:6 skip 1 with linespoints lw 2 title 'testpmd io out'

unset yrange
set logscale y 10
set terminal pngcairo size 960,600 font 'sans,11'
set output "filters-latency.png"
set title "slicepath latency, rx round to tx burst, at full load\nslices 1, queues 0, size 60, code_option passthrough\n3 run(s) of 4 s, 2 MB hugepages, 2026-11-23" noenhanced
set xlabel "filters per slice" noenhanced
set ylabel "latency (us, median of runs)"
set grid
set key outside right top
set logscale x 4
plot 'filters.csv' using 1:($8/1000) skip 1 with linespoints lw 2 title 'p50', 'filters.csv' using 1:($9/1000) skip 1 with linespoints lw 2 title 'p90', 'filters.csv' using 1:($10/1000) skip 1 with linespoints lw 2 title 'p99', 'filters.csv' using 1:($11/1000) skip 1 with linespoints lw 2 title 'p99.9'
