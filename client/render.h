/*
 * render.h: how results look to people: values formatted for reading
 * (fmt.h: dates dd/mm/yyyy, moments in local time, numbers as the
 * language writes them; labels for codes in the language in force),
 * lists as aligned tables and single objects as label/value lines.
 *
 * What each kind of object shows is data (views.c); this file is the
 * machinery that applies it.  Everything writes to a FILE* or a strbuf so
 * tests can read it back.
 */
#ifndef DOTPHA_RENDER_H
#define DOTPHA_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include <msgpack.h>

#include "strbuf.h"
#include "table.h"

enum render_kind {
	RENDER_TEXT,      /* a string as is, a number in decimal */
	RENDER_DATE,      /* "YYYY-MM-DD" shown as dd/mm/yyyy */
	RENDER_MOMENT,    /* "YYYY-MM-DDTHH:MM:SSZ" (UTC) shown as local dd/mm/yyyy HH:MM */
	RENDER_BOOL,      /* có / không (yes / no) */
	RENDER_YES,       /* "có" when true, nothing when false */
	RENDER_TASK_KIND, /* breakthrough -> Đột phá, innovation -> Đổi mới */
	RENDER_FIELD,     /* socio_economic -> Kinh tế - xã hội, ... */
	RENDER_TERM_KIND, /* year -> Năm, term -> Nhiệm kỳ */
	RENDER_PERCENT,   /* 40 -> 40% */
	RENDER_MOMENT_SEC,/* a moment shown as local dd/mm/yyyy HH:MM:SS */
	RENDER_ROLE,      /* admin -> Quản trị, supervisor -> Giám sát, ... */
	RENDER_SCOPE,     /* a scope unit; nil (an admin over the whole tree) -> toàn bộ */
	RENDER_METHOD,    /* task.create -> Đăng ký việc, ...; other methods as they are */
	RENDER_OBJECT,    /* key the object's type, key2 its id: "task #12" */
	RENDER_CHANGES,   /* key the values before, key2 after: render_changes() */
	RENDER_STATE,     /* a task's state: in_progress -> Đang thực hiện, ... */
	RENDER_RATING,    /* excellent -> Hoàn thành xuất sắc, ... */
	RENDER_STEP_STATUS, /* a plan step's status: todo -> Chưa làm, ... */
	RENDER_AMENDMENT_STATUS, /* pending -> Chờ duyệt, ... */
	RENDER_RESPONSIBLE, /* a plan step's responsible: its unit's name, its cadre's
	                     * name or its text, whichever is set (key unused) */
	RENDER_OVERDUE,   /* "QUÁ HẠN" when true, nothing when false */
	RENDER_VERDICT,   /* an update's appraisal: accepted -> Chấp nhận, returned -> ... */
	RENDER_FOLLOWUP,  /* a follow-up check's result: holds -> Giữ vững, relapsed -> Tái diễn */
	RENDER_STATUS,    /* a task's official status: overdue -> Quá hạn, ... */
	RENDER_HEALTH,    /* a task's health: stalled -> Đình trệ, ... */
	RENDER_ACTION,    /* why the board lists a task: reminder -> Chưa trả lời nhắc việc, ... */
	RENDER_SHORT_HASH,/* a hex digest cut to its first 12 digits (the whole in --json) */
	RENDER_WHERE,     /* where search found a task: step -> Kế hoạch, update -> Báo cáo tiến độ, ... */
	RENDER_FIGURE,    /* a figure of a report: total -> Tổng số việc, a status or a health */
	RENDER_COUNT,     /* a count or a size: 12.345 (Vietnamese), 12,345 (English);
	                   * RENDER_TEXT leaves a number as typed (ids) */
	RENDER_NOTICE,    /* e-mail notices: an account's choice (digest -> Bản tổng hợp
	                   * hằng ngày, ...) or an outbox message's kind (reminder -> Đôn đốc) */
	RENDER_REASON,    /* why a task has its health, said from the item's health_why
	                   * and its values ("quá hạn 12 ngày, mới đạt 40%") */
};

