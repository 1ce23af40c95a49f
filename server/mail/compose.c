/*
 * compose.c: see compose.h.  Each message is written twice from the same
 * lines, once as plain text and once as HTML (escaped); a line is a
 * sentence, then the command that acts on it.
 */
#include "compose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mime.h"

#define TITLE_MAX 200   /* bytes of a task title or a message quoted in a line */
#define SUBJECT_TITLE_MAX 60

/* The two bodies being written. */
struct both {
	struct mime_buf text, html;
};

/* s cut to at most max bytes on a character boundary, with "…" when cut,
 * into out (size at least max + 4). */
static const char *cut(const char *s, size_t max, char *out)
{
	size_t n = strlen(s);

	if (n <= max)
		return s;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	memcpy(out, s, max);
	memcpy(out + max, "…", 4); /* 3 bytes and the NUL */
	return out;
}

static void dmy(const char *iso, char out[11])
{
	date_to_dmy(iso, out, 11);
}

static void begin(struct both *b, const char *greeting, const char *lead)
{
	mime_buf_printf(&b->text, "%s\n\n%s\n", greeting, lead);
	mime_buf_str(&b->html, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
			       "</head>\n<body style=\"font-family: sans-serif\">\n<p>");
	mime_buf_html(&b->html, greeting);
	mime_buf_str(&b->html, "</p>\n<p>");
	mime_buf_html(&b->html, lead);
	mime_buf_str(&b->html, "</p>\n");
}

static void heading(struct both *b, const char *title, int64_t total)
{
	char upper[200];

	snprintf(upper, sizeof(upper), "%s (%lld)", title, (long long)total);
	mime_buf_printf(&b->text, "\n%s\n", upper);
	mime_buf_str(&b->html, "<h3>");
	mime_buf_html(&b->html, upper);
	mime_buf_str(&b->html, "</h3>\n<ul>\n");
}

/* One item: its sentence and the command that acts on it. */
static void item(struct both *b, const char *sentence, const char *command)
{
	mime_buf_printf(&b->text, "- %s\n    %s\n", sentence, command);
	mime_buf_str(&b->html, "<li>");
	mime_buf_html(&b->html, sentence);
	mime_buf_str(&b->html, "<br><code>");
	mime_buf_html(&b->html, command);
	mime_buf_str(&b->html, "</code></li>\n");
}

static void section_end(struct both *b, int64_t shown, int64_t total, const char *more_cmd)
{
	char more[300];

	if (total > shown) {
		snprintf(more, sizeof(more), "Còn %lld mục nữa: %s", (long long)(total - shown),
			 more_cmd);
		mime_buf_printf(&b->text, "  %s\n", more);
		mime_buf_str(&b->html, "<li>");
		mime_buf_html(&b->html, more);
		mime_buf_str(&b->html, "</li>\n");
	}
	mime_buf_str(&b->html, "</ul>\n");
}

static int finish(struct both *b, char *subject, struct composed *out)
{
	const char *foot = "Thư này do hệ thống theo dõi nhiệm vụ (dotpha) gửi tự động; "
			   "xin đừng trả lời thư. Để đổi cách nhận thông báo, liên hệ quản trị "
			   "viên của Văn phòng.";

	mime_buf_printf(&b->text, "\n--\n%s\n", foot);
	mime_buf_str(&b->html, "<hr>\n<p style=\"color: #666\">");
	mime_buf_html(&b->html, foot);
	mime_buf_str(&b->html, "</p>\n</body></html>\n");
	out->subject = subject;
	out->text = mime_buf_take(&b->text, NULL);
	out->html = mime_buf_take(&b->html, NULL);
	if (!out->subject || !out->text || !out->html) {
		compose_free(out);
		return -1;
	}
	return 0;
}

