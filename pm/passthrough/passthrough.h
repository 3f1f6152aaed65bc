/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_PASSTHROUGH_H
#define SP_PM_PASSTHROUGH_H

/*
 * The passthrough code option: the payload is the slice's own business and
 * leaves as it came.  Its key is the generic 112-bit one, the first 14
 * bytes of the UDP payload (zeros past its end), so filters can match a
 * slice's own header; it has no routes.  Same concurrency contract as
 * pm/pm.h.
 */

#include "pm/pm.h"

extern const struct pm_ops pm_passthrough_ops;

#endif /* SP_PM_PASSTHROUGH_H */
