/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_PM_PASSTHROUGH_H
#define SP_PM_PASSTHROUGH_H

/*
 * The passthrough code option: every packet takes its input binding's
 * default_action, payload untouched.  Same concurrency contract as pm/pm.h.
 */

#include "pm/pm.h"

extern const struct pm_ops pm_passthrough_ops;

#endif /* SP_PM_PASSTHROUGH_H */
