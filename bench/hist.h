/*
 * hist.h: a latency histogram for the load generator, in the manner of
 * HdrHistogram: values below 128 are counted exactly, larger ones in
 * buckets 1/128 of their power of two wide, so any percentile it reports is
 * within 0.8% of the true value, whatever the range (nanoseconds to hours),
 * in a fixed 59 KiB and O(1) per value.  Plain C, no libuv: the unit test
 * (tests/test_bench_hist.c) links it alone.
 */
#ifndef DOTPHA_BENCH_HIST_H
#define DOTPHA_BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 7u                               /* 128 sub-buckets per power of two */
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_BUCKETS ((64u - HIST_SUB_BITS + 1u) * HIST_SUB) /* 7424: up to 2^64-1 */

struct hist {
	uint64_t count;                /* values recorded */
	uint64_t min;                  /* smallest value, UINT64_MAX when empty */
	uint64_t max;                  /* largest value, 0 when empty */
	long double sum;               /* for the mean */
	uint64_t counts[HIST_BUCKETS]; /* values per bucket */
};

/* Empties h. */
void hist_init(struct hist *h);

/* Counts one value. */
void hist_record(struct hist *h, uint64_t v);

/* Adds every value of src to dst. */
void hist_merge(struct hist *dst, const struct hist *src);

/* The value at percentile q (0 < q <= 100): the smallest recorded value v
 * such that at least q% of the values are <= v, reported as the top of its
 * bucket (never above the largest value recorded).  0 when h is empty. */
uint64_t hist_percentile(const struct hist *h, double q);

/* The bucket of v, and the lowest and highest values of a bucket; exposed
 * for the unit test. */
unsigned hist_bucket(uint64_t v);
uint64_t hist_bucket_low(unsigned b);
uint64_t hist_bucket_high(unsigned b);

#endif
