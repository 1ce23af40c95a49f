/*
 * tls_win.c (client): see tls.h.  Windows' own TLS, Schannel through
 * SSPI, over the connection net_win.c makes: every byte still goes
 * through net.h under its time limits.  Nothing to build or patch, and
 * the office's Windows keeps its TLS up to date.
 *
 * Schannel is told to leave the certificate to us
 * (SCH_CRED_MANUAL_CRED_VALIDATION): with a pin (the usual case, `dotpha
 * login`) the certificate's SHA-256 is compared as tls.c does; with a CA
 * file, the chain is built against that file's certificates alone and
 * checked with the SSL policy for the host name (CertGetCertificateChain,
 * CertVerifyCertificateChainPolicy).  TLS 1.2 is offered (the server's
 * minimum; SCHANNEL_CRED cannot ask for 1.3 on every Windows we serve).
 * A client certificate from PEM files (--cert/--key) is not read here.
 */
#include "tls.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wincrypt.h>
#include <security.h>
#include <schannel.h>
#include <sspi.h>

#include "lang.h"
#include "sha256.h"
#include "utf16.h"

#ifndef SECURITY_FLAG_IGNORE_CERT_CN_INVALID
#define SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x00001000 /* wininet.h's, for the SSL policy */
#endif

#define IN_START 65536 /* bytes of received records held before they decrypt */

struct tls_client {
	CredHandle cred;
	bool have_cred;
	CtxtHandle ctx;
	bool have_ctx;
	SecPkgContext_StreamSizes sizes; /* header, trailer, largest message */
	char *in;         /* received bytes not yet decrypted (malloc'ed) */
	size_t in_len;    /* bytes used in in */
	size_t in_cap;    /* its size */
	char *plain;      /* decrypted bytes not yet returned: inside in */
	size_t plain_len; /* their count */
	char *extra;      /* after a decrypt, the next record's bytes: inside in */
	size_t extra_len;
};

void tls_client_free(struct tls_client *t)
{
	if (!t)
		return;
	if (t->have_ctx)
		DeleteSecurityContext(&t->ctx);
	if (t->have_cred)
		FreeCredentialsHandle(&t->cred);
	free(t->in);
	free(t);
}

/* Sends what an SSPI call produced and frees it. */
static int send_token(SecBuffer *b, struct net *n, unsigned timeout_ms, char *msg, size_t msglen)
{
	int st = NET_OK;

	if (b->pvBuffer && b->cbBuffer > 0)
		st = net_send_all(n, b->pvBuffer, b->cbBuffer, timeout_ms, msg, msglen);
	if (b->pvBuffer)
		FreeContextBuffer(b->pvBuffer);
	b->pvBuffer = NULL;
	b->cbBuffer = 0;
	return st;
}

/* Receives more bytes after t->in[0..in_len), growing it when full.
 * *first gets the very first byte if it is still -1. */
static long receive(struct tls_client *t, struct net *n, unsigned timeout_ms, int *first,
		    char *msg, size_t msglen)
{
	long got;

	if (t->in_len == t->in_cap) {
		char *bigger = t->in_cap < 16 * 1024 * 1024 ? realloc(t->in, t->in_cap * 2) : NULL;

		if (!bigger) {
			snprintf(msg, msglen, T("out of memory"));
			return NET_ERROR;
		}
		t->in = bigger;
		t->in_cap *= 2;
	}
	got = net_recv(n, t->in + t->in_len, t->in_cap - t->in_len, timeout_ms, msg, msglen);
	if (got > 0) {
		if (first && *first < 0)
			*first = (unsigned char)t->in[t->in_len];
		t->in_len += (size_t)got;
	}
	return got;
}

