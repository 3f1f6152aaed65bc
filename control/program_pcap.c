/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include <errno.h>
#include <stdio.h>

#include <pcap/pcap.h>
#include <rte_bpf.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "control/program-internal.h"

/* pcap-filter: libpcap's classic BPF for raw IP, converted to eBPF. */
int
program_load_pcap(const char *expr, bool jit, uint32_t max_ins,
		  struct dp_program **out, struct program_fault *fault)
{
	struct bpf_program fcode;
	struct rte_bpf_prm *prm;
	pcap_t *pcap = pcap_open_dead(DLT_RAW, UINT16_MAX);
	int rc;

	if (pcap == NULL)
		return -ENOMEM;
	if (pcap_compile(pcap, &fcode, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		rc = program_fail(fault, "pcap", "pcap filter: %s", pcap_geterr(pcap));
		pcap_close(pcap);
		return rc;
	}
	prm = rte_bpf_convert(&fcode);
	pcap_freecode(&fcode);
	pcap_close(pcap);
	if (prm == NULL)
		return program_fail(fault, "pcap", "cannot convert the filter to eBPF: %s",
				    rte_strerror(rte_errno));
	/* The converted code reads the packet with BPF_LD_ABS/IND and its
	 * length from the mbuf, and writes only its scratch memory. */
	prm->prog_arg = (struct rte_bpf_arg){
		.type = RTE_BPF_ARG_PTR_MBUF,
		.size = sizeof(struct rte_mbuf),
		.buf_size = RTE_MBUF_DEFAULT_DATAROOM,
	};
	rc = program_verify(prm, jit, max_ins, out, fault, "pcap");
	rte_free(prm);
	return rc;
}
