/*
 * notice.c: see notice.h.
 */
#include "notice.h"

#include <inttypes.h>
#include <string.h>

#include "commands.h"
#include "lang.h"
#include "strbuf.h"
#include "sys.h"

/* The methods whose success closes what a sign-in counted: after them the
 * counts are stale, and a line would say the thing just done still waits. */
static const char *const closing[] = {
	"reminder.answer", "explanation.answer", "inspection.action_done",
	"update.accept", "update.return", "inbox.get", NULL,
};

bool notice_wanted(const struct command *cmd, bool json, bool quiet, bool off, FILE *err)
{
	if (json || quiet || off || !cmd->method || (cmd->flags & CMD_OWN_TOKEN))
		return false;
	for (const char *const *m = closing; *m; m++)
		if (strcmp(cmd->method, *m) == 0)
			return false;
	return sys_term_width(err) > 0; /* 0: not a terminal */
}

/* Starts one more part of the list: ", " after the first. */
static struct strbuf *part(struct strbuf *sb)
{
	if (sb->len)
		strbuf_adds(sb, ", ");
	return sb;
}

void notice_print(FILE *err, const struct rpc_waiting *w)
{
	struct strbuf sb = STRBUF_INIT;

	if (!w->known)
		return;
	if (w->reminders && w->reminders_overdue)
		strbuf_addf(part(&sb), T("%" PRId64 " reminder(s) not answered (%" PRId64
					 " overdue)"), w->reminders, w->reminders_overdue);
	else if (w->reminders)
		strbuf_addf(part(&sb), T("%" PRId64 " reminder(s) not answered"), w->reminders);
	if (w->explanations)
		strbuf_addf(part(&sb), T("%" PRId64 " explanation request(s) not answered"),
			    w->explanations);
	if (w->actions)
		strbuf_addf(part(&sb), T("%" PRId64 " required action(s) of inspections due within "
					 "7 days or overdue"), w->actions);
	if (w->appraisals)
		strbuf_addf(part(&sb), T("%" PRId64 " progress update(s) to appraise"), w->appraisals);
	if (w->sent_overdue)
		strbuf_addf(part(&sb), T("%" PRId64 " reminder(s) you sent, overdue and not answered"),
			    w->sent_overdue);
	if (sb.len)
		fprintf(err, T("Waiting for you: %s. See: dotpha inbox\n"), strbuf_cstr(&sb));
	strbuf_free(&sb);
}
