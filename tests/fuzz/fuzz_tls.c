/*
 * fuzz_tls.c: libFuzzer target for the daemon's TLS path (server/daemon/tls.c),
 * fed as conn.c feeds it, through the memory BIOs, in pieces.  The first
 * byte picks what the rest is:
 *   0: the bytes a client sends before any handshake (ClientHellos, and
 *      whatever a plaintext or hostile peer sends instead);
 *   1: plaintext, sent by a real client after a real handshake (made here
 *      in memory), so the decrypted bytes reach the stream decoder as in
 *      the daemon, with its limits;
 *   2: as 1, with one byte of the ciphertext flipped (its position from
 *      the second byte): the record must be refused, never decrypted.
 * The certificate is made once, at start, in a temporary directory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "frame.h"
#include "message.h"
#include "tls.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static SSL_CTX *server_ctx, *client_ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char dir[] = "/tmp/dotpha-fuzz-tls-XXXXXX", cert[64], key[64], why[300];
	const char *names[] = {"localhost"};

	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	if (tls_make_cert(cert, key, names, 1, 0, 30, why, sizeof(why)) < 0 ||
	    !(server_ctx = tls_server_ctx(cert, key, NULL, why, sizeof(why)))) {
		fprintf(stderr, "fuzz_tls: %s\n", why);
		abort();
	}
	unlink(cert);
	unlink(key);
	rmdir(dir);
	client_ctx = SSL_CTX_new(TLS_client_method());
	if (!client_ctx)
		abort();
	return 0;
}

/* Moves every byte waiting in from's output BIO to to's input BIO. */
static void pump(BIO *from, BIO *to)
{
	char buf[4096];
	int n;

	while ((n = BIO_read(from, buf, sizeof(buf))) > 0)
		BIO_write(to, buf, n);
}

/* Hands the server n ciphertext bytes in pieces of `step`, as reads from
 * the socket would, and decodes what comes out.  Returns false once the
 * server has refused the stream. */
static bool feed(struct tls_conn *t, struct frame *f, const uint8_t *p, size_t n, size_t step)
{
	char msg[200], plain[4096], *out;

	for (size_t off = 0; off < n; off += step) {
		size_t k = n - off < step ? n - off : step;
		const msgpack_object *o;
		struct rpc_error err;
		long got;

		if (tls_conn_input(t, p + off, k, msg, sizeof(msg)) != TLS_OK)
			return false;
		tls_conn_output(t, &out); /* handshake replies and alerts: dropped */
		free(out);
		while ((got = tls_conn_read(t, plain, sizeof(plain), msg, sizeof(msg))) > 0)
			if (frame_feed(f, plain, (size_t)got) < 0)
				return false;
		if (got == TLS_FAILED)
			return false;
		while (frame_next(f, &o, &err) == FRAME_MESSAGE) {
			struct message m;

			message_parse(o, &m, &err);
		}
	}
	return true;
}

/* A real client's handshake with t, in memory.  Returns the client. */
static SSL *handshake(struct tls_conn *t)
{
	SSL *c = SSL_new(client_ctx);
	BIO *crd = BIO_new(BIO_s_mem()), *cwr = BIO_new(BIO_s_mem());
	char msg[200];

	BIO_set_mem_eof_return(crd, -1);
	SSL_set_bio(c, crd, cwr);
	SSL_set_connect_state(c);
	for (int i = 0; i < 10 && !t->ready; i++) {
		char *out;
		size_t n;

		SSL_do_handshake(c);
		pump(cwr, t->rbio);
		if (tls_conn_input(t, NULL, 0, msg, sizeof(msg)) != TLS_OK)
			abort(); /* a real client's handshake must succeed */
		n = tls_conn_output(t, &out);
		BIO_write(crd, out, (int)n);
		free(out);
	}
	if (!t->ready)
		abort();
	SSL_do_handshake(c);
	pump(cwr, t->rbio);
	t->got_input = true; /* the handshake went in behind tls_conn_input's back */
	t->first = TLS_RECORD_HANDSHAKE;
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_limits lim = {4096, 8};
	struct tls_conn t;
	struct frame f;
	size_t step;

	if (size < 2 || tls_conn_init(&t, server_ctx) < 0)
		return 0;
	step = (size_t)(data[1] % 64) + 1;
	frame_init(&f, &lim);
	if (data[0] % 3 == 0) {
		feed(&t, &f, data + 2, size - 2, step);
	} else {
		SSL *c = handshake(&t);
		BIO *cwr = SSL_get_wbio(c);
		char *cipher;
		long n;

		if (size > 2)
			SSL_write(c, data + 2, (int)(size - 2));
		n = BIO_get_mem_data(cwr, &cipher);
		if (data[0] % 3 == 2 && n > 0) {
			size_t at = (data[1] * 7u) % (size_t)n;

			cipher[at] ^= 0x5a;
			if (feed(&t, &f, (const uint8_t *)cipher, (size_t)n, step) && at >= 5)
				abort(); /* a flipped byte past the header decrypted cleanly */
		} else if (n > 0) {
			feed(&t, &f, (const uint8_t *)cipher, (size_t)n, step);
		}
		SSL_free(c);
	}
	frame_free(&f);
	tls_conn_free(&t);
	ERR_clear_error();
	return 0;
}
