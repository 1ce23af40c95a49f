/*
 * test_auth.c: the throttle of failed sign-ins (server/rpc/auth.c), with the
 * clock in the test's hands: delays grow from the 6th failure and stop at
 * the cap; the quiet window, and only it, forgets an address; the log
 * gets a handful of lines that count every failure; the table stays its
 * size under a flood of addresses; throttle.list's and throttle.clear's
 * view of it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "log.h"

#define T0 ((time_t)1732780800) /* 2024-11-28T08:00:00Z */

static void init(void)
{
	auth_reset();
	log_set_level(LOG_ERROR); /* the lines are counted through the verdicts */
}

TestSuite(auth, .init = init, .timeout = 30);

Test(auth, the_first_five_are_free_then_the_delay_doubles_up_to_the_cap)
{
	static const unsigned want[] = {0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 16000, 16000};
	struct auth_verdict v;

	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		auth_failed("192.0.2.1", T0 + i, &v);
		cr_assert_eq(v.failures, i + 1);
		cr_assert_eq(v.delay_ms, want[i], "failure %u: %u ms, expected %u", i + 1, v.delay_ms,
			     want[i]);
		cr_assert_eq(v.next_ms, auth_delay_of(i + 2));
		cr_assert_eq(v.lifts, T0 + i + AUTH_QUIET_S);
	}
	for (unsigned n = 12; n < 100000; n = n * 3 + 1) {
		cr_assert_eq(auth_delay_of(n), AUTH_DELAY_MAX_MS, "failure %u", n);
	}
	cr_assert_eq(auth_delay_of(1u << 31), AUTH_DELAY_MAX_MS, "no overflow");
	/* another address is not slowed by this one */
	auth_failed("192.0.2.2", T0 + 20, &v);
	cr_assert_eq(v.failures, 1);
	cr_assert_eq(v.delay_ms, 0);
}

Test(auth, only_a_quiet_window_forgets_an_address)
{
	struct auth_verdict v;
	struct auth_entry e[4];

	for (int i = 0; i < 8; i++)
		auth_failed("192.0.2.1", T0, &v);
	/* a failure every 14 minutes keeps the count going: the window is
	 * counted from the latest failure, not the first */
	auth_failed("192.0.2.1", T0 + 14 * 60, &v);
	auth_failed("192.0.2.1", T0 + 28 * 60, &v);
	cr_assert_eq(v.failures, 10);
	cr_assert_eq(v.delay_ms, 16000);
	cr_assert_eq(auth_list(T0 + 28 * 60 + AUTH_QUIET_S - 1, e, 4), 1);
	cr_assert_eq(e[0].failures, 10);
	cr_assert_eq(e[0].delay_ms, 16000);
	cr_assert_eq(e[0].first, T0);
	cr_assert_eq(e[0].last, T0 + 28 * 60);
	cr_assert_eq(e[0].lifts, T0 + 28 * 60 + AUTH_QUIET_S);
	/* fifteen quiet minutes: gone from the list, and the next failure is
	 * the first again */
	cr_assert_eq(auth_list(T0 + 28 * 60 + AUTH_QUIET_S, e, 4), 0);
	auth_failed("192.0.2.1", T0 + 28 * 60 + AUTH_QUIET_S, &v);
	cr_assert_eq(v.failures, 1);
	cr_assert_eq(v.delay_ms, 0);
}