/* The handshake's failure status as tls.c says it. */
static int handshake_failed(SECURITY_STATUS ss, int first, char *msg, size_t msglen)
{
	if (first >= 0 && first != 0x15 && first != 0x16) {
		snprintf(msg, msglen, T("the server does not speak TLS (it answered in plaintext): it "
			 "may be a dotphad without --tls-cert; connect without TLS (loopback only) "
			 "or ask for TLS there"));
		return TLS_CLIENT_NOT_TLS;
	}
	if (ss == SEC_E_CERT_WRONG_USAGE || ss == SEC_E_ILLEGAL_MESSAGE || ss == SEC_E_ALGORITHM_MISMATCH) {
		snprintf(msg, msglen, T("the server refused the TLS handshake; if it requires a client "
			 "certificate, give --cert FILE --key FILE"));
		return TLS_CLIENT_FAILED;
	}
	snprintf(msg, msglen, T("the TLS handshake failed: %s"), T("Schannel refused it"));
	snprintf(msg + strlen(msg), msglen - strlen(msg), " (0x%08lx)", (unsigned long)ss);
	return TLS_CLIENT_FAILED;
}

static int handshake(struct tls_client *t, struct net *n, const wchar_t *whost,
		     unsigned timeout_ms, char *msg, size_t msglen)
{
	DWORD flags = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
		      ISC_REQ_EXTENDED_ERROR | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM |
		      ISC_REQ_MANUAL_CRED_VALIDATION,
	      attrs = 0;
	SecBuffer out[1] = {{0, SECBUFFER_TOKEN, NULL}}, in[2];
	SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, out}, in_desc = {SECBUFFER_VERSION, 2, in};
	SECURITY_STATUS ss;
	int first = -1, st;
	bool need_read = true;

	ss = InitializeSecurityContextW(&t->cred, NULL, (wchar_t *)whost, flags, 0, 0, NULL, 0,
					&t->ctx, &out_desc, &attrs, NULL);
	if (ss != SEC_I_CONTINUE_NEEDED) {
		if (out[0].pvBuffer)
			FreeContextBuffer(out[0].pvBuffer);
		return handshake_failed(ss, first, msg, msglen);
	}
	t->have_ctx = true;
	if ((st = send_token(&out[0], n, timeout_ms, msg, msglen)) != NET_OK)
		return st;
	for (;;) {
		if (need_read) {
			long got = receive(t, n, timeout_ms, &first, msg, msglen);

			if (got == NET_CLOSED) {
				if (first >= 0 && first != 0x15 && first != 0x16)
					return handshake_failed(SEC_E_ILLEGAL_MESSAGE, first, msg, msglen);
				snprintf(msg, msglen, T("the server closed the connection during the TLS handshake"));
				return NET_CLOSED;
			}
			if (got < 0)
				return (int)got;
		}
		in[0] = (SecBuffer){(unsigned long)t->in_len, SECBUFFER_TOKEN, t->in};
		in[1] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
		out[0] = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
		ss = InitializeSecurityContextW(&t->cred, &t->ctx, (wchar_t *)whost, flags, 0, 0,
						&in_desc, 0, NULL, &out_desc, &attrs, NULL);
		if (ss == SEC_E_INCOMPLETE_MESSAGE) {
			need_read = true;
			continue;
		}
		/* A token to send, even with a failure (an alert for the server). */
		if ((st = send_token(&out[0], n, timeout_ms, msg, msglen)) != NET_OK)
			return st;
		if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED && ss != SEC_I_INCOMPLETE_CREDENTIALS)
			return handshake_failed(ss, first, msg, msglen);
		/* What the call did not consume begins the next message. */
		if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer > 0) {
			memmove(t->in, t->in + (t->in_len - in[1].cbBuffer), in[1].cbBuffer);
			t->in_len = in[1].cbBuffer;
		} else if (ss != SEC_I_INCOMPLETE_CREDENTIALS) {
			t->in_len = 0;
		}
		if (ss == SEC_E_OK)
			return NET_OK;
		/* Asked for a certificate we do not have: go on without one, and
		 * the server says whether it minds. */
		need_read = t->in_len == 0 && ss != SEC_I_INCOMPLETE_CREDENTIALS;
	}
}

