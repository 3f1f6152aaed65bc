/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_CONTROL_STATE_H
#define SP_CONTROL_STATE_H

/*
 * Persistence: every slice as acknowledged, one file per slice in
 * <state_dir>/slices/<name>.json, holding its name, code option,
 * reservation, token hash and configuration in the form GET returns.
 *
 * A file is replaced whole: written to <name>.json.tmp, fsync'ed, renamed
 * over <name>.json, and the directory fsync'ed, so after a crash at any
 * point the file holds either the old slice or the new one.  The slice
 * actions (control/slice.c) save before they publish a change, and the API
 * answers after that, so every acknowledged change is on disk.
 *
 * Control plane only.
 */

#include <stdbool.h>

#include "control/jsonv.h"
#include "control/slice.h"

struct node;

/* Creates <state_dir>/slices if needed and turns saving on.  Returns 0 or
 * a negative errno with *err set. */
int state_init(struct node *node, struct sp_error *err);

/*
 * Saves slice 's' as it will be with reservation 'res' and configuration
 * 'cfg' (either may be the slice's own).  Does nothing while saving is
 * off.  Returns 0, or a negative errno with *err saying what failed; the
 * previous file is then intact.
 */
int state_slice_save(const struct node *node, const struct slice *s,
		     const struct reservation *res, const struct slice_config *cfg,
		     struct sp_error *err);

/* Removes slice 'name''s file.  Returns 0 or a negative errno with *err
 * set. */
int state_slice_remove(const struct node *node, const char *name, struct sp_error *err);

/*
 * Recreates every slice saved in the state directory, with its token,
 * reservation and configuration, through the same actions as the API.  A
 * file that cannot be read, parsed or admitted is logged by name with the
 * reason, listed in node->state_errors, and left alone; the other slices
 * load.  Saving is off while it runs.  Returns how many slices loaded.
 */
unsigned int state_load(struct node *node);

#endif /* SP_CONTROL_STATE_H */
