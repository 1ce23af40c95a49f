/*
 * tls_pin.c (client): tls_client_pin_parse (tls.h), the one reader of a
 * pinned fingerprint, the check of the certificate seen against it, and
 * how an expiry is said, shared by the OpenSSL (tls.c) and the Windows
 * Schannel (win/tls_win.c) builds.
 */
#include "tls.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "fmt.h"
#include "lang.h"

int tls_client_pin_parse(const char *pin, char out[TLS_CLIENT_FP_LEN])
{
	size_t n = 0;

	if (strncasecmp(pin, "sha256:", 7) == 0)
		pin += 7;
	for (; *pin; pin++) {
		if (*pin == ':')
			continue;
		if (!isxdigit((unsigned char)*pin) || n == 64)
			return -1;
		if (n > 0 && n % 2 == 0)
			*out++ = ':';
		*out++ = (char)toupper((unsigned char)*pin);
		n++;
	}
	*out = '\0';
	return n == 64 ? 0 : -1;
}

int tls_client_check_pin(const struct tls_client_settings *s, const char *seen, char *msg,
			 size_t msglen)
{
	char want[TLS_CLIENT_FP_LEN];

	if (s->pin) {
		if (tls_client_pin_parse(s->pin, want) < 0) {
			snprintf(msg, msglen, T("the pinned fingerprint '%s' is not 32 bytes of hex"), s->pin);
			return TLS_CLIENT_UNTRUSTED;
		}
		if (strcmp(want, seen) != 0) {
			snprintf(msg, msglen,
				 T("THE SERVER'S CERTIFICATE HAS CHANGED: its SHA-256 fingerprint is "
				 "%s but %s was pinned. Someone may be impersonating the server; or "
				 "it was given a new certificate. Ask its administrator for the "
				 "fingerprint (dotphad logs it at start); if the new one is right, "
				 "run `dotpha login --fingerprint NEW` to pin it"), seen, want);
			return TLS_CLIENT_UNTRUSTED;
		}
	} else if (!s->tofu) {
		snprintf(msg, msglen, T("no fingerprint is pinned for this server (its certificate's is "
			 "%s): run `dotpha login` to check and pin it, or pass --fingerprint or --ca"),
			 seen);
		return TLS_CLIENT_UNTRUSTED;
	}
	return NET_OK;
}

void tls_client_utc_moment(const struct tm *tm, char *out, size_t n)
{
	char utc[64];
	struct strbuf sb = STRBUF_INIT;

	snprintf(out, n, "?");
	snprintf(utc, sizeof(utc), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm->tm_year + 1900,
		 tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	if (strlen(utc) == TIMESTAMP_LEN - 1 && fmt_moment(&sb, utc, strlen(utc), false))
		snprintf(out, n, "%s", strbuf_cstr(&sb));
	strbuf_free(&sb);
}
