/* SPDX-License-Identifier: BSD-3-Clause */
/* Copyright (c) 2026 The slicepath authors */

#include "dataplane/tss.h"

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_vect.h>

/*
 * A tuple's hash table.  A bucket is one cache line: eight signatures,
 * then the indices of the eight entries they stand for.  A key's home
 * bucket is given by its hash's low bits; a full bucket passes new keys on
 * to the next (linear probing over buckets).  Slots fill in order and are
 * never freed (tables are immutable), so a bucket whose last slot is free
 * ends every probe sequence through it, and a lookup stops there.  There
 * are at least two slots per key, so at least half are free.
 */
#define DP_TSS_SLOTS 8
#define DP_TSS_SIG_USED (UINT32_C(1) << 31)     /* in every signature: 0 is free */

/*
 * The longest run of full buckets a tuple may have: a lookup that misses
 * walks such a run to its end.  Random keys at half load leave a run of 8
 * in about one table of 64K keys in 150 (a simulation's count), and runs
 * grow about 7 times rarer per bucket, so past 16 practically never.
 * CRC32C is linear, so keys chosen to collide collide whatever the seed:
 * this bound is what keeps a slice owner from making its lookups, and the
 * worker its slices share, arbitrarily slow.
 */
#define DP_TSS_MAX_RUN 16

/* The rank of no rule: worse than every rule's. */
#define DP_TSS_RANK_NONE UINT32_MAX

uint32_t dp_tss_hash_mask = UINT32_MAX;

struct dp_tss_bucket {
	uint32_t sig[DP_TSS_SLOTS];     /* hash | DP_TSS_SIG_USED, or 0: free */
	uint32_t entry[DP_TSS_SLOTS];   /* index in the tuple's entries[] */
} __rte_cache_aligned;

/* A masked key and the best rule that has it. */
struct dp_tss_entry {
	uint64_t key[3];
	uint32_t rank;                  /* the rule's index in dp_tss_build()'s rules */
	uint32_t result;
};

struct dp_tss_tuple {
	uint64_t mask[3];
	uint32_t best_rank;             /* its best rule's: no key gets better here */
	uint32_t bucket_mask;           /* buckets - 1; buckets are a power of two */
	uint32_t hash_mask;             /* dp_tss_hash_mask when it was built */
	uint32_t nb_entries;
	struct dp_tss_bucket *buckets;
	struct dp_tss_entry *entries;
};

/* One allocation: this, then every tuple's buckets, then their entries. */
struct dp_tss {
	uint32_t nb_tuples;
	uint32_t fallback_rank;         /* best all-zero mask, DP_TSS_RANK_NONE: none */
	uint32_t fallback_result;       /* its result, 0 if none */
	/* By best_rank: a tuple is made for the first rule with its mask, and
	 * rules come best first. */
	struct dp_tss_tuple tuples[DP_TSS_MAX_TUPLES];
} __rte_cache_aligned;

_Static_assert(sizeof(struct dp_key) == 3 * sizeof(uint64_t),
	       "a key is hashed and compared as three 64-bit words");
_Static_assert(sizeof(struct dp_tss_bucket) == RTE_CACHE_LINE_MIN_SIZE,
	       "a bucket is one cache line");

/* A key's three words, as it lies in memory. */
static inline void
dp_tss_words(const struct dp_key *k, uint64_t w[3])
{
	memcpy(w, k, sizeof(*k));
}

/* Key k under tuple tp's mask. */
static inline void
dp_tss_masked(const struct dp_tss_tuple *tp, const struct dp_key *k, uint64_t w[3])
{
	dp_tss_words(k, w);
	w[0] &= tp->mask[0];
	w[1] &= tp->mask[1];
	w[2] &= tp->mask[2];
}

/* CRC32C of 8 bytes, as rte_hash_crc_8byte().  Where the build has
 * SSE4.2 it is the instruction itself: DPDK 22.11 tests which
 * implementation to use on every call and issues the instruction as
 * volatile inline assembly, which the compiler cannot schedule. */
static inline uint32_t
dp_tss_crc(uint64_t data, uint32_t init)
{
#ifdef __SSE4_2__
	return (uint32_t)_mm_crc32_u64(init, data);
#else
	return rte_hash_crc_8byte(data, init);
#endif
}

