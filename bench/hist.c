/*
 * hist.c: the log-linear latency histogram (hist.h).  Bucket b below
 * HIST_SUB holds exactly the value b; above, a value v with its highest bit
 * at position e (e >= HIST_SUB_BITS) falls in group e - HIST_SUB_BITS + 1 at
 * the offset given by its HIST_SUB_BITS bits below the highest one.
 */
#include "hist.h"

#include <math.h>
#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

unsigned hist_bucket(uint64_t v)
{
	if (v < HIST_SUB)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v);
	uint64_t m = v >> (e - HIST_SUB_BITS); /* in [HIST_SUB, 2 * HIST_SUB) */
	return (e - HIST_SUB_BITS + 1u) * HIST_SUB + (unsigned)(m - HIST_SUB);
}

uint64_t hist_bucket_low(unsigned b)
{
	if (b < HIST_SUB)
		return b;
	unsigned g = b / HIST_SUB;
	uint64_t m = (uint64_t)(b % HIST_SUB) + HIST_SUB;
	return m << (g - 1u);
}

uint64_t hist_bucket_high(unsigned b)
{
	if (b < HIST_SUB)
		return b;
	unsigned g = b / HIST_SUB;
	uint64_t m = (uint64_t)(b % HIST_SUB) + HIST_SUB;
	/* The last bucket ends at 2^64 - 1: compute without overflowing. */
	return (m << (g - 1u)) + ((UINT64_C(1) << (g - 1u)) - 1u);
}

void hist_record(struct hist *h, uint64_t v)
{
	h->counts[hist_bucket(v)]++;
	h->count++;
	h->sum += (long double)v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	for (unsigned b = 0; b < HIST_BUCKETS; b++)
		dst->counts[b] += src->counts[b];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t hist_percentile(const struct hist *h, double q)
{
	if (h->count == 0)
		return 0;
	if (q > 100.0)
		q = 100.0;
	/* The rank of the value wanted, 1-based: ceil(q% of count), at least 1.
	 * 99.9 has no exact binary form: without the small allowance, 99.9% of
	 * 1000 would round up to rank 1000 instead of 999. */
	double r = ceil(q * (double)h->count / 100.0 - 1e-9);
	uint64_t rank = r < 1.0 ? 1u : (uint64_t)r;
	if (rank > h->count)
		rank = h->count;
	uint64_t seen = 0;
	for (unsigned b = 0; b < HIST_BUCKETS; b++) {
		seen += h->counts[b];
		if (seen >= rank) {
			uint64_t v = hist_bucket_high(b);
			return v > h->max ? h->max : v;
		}
	}
	return h->max;
}