Test(auth, two_hundred_failures_make_a_handful_of_log_lines_that_count_them_all)
{
	struct auth_verdict v;
	unsigned lines = 0, counted = 0, most = 0, n;

	/* one failure a second for 200 seconds, the housekeeping tick every 5 */
	for (int i = 0; i < 200; i++) {
		auth_failed("192.0.2.9", T0 + i, &v);
		if (v.logged) {
			lines++;
			counted += v.logged;
			most = v.logged > most ? v.logged : most;
		}
		if (i % 5 == 0 && (n = auth_tick(T0 + i)) > 0) {
			lines++;
			counted += n;
		}
	}
	cr_assert_eq(most, AUTH_LOG_EVERY_S, "a line a minute counts that minute's failures");
	/* the burst stopped: within a minute a tick logs the rest */
	for (int s = 200; s <= 200 + AUTH_LOG_EVERY_S; s += 5)
		if ((n = auth_tick(T0 + s)) > 0) {
			lines++;
			counted += n;
		}
	cr_assert_leq(lines, 5, "%u lines for 200 failures", lines);
	cr_assert_eq(counted, 200, "the lines count %u failures of 200", counted);

	/* 200 in the same second: one line at once, one a minute later */
	auth_reset();
	counted = lines = 0;
	for (int i = 0; i < 200; i++) {
		auth_failed("192.0.2.10", T0, &v);
		counted += v.logged;
		lines += v.logged > 0;
	}
	cr_assert_eq(lines, 1, "only the first failure is logged at once");
	cr_assert_eq(counted, 1);
	cr_assert_eq(auth_tick(T0 + AUTH_LOG_EVERY_S - 1), 0, "not before a minute");
	cr_assert_eq(auth_tick(T0 + AUTH_LOG_EVERY_S), 199, "the other 199 in one line");
	cr_assert_eq(auth_tick(T0 + 2 * AUTH_LOG_EVERY_S), 0, "nothing left to count");
	auth_failed("192.0.2.10", T0 + 2 * AUTH_LOG_EVERY_S, &v);
	cr_assert_eq(v.logged, 1, "a minute after the last line, the next failure is logged");
	cr_assert_eq(v.failures, 201);
	/* an address cleared or forgotten logs what it still owed */
	auth_failed("192.0.2.10", T0 + 2 * AUTH_LOG_EVERY_S + 1, &v);
	cr_assert_eq(v.logged, 0);
	cr_assert_eq(auth_tick(T0 + 2 * AUTH_LOG_EVERY_S + 1 + AUTH_QUIET_S), 1);
}

Test(auth, a_flood_of_addresses_evicts_the_stalest_and_never_grows)
{
	struct auth_verdict v;
	struct auth_entry *e = calloc(AUTH_SLOTS, sizeof(*e));
	char addr[AUTH_ADDRESS_MAX];

	cr_assert_not_null(e);
	bool seen99 = false, seen100 = false;

	/* within one quiet window: none of them is forgotten by time */
	for (int i = 0; i < AUTH_SLOTS + 100; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		auth_failed(addr, T0 + i / 8, &v);
		cr_assert_eq(v.failures, 1);
	}
	cr_assert_eq(auth_list(T0 + 600, e, AUTH_SLOTS), AUTH_SLOTS);
	cr_assert_eq(e[0].last, T0 + (AUTH_SLOTS + 99) / 8, "newest first");
	for (int i = 0; i < AUTH_SLOTS; i++) {
		seen99 |= strcmp(e[i].address, "10.0.0.99") == 0;
		seen100 |= strcmp(e[i].address, "10.0.0.100") == 0;
	}
	cr_assert_not(seen99, "the 100 stalest addresses were forgotten");
	cr_assert(seen100);
	free(e);
}

Test(auth, clear_forgets_one_address_or_all)
{
	struct auth_verdict v;
	struct auth_entry e[4];

	for (int i = 0; i < 7; i++) {
		auth_failed("192.0.2.1", T0, &v);
		auth_failed("2001:db8::1", T0 + 1, &v);
	}
	auth_failed("192.0.2.3", T0 + 2, &v);
	cr_assert_eq(auth_list(T0 + 3, e, 4), 3);
	cr_assert_str_eq(e[0].address, "192.0.2.3", "newest first");
	cr_assert_str_eq(e[1].address, "2001:db8::1");
	cr_assert_eq(e[1].failures, 7);
	cr_assert_eq(e[1].delay_ms, 4000, "an 8th failure would wait 4 s");
	cr_assert_eq(auth_clear("192.0.2.1", T0 + 3), 1);
	cr_assert_eq(auth_clear("192.0.2.1", T0 + 3), 0, "already clear");
	cr_assert_eq(auth_list(T0 + 3, e, 4), 2);
	auth_failed("192.0.2.1", T0 + 4, &v);
	cr_assert_eq(v.failures, 1, "cleared: the next failure is the first");
	cr_assert_eq(auth_clear(NULL, T0 + 5), 3);
	cr_assert_eq(auth_list(T0 + 5, e, 4), 0);
}