/* The hash of masked key w in tuple tp. */
static inline uint32_t
dp_tss_hash(const struct dp_tss_tuple *tp, const uint64_t w[3])
{
	uint32_t h = dp_tss_crc(w[0], 0);

	h = dp_tss_crc(w[1], h);
	return dp_tss_crc(w[2], h) & tp->hash_mask;
}

/* The slots of bucket b that hold signature sig, one bit each. */
static inline uint32_t
dp_tss_sig_slots(const struct dp_tss_bucket *b, uint32_t sig)
{
#ifdef RTE_ARCH_X86
	__m128i s = _mm_set1_epi32((int)sig);
	__m128i lo = _mm_cmpeq_epi32(_mm_load_si128((const __m128i *)&b->sig[0]), s);
	__m128i hi = _mm_cmpeq_epi32(_mm_load_si128((const __m128i *)&b->sig[4]), s);

	return (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(lo)) |
	       (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(hi)) << 4;
#else
	uint32_t slots = 0;

	for (unsigned int i = 0; i < DP_TSS_SLOTS; i++)
		slots |= (uint32_t)(b->sig[i] == sig) << i;
	return slots;
#endif
}

/* Whether bucket b has no free slot. */
static inline bool
dp_tss_bucket_full(const struct dp_tss_bucket *b)
{
	return b->sig[DP_TSS_SLOTS - 1] != 0;
}

/* The entry of masked key w, whose hash is h, in tuple tp; NULL if none. */
static inline const struct dp_tss_entry *
dp_tss_find(const struct dp_tss_tuple *tp, const uint64_t w[3], uint32_t h)
{
	uint32_t sig = h | DP_TSS_SIG_USED;

	for (uint32_t b = h & tp->bucket_mask;; b = (b + 1) & tp->bucket_mask) {
		const struct dp_tss_bucket *bk = &tp->buckets[b];

		for (uint32_t slots = dp_tss_sig_slots(bk, sig); slots != 0;
		     slots &= slots - 1) {
			const struct dp_tss_entry *e = &tp->entries[bk->entry[rte_bsf32(slots)]];

			if (((e->key[0] ^ w[0]) | (e->key[1] ^ w[1]) | (e->key[2] ^ w[2])) == 0)
				return e;
		}
		if (!dp_tss_bucket_full(bk))
			return NULL;
	}
}

/*
 * Probes tuple tp for keys[idx[0..n)] (keys[0..n) when idx is NULL), and
 * gives each key the tuple's rule where it beats the rank the key holds.
 * Every key is hashed, and its home bucket prefetched, before any is
 * probed, so that the probes' cache misses overlap; each key is masked
 * once.
 */
static __rte_always_inline void
dp_tss_probe(const struct dp_tss_tuple *tp, const struct dp_key *keys,
	     const uint16_t *idx, uint16_t n, uint32_t *rank, uint32_t *results)
{
	uint64_t w[SP_BURST][3];
	uint32_t hash[SP_BURST];

	for (uint16_t j = 0; j < n; j++) {
		dp_tss_masked(tp, &keys[idx != NULL ? idx[j] : j], w[j]);
		hash[j] = dp_tss_hash(tp, w[j]);
		rte_prefetch0(&tp->buckets[hash[j] & tp->bucket_mask]);
	}
	for (uint16_t j = 0; j < n; j++) {
		uint16_t i = idx != NULL ? idx[j] : j;
		const struct dp_tss_entry *e = dp_tss_find(tp, w[j], hash[j]);

		if (e != NULL && e->rank < rank[i]) {
			rank[i] = e->rank;
			results[i] = e->result;
		}
	}
}

void
dp_tss_lookup_burst(const struct dp_tss *t, const struct dp_key *keys, uint16_t n,
		    uint32_t *results)
{
	uint32_t rank[SP_BURST];
	uint16_t live[SP_BURST];

	for (uint16_t i = 0; i < n; i++) {
		rank[i] = t->fallback_rank;
		results[i] = t->fallback_result;
	}
	if (t->nb_tuples == 0)
		return;
	/* Tuples hold only rules before the catch-all, so the first one is
	 * probed for every key. */
	dp_tss_probe(&t->tuples[0], keys, NULL, n, rank, results);
	for (uint32_t ti = 1; ti < t->nb_tuples; ti++) {
		const struct dp_tss_tuple *tp = &t->tuples[ti];
		uint16_t nb_live = 0;

		/* A key already held by a rule better than this tuple's best
		 * is done: later tuples' best rules are worse still. */
		for (uint16_t i = 0; i < n; i++)
			if (rank[i] > tp->best_rank)
				live[nb_live++] = i;
		if (nb_live == 0)
			break;
		dp_tss_probe(tp, keys, live, nb_live, rank, results);
	}
}