/* The canonical fingerprint of cert into out. */
static void fingerprint(PCCERT_CONTEXT cert, char out[TLS_CLIENT_FP_LEN])
{
	struct sha256 *h = sha256_new();
	unsigned char md[32];

	out[0] = '\0';
	if (!h)
		return;
	sha256_update(h, cert->pbCertEncoded, cert->cbCertEncoded);
	if (sha256_final(h, md) == 0)
		for (unsigned i = 0; i < 32; i++)
			snprintf(out + 3 * i, 4, i + 1 < 32 ? "%02X:" : "%02X", md[i]);
	sha256_free(h);
}

/* When cert stops being valid, as tls_client_utc_moment says it. */
static void not_after(PCCERT_CONTEXT cert, char *out, size_t n)
{
	SYSTEMTIME st;
	struct tm tm;

	snprintf(out, n, "?");
	if (!FileTimeToSystemTime(&cert->pCertInfo->NotAfter, &st))
		return;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = st.wYear - 1900;
	tm.tm_mon = st.wMonth - 1;
	tm.tm_mday = st.wDay;
	tm.tm_hour = st.wHour;
	tm.tm_min = st.wMinute;
	tm.tm_sec = st.wSecond;
	tls_client_utc_moment(&tm, out, n);
}

/* Adds every certificate of the PEM file path to store.  Returns how many,
 * or -1 if the file cannot be read. */
static int load_pem(const char *path, HCERTSTORE store)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----", end[] = "-----END CERTIFICATE-----";
	FILE *f = fopen(path, "rb");
	char *text = NULL, *p;
	long len;
	int count = 0;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || len > 4 * 1024 * 1024 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(text = malloc((size_t)len + 1)) ||
	    fread(text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	for (p = text; (p = strstr(p, begin));) {
		char *stop = strstr(p, end);
		BYTE der[16384];
		DWORD n = sizeof(der);

		if (!stop)
			break;
		stop += strlen(end);
		if (CryptStringToBinaryA(p, (DWORD)(stop - p), CRYPT_STRING_BASE64HEADER, der, &n, NULL,
					 NULL) &&
		    CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, n,
						     CERT_STORE_ADD_ALWAYS, NULL))
			count++;
		p = stop;
	}
	free(text);
	return count;
}

/* The address host names in binary (4 or 16 bytes) into ip; 0 when host
 * is a name, not an address. */
static int address_of(const char *host, unsigned char ip[16])
{
	if (inet_pton(AF_INET, host, ip) == 1)
		return 4;
	if (inet_pton(AF_INET6, host, ip) == 1)
		return 16;
	return 0;
}

/* True if cert's subjectAltName lists the address ip[0..len) (the SSL
 * policy matches DNS names only, not every Windows an IP address). */
static bool names_address(PCCERT_CONTEXT cert, const unsigned char *ip, int len)
{
	PCERT_EXTENSION ext = CertFindExtension(szOID_SUBJECT_ALT_NAME2,
						cert->pCertInfo->cExtension,
						cert->pCertInfo->rgExtension);
	CERT_ALT_NAME_INFO *names = NULL;
	DWORD size = 0;
	bool found = false;

	if (!ext || !CryptDecodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, ext->Value.pbData,
					 ext->Value.cbData, CRYPT_DECODE_ALLOC_FLAG, NULL, &names,
					 &size))
		return false;
	for (DWORD i = 0; i < names->cAltEntry && !found; i++) {
		const CERT_ALT_NAME_ENTRY *e = &names->rgAltEntry[i];

		found = e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS &&
			e->IPAddress.cbData == (DWORD)len && memcmp(e->IPAddress.pbData, ip, len) == 0;
	}
	LocalFree(names);
	return found;
}

/* Verifies cert's chain against the CA file alone, its dates and its name
 * (the SSL policy).  Returns NET_OK or TLS_CLIENT_UNTRUSTED with a
 * sentence. */
