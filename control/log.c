/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "control/log.h"

RTE_LOG_REGISTER(sp_logtype_control, slicepath.control, INFO);
RTE_LOG_REGISTER(sp_logtype_rest, slicepath.rest, INFO);
