/*
 * samples.c: one valid call of every method of the table, and the
 * placeholders its params name (see samples.h).  The rows follow
 * methods.def; the objects are made fresh for every call, so a sample
 * holds whichever role calls it on whichever side, as often as a walk
 * calls it.
 */
#include "samples.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "methods.h"
#include "obj.h"
#include "world.h"

/* "abc", the bytes every staged upload sends. */
#define ABC_HEX "616263"
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static const struct sample samples[] = {
	{"server.info", {NULL}},
	{"session.auth", {"s:token", "$secret", NULL}}, /* signs in again as itself */
	{"session.whoami", {NULL}},

	{"account.create",
	 {"s:login", "$fresh:sacc", "s:display_name", "Cán bộ", "s:role", "viewer", "s:scope",
	  "$district", NULL}},
	{"account.update", {"s:account", "$account", "s:display_name", "$fresh:Tên ", NULL}},
	{"account.get", {"s:account", "$account", NULL}},
	{"account.list", {NULL}},
	{"token.create", {"s:account", "$account", "s:name", "$fresh:máy ", NULL}},
	{"token.rotate", {"i:token", "$token", NULL}},
	{"token.revoke", {"i:token", "$token", NULL}},
	{"token.list", {NULL}},
	{"audit.list", {NULL}},
	{"audit.verify", {NULL}},

	{"unit.create",
	 {"s:code", "$fresh:SU", "s:name", "Xã mới", "s:level", "xã", "s:parent", "$district",
	  NULL}},
	{"unit.rename", {"s:unit", "$new_commune", "s:name", "Tên mới", NULL}},
	{"unit.move", {"s:unit", "$new_commune", "s:parent", "$commune", NULL}},
	{"unit.close", {"s:unit", "$new_commune", "s:date", "2024-01-01", NULL}},
	{"unit.get", {"s:unit", "$district", NULL}},
	{"unit.list", {"s:root", "$district", NULL}},

	{"cadre.create",
	 {"s:code", "$fresh:SK", "s:full_name", "Trần Thị B", "s:title", "Phó Bí thư", "s:unit",
	  "$district", "s:managing_unit", "$province", NULL}},
	{"cadre.update", {"s:cadre", "$cadre", "s:title", "Chủ tịch", NULL}},
	{"cadre.transfer",
	 {"s:cadre", "$new_cadre", "s:unit", "$commune", "s:date", "2024-01-01", NULL}},
	{"cadre.get", {"s:cadre", "$cadre", NULL}},
	{"cadre.list", {"s:unit", "$district", NULL}},

	{"term.create",
	 {"s:code", "$fresh:SY", "s:kind", "year", "s:start", "2030-01-01", "s:end",
	  "2030-12-31", NULL}},
	{"term.get", {"s:term", "$term", NULL}},
	{"term.list", {NULL}},

	{"task.create",
	 {"s:title", "Nhiệm vụ mới", "s:kind", "innovation", "s:field", "party_building",
	  "s:owner", "$cadre", "s:term", "$term", "s:product", "", "s:due_date", "2024-12-31",
	  NULL}},
	{"task.update", {"i:task", "$task", "s:description", "$fresh:Mô tả ", NULL}},
	{"task.get", {"i:task", "$task", NULL}},
	{"task.list", {"s:unit", "$district", NULL}},
	{"task.history", {"i:task", "$task", NULL}},
	{"task.review", {"i:task", "$task:registered", NULL}},
	{"task.return", {"i:task", "$task:reviewed", "s:reason", "Thiếu căn cứ", NULL}},
	{"task.resubmit", {"i:task", "$task:returned", NULL}},
	{"task.assign",
	 {"i:task", "$task:registered", "s:decision_no", "2-QĐ", "s:decision_date",
	  "2021-04-01", NULL}},
	{"task.start", {"i:task", "$task:assigned", NULL}},
	{"task.report_done", {"i:task", "$task:in_progress", "s:summary", "Hoàn thành", NULL}},
	{"task.accept", {"i:task", "$task:reported_done", "s:rating", "excellent", NULL}},
	{"task.send_back", {"i:task", "$task:reported_done", "s:reason", "Thiếu minh chứng", NULL}},
	{"task.cancel", {"i:task", "$task:assigned", "s:reason", "Không còn phù hợp", NULL}},
	{"task.carry_over", {"i:task", "$task:in_progress", "s:term", "$later_term", NULL}},

	{"update.create",
	 {"i:task", "$task:assigned", "i:percent", "30", "s:done", "Đã họp triển khai", NULL}},
	{"update.list", {"i:task", "$task", NULL}},

	{"plan.add",
	 {"i:task", "$task", "s:what", "Khảo sát", "s:responsible_unit", "$commune", NULL}},
	{"plan.update", {"i:step", "$step", "s:status", "doing", NULL}},
	{"plan.remove", {"i:step", "$step", NULL}},
	{"plan.list", {"i:task", "$task", NULL}},

	{"task.set_focal_point", {"i:task", "$task:registered", "s:account", "$focal", NULL}},
	{"reminder.send",
	 {"i:task", "$task:registered", "s:message", "Đề nghị báo cáo", "s:answer_by",
	  "2099-12-31", NULL}},
	{"reminder.answer", {"i:reminder", "$reminder", "s:answer", "Đã làm", NULL}},
	{"reminder.list", {"i:task", "$task", NULL}},
	{"reminder.inbox", {NULL}},
	{"amendment.propose",
	 {"i:task", "$task:assigned", "s:title", "Tên sát hơn", "s:reason", "Thực tế địa phương",
	  NULL}},
	{"amendment.approve", {"i:amendment", "$amendment", NULL}},
	{"amendment.reject", {"i:amendment", "$amendment", "s:reason", "Không có căn cứ", NULL}},
	{"amendment.list", {"i:task", "$task", NULL}},

	/* the supervisor's records (PROTOCOL.md 6e) */
	{"update.accept", {"i:update", "$update", NULL}},
	{"update.return", {"i:update", "$update", "s:reason", "Số liệu chưa khớp", NULL}},
	{"explanation.request",
	 {"i:task", "$task:assigned", "s:question", "Vì sao chậm?", "s:answer_by", "2099-12-31",
	  NULL}},
	{"explanation.answer", {"i:explanation", "$explanation", "s:answer", "Vướng mặt bằng", NULL}},
	{"explanation.list", {"i:task", "$task", NULL}},
	{"inspection.record",
	 {"i:task", "$task:assigned", "s:date", "2024-05-10", "s:findings", "Chậm giải ngân",
	  "s:conclusions", "Cần đẩy nhanh", NULL}},
	{"inspection.list", {"i:task", "$task", NULL}},
	{"inspection.action_done", {"i:action", "$action", "s:note", "Đã bổ sung", NULL}},
	{"inspection.actions", {"i:task", "$task", NULL}},
	{"followup.schedule",
	 {"i:task", "$task:accepted", "s:due_date", "2099-06-30", "s:what", "Kiểm tra tái diễn",
	  NULL}},
	{"followup.record",
	 {"i:followup", "$followup", "s:result", "holds", "s:note", "Không tái diễn", NULL}},
	{"followup.list", {"i:task", "$task", NULL}},
	{"inbox.get", {NULL}},

	/* status, health and the board: a unit, a cadre of the side */
	{"board.get", {"s:unit", "$district", "s:as_of", "2024-03-31", NULL}},
	{"cadre.record", {"s:cadre", "$cadre", "s:term", "$term", NULL}},

	/* evidence files */
	{"file.upload_begin",
	 {"i:task", "$task:assigned", "s:name", "bien-ban.txt", "s:type", "text/plain", "i:size",
	  "3", "s:sha256", ABC_SHA256, NULL}},
	{"file.upload_chunk", {"i:upload", "$upload", "i:offset", "0", "x:data", ABC_HEX, NULL}},
	{"file.upload_finish", {"i:upload", "$upload:sent", NULL}},
	{"file.upload_abort", {"i:upload", "$upload", NULL}},
	{"file.list", {"i:task", "$task", NULL}},
	{"file.get", {"i:file", "$file", NULL}},
	{"file.read", {"i:file", "$file", NULL}},
	{"file.withdraw", {"i:file", "$file", "s:reason", "Gửi nhầm", NULL}},

	/* backups and the throttle: the central office's alone */
	{"backup.create", {NULL}},
	{"backup.read", {"i:backup", "$backup", "i:offset", "0", NULL}},
	{"backup.drop", {"i:backup", "$backup", NULL}},
	{"throttle.list", {NULL}},
	{"throttle.clear", {NULL}}, /* clears every address: none is kept here */
	{"notify.status", {NULL}},

	/* search: words of the side's district; `unit` keeps it to the side */
	{"search.query", {"s:text", "son duong", "s:unit", "$district", "s:kind", "breakthrough", NULL}},

	/* import and export: a dry run of one cadre row posted in the side's
	 * commune, the import's entry alone in the trail; a row out of the
	 * caller's scope is a bad row of the result, not an error of the call */
	{"import.run",
	 {"s:kind", "cadres", "b:dry_run", "1", "l:columns",
	  "code,full_name,title,unit,managing_unit,since", "r:rows", "$cadre_row", NULL}},
	{"export.rows", {"s:kind", "tasks", NULL}},

	/* reports */
	{"report.get", {"s:term", "$term", "s:unit", "$district", "s:as_of", "2024-03-31", NULL}},
	{"report.snapshot",
	 {"s:name", "$fresh:quy-", "s:term", "$term", "s:unit", "$district", NULL}},
	{"report.snapshots", {NULL}},
	{"report.compare", {"i:a", "$snapshot", "i:b", "$snapshot", NULL}},
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

const struct sample *samples_find(const char *method)
{
	for (size_t i = 0; i < NSAMPLES; i++)
		if (strcmp(samples[i].method, method) == 0)
			return &samples[i];
	return NULL;
}

const struct sample *samples_of(const char *method)
{
	const struct sample *s = samples_find(method);

	cr_assert_not_null(s, "no sample params for %s: add its row to samples[] in tests/samples.c",
			   method);
	return s;
}

const char *samples_check(void)
{
	for (size_t i = 0; i < NSAMPLES; i++)
		if (!methods_find(samples[i].method, strlen(samples[i].method)) ||
		    samples_find(samples[i].method) != &samples[i])
			return samples[i].method;
	return NULL;
}

/* ---- making the objects placeholders name ---- */

/* One sample being made ready: the row, the walk, and its storage. */
struct prep {
	const struct sample *s;
	struct samples_walk *w;
};

/* Calls method through the walk's stager, which must succeed; the result. */
static const msgpack_object *stage(struct prep *p, enum samples_by by, const char *method,
				   const char *const *f)
{
	const msgpack_object *r = p->w->stage(p->w, by, method, f);

	cr_assert_not_null(r, "the sample of %s: making its objects, %s failed: %s", p->s->method,
			   method, p->w->why);
	return r;
}

static int64_t stage_id(struct prep *p, enum samples_by by, const char *method,
			const char *const *f)
{
	return I(stage(p, by, method, f), "id");
}

/* A code no call used before: prefix and a serial number, into out[n]. */
static const char *fresh(const char *prefix, char *out, size_t n)
{
	static int serial;

	snprintf(out, n, "%s%d", prefix, ++serial);
	return out;
}

/* A new task of the side's own cadre, assigned by its district (so the
 * district's supervisor is its managing body), walked to `state`. */
static int64_t task_in_state(struct prep *p, const char *state)
{
	const struct samples_side *sd = &p->w->side;
	const char *const *steps = world_path(state);
	int64_t id;

	cr_assert_not_null(steps, "the sample of %s: no path to the state %s", p->s->method, state);
	id = stage_id(p, SAMPLES_BY_ADMIN, "task.create",
		      FIELDS("s:title", "Nhiệm vụ theo quy trình", "s:kind", "breakthrough",
			     "s:field", "livelihood", "s:owner", sd->own_cadre, "s:term", sd->term,
			     "s:assigned_by", sd->district, "s:product", "Sản phẩm", "s:due_date",
			     "2025-12-31", NULL));
	for (; *steps; steps++) {
		char method[64];
		const char *f[12];

		snprintf(method, sizeof(method), "task.%s", *steps);
		world_action_fields(*steps, id, f);
		stage(p, SAMPLES_BY_ADMIN, method, f);
	}
	return id;
}

/* An open upload of "abc" on a new assigned task, made as `by` says; with
 * `sent`, its bytes sent too. */
static int64_t upload(struct prep *p, enum samples_by by, bool sent)
{
	int64_t task = task_in_state(p, "assigned"), id;

	id = stage_id(p, by, "file.upload_begin",
		      FIELDS("i:task", num(task), "s:name", "bien-ban.txt", "s:type", "text/plain",
			     "i:size", "3", "s:sha256", ABC_SHA256, NULL));
	if (sent)
		stage(p, by, "file.upload_chunk",
		      FIELDS("i:upload", num(id), "i:offset", "0", "x:data", ABC_HEX, NULL));
	return id;
}

/* A backup copy.  The daemon keeps only a few: the copy made for the
 * sample before is dropped first (unless its sample dropped it). */
static int64_t backup(struct prep *p)
{
	static int64_t last;

	if (last)
		p->w->stage(p->w, SAMPLES_BY_ADMIN, "backup.drop",
			    FIELDS("i:backup", num(last), NULL));
	return last = stage_id(p, SAMPLES_BY_ADMIN, "backup.create", FIELDS(NULL));
}

/* The value placeholder ph stands for, into out[n]. */
static const char *resolve(struct prep *p, const char *ph, char *out, size_t n)
{
	const struct samples_side *sd = &p->w->side;
	const char *arg = strchr(ph, ':') ? strchr(ph, ':') + 1 : "";
	const msgpack_object *r;
	int64_t id;

#define NAME(str, field) \
	if (strcmp(ph, str) == 0) { \
		cr_assert_not_null(sd->field, "the sample of %s: the walk names no %s", \
				   p->s->method, str); \
		return sd->field; \
	}
	NAME("$province", province)
	NAME("$district", district)
	NAME("$commune", commune)
	NAME("$cadre", cadre)
	NAME("$term", term)
	NAME("$later_term", later_term)
	NAME("$account", account)
	NAME("$focal", focal)
	NAME("$secret", secret)
#undef NAME
	if (strncmp(ph, "$fresh:", 7) == 0)
		return fresh(arg, out, n);
	if (strcmp(ph, "$task") == 0)
		id = sd->task;
	else if (strncmp(ph, "$task:", 6) == 0)
		id = task_in_state(p, arg);
	else if (strcmp(ph, "$new_commune") == 0) {
		fresh("SX", out, n);
		stage(p, SAMPLES_BY_ADMIN, "unit.create",
		      FIELDS("s:code", out, "s:name", out, "s:level", "xã", "s:parent", sd->district,
			     NULL));
		return out;
	} else if (strcmp(ph, "$new_cadre") == 0) {
		fresh("SK", out, n);
		stage(p, SAMPLES_BY_ADMIN, "cadre.create",
		      FIELDS("s:code", out, "s:full_name", "Nguyễn Văn A", "s:title", "Bí thư",
			     "s:unit", sd->district, "s:managing_unit", sd->province, "s:since",
			     "2020-01-01", NULL));
		return out;
	} else if (strcmp(ph, "$token") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "token.create",
			      FIELDS("s:account", sd->account, "s:name", "máy văn phòng", NULL));
	else if (strcmp(ph, "$step") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "plan.add",
			      FIELDS("i:task", num(sd->task), "s:what", "Bước chuẩn bị", NULL));
	else if (strcmp(ph, "$reminder") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "reminder.send",
			      FIELDS("i:task", num(sd->task), "s:message", "Nhắc việc",
				     "s:answer_by", "2099-12-31", NULL));
	else if (strcmp(ph, "$explanation") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "explanation.request",
			      FIELDS("i:task", num(sd->task), "s:question", "Vì sao chậm?",
				     "s:answer_by", "2099-12-31", NULL));
	else if (strcmp(ph, "$update") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "update.create",
			      FIELDS("i:task", num(task_in_state(p, "assigned")), "i:percent", "20",
				     "s:done", "Đã khảo sát", NULL));
	else if (strcmp(ph, "$amendment") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "amendment.propose",
			      FIELDS("i:task", num(task_in_state(p, "assigned")), "s:due_date",
				     "2025-09-30", "s:reason", "Chờ vốn", NULL));
	else if (strcmp(ph, "$action") == 0) {
		r = stage(p, SAMPLES_BY_ADMIN, "inspection.record",
			  FIELDS("i:task", num(task_in_state(p, "assigned")), "s:date",
				 "2024-05-10", "s:findings", "Chậm", "s:conclusions", "Đẩy nhanh",
				 "a:actions", "Bổ sung hồ sơ@2099-12-31", NULL));
		r = field(r, "actions");
		cr_assert(r->type == MSGPACK_OBJECT_ARRAY && r->via.array.size == 1);
		id = I(&r->via.array.ptr[0], "id");
	} else if (strcmp(ph, "$followup") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "followup.schedule",
			      FIELDS("i:task", num(task_in_state(p, "accepted")), "s:due_date",
				     "2099-06-30", "s:what", "Kiểm tra tái diễn", NULL));
	else if (strcmp(ph, "$upload") == 0 || strcmp(ph, "$upload:sent") == 0)
		id = upload(p, SAMPLES_BY_CALLER, *arg != '\0');
	else if (strcmp(ph, "$file") == 0)
		id = stage_id(p, SAMPLES_BY_ADMIN, "file.upload_finish",
			      FIELDS("i:upload", num(upload(p, SAMPLES_BY_ADMIN, true)), NULL));
	else if (strcmp(ph, "$backup") == 0)
		id = backup(p);
	else if (strcmp(ph, "$snapshot") == 0) {
		char name[32];

		id = stage_id(p, SAMPLES_BY_SCOPE, "report.snapshot",
			      FIELDS("s:name", fresh("quy-", name, sizeof(name)), "s:term", sd->term,
				     "s:unit", sd->district, NULL));
	} else if (strcmp(ph, "$cadre_row") == 0) {
		snprintf(out, n, "KN,Tên,Chức vụ,%s,%s,2021-01-01", sd->commune, sd->district);
		return out;
	} else
		cr_assert_fail("the sample of %s: unknown placeholder %s", p->s->method, ph);
	snprintf(out, n, "%lld", (long long)id);
	return out;
}

void samples_prepare(const struct sample *s, struct samples_walk *w, struct sample_call *c)
{
	struct prep p = {.s = s, .w = w};
	int i;

	for (i = 0; s->f[i]; i++) {
		const char *v = s->f[i];

		if (i % 2 == 1 && v[0] == '$')
			v = resolve(&p, v, c->v[i / 2], sizeof(c->v[0]));
		c->f[i] = v;
	}
	c->f[i] = NULL;
}