static int verify_ca(PCCERT_CONTEXT cert, const char *host, const wchar_t *whost,
		     const char *ca_file, char *msg, size_t msglen)
{
	HCERTSTORE roots = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, NULL);
	HCERTCHAINENGINE engine = NULL;
	PCCERT_CHAIN_CONTEXT chain = NULL;
	CERT_CHAIN_ENGINE_CONFIG cfg;
	CERT_CHAIN_PARA para;
	SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
	CERT_CHAIN_POLICY_PARA policy;
	CERT_CHAIN_POLICY_STATUS status;
	int st = TLS_CLIENT_UNTRUSTED, iplen;
	unsigned char ip[16];
	char when[64];

	if (!roots || load_pem(ca_file, roots) <= 0) {
		snprintf(msg, msglen, T("cannot read the CA file %s"), ca_file);
		goto out;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.cbSize = sizeof(cfg);
	cfg.hExclusiveRoot = roots; /* these CAs and no other */
	memset(&para, 0, sizeof(para));
	para.cbSize = sizeof(para);
	if (!CertCreateCertificateChainEngine(&cfg, &engine) ||
	    !CertGetCertificateChain(engine, cert, NULL, cert->hCertStore, &para, 0, NULL, &chain)) {
		snprintf(msg, msglen, T("the server's certificate is NOT TRUSTED: %s"),
			 T("no chain to the CA file"));
		goto out;
	}
	memset(&ssl, 0, sizeof(ssl));
	ssl.cbSize = sizeof(ssl);
	ssl.dwAuthType = AUTHTYPE_SERVER;
	ssl.pwszServerName = (wchar_t *)whost;
	/* An address is matched here, against the certificate's IP names. */
	if ((iplen = address_of(host, ip)) > 0)
		ssl.fdwChecks = SECURITY_FLAG_IGNORE_CERT_CN_INVALID;
	memset(&policy, 0, sizeof(policy));
	policy.cbSize = sizeof(policy);
	policy.pvExtraPolicyPara = &ssl;
	memset(&status, 0, sizeof(status));
	status.cbSize = sizeof(status);
	if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &policy, &status)) {
		snprintf(msg, msglen, T("the server's certificate is NOT TRUSTED: %s"),
			 T("no chain to the CA file"));
		goto out;
	}
	if (status.dwError == 0 && iplen > 0 && !names_address(cert, ip, iplen))
		status.dwError = (DWORD)CERT_E_CN_NO_MATCH;
	switch ((unsigned long)status.dwError) {
	case 0:
		st = NET_OK;
		break;
	case (unsigned long)CERT_E_EXPIRED:
		not_after(cert, when, sizeof(when));
		snprintf(msg, msglen, T("the server's certificate EXPIRED on %s; the server needs a new "
					"one (dotphad gen-cert)"), when);
		break;
	case (unsigned long)CERT_E_CN_NO_MATCH:
		snprintf(msg, msglen, T("the server's certificate is NOT FOR '%s' (none of its names "
			 "matches): use the name the certificate was made for, or a certificate "
			 "that names it"), host);
		break;
	default:
		snprintf(msg, msglen, T("the server's certificate is NOT TRUSTED: %s"),
			 T("no chain to the CA file"));
		snprintf(msg + strlen(msg), msglen - strlen(msg), " (0x%08lx)",
			 (unsigned long)status.dwError);
		break;
	}
out:
	if (chain)
		CertFreeCertificateChain(chain);
	if (engine)
		CertFreeCertificateChainEngine(engine);
	if (roots)
		CertCloseStore(roots, 0);
	return st;
}

/* After the handshake: the CA file, or the pin (or trust on first use),
 * and the dates. */