int compose_notice(const char *kind, const struct outbox_facts *f, struct composed *out)
{
	bool reminder = strcmp(kind, "reminder") == 0;
	struct both b = {0};
	char by[11], title[TITLE_MAX + 4], stitle[SUBJECT_TITLE_MAX + 4], text[2 * TITLE_MAX + 4];
	char subject[300], sentence[1200], command[200];

	memset(out, 0, sizeof(*out));
	dmy(f->answer_by, by);
	snprintf(subject, sizeof(subject), "%s việc #%lld: %s",
		 reminder ? "Đôn đốc" : "Yêu cầu giải trình", (long long)f->task_id,
		 cut(f->task_title, SUBJECT_TITLE_MAX, stitle));
	begin(&b, "Kính gửi Văn phòng,",
	      reminder ? "Đầu mối theo dõi vừa gửi một lượt đôn đốc về việc dưới đây."
		       : "Đầu mối theo dõi vừa yêu cầu giải trình về việc dưới đây.");
	snprintf(sentence, sizeof(sentence),
		 "Việc #%lld \"%s\" (%s). %s: %s. Nội dung: \"%s\". Hạn trả lời: %s.",
		 (long long)f->task_id, cut(f->task_title, TITLE_MAX, title), f->unit_name,
		 reminder ? "Người đôn đốc" : "Người yêu cầu", f->from,
		 cut(f->text, 2 * TITLE_MAX, text), by);
	if (reminder)
		snprintf(command, sizeof(command), "Trả lời: dotpha answer %lld --text \"...\"",
			 (long long)f->id);
	else
		snprintf(command, sizeof(command),
			 "Giải trình: dotpha explanation answer %lld --text \"...\"", (long long)f->id);
	heading(&b, reminder ? "Đôn đốc" : "Yêu cầu giải trình", 1);
	item(&b, sentence, command);
	section_end(&b, 1, 1, "");
	return finish(&b, strdup(subject), out);
}

/* The sentence of item `it` of section s. */
static void sentence_of(enum digest_section s, const struct digest_item *it, char *out, size_t n)
{
	char title_buf[TITLE_MAX + 4], text_buf[TITLE_MAX + 4], date[11], late[80] = "";
	const char *title = cut(it->title, TITLE_MAX, title_buf);
	const char *text = cut(it->text, TITLE_MAX, text_buf);

	dmy(it->date, date);
	if (strcmp(it->what, "overdue") == 0 && it->days > 0)
		snprintf(late, sizeof(late), ", đã quá hạn %lld ngày", (long long)it->days);
	switch (s) {
	case DIGEST_REMINDERS:
	case DIGEST_LATE_REMINDERS:
		snprintf(out, n, "Việc #%lld \"%s\": đôn đốc số %lld \"%s\", hạn trả lời %s%s.",
			 (long long)it->task_id, title, (long long)it->id, text, date, late);
		break;
	case DIGEST_EXPLANATIONS:
		snprintf(out, n, "Việc #%lld \"%s\": yêu cầu giải trình số %lld \"%s\", hạn trả lời "
			 "%s%s.", (long long)it->task_id, title, (long long)it->id, text, date, late);
		break;
	case DIGEST_ACTIONS:
		snprintf(out, n, "Việc #%lld \"%s\": yêu cầu khắc phục số %lld \"%s\", hạn %s%s.",
			 (long long)it->task_id, title, (long long)it->id, text, date, late);
		break;
	case DIGEST_APPRAISALS:
		snprintf(out, n, "Việc #%lld \"%s\": báo cáo tiến độ số %lld ngày %s (%lld%%) chờ "
			 "thẩm định.", (long long)it->task_id, title, (long long)it->id, date,
			 (long long)it->days);
		break;
	case DIGEST_TASKS:
	case DIGEST_TURNED:
	default:
		if (strcmp(it->what, "overdue") == 0)
			snprintf(out, n, "Việc #%lld \"%s\": Quá hạn %lld ngày (hạn %s).",
				 (long long)it->task_id, title, (long long)it->days, date);
		else if (strcmp(it->what, "stalled") == 0)
			snprintf(out, n, "Việc #%lld \"%s\": Đình trệ, %lld ngày không có báo cáo "
				 "tiến độ (hạn %s).", (long long)it->task_id, title,
				 (long long)it->days, date);
		else
			snprintf(out, n, "Việc #%lld \"%s\": đến hạn ngày %s (còn %lld ngày).",
				 (long long)it->task_id, title, date, (long long)it->days);
		break;
	}
}

