/*
 * methods.c: the catalogue.  Keep it in the order PROTOCOL.md lists methods.
 */
#include "methods.h"

#include <string.h>

const struct method_info methods_catalogue[] = {
	{"server.info", METHOD_READ | METHOD_PUBLIC, "name, version and protocol version of the server"},
	{"session.auth", METHOD_READ | METHOD_PUBLIC, "sign this connection in with a token"},
	{"session.whoami", METHOD_READ, "the signed-in account and token"},

	{"account.create", METHOD_WRITE, "create an account with a role and a scope unit"},
	{"account.update", METHOD_WRITE, "change an account's name, role, scope, or disable it"},
	{"account.get", METHOD_READ, "one account with its tokens"},
	{"account.list", METHOD_READ, "all accounts"},
	{"token.create", METHOD_WRITE, "make a token for an account (shown once)"},
	{"token.rotate", METHOD_WRITE, "replace a token by a new one of the same name"},
	{"token.revoke", METHOD_WRITE, "revoke a token"},
	{"token.list", METHOD_READ, "tokens, without their secrets"},
	{"audit.list", METHOD_READ, "entries of the audit trail, filtered, paged"},
	{"audit.verify", METHOD_READ, "check the audit trail's hash chain"},

	{"unit.create", METHOD_WRITE, "create a unit under a parent (or a root)"},
	{"unit.rename", METHOD_WRITE, "give a unit a new name from a date, keeping the old one"},
	{"unit.move", METHOD_WRITE, "move a unit under another parent"},
	{"unit.close", METHOD_WRITE, "close a unit on a date, optionally merged into another"},
	{"unit.get", METHOD_READ, "one unit with its name history"},
	{"unit.list", METHOD_READ, "the unit tree, or a subtree, in tree order"},

	{"cadre.create", METHOD_WRITE, "register a cadre with a post in a unit"},
	{"cadre.update", METHOD_WRITE, "correct a cadre's name, title or managing unit"},
	{"cadre.transfer", METHOD_WRITE, "move a cadre to another unit or post from a date"},
	{"cadre.get", METHOD_READ, "one cadre with the history of posts"},
	{"cadre.list", METHOD_READ, "cadres of a unit subtree or managing unit"},

	{"term.create", METHOD_WRITE, "create a year or a term"},
	{"term.get", METHOD_READ, "one year or term"},
	{"term.list", METHOD_READ, "all years and terms"},

	{"task.create", METHOD_WRITE, "register a task"},
	{"task.update", METHOD_WRITE, "change fields of a task"},
	{"task.get", METHOD_READ, "one task"},
	{"task.list", METHOD_READ, "tasks matching filters, in a stable order, paged"},
	{"task.history", METHOD_READ, "a task's story from the audit trail, in order, paged"},
	{"task.review", METHOD_WRITE, "the focal point has reviewed a registered task"},
	{"task.return", METHOD_WRITE, "return a registered task with a reason, to be revised"},
	{"task.resubmit", METHOD_WRITE, "register a returned task again after revising it"},
	{"task.assign", METHOD_WRITE, "assign a task by the managing body's decision"},
	{"task.start", METHOD_WRITE, "start work on an assigned task"},
	{"task.report_done", METHOD_WRITE, "report a task done, with a summary"},
	{"task.accept", METHOD_WRITE, "accept a task reported done, with a rating"},
	{"task.send_back", METHOD_WRITE, "send a task reported done back to work, with a reason"},
	{"task.cancel", METHOD_WRITE, "cancel a task, with a reason"},
	{"task.carry_over", METHOD_WRITE, "carry a task over into a later term"},

	{"update.create", METHOD_WRITE, "report progress on a task"},
	{"update.list", METHOD_READ, "progress updates of a task, oldest first, paged"},

	{"plan.add", METHOD_WRITE, "add a step to a task's plan"},
	{"plan.update", METHOD_WRITE, "change a step of a plan"},
	{"plan.remove", METHOD_WRITE, "take a step out of its plan"},
	{"plan.list", METHOD_READ, "a task's plan: its steps in order, with both percents"},

	{"task.set_focal_point", METHOD_WRITE, "name a task's focal point (a supervisor account)"},
	{"reminder.send", METHOD_WRITE, "remind the office of a task, with a date to answer by"},
	{"reminder.answer", METHOD_WRITE, "answer a reminder"},
	{"reminder.list", METHOD_READ, "reminders, with overdue flagged"},
	{"reminder.inbox", METHOD_READ, "the caller's open reminders, overdue first"},
	{"amendment.propose", METHOD_WRITE, "propose a change to an assigned task's title, product or due date"},
	{"amendment.approve", METHOD_WRITE, "approve a pending amendment: the task changes"},
	{"amendment.reject", METHOD_WRITE, "reject a pending amendment, with a reason"},
	{"amendment.list", METHOD_READ, "a task's amendments, with the versions they replaced"},

	/* the supervisor's records on a task (PROTOCOL.md 6e) */
	{"update.accept", METHOD_WRITE, "accept a progress update (appraisal)"},
	{"update.return", METHOD_WRITE, "return a progress update with a reason: it no longer counts"},
	{"explanation.request", METHOD_WRITE, "ask the office of a task to explain, by a date"},
	{"explanation.answer", METHOD_WRITE, "answer an explanation request"},
	{"explanation.list", METHOD_READ, "explanation requests, with overdue flagged"},
	{"inspection.record", METHOD_WRITE, "record an inspection of a task and its required actions"},
	{"inspection.list", METHOD_READ, "a task's inspections with their actions"},
	{"inspection.action_done", METHOD_WRITE, "mark an inspection's required action done"},
	{"inspection.actions", METHOD_READ, "required actions of inspections, overdue first"},
	{"followup.schedule", METHOD_WRITE, "schedule a follow-up check on an accepted task"},
	{"followup.record", METHOD_WRITE, "record a follow-up check's result: holds or relapsed"},
	{"followup.list", METHOD_READ, "follow-up checks and their counts"},

	/* status, health and the board (board.c) */
	{"board.get", METHOD_READ, "the focal point's board: counts by health, status and unit; what needs action first"},
	{"cadre.record", METHOD_READ, "a cadre's tasks, products and ratings in a term"},

	{"file.upload_begin", METHOD_WRITE, "begin (or resume) sending an evidence file of a task"},
	{"file.upload_chunk", METHOD_WRITE, "send the next chunk of an upload"},
	{"file.upload_finish", METHOD_WRITE, "check an upload's SHA-256 and make it a file"},
	{"file.upload_abort", METHOD_WRITE, "drop an unfinished upload"},
	{"file.list", METHOD_READ, "the evidence files of a task"},
	{"file.get", METHOD_READ, "one evidence file's name, type, size and SHA-256"},
	{"file.read", METHOD_READ, "a chunk of an evidence file's bytes"},
	{"file.withdraw", METHOD_WRITE, "erase a file's content sent by mistake, keeping its record, with a reason"},
	/* backups (backup.c): they copy the database, they do not change it */
	{"backup.create", METHOD_READ, "copy the database as it is now, for an admin to fetch"},
	{"backup.read", METHOD_READ, "a chunk of a backup's bytes"},
	{"backup.drop", METHOD_READ, "delete a backup copy the admin has fetched"},
	/* the throttle of failed sign-ins (throttle.c) */
	{"throttle.list", METHOD_READ, "the addresses whose failed sign-ins are being slowed down"},
	{"throttle.clear", METHOD_WRITE, "forget the failed sign-ins of an address, or of all"},

	/* search (search.c) */
	{"search.query", METHOD_READ, "tasks whose texts hold every word, with or without diacritics"},
	/* import and export (import.c) */
	{"import.run", METHOD_WRITE, "check and apply the rows of a CSV file, all or none"},
	{"export.rows", METHOD_READ, "one page of units, cadres, tasks, terms or updates as rows"},

	/* reports (report.c, report_compare.c) */
	{"report.get", METHOD_READ, "a term's figures within the scope on a cut-off date: the official table, per unit, body, field"},
	{"report.snapshot", METHOD_WRITE, "freeze a report under a name"},
	{"report.snapshots", METHOD_READ, "the report snapshots of the scope"},
	{"report.compare", METHOD_READ, "what moved between two report snapshots"},

	{NULL, 0, NULL},
};

const struct method_info *methods_find(const char *name, size_t len)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++)
		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
			return m;
	return NULL;
}