static int verify(struct tls_client *t, const char *host, const wchar_t *whost,
		  const struct tls_client_settings *s, char seen[TLS_CLIENT_FP_LEN], char *msg,
		  size_t msglen)
{
	PCCERT_CONTEXT cert = NULL;
	char when[64];
	LONG valid;
	int st = TLS_CLIENT_UNTRUSTED;

	if (QueryContextAttributesW(&t->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert) != SEC_E_OK ||
	    !cert) {
		snprintf(msg, msglen, T("the server sent no certificate"));
		return TLS_CLIENT_UNTRUSTED;
	}
	fingerprint(cert, seen);
	if (s->ca_file) {
		st = verify_ca(cert, host, whost, s->ca_file, msg, msglen);
		goto out;
	}
	if (tls_client_check_pin(s, seen, msg, msglen) != NET_OK)
		goto out;
	valid = CertVerifyTimeValidity(NULL, cert->pCertInfo);
	if (valid > 0) {
		not_after(cert, when, sizeof(when));
		snprintf(msg, msglen, T("the server's certificate EXPIRED on %s; the server needs a new "
			 "one (dotphad gen-cert)"), when);
		goto out;
	}
	if (valid < 0) {
		snprintf(msg, msglen, T("the server's certificate is not valid yet: check the clocks"));
		goto out;
	}
	st = NET_OK;
out:
	CertFreeCertificateContext(cert);
	return st;
}