/* The index of t's tuple with mask m, or -1. */
static int
dp_tss_tuple_index(const struct dp_tss *t, const uint64_t m[3])
{
	for (uint32_t ti = 0; ti < t->nb_tuples; ti++)
		if (memcmp(t->tuples[ti].mask, m, sizeof(t->tuples[ti].mask)) == 0)
			return (int)ti;
	return -1;
}

/* Buckets for 'count' keys: a power of two, with two slots per key. */
static uint32_t
dp_tss_nb_buckets(uint32_t count)
{
	return rte_align32pow2((uint32_t)(((uint64_t)count + DP_TSS_SLOTS / 2 - 1) /
					  (DP_TSS_SLOTS / 2)));
}

/* Adds masked key w, with hash h, to tuple tp for the rule of rank 'rank':
 * into the first slot free from its home bucket on. */
static void
dp_tss_insert(struct dp_tss_tuple *tp, const uint64_t w[3], uint32_t h, uint32_t rank,
	      uint32_t result)
{
	uint32_t b = h & tp->bucket_mask;
	struct dp_tss_bucket *bk;
	struct dp_tss_entry *e;
	unsigned int slot = 0;

	while (dp_tss_bucket_full(&tp->buckets[b]))
		b = (b + 1) & tp->bucket_mask;
	bk = &tp->buckets[b];
	while (bk->sig[slot] != 0)
		slot++;
	e = &tp->entries[tp->nb_entries];
	memcpy(e->key, w, sizeof(e->key));
	e->rank = rank;
	e->result = result;
	bk->sig[slot] = h | DP_TSS_SIG_USED;
	bk->entry[slot] = tp->nb_entries++;
}

/* The longest run of full buckets in tuple tp, wrapping around. */
static uint32_t
dp_tss_longest_run(const struct dp_tss_tuple *tp)
{
	uint32_t start = 0, run = 0, longest = 0;

	/* Start after a bucket with a free slot (at least half are free),
	 * so that a run across the end is counted whole. */
	while (dp_tss_bucket_full(&tp->buckets[start]))
		start++;
	for (uint32_t i = 1; i <= tp->bucket_mask + 1; i++) {
		if (!dp_tss_bucket_full(&tp->buckets[(start + i) & tp->bucket_mask]))
			run = 0;
		else if (++run > longest)
			longest = run;
	}
	return longest;
}

