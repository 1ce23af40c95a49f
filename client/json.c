/*
 * json.c: see json.h for the mapping from MessagePack to JSON.
 */
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Length of the UTF-8 sequence a lead byte announces, or 0 for a byte that
 * cannot start one. */
static size_t seq_len(unsigned char b)
{
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

int json_write_string(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	strbuf_addc(sb, '"');
	while (i < n) {
		unsigned char c = p[i];
		size_t run = i, len;

		/* Copy the longest stretch of plain ASCII in one append. */
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			strbuf_add(sb, s + i, run - i);
			i = run;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '"': strbuf_adds(sb, "\\\""); break;
			case '\\': strbuf_adds(sb, "\\\\"); break;
			case '\b': strbuf_adds(sb, "\\b"); break;
			case '\f': strbuf_adds(sb, "\\f"); break;
			case '\n': strbuf_adds(sb, "\\n"); break;
			case '\r': strbuf_adds(sb, "\\r"); break;
			case '\t': strbuf_adds(sb, "\\t"); break;
			default: strbuf_addf(sb, "\\u%04x", c); break;
			}
			i++;
			continue;
		}
		len = seq_len(c);
		if (len && i + len <= n && utf8_valid(s + i, len)) {
			strbuf_add(sb, s + i, len);
			i += len;
		} else {
			strbuf_adds(sb, "\\ufffd");
			i++;
		}
	}
	return strbuf_addc(sb, '"');
}

static void write_base64(struct strbuf *sb, const char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	strbuf_addc(sb, '"');
	for (i = 0; i + 2 < n; i += 3) {
		char q[4] = {
			tab[p[i] >> 2],
			tab[(p[i] & 3) << 4 | p[i + 1] >> 4],
			tab[(p[i + 1] & 15) << 2 | p[i + 2] >> 6],
			tab[p[i + 2] & 63],
		};
		strbuf_add(sb, q, 4);
	}
	if (n - i == 1) {
		char q[4] = {tab[p[i] >> 2], tab[(p[i] & 3) << 4], '=', '='};
		strbuf_add(sb, q, 4);
	} else if (n - i == 2) {
		char q[4] = {tab[p[i] >> 2], tab[(p[i] & 3) << 4 | p[i + 1] >> 4],
			     tab[(p[i + 1] & 15) << 2], '='};
		strbuf_add(sb, q, 4);
	}
	strbuf_addc(sb, '"');
}

/* The shortest of %.15g, %.16g, %.17g that reads back to d (17 always does). */
static void write_double(struct strbuf *sb, double d, int max_digits)
{
	char buf[40];

	if (!isfinite(d)) {
		strbuf_adds(sb, "null");
		return;
	}
	for (int prec = max_digits == 9 ? 6 : 15; prec <= max_digits; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (max_digits == 9 ? (float)strtod(buf, NULL) == (float)d : strtod(buf, NULL) == d)
			break;
	}
	strbuf_adds(sb, buf);
	if (strspn(buf, "-0123456789") == strlen(buf))
		strbuf_adds(sb, ".0");
}

static void write_key(struct strbuf *sb, const msgpack_object *k)
{
	struct strbuf tmp = STRBUF_INIT;

	if (k->type == MSGPACK_OBJECT_STR) {
		json_write_string(sb, k->via.str.ptr, k->via.str.size);
		return;
	}
	json_write(&tmp, k);
	if (tmp.failed)
		sb->failed = true;
	else if (k->type == MSGPACK_OBJECT_BIN)
		strbuf_add(sb, tmp.buf, tmp.len); /* already a string */
	else
		json_write_string(sb, strbuf_cstr(&tmp), tmp.len);
	strbuf_free(&tmp);
}

int json_write(struct strbuf *sb, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		strbuf_adds(sb, "null");
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		strbuf_adds(sb, o->via.boolean ? "true" : "false");
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		strbuf_addf(sb, "%" PRIu64, o->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		strbuf_addf(sb, "%" PRId64, o->via.i64);
		break;
	case MSGPACK_OBJECT_FLOAT32:
		write_double(sb, o->via.f64, 9);
		break;
	case MSGPACK_OBJECT_FLOAT64:
		write_double(sb, o->via.f64, 17);
		break;
	case MSGPACK_OBJECT_STR:
		json_write_string(sb, o->via.str.ptr, o->via.str.size);
		break;
	case MSGPACK_OBJECT_BIN:
		write_base64(sb, o->via.bin.ptr, o->via.bin.size);
		break;
	case MSGPACK_OBJECT_EXT:
		strbuf_addf(sb, "{\"ext\":%d,\"data\":", (int)o->via.ext.type);
		write_base64(sb, o->via.ext.ptr, o->via.ext.size);
		strbuf_addc(sb, '}');
		break;
	case MSGPACK_OBJECT_ARRAY:
		strbuf_addc(sb, '[');
		for (uint32_t i = 0; i < o->via.array.size; i++) {
			if (i)
				strbuf_addc(sb, ',');
			json_write(sb, &o->via.array.ptr[i]);
		}
		strbuf_addc(sb, ']');
		break;
	case MSGPACK_OBJECT_MAP:
		strbuf_addc(sb, '{');
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			if (i)
				strbuf_addc(sb, ',');
			write_key(sb, &o->via.map.ptr[i].key);
			strbuf_addc(sb, ':');
			json_write(sb, &o->via.map.ptr[i].val);
		}
		strbuf_addc(sb, '}');
		break;
	default:
		strbuf_adds(sb, "null");
		break;
	}
	return sb->failed ? -1 : 0;
}
