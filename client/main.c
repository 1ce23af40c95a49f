/*
 * main.c: dotpha, the command-line client of dotphad.  Everything happens
 * in cli.c (and below it), which the tests link; this file only enters it.
 *
 * Exit codes (also in `dotpha --help`):
 *   0  success
 *   1  the server reported another error (internal, busy, unavailable,
 *      storage_full, too_many_clients, ...), the client itself failed
 *      (out of memory, no random source, cannot write the output or the
 *      config file), or `audit verify` found the audit trail broken
 *   2  usage error on the command line (unknown command or option, missing
 *      argument, a date or number that does not parse, a bad --server, a
 *      token that is not one), a config file holding a token that other
 *      users can read or change, `dotpha login`'s first contact over TLS
 *      not confirmed (no terminal to ask on and no --fingerprint, or the
 *      answer was not yes: no token was sent), or `dotpha download` without
 *      -o finding its file name taken
 *   3  cannot reach the server, connection lost, timeout, a garbled answer,
 *      or a protocol version mismatch
 *   4  not_found
 *   5  invalid_argument
 *   6  conflict
 *   7  unauthenticated or forbidden (a token refused at sign-in included)
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
