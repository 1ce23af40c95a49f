/*
 * test_bench_hist.c: the load generator's latency histogram (bench/hist.c).
 * `make bench` reports p50, p99 and p99.9 from it; these tests make sure a
 * wrong bucket or an off-by-one rank cannot silently move those figures.
 */
#include <stdint.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "../bench/hist.h"

static struct hist *fresh(void)
{
	struct hist *h = malloc(sizeof(*h));
	cr_assert_not_null(h);
	hist_init(h);
	return h;
}

/* |got - want| within 1/128 of want: the histogram's promised precision. */
static void assert_near(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;
	cr_assert_leq(d * 128u, want, "got %llu, want %llu within 1/128",
		      (unsigned long long)got, (unsigned long long)want);
}

Test(bench_hist, an_empty_histogram_reports_zero)
{
	struct hist *h = fresh();
	cr_assert_eq(hist_percentile(h, 50), 0);
	cr_assert_eq(hist_percentile(h, 99.9), 0);
	free(h);
}

Test(bench_hist, small_values_are_counted_exactly)
{
	struct hist *h = fresh();
	for (uint64_t v = 1; v <= 100; v++)
		hist_record(h, v);
	cr_assert_eq(hist_percentile(h, 50), 50);
	cr_assert_eq(hist_percentile(h, 99), 99);
	cr_assert_eq(hist_percentile(h, 99.9), 100);
	cr_assert_eq(hist_percentile(h, 100), 100);
	cr_assert_eq(hist_percentile(h, 1), 1);
	cr_assert_eq(h->count, 100);
	cr_assert_eq(h->min, 1);
	cr_assert_eq(h->max, 100);
	free(h);
}

Test(bench_hist, percentiles_of_a_uniform_run_of_a_million_are_within_the_precision)
{
	struct hist *h = fresh();
	/* 1..1,000,000 microseconds in nanoseconds, shuffled by a stride
	 * coprime with the count, so the order of recording cannot matter. */
	for (uint64_t i = 0; i < 1000000; i++)
		hist_record(h, ((i * 7919u) % 1000000u + 1u) * 1000u);
	assert_near(hist_percentile(h, 50), 500000u * 1000u);
	assert_near(hist_percentile(h, 99), 990000u * 1000u);
	assert_near(hist_percentile(h, 99.9), 999000u * 1000u);
	cr_assert_eq(hist_percentile(h, 100), 1000000u * 1000u);
	free(h);
}

Test(bench_hist, a_rare_slow_request_shows_in_the_tail_and_not_in_the_median)
{
	struct hist *h = fresh();
	for (int i = 0; i < 998; i++)
		hist_record(h, 1000000);  /* 1 ms */
	hist_record(h, 50000000);         /* 50 ms */
	hist_record(h, 200000000);        /* 200 ms */
	assert_near(hist_percentile(h, 50), 1000000);
	assert_near(hist_percentile(h, 99), 1000000);
	/* rank ceil(0.999 * 1000) = 999: the 50 ms one. */
	assert_near(hist_percentile(h, 99.9), 50000000);
	cr_assert_eq(hist_percentile(h, 100), 200000000);
	free(h);
}

Test(bench_hist, every_value_falls_in_a_bucket_that_contains_it)
{
	static const uint64_t samples[] = {0, 1, 127, 128, 129, 255, 256, 257, 1000, 65535,
					   65536, 123456789, UINT64_C(1) << 40,
					   (UINT64_C(1) << 40) - 1, UINT64_MAX - 1, UINT64_MAX};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		uint64_t v = samples[i];
		unsigned b = hist_bucket(v);
		cr_assert_lt(b, HIST_BUCKETS);
		cr_assert_leq(hist_bucket_low(b), v, "value %llu", (unsigned long long)v);
		cr_assert_geq(hist_bucket_high(b), v, "value %llu", (unsigned long long)v);
		/* The bucket is no wider than 1/128 of its lowest value. */
		cr_assert_leq((hist_bucket_high(b) - hist_bucket_low(b)) / 128u * 128u,
			      hist_bucket_low(b));
	}
	/* Buckets follow each other without gaps. */
	for (unsigned b = 1; b < HIST_BUCKETS; b++)
		cr_assert_eq(hist_bucket_low(b), hist_bucket_high(b - 1) + 1, "bucket %u", b);
}

Test(bench_hist, merging_two_histograms_gives_the_percentiles_of_all_values)
{
	struct hist *a = fresh(), *b = fresh();
	for (uint64_t v = 1; v <= 50; v++)
		hist_record(a, v);
	for (uint64_t v = 51; v <= 100; v++)
		hist_record(b, v);
	hist_merge(a, b);
	cr_assert_eq(a->count, 100);
	cr_assert_eq(a->min, 1);
	cr_assert_eq(a->max, 100);
	cr_assert_eq(hist_percentile(a, 50), 50);
	cr_assert_eq(hist_percentile(a, 99), 99);
	free(a);
	free(b);
}