int tls_client_start(struct tls_client **out, struct net *n, const char *host,
		     const struct tls_client_settings *s, unsigned timeout_ms,
		     char seen_fp[TLS_CLIENT_FP_LEN], char *msg, size_t msglen)
{
	SCHANNEL_CRED cred;
	struct tls_client *t;
	wchar_t *whost;
	int st;

	*out = NULL;
	seen_fp[0] = '\0';
	if (s->cert_file) {
		snprintf(msg, msglen, T("this Windows build cannot use a client certificate from files "
					"(--cert/--key); ask the server's administrator"));
		return NET_ERROR;
	}
	if (!(whost = utf16_from_utf8(host, 0))) {
		snprintf(msg, msglen, T("out of memory"));
		return NET_ERROR;
	}
	if (!(t = calloc(1, sizeof(*t))) || !(t->in = malloc(IN_START))) {
		free(t);
		free(whost);
		snprintf(msg, msglen, T("out of memory"));
		return NET_ERROR;
	}
	t->in_cap = IN_START;
	memset(&cred, 0, sizeof(cred));
	cred.dwVersion = SCHANNEL_CRED_VERSION;
	cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
	cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS |
		       SCH_USE_STRONG_CRYPTO;
	if (AcquireCredentialsHandleW(NULL, (wchar_t *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL,
				      &cred, NULL, NULL, &t->cred, NULL) != SEC_E_OK) {
		snprintf(msg, msglen, T("cannot set up TLS (out of memory?)"));
		st = NET_ERROR;
		goto fail;
	}
	t->have_cred = true;
	if ((st = handshake(t, n, whost, timeout_ms, msg, msglen)) != NET_OK)
		goto fail;
	if (QueryContextAttributesW(&t->ctx, SECPKG_ATTR_STREAM_SIZES, &t->sizes) != SEC_E_OK) {
		snprintf(msg, msglen, T("cannot set up TLS (out of memory?)"));
		st = TLS_CLIENT_FAILED;
		goto fail;
	}
	if ((st = verify(t, host, whost, s, seen_fp, msg, msglen)) != NET_OK)
		goto fail;
	free(whost);
	*out = t;
	return NET_OK;
fail:
	free(whost);
	tls_client_free(t);
	return st;
}

int tls_client_send_all(struct tls_client *t, struct net *n, const void *buf, size_t len,
			unsigned timeout_ms, char *msg, size_t msglen)
{
	const char *p = buf;
	size_t room = t->sizes.cbHeader + t->sizes.cbMaximumMessage + t->sizes.cbTrailer;
	char *rec = malloc(room);
	int st = NET_OK;

	if (!rec) {
		snprintf(msg, msglen, T("out of memory"));
		return NET_ERROR;
	}
	while (len > 0 && st == NET_OK) {
		size_t chunk = len > t->sizes.cbMaximumMessage ? t->sizes.cbMaximumMessage : len;
		SecBuffer b[4] = {
			{t->sizes.cbHeader, SECBUFFER_STREAM_HEADER, rec},
			{(unsigned long)chunk, SECBUFFER_DATA, rec + t->sizes.cbHeader},
			{t->sizes.cbTrailer, SECBUFFER_STREAM_TRAILER, rec + t->sizes.cbHeader + chunk},
			{0, SECBUFFER_EMPTY, NULL},
		};
		SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

		memcpy(rec + t->sizes.cbHeader, p, chunk);
		if (EncryptMessage(&t->ctx, 0, &d, 0) != SEC_E_OK) {
			snprintf(msg, msglen, T("TLS: cannot encrypt"));
			st = NET_ERROR;
			break;
		}
		st = net_send_all(n, rec, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer, timeout_ms,
				  msg, msglen);
		p += chunk;
		len -= chunk;
	}
	SecureZeroMemory(rec, room);
	free(rec);
	return st;
}

long tls_client_recv(struct tls_client *t, struct net *n, void *buf, size_t cap,
		     unsigned timeout_ms, char *msg, size_t msglen)
{
	for (;;) {
		SecBuffer b[4];
		SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
		SECURITY_STATUS ss;
		long got;

		if (t->plain_len > 0) {
			size_t k = t->plain_len < cap ? t->plain_len : cap;

			memcpy(buf, t->plain, k);
			t->plain += k;
			t->plain_len -= k;
			return (long)k;
		}
		if (t->extra) {
			/* The next record's bytes, left by the last decrypt. */
			memmove(t->in, t->extra, t->extra_len);
			t->in_len = t->extra_len;
			t->plain = NULL;
			t->extra = NULL;
			t->extra_len = 0;
		} else if (t->in_len == 0 || t->plain) {
			if (t->plain)
				t->in_len = 0; /* the record just returned is done with */
			t->plain = NULL;
			if ((got = receive(t, n, timeout_ms, NULL, msg, msglen)) <= 0)
				return got;
		}
		b[0] = (SecBuffer){(unsigned long)t->in_len, SECBUFFER_DATA, t->in};
		b[1] = b[2] = b[3] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
		ss = DecryptMessage(&t->ctx, &d, 0, NULL);
		if (ss == SEC_E_INCOMPLETE_MESSAGE) {
			if ((got = receive(t, n, timeout_ms, NULL, msg, msglen)) <= 0)
				return got;
			continue;
		}
		if (ss == SEC_I_CONTEXT_EXPIRED) {
			snprintf(msg, msglen, T("the server closed the connection"));
			return NET_CLOSED;
		}
		if (ss != SEC_E_OK && ss != SEC_I_RENEGOTIATE) {
			snprintf(msg, msglen, "TLS: %s (0x%08lx)", T("the stream broke"), (unsigned long)ss);
			return TLS_CLIENT_FAILED;
		}
		/* Decrypted in place: the data and any extra lie inside in. */
		t->plain = t->in; /* marks in as consumed once returned */
		for (int i = 1; i < 4; i++) {
			if (b[i].BufferType == SECBUFFER_DATA) {
				t->plain = b[i].pvBuffer;
				t->plain_len = b[i].cbBuffer;
			} else if (b[i].BufferType == SECBUFFER_EXTRA && b[i].cbBuffer > 0) {
				t->extra = t->in + (t->in_len - b[i].cbBuffer);
				t->extra_len = b[i].cbBuffer;
			}
		}
		if (ss == SEC_I_RENEGOTIATE) {
			snprintf(msg, msglen, "TLS: %s", T("the server asked to renegotiate"));
			return TLS_CLIENT_FAILED;
		}
	}
}
