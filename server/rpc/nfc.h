/*
 * nfc.h: every string of a request's params in Unicode NFC, before any
 * handler sees them, so everything stored is NFC.  Vietnamese typed with
 * some Unikey settings or saved on macOS arrives decomposed (a base letter
 * plus combining marks); without this, two titles that look the same are
 * different bytes, and search, codes and uniqueness checks disagree.  The
 * Unicode work is utf8proc's; this file only walks the tree.
 */
#ifndef DOTPHA_NFC_H
#define DOTPHA_NFC_H

#include <msgpack.h>

#include "errors.h"

/* Sets *out to params with every string value in NFC.
 *
 * When every string already is NFC (the common case), *out = params and
 * nothing is allocated: ASCII strings are skipped without asking utf8proc,
 * other strings are checked in pieces on the stack.  Otherwise *out is a
 * copy of the tree made in *zone, which is created here on first need and
 * must start NULL; the copy shares with params every string and subtree
 * that did not change, so params must outlive it.  The caller frees *zone
 * with msgpack_zone_free() (NULL is fine) once done with *out, whatever
 * this returned.
 *
 * Left as they are: map keys (field names, ASCII), binary and every other
 * non-string value, and strings that are not valid UTF-8 (the params
 * getters refuse them, naming the field).  Depth is bounded by the frame
 * (FRAME_HARD_MAX_DEPTH); anything deeper is left as it is.
 *
 * Returns RPC_OK, or RPC_INTERNAL with err set when memory ran out (*out
 * is then params). */
int nfc_params(const msgpack_object *params, const msgpack_object **out, msgpack_zone **zone,
	       struct rpc_error *err);

#endif
