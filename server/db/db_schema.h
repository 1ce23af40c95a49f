/*
 * db_schema.h: the numbered migrations (db_schema.c).
 */
#ifndef DOTPHA_DB_SCHEMA_H
#define DOTPHA_DB_SCHEMA_H

/* How many migrations exist: the schema version this build writes. */
int db_schema_count(void);

/* The SQL that brings the schema to `version` from version-1, or NULL. */
const char *db_schema_migration(int version);

#endif
