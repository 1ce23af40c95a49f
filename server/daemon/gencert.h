/*
 * gencert.h: `dotphad gen-cert`, a self-signed certificate and key for a
 * trial of TLS across machines (tls_make_cert does the work).
 */
#ifndef DOTPHA_GENCERT_H
#define DOTPHA_GENCERT_H

/* `dotphad gen-cert --cert FILE --key FILE [--name HOST ...] [--days N]`:
 * argv holds the words after "gen-cert".  Returns the exit status. */
int gencert_main(int argc, char **argv);

#endif
