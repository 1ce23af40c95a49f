/*
 * gencert.c: see gencert.h.
 */
#include "gencert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls.h"

#define GENCERT_MAX_NAMES 16
#define GENCERT_DEFAULT_DAYS 825 /* what browsers accept for a leaf; renew before */

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dotphad gen-cert --cert FILE --key FILE [--name HOST ...] [--days N]\n"
		"\n"
		"Makes a self-signed certificate (EC P-256) and its key for serving TLS\n"
		"(`dotphad --tls-cert FILE --tls-key FILE`).  Each --name (a DNS name or an\n"
		"IP address) is a name the clients may use to reach the server; without any,\n"
		"the machine's host name, localhost, 127.0.0.1 and ::1.  The key file is\n"
		"written with mode 0600.  --days: validity (default %d).  Prints the\n"
		"certificate's SHA-256 fingerprint, which `dotpha login` shows on first\n"
		"contact: compare them, or give it to clients as --fingerprint.\n",
		GENCERT_DEFAULT_DAYS);
}

int gencert_main(int argc, char **argv)
{
	const char *cert = NULL, *key = NULL, *names[GENCERT_MAX_NAMES];
	char host[256], fp[TLS_FINGERPRINT_LEN], why[400];
	size_t nnames = 0;
	long days = GENCERT_DEFAULT_DAYS;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--cert") != 0 && strcmp(a, "--key") != 0 && strcmp(a, "--name") != 0 &&
		    strcmp(a, "--days") != 0) {
			fprintf(stderr, "dotphad: gen-cert: %s: unknown argument\n", a);
			usage(stderr);
			return 2;
		}
		if (!v || !*v) {
			fprintf(stderr, "dotphad: gen-cert: %s: needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--cert") == 0) {
			cert = v;
		} else if (strcmp(a, "--key") == 0) {
			key = v;
		} else if (strcmp(a, "--name") == 0) {
			if (nnames == GENCERT_MAX_NAMES) {
				fprintf(stderr, "dotphad: gen-cert: at most %d names\n", GENCERT_MAX_NAMES);
				return 2;
			}
			names[nnames++] = v;
		} else {
			char *end;

			days = strtol(v, &end, 10);
			if (*end || days < 1 || days > 36500) {
				fprintf(stderr, "dotphad: gen-cert: --days: expected a number from 1 to "
						"36500, got '%s'\n", v);
				return 2;
			}
		}
	}
	if (!cert || !key) {
		fprintf(stderr, "dotphad: gen-cert: --cert FILE and --key FILE are required\n");
		usage(stderr);
		return 2;
	}
	if (nnames == 0) {
		if (gethostname(host, sizeof(host)) == 0 && host[0] && strcmp(host, "localhost") != 0)
			names[nnames++] = host;
		names[nnames++] = "localhost";
		names[nnames++] = "127.0.0.1";
		names[nnames++] = "::1";
	}
	snprintf(why, sizeof(why), "cannot read back %s", cert);
	if (tls_make_cert(cert, key, names, nnames, 0, days, why, sizeof(why)) < 0 ||
	    tls_cert_fingerprint(cert, fp) < 0) {
		fprintf(stderr, "dotphad: gen-cert: %s\n", why);
		return 1;
	}
	printf("wrote %s and %s (the key readable by you only), valid %ld days for:", cert, key,
	       days);
	for (size_t i = 0; i < nnames; i++)
		printf(" %s", names[i]);
	printf("\nSHA-256 fingerprint: %s\n", fp);
	return 0;
}
