/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#ifndef SP_DP_TSS_H
#define SP_DP_TSS_H

/*
 * tss: a slice's filters as a tuple space (Srinivasan, Suri and Varghese,
 * SIGCOMM 1999), the classifier behind Open vSwitch's dpcls and VPP's
 * classify tables.
 *
 * A rule is a mask and a value over the whole struct dp_key, and matches
 * key k when (k & mask) == value.  Rules that share a mask form a tuple: a
 * hash table from masked key to the best rule with that masked key.  A
 * lookup probes the tuples in the order of the best rule each holds and
 * stops at the first that cannot beat what the key has already matched,
 * so a key costs at most one hash probe per tuple, and often fewer.  The
 * best rule whose mask is all zero matches every key; it is kept as a
 * constant, not probed, and rules after it can never win.
 *
 * Not every filter set suits: dp_tss_build() refuses more than
 * DP_TSS_MAX_TUPLES distinct masks, and keys that would make a probe walk
 * long runs of full buckets, so that a lookup's cost stays bounded
 * whatever a slice's owner writes.  dataplane/lookup.c then uses rte_acl.
 *
 * Concurrency: built by the control plane, immutable afterwards, published
 * under RCU inside a slice table (dataplane/tables.h) and read by any
 * number of workers at once without locks.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane/dp.h"
#include "dataplane/lookup.h"

/* Distinct non-zero masks a table takes: the most hash probes per key. */
#define DP_TSS_MAX_TUPLES 8

/* A rule: matches key k when (k & mask) == (value & mask), over all of
 * struct dp_key, padding included; value bits under zero mask bits are
 * ignored. */
struct dp_tss_rule {
	struct dp_key mask;
	struct dp_key value;
	uint32_t result;                /* what a key this rule wins gets; not 0 */
};

struct dp_tss;

/*
 * Writes match m of a code option with key layout 'layout' as rule r's
 * mask and value, in the key's layout (network byte order).  Returns false
 * if m is not a mask over the key: an IPv4 port range that is not an
 * aligned block of a power of two ports (one port and all ports are), or
 * a prefix longer than 32.  Leaves r->result alone.
 */
bool dp_tss_rule_from_match(struct dp_tss_rule *r, enum dp_key_layout layout,
			    const struct dp_match *m);

/*
 * Builds a table of rules[0..n), best first: where several match a key,
 * the one with the lowest index wins.  The table takes at most 'max_bytes'.
 * Returns it, or NULL with errno ENOTSUP if the rules do not suit a tuple
 * space (more than DP_TSS_MAX_TUPLES masks, or too many keys in one run of
 * buckets), ERANGE if they would take more than 'max_bytes', or ENOMEM.
 */
struct dp_tss *dp_tss_build(const struct dp_tss_rule *rules, uint32_t n, size_t max_bytes);

/* Frees a table; NULL is allowed. */
void dp_tss_free(struct dp_tss *t);

/*
 * Writes to results[i] the result of the best rule of t that keys[i]
 * matches, or 0 if none does, for i < n <= SP_BURST.  Runs on workers: no
 * allocation, locking, logging or system calls.
 */
void dp_tss_lookup_burst(const struct dp_tss *t, const struct dp_key *keys, uint16_t n,
			 uint32_t *results);

/*
 * Test knob: the hash bits that tables built from now on use to place and
 * tell apart their keys (all by default).  Clearing bits makes keys share
 * home buckets and signatures, so tests can build long runs of full
 * buckets and signature collisions.  Never changed outside tests.
 */
extern uint32_t dp_tss_hash_mask;

#endif /* SP_DP_TSS_H */