struct dp_tss *
dp_tss_build(const struct dp_tss_rule *rules, uint32_t n, size_t max_bytes)
{
	struct dp_tss head = { .fallback_rank = DP_TSS_RANK_NONE };
	uint32_t count[DP_TSS_MAX_TUPLES] = { 0 };
	size_t size = sizeof(head);
	uint32_t end = n;
	struct dp_tss *t;
	uint8_t *at;

	/* The tuples and their sizes, up to the first rule that matches
	 * everything: rules after it can never win. */
	for (uint32_t r = 0; r < n; r++) {
		uint64_t m[3];
		int ti;

		dp_tss_words(&rules[r].mask, m);
		if ((m[0] | m[1] | m[2]) == 0) {
			head.fallback_rank = r;
			head.fallback_result = rules[r].result;
			end = r;
			break;
		}
		ti = dp_tss_tuple_index(&head, m);
		if (ti < 0) {
			if (head.nb_tuples == DP_TSS_MAX_TUPLES) {
				errno = ENOTSUP;
				return NULL;
			}
			ti = (int)head.nb_tuples++;
			memcpy(head.tuples[ti].mask, m, sizeof(m));
			head.tuples[ti].best_rank = r;
			head.tuples[ti].hash_mask = dp_tss_hash_mask;
		}
		count[ti]++;
	}
	for (uint32_t ti = 0; ti < head.nb_tuples; ti++) {
		head.tuples[ti].bucket_mask = dp_tss_nb_buckets(count[ti]) - 1;
		size += sizeof(struct dp_tss_bucket) * (head.tuples[ti].bucket_mask + 1ull) +
			sizeof(struct dp_tss_entry) * count[ti];
	}
	if (size > max_bytes) {
		errno = ERANGE;
		return NULL;
	}
	t = rte_zmalloc("dp_tss", size, RTE_CACHE_LINE_SIZE);
	if (t == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	*t = head;
	at = (uint8_t *)(t + 1);
	for (uint32_t ti = 0; ti < t->nb_tuples; ti++) {
		t->tuples[ti].buckets = (struct dp_tss_bucket *)at;
		at += sizeof(struct dp_tss_bucket) * (t->tuples[ti].bucket_mask + 1ull);
	}
	for (uint32_t ti = 0; ti < t->nb_tuples; ti++) {
		t->tuples[ti].entries = (struct dp_tss_entry *)at;
		at += sizeof(struct dp_tss_entry) * count[ti];
	}

	for (uint32_t ti = 0; ti < t->nb_tuples; ti++) {
		struct dp_tss_tuple *tp = &t->tuples[ti];

		for (uint32_t r = tp->best_rank; r < end; r++) {
			uint64_t m[3], w[3];
			uint32_t h;

			dp_tss_words(&rules[r].mask, m);
			if (memcmp(m, tp->mask, sizeof(m)) != 0)
				continue;
			dp_tss_masked(tp, &rules[r].value, w);
			h = dp_tss_hash(tp, w);
			/* An earlier rule with the same masked key wins wherever
			 * this one would match. */
			if (dp_tss_find(tp, w, h) == NULL)
				dp_tss_insert(tp, w, h, r, rules[r].result);
		}
	}
	for (uint32_t ti = 0; ti < t->nb_tuples; ti++) {
		if (dp_tss_longest_run(&t->tuples[ti]) > DP_TSS_MAX_RUN) {
			dp_tss_free(t);
			errno = ENOTSUP;
			return NULL;
		}
	}
	return t;
}

void
dp_tss_free(struct dp_tss *t)
{
	rte_free(t);
}

/* The mask of IPv4 prefix length 'len', host order. */
static uint32_t
dp_tss_prefix_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

/* Writes the mask of port range [lo, hi] to *mask if the range is an
 * aligned block of a power of two ports; returns false if it is not. */
static bool
dp_tss_port_mask(uint16_t lo, uint16_t hi, uint16_t *mask)
{
	uint32_t size = (uint32_t)hi - lo + 1;

	if (hi < lo || !rte_is_power_of_2(size) || (lo & (size - 1)) != 0)
		return false;
	*mask = (uint16_t)~(size - 1);
	return true;
}

bool
dp_tss_rule_from_match(struct dp_tss_rule *r, enum dp_key_layout layout,
		       const struct dp_match *m)
{
	struct dp_key *mk = &r->mask, *v = &r->value;
	uint16_t smask, dmask;

	memset(mk, 0, sizeof(*mk));
	memset(v, 0, sizeof(*v));
	mk->binding = m->any_binding ? 0 : UINT32_MAX;
	v->binding = rte_cpu_to_be_32(m->binding);
	if (layout == DP_KEY_GENERIC) {
		mk->b0 = m->generic.mask[0];
		v->b0 = m->generic.key[0];
		memcpy(mk->bytes, &m->generic.mask[1], DP_KEY_BYTES - 1);
		memcpy(v->bytes, &m->generic.key[1], DP_KEY_BYTES - 1);
		return true;
	}
	if (m->ipv4.src_len > 32 || m->ipv4.dst_len > 32 ||
	    !dp_tss_port_mask(m->ipv4.sport_lo, m->ipv4.sport_hi, &smask) ||
	    !dp_tss_port_mask(m->ipv4.dport_lo, m->ipv4.dport_hi, &dmask))
		return false;
	mk->b0 = m->ipv4.any_proto ? 0 : UINT8_MAX;
	v->b0 = m->ipv4.proto;
	mk->ipv4.src = rte_cpu_to_be_32(dp_tss_prefix_mask(m->ipv4.src_len));
	v->ipv4.src = rte_cpu_to_be_32(m->ipv4.src);
	mk->ipv4.dst = rte_cpu_to_be_32(dp_tss_prefix_mask(m->ipv4.dst_len));
	v->ipv4.dst = rte_cpu_to_be_32(m->ipv4.dst);
	mk->ipv4.sport = rte_cpu_to_be_16(smask);
	v->ipv4.sport = rte_cpu_to_be_16(m->ipv4.sport_lo);
	mk->ipv4.dport = rte_cpu_to_be_16(dmask);
	v->ipv4.dport = rte_cpu_to_be_16(m->ipv4.dport_lo);
	return true;
}
