/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_LOG_H
#define SP_CONTROL_LOG_H

/* Control-plane logging through DPDK's log: one logtype per module. */

#include <rte_log.h>

extern int sp_logtype_control;
extern int sp_logtype_rest;

#define CP_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, sp_logtype_control, "control: " fmt "\n", ##__VA_ARGS__)
#define REST_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, sp_logtype_rest, "rest: " fmt "\n", ##__VA_ARGS__)

#endif /* SP_CONTROL_LOG_H */
