/*
 * test_client_tls.c: the client's TLS choices that need no server: how a
 * fingerprint is read, where pins live in the config file and how they
 * are rewritten, and when an address means TLS.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "strbuf.h"
#include "tls.h"

#define FP "4F:0A:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:12:34:56:78:9A:BC:DE:F0:01:02:03:04:05:9C"

Test(client_tls, a_fingerprint_is_read_with_or_without_colons_in_either_case)
{
	char out[TLS_CLIENT_FP_LEN];
	char bare[65] = {0};
	size_t n = 0;

	for (const char *p = FP; *p; p++)
		if (*p != ':')
			bare[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p + 32 : *p);
	cr_assert_eq(tls_client_pin_parse(FP, out), 0);
	cr_assert_str_eq(out, FP);
	cr_assert_eq(tls_client_pin_parse(bare, out), 0);
	cr_assert_str_eq(out, FP);
	cr_assert_eq(tls_client_pin_parse("sha256:" FP, out), 0);
	cr_assert_str_eq(out, FP);
	cr_assert_eq(tls_client_pin_parse("4F:0A", out), -1, "too short");
	cr_assert_eq(tls_client_pin_parse(FP ":00", out), -1, "too long");
	cr_assert_eq(tls_client_pin_parse("zz", out), -1, "not hex");
}

Test(client_tls, a_pin_replaces_the_old_one_for_its_server_and_keeps_every_other_line)
{
	const char *old = "# mine\nserver = 10.0.0.5:7878\nfingerprint = 10.0.0.5:7878 AA:BB\n"
			  "fingerprint = 10.0.0.6:7878 CC:DD\nfingerprint = 10.0.0.5:7878 EE:FF\n"
			  "token = dp1_x";
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(config_edit_pin(old, strlen(old), "10.0.0.5:7878", FP, &sb), 0);
	cr_assert_str_eq(strbuf_cstr(&sb), "# mine\nserver = 10.0.0.5:7878\nfingerprint = "
					   "10.0.0.5:7878 " FP "\nfingerprint = 10.0.0.6:7878 CC:DD\n"
					   "token = dp1_x\n");
	strbuf_free(&sb);
	cr_assert_eq(config_edit_pin("", 0, "[::1]:7878", FP, &sb), 0);
	cr_assert_str_eq(strbuf_cstr(&sb), "fingerprint = [::1]:7878 " FP "\n");
	strbuf_free(&sb);
}

Test(client_tls, the_config_file_gives_the_pin_of_the_server_used_and_the_ca)
{
	char dir[] = "/tmp/dotpha-tls-XXXXXX", path[300], msg[300];
	struct config c;
	struct config_env env = {NULL, NULL, NULL, NULL};
	FILE *f;

	cr_assert(mkdtemp(dir));
	env.xdg = dir;
	snprintf(path, sizeof(path), "%s/dotpha", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dotpha/config", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "server = tls://h.example:7000\nca = /etc/ca.pem\n"
		   "fingerprint = h.example:7000 " FP "\nfingerprint = other:7000 AA\n");
	fclose(f);
	cr_assert_eq(config_resolve(&c, NULL, &env, stderr, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(c.scheme, CONFIG_SCHEME_TLS);
	cr_assert_str_eq(c.host, "h.example");
	cr_assert_str_eq(c.port, "7000");
	cr_assert_str_eq(c.ca, "/etc/ca.pem");
	cr_assert_str_eq(config_pin(&c, "h.example:7000"), FP);
	cr_assert_null(config_pin(&c, "h.example:7001"));
	cr_assert_eq(config_save_pin(path, "h.example:7000", "AB", msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(config_resolve(&c, "tcp://127.0.0.1:1", &env, stderr, msg, sizeof(msg)), 0);
	cr_assert_eq(c.scheme, CONFIG_SCHEME_PLAIN);
	cr_assert_str_eq(config_pin(&c, "h.example:7000"), "AB");
	cr_assert_eq(config_resolve(&c, "10.0.0.5:7878", &env, stderr, msg, sizeof(msg)), 0);
	cr_assert_eq(c.scheme, CONFIG_SCHEME_AUTO);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dotpha", dir);
	rmdir(path);
	rmdir(dir);
}

Test(client_tls, loopback_is_127_slash_8_localhost_and_colon_colon_1_only)
{
	cr_assert(config_loopback("127.0.0.1"));
	cr_assert(config_loopback("127.1.2.3"));
	cr_assert(config_loopback("localhost"));
	cr_assert(config_loopback("::1"));
	cr_assert_not(config_loopback("10.0.0.5"));
	cr_assert_not(config_loopback("127.evil.example"), "a name, not an address");
	cr_assert_not(config_loopback("dotpha.tinh.vn"));
	cr_assert_not(config_loopback("0.0.0.0"));
}