static void command_of(enum digest_section s, const struct digest_item *it, char *out, size_t n)
{
	long long id = (long long)it->id, task = (long long)it->task_id;

	switch (s) {
	case DIGEST_REMINDERS:
		snprintf(out, n, "Trả lời: dotpha answer %lld --text \"...\"", id);
		break;
	case DIGEST_EXPLANATIONS:
		snprintf(out, n, "Giải trình: dotpha explanation answer %lld --text \"...\"", id);
		break;
	case DIGEST_ACTIONS:
		snprintf(out, n, "Khi đã khắc phục: dotpha inspection done %lld --note \"...\"", id);
		break;
	case DIGEST_TASKS:
		snprintf(out, n, "Báo cáo tiến độ: dotpha update add %lld --percent N --done \"...\"",
			 task);
		break;
	case DIGEST_LATE_REMINDERS:
		snprintf(out, n, "Xem: dotpha reminder list --task %lld", task);
		break;
	case DIGEST_APPRAISALS:
		snprintf(out, n, "Thẩm định: dotpha update accept %lld (hoặc dotpha update return "
			 "%lld --reason \"...\")", id, id);
		break;
	case DIGEST_TURNED:
	default:
		snprintf(out, n, "Đôn đốc: dotpha remind %lld --message \"...\" --by NGÀY", task);
		break;
	}
}

static const struct {
	enum digest_section s;
	const char *title;
	const char *more; /* where the rest are */
} sections[] = {
	{DIGEST_REMINDERS, "Đôn đốc chưa trả lời", "dotpha inbox"},
	{DIGEST_EXPLANATIONS, "Yêu cầu giải trình chưa trả lời", "dotpha explanation list --open"},
	{DIGEST_ACTIONS, "Yêu cầu khắc phục đến hạn hoặc quá hạn", "dotpha inspection actions --open"},
	{DIGEST_TASKS, "Việc sắp đến hạn (30 ngày), đình trệ hoặc quá hạn", "dotpha board"},
	{DIGEST_LATE_REMINDERS, "Đôn đốc đã gửi, quá hạn chưa được trả lời",
	 "dotpha reminder list --overdue"},
	{DIGEST_APPRAISALS, "Báo cáo tiến độ chờ thẩm định", "dotpha board"},
	{DIGEST_TURNED, "Việc mới quá hạn hoặc đình trệ từ lần tổng hợp trước", "dotpha board"},
};

int compose_digest(const struct digest_account *a, const struct digest *d, const char *day,
		   struct composed *out)
{
	struct both b = {0};
	char date[11], greeting[320], lead[300], subject[200], sentence[1200], command[300];

	memset(out, 0, sizeof(*out));
	dmy(day, date);
	snprintf(subject, sizeof(subject), "Tổng hợp việc cần xử lý ngày %s: %lld mục", date,
		 (long long)db_digest_count(d));
	snprintf(greeting, sizeof(greeting), "Kính gửi %s,", a->display_name);
	snprintf(lead, sizeof(lead),
		 a->office ? "Những việc đang chờ Văn phòng xử lý, tính đến ngày %s:"
			   : "Những việc cần đầu mối theo dõi lưu ý, tính đến ngày %s:",
		 date);
	begin(&b, greeting, lead);
	for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
		enum digest_section s = sections[k].s;

		if (d->n[s] == 0)
			continue;
		heading(&b, sections[k].title, d->total[s]);
		for (size_t i = 0; i < d->n[s]; i++) {
			sentence_of(s, &d->items[s][i], sentence, sizeof(sentence));
			command_of(s, &d->items[s][i], command, sizeof(command));
			item(&b, sentence, command);
		}
		section_end(&b, (int64_t)d->n[s], d->total[s], sections[k].more);
	}
	return finish(&b, strdup(subject), out);
}

void compose_free(struct composed *c)
{
	free(c->subject);
	free(c->text);
	free(c->html);
	memset(c, 0, sizeof(*c));
}
