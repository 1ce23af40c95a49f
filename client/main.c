/*
 * main.c: dotpha, the command-line client of dotphad.  Everything happens
 * in cli.c (and below it), which the tests link; this file only enters it.
 *
 * Exit codes (also in `dotpha --help`):
 *   0  success
 *   1  the server reported another error (internal, busy, unavailable,
 *      storage_full, too_many_clients, ...), or the client itself failed
 *      (out of memory, no random source, cannot write the output)
 *   2  usage error on the command line (unknown command or option, missing
 *      argument, a date or number that does not parse, a bad --server)
 *   3  cannot reach the server, connection lost, timeout, a garbled answer,
 *      or a protocol version mismatch
 *   4  not_found
 *   5  invalid_argument
 *   6  conflict
 *   7  unauthenticated or forbidden
 */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
