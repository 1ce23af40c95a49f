/* demo.c: placeholder until the generator lands. */
#include <stdio.h>
#include "demo.h"
int demo_main(const char *db_path, int argc, char **argv) { (void)db_path; (void)argc; (void)argv; fprintf(stderr, "not yet\n"); return 1; }
