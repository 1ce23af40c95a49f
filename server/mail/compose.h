/*
 * compose.h: what the e-mail notices say (compose.c), in Vietnamese: the
 * people who read them are the province's offices and focal points, and
 * accounts have no language of their own (the client's --lang is the
 * reader's terminal's, not known to the server).  Each item names the
 * `dotpha` command that acts on it.  Dates dd/mm/yyyy.
 */
#ifndef DOTPHA_COMPOSE_H
#define DOTPHA_COMPOSE_H

#include "db_digest.h"
#include "db_outbox.h"

/* A message's three texts, owned (compose_free). */
struct composed {
	char *subject;
	char *text;
	char *html;
};

/* The notice of a new reminder (kind "reminder") or explanation request
 * ("explanation") f.  0, or -1 when out of memory. */
int compose_notice(const char *kind, const struct outbox_facts *f, struct composed *out);

/* Account a's digest of `day` (YYYY-MM-DD) with d's items.  0, or -1
 * when out of memory.  The caller sends nothing when d is empty. */
int compose_digest(const struct digest_account *a, const struct digest *d, const char *day,
		   struct composed *out);

void compose_free(struct composed *c);

#endif