#define RENDER_TREE 0x100u /* the cell is indented two spaces per the item's "depth" */

/* One column of a table, or one line of a record. */
struct render_col {
	const char *label;     /* column header, or the line's label; NULL ends a list */
	const char *key;       /* the field shown; "a.b" is field b of the map in field a */
	const char *key2;      /* a field shown after it in parentheses, or NULL */
	enum render_kind kind; /* how key is formatted */
	unsigned flags;        /* TABLE_RIGHT, TABLE_SHRINK, RENDER_TREE */
};

/* A list inside an object (a unit's names, a cadre's posts), shown as a
 * table under the record. */
struct render_list {
	const char *title; /* NULL ends a list of these */
	const char *key;   /* the array field */
	const struct render_col *cols;
	unsigned min;      /* shown only with at least this many entries */
};

/* Everything about how one kind of object is shown. */
struct render_view {
	const struct render_col *record;  /* lines of a single object */
	const struct render_list *lists;  /* nested lists after the record, or NULL */
	const struct render_col *columns; /* columns when listed, or NULL */
	const char *noun;                 /* counted in summaries: "việc", "cán bộ" */
};

/* The label for a wire value of a labelled kind in the language in force
 * ("Đột phá", "Breakthrough"), or NULL when there is none (the raw value is
 * then shown). */
const char *render_label(enum render_kind kind, const char *s, size_t n);

/* The i-th wire code of a labelled kind, in the table's order, or NULL
 * past the last one (and for a kind without labels): what completion
 * offers. */
const char *render_code_at(enum render_kind kind, size_t i);

#define RENDER_CODE_MAX 120 /* the longest text render_code() compares */

/* The wire code a person typed for a labelled kind: the code itself, or
 * its label in Vietnamese or English, compared without diacritics, case,
 * or the difference between '_' and a space ("Đột phá", "dot pha", "ĐỘT
 * PHÁ", "in progress").  NULL when it is none of them (the server judges
 * it).  The result is static. */
const char *render_code(enum render_kind kind, const char *typed);

#define RENDER_CHANGE_COLS 40 /* a value in a change summary is cut to this width */

/* Appends a short summary of what changed from before to after (maps, or
 * NULL/nil for none), for the audit trail and a task's history:
 *   both maps:   "percent: 40 → 60; due_date: 30/06/2025 → 31/12/2025",
 *                the fields whose values differ, in after's order, then
 *                those only before has ("→ —");
 *   after only:  "title: Việc A; percent: 0", the fields a new object has;
 *   before only: "title: Việc A → —; ...".
 * Bookkeeping is left out (id, created_at, updated_at, reported_at, and
 * X_id beside an X_code, X_name or X_login), as are lists and maps inside
 * the object.  Values read
 * as elsewhere (dd/mm/yyyy, local time, có/không, — for nil) and are cut
 * to RENDER_CHANGE_COLS columns with "…". */
void render_changes(struct strbuf *sb, const msgpack_object *before, const msgpack_object *after);

/* Appends value o formatted as kind.  NULL or nil appends nothing. */
void render_value(struct strbuf *sb, const msgpack_object *o, enum render_kind kind);

/* Appends what column col shows of item (key, key2, indentation). */
void render_cell(struct strbuf *sb, const msgpack_object *item, const struct render_col *col);

/* Sets up t with the headers of cols.  Returns 0 or -1. */
int render_table_init(struct table *t, const struct render_col *cols);

/* Adds item (a map) as one row.  Returns 0 or -1 (memory). */
int render_table_add(struct table *t, const struct render_col *cols, const msgpack_object *item);

/* Prints obj as label/value lines, then its nested lists as tables fitted
 * to width (0: no limit).  Lines whose value is missing, nil or empty are
 * left out; a value of several lines continues under the first.  A nested
 * list is shown only with `min` entries or more: a history of one is the
 * current state, which the lines already show (min 2). */
void render_record(FILE *out, const struct render_view *v, const msgpack_object *obj, size_t width);

#endif
