/*
 * db_schema.c: the numbered migrations.  Migration i (1-based) brings the
 * schema from version i-1 to i; PRAGMA user_version records the version.
 * Never edit a migration that has shipped: add the next one.
 */
#include "db_schema.h"

#include <stddef.h>

/* A trigger `name`, `when` (e.g. "AFTER INSERT ON updates"), remaking the
 * search row of the task whose id is `task` (e.g. "new.id") from
 * search_source into search_tasks' columns `cols`: migration 10's with the
 * kind (SEARCH_REINDEX), migration 20's without (SEARCH_REINDEX_20). */
#define SEARCH_REINDEX_INTO(name, when, task, cols) \
	"CREATE TRIGGER " name " " when " BEGIN" \
	"  DELETE FROM search_tasks WHERE rowid = " task ";" \
	"  INSERT INTO search_tasks (rowid, " cols ")" \
	"  SELECT * FROM search_source WHERE id = " task "; END;"
#define SEARCH_REINDEX(name, when, task) \
	SEARCH_REINDEX_INTO(name, when, task, "title, description, product, kind, steps")
#define SEARCH_REINDEX_20(name, when, task) \
	SEARCH_REINDEX_INTO(name, when, task, "title, description, product, steps")

/* Every trigger made by `reindex` (one of the two above) that remakes a
 * task's search row: on a new task, on a change of its `fields`, on a new,
 * changed or deleted plan step. */
#define SEARCH_REINDEX_ALL(reindex, fields) \
	reindex("search_task_new", "AFTER INSERT ON tasks", "new.id") \
	reindex("search_task_edit", "AFTER UPDATE OF " fields " ON tasks", "new.id") \
	reindex("search_step_new", "AFTER INSERT ON plan_steps", "new.task_id") \
	reindex("search_step_edit", "AFTER UPDATE OF what, removed_at ON plan_steps", \
		"new.task_id") \
	reindex("search_step_gone", "AFTER DELETE ON plan_steps", "old.task_id")

/* The columns of the view search_source (migrations 10 and 20) made from a
 * task t's own fields, folded, and the last: its plan steps not removed. */
#define SEARCH_SOURCE_OWN \
	"  dp_fold(t.title) AS title, dp_fold(t.description) AS description," \
	"  dp_fold(t.product) AS product,"
#define SEARCH_SOURCE_STEPS \
	"  (SELECT dp_fold(group_concat(p.what, ' ')) FROM plan_steps p" \
	"    WHERE p.task_id = t.id AND p.removed_at IS NULL) AS steps" \
	"  FROM tasks t;"

static const char *const migrations[] = {
	/* 1: the registry */
	"CREATE TABLE units ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  level TEXT NOT NULL,"
	"  parent_id INTEGER REFERENCES units(id),"
	"  valid_from TEXT,"
	"  valid_to TEXT,"
	"  merged_into INTEGER REFERENCES units(id),"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX units_parent ON units(parent_id);"
	"CREATE TABLE unit_names ("
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  valid_from TEXT NOT NULL,"        /* '0000-00-00' for the first name: names live in this table only */
	"  name TEXT NOT NULL,"
	"  PRIMARY KEY (unit_id, valid_from)) WITHOUT ROWID;"
	"CREATE TABLE cadres ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  full_name TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  managing_unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  since TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX cadres_unit ON cadres(unit_id);"
	"CREATE INDEX cadres_managing ON cadres(managing_unit_id);"
	"CREATE TABLE cadre_postings ("
	"  id INTEGER PRIMARY KEY,"
	"  cadre_id INTEGER NOT NULL REFERENCES cadres(id),"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  title TEXT NOT NULL,"
	"  valid_from TEXT NOT NULL,"
	"  valid_to TEXT);"                   /* NULL for the current post */
	"CREATE INDEX cadre_postings_cadre ON cadre_postings(cadre_id, valid_from);"
	"CREATE TABLE terms ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('year', 'term')),"
	"  start_date TEXT NOT NULL,"
	"  end_date TEXT NOT NULL,"
	"  CHECK (start_date <= end_date));"
	"CREATE TABLE tasks ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL CHECK (kind IN ('breakthrough', 'innovation')),"
	"  field TEXT NOT NULL CHECK (field IN ('socio_economic', 'defence_security',"
	"                                       'party_building', 'livelihood')),"
	"  owner_id INTEGER NOT NULL REFERENCES cadres(id),"
	"  unit_id INTEGER NOT NULL REFERENCES units(id),"
	"  term_id INTEGER NOT NULL REFERENCES terms(id),"
	"  assigned_by INTEGER NOT NULL REFERENCES units(id),"
	"  product TEXT NOT NULL,"
	"  due_date TEXT NOT NULL,"
	"  percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),"
	"  last_update_at TEXT,"
	"  update_count INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX tasks_unit ON tasks(unit_id);"
	"CREATE INDEX tasks_owner ON tasks(owner_id);"
	"CREATE INDEX tasks_term ON tasks(term_id);"
	"CREATE INDEX tasks_assigned_by ON tasks(assigned_by);"
	"CREATE TABLE task_owners ("
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  valid_from TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"            /* orders changes made on the same day */
	"  cadre_id INTEGER NOT NULL REFERENCES cadres(id),"
	"  PRIMARY KEY (task_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE updates ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),"
	"  done TEXT NOT NULL,"
	"  difficulties TEXT NOT NULL DEFAULT '',"
	"  proposals TEXT NOT NULL DEFAULT '',"
	"  reported_at TEXT NOT NULL);"
	"CREATE INDEX updates_task ON updates(task_id, id);"
	"CREATE TRIGGER updates_append_only_u BEFORE UPDATE ON updates"
	"  BEGIN SELECT RAISE(ABORT, 'progress updates are append-only'); END;"
	"CREATE TRIGGER updates_append_only_d BEFORE DELETE ON updates"
	"  BEGIN SELECT RAISE(ABORT, 'progress updates are append-only'); END;"
	"CREATE TABLE requests ("             /* outcomes of committed writes, for safe retries */
	"  request_id TEXT PRIMARY KEY,"
	"  method TEXT NOT NULL,"
	"  result BLOB NOT NULL,"
	"  created_at TEXT NOT NULL) WITHOUT ROWID;",

	/* 2: accounts, tokens and the audit trail */
	"CREATE TABLE accounts ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  display_name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'office', 'viewer')),"
	"  scope_unit_id INTEGER REFERENCES units(id),"   /* NULL: the whole tree */
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE TABLE tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  name TEXT NOT NULL,"
	"  hash BLOB NOT NULL UNIQUE,"                    /* SHA-256 of the token; never the token */
	"  created_at TEXT NOT NULL,"
	"  last_used_at TEXT,"
	"  revoked_at TEXT);"
	"CREATE INDEX tokens_account ON tokens(account_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"                             /* server time, UTC */
	"  account_id INTEGER,"
	"  account_login TEXT,"
	"  token_name TEXT,"
	"  address TEXT,"
	"  method TEXT NOT NULL,"
	"  object_type TEXT NOT NULL,"
	"  object_id INTEGER,"
	"  task_id INTEGER,"                              /* the task the change belongs to, if any */
	"  unit_id INTEGER,"                              /* the unit the object belongs to, if any */
	"  before BLOB,"                                  /* MessagePack map, NULL for none */
	"  after BLOB,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX audit_task ON audit(task_id, id);"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE INDEX audit_account ON audit(account_id, id);"
	"CREATE INDEX audit_unit ON audit(unit_id, id);"
	"CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",

	/* 3: the task workflow (server/methods/workflow.c draws the states).  Tasks
	 * registered before the workflow existed were being worked on and
	 * reported on already (progress updates, the demo's tasks), so they
	 * become in_progress, not registered: that is where their updates
	 * put them, and it keeps update.create open on them. */
	"ALTER TABLE tasks ADD COLUMN state TEXT NOT NULL DEFAULT 'registered'"
	"  CHECK (state IN ('registered', 'reviewed', 'returned', 'assigned', 'in_progress',"
	"                   'reported_done', 'accepted', 'cancelled', 'carried_over'));"
	"ALTER TABLE tasks ADD COLUMN decision_no TEXT;"       /* the managing body's decision */
	"ALTER TABLE tasks ADD COLUMN decision_date TEXT;"
	"ALTER TABLE tasks ADD COLUMN rating TEXT"
	"  CHECK (rating IS NULL OR rating IN ('excellent', 'good', 'done', 'not_done'));"
	"ALTER TABLE tasks ADD COLUMN state_note TEXT;"        /* the last reason or comment */
	"ALTER TABLE tasks ADD COLUMN state_at TEXT;"          /* the moment of the last transition */
	"ALTER TABLE tasks ADD COLUMN carried_to INTEGER REFERENCES tasks(id);"
	"UPDATE tasks SET state = 'in_progress', state_at = created_at;"
	"CREATE INDEX tasks_state ON tasks(state);",

	/* 4: plans.  A task's plan is its steps, ordered by position; a step
	 * names who is responsible by at most one of a unit, a cadre or free
	 * text (an outside body).  plan.remove sets removed_at: the step
	 * leaves the plan, the row stays for the audit trail's links. */
	"CREATE TABLE plan_steps ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  position INTEGER NOT NULL,"
	"  what TEXT NOT NULL,"
	"  responsible_unit_id INTEGER REFERENCES units(id),"
	"  responsible_cadre_id INTEGER REFERENCES cadres(id),"
	"  responsible_text TEXT,"
	"  due_date TEXT,"
	"  status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'doing', 'done', 'dropped')),"
	"  removed_at TEXT,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  CHECK ((responsible_unit_id IS NOT NULL) + (responsible_cadre_id IS NOT NULL)"
	"         + (responsible_text IS NOT NULL) <= 1));"
	"CREATE INDEX plan_steps_task ON plan_steps(task_id, position);",

	/* 5: reminders (đôn đốc).  A task's focal point is a supervisor (or
	 * admin) account; reminders go from the focal point (or the managing
	 * body) to the office, with a date to answer by; the office answers
	 * once. */
	"ALTER TABLE tasks ADD COLUMN focal_point_account_id INTEGER REFERENCES accounts(id);"
	"CREATE TABLE reminders ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  from_account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  message TEXT NOT NULL,"
	"  answer_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  answer TEXT,"
	"  answered_at TEXT,"
	"  answered_by_account_id INTEGER REFERENCES accounts(id));"
	"CREATE INDEX reminders_task ON reminders(task_id);"
	"CREATE INDEX reminders_from ON reminders(from_account_id);",

	/* 6: evidence files (hồ sơ, minh chứng).  A file arrives as an upload
	 * in chunks (upload_chunks, keyed by the upload and the offset of
	 * their first byte); file.upload_finish checks the bytes against the
	 * declared SHA-256 and makes the file, which keeps its upload's
	 * chunks (files.upload_id): nothing is copied.  An upload that does
	 * not finish (aborted, expired after 7 days) loses its chunks; its
	 * row stays for the audit trail's links. */
	"CREATE TABLE uploads ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  update_id INTEGER REFERENCES updates(id),"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 52428800),"
	"  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),"
	"  received INTEGER NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open', 'finished', 'aborted', 'expired')),"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL);"
	"CREATE INDEX uploads_resume ON uploads(account_id, task_id, sha256) WHERE state = 'open';"
	"CREATE INDEX uploads_open ON uploads(updated_at) WHERE state = 'open';"
	"CREATE TABLE upload_chunks ("
	"  id INTEGER PRIMARY KEY,"
	"  upload_id INTEGER NOT NULL REFERENCES uploads(id),"
	"  pos INTEGER NOT NULL,"                         /* offset of the chunk's first byte */
	"  size INTEGER NOT NULL,"                        /* length(data), kept to plan reads */
	"  data BLOB NOT NULL,"
	"  UNIQUE (upload_id, pos));"
	"CREATE TABLE files ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  update_id INTEGER REFERENCES updates(id),"
	"  upload_id INTEGER NOT NULL UNIQUE REFERENCES uploads(id),"  /* whose chunks hold the bytes */
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 BLOB NOT NULL,"
	"  uploaded_by INTEGER NOT NULL REFERENCES accounts(id),"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX files_task ON files(task_id, id);",
	/* 7: the supervisor's records on a task.  appraisals: the focal
	 * point's verdict on a progress update, once (updates stay
	 * append-only; a returned one no longer counts, and the task row's
	 * percent, last_update_at and update_count describe only the counted
	 * ones).  explanations (giải trình): a question to the office with a
	 * date to answer by, answered once.  inspections (kiểm tra, giám sát)
	 * with their required actions, each with a due date and marked done
	 * once.  followups (dứt điểm): a check, some months after a task was
	 * accepted, that the problem has not come back; recorded once. */
	"CREATE TABLE appraisals ("
	"  update_id INTEGER PRIMARY KEY REFERENCES updates(id),"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'returned')),"
	"  reason TEXT,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  at TEXT NOT NULL);"
	"CREATE TABLE explanations ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  from_account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  question TEXT NOT NULL,"
	"  answer_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  answer TEXT,"
	"  answered_at TEXT,"
	"  answered_by_account_id INTEGER REFERENCES accounts(id));"
	"CREATE INDEX explanations_task ON explanations(task_id);"
	"CREATE TABLE inspections ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  date TEXT NOT NULL,"
	"  findings TEXT NOT NULL,"
	"  conclusions TEXT NOT NULL,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX inspections_task ON inspections(task_id, date);"
	"CREATE TABLE inspection_actions ("
	"  id INTEGER PRIMARY KEY,"
	"  inspection_id INTEGER NOT NULL REFERENCES inspections(id),"
	"  what TEXT NOT NULL,"
	"  due_date TEXT NOT NULL,"
	"  done_at TEXT,"
	"  done_note TEXT,"
	"  done_by_account_id INTEGER REFERENCES accounts(id));"
	"CREATE INDEX inspection_actions_inspection ON inspection_actions(inspection_id);"
	"CREATE TABLE followups ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  due_date TEXT NOT NULL,"
	"  what TEXT,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  created_at TEXT NOT NULL,"
	"  result TEXT CHECK (result IS NULL OR result IN ('holds', 'relapsed')),"
	"  note TEXT,"
	"  recorded_at TEXT,"
	"  recorded_by_account_id INTEGER REFERENCES accounts(id));"
	"CREATE INDEX followups_task ON followups(task_id);",
	/* 8: amendments.  Once a task is assigned, its substance (title,
	 * product, due date) changes only by an amendment the managing body
	 * approves.  The row keeps the version it would replace (old_*), so
	 * every approved version of the task stays visible; at most one
	 * amendment of a task is pending at a time. */
	"CREATE TABLE amendments ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  proposed_by_account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  reason TEXT NOT NULL,"
	"  title TEXT,"                       /* proposed; NULL: unchanged */
	"  product TEXT,"
	"  due_date TEXT,"
	"  old_title TEXT NOT NULL,"          /* the task when proposed */
	"  old_product TEXT NOT NULL,"
	"  old_due_date TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'approved', 'rejected')),"
	"  decided_by_account_id INTEGER REFERENCES accounts(id),"
	"  decided_at TEXT,"
	"  decision_note TEXT,"
	"  created_at TEXT NOT NULL,"
	"  CHECK (title IS NOT NULL OR product IS NOT NULL OR due_date IS NOT NULL));"
	"CREATE INDEX amendments_task ON amendments(task_id, id);"
	"CREATE UNIQUE INDEX amendments_one_pending ON amendments(task_id) WHERE status = 'pending';",
	/* 9: the history of task states, so a task's status on a past cut-off
	 * date uses only what was known then (db_health.h).  Triggers keep it:
	 * every insert of a task and every change of its state appends a row,
	 * whoever makes it (the workflow, carry_over's copy, the demo).  Tasks
	 * already there start with their current state at state_at. */
	"CREATE TABLE task_states ("
	"  id INTEGER PRIMARY KEY,"
	"  task_id INTEGER NOT NULL REFERENCES tasks(id),"
	"  state TEXT NOT NULL,"
	"  rating TEXT,"
	"  at TEXT NOT NULL);"                 /* the moment the task entered the state */
	"CREATE INDEX task_states_task ON task_states(task_id, at);"
	"INSERT INTO task_states (task_id, state, rating, at)"
	"  SELECT id, state, rating, coalesce(state_at, created_at) FROM tasks ORDER BY id;"
	"CREATE TRIGGER task_states_new AFTER INSERT ON tasks BEGIN"
	"  INSERT INTO task_states (task_id, state, rating, at)"
	"  VALUES (new.id, new.state, new.rating, coalesce(new.state_at, new.created_at)); END;"
	"CREATE TRIGGER task_states_move AFTER UPDATE OF state ON tasks"
	"  WHEN new.state IS NOT old.state BEGIN"
	"  INSERT INTO task_states (task_id, state, rating, at)"
	"  VALUES (new.id, new.state, new.rating, coalesce(new.state_at, new.updated_at)); END;"
	"CREATE TRIGGER task_states_append_only_u BEFORE UPDATE ON task_states"
	"  BEGIN SELECT RAISE(ABORT, 'the history of task states is append-only'); END;"
	"CREATE TRIGGER task_states_append_only_d BEFORE DELETE ON task_states"
	"  BEGIN SELECT RAISE(ABORT, 'the history of task states is append-only'); END;",
	/* 10: search (PROTOCOL.md 6h), over text folded by dp_fold (fold.h:
	 * no marks, đ as d).  search_tasks has one row per task, rowid the
	 * task's id: its title, description, product, kind (as "việc đột phá"
	 * or "việc đổi mới") and plan steps; the view search_source says how
	 * the row is made, and triggers on tasks and plan_steps remake it in
	 * the same transaction as the change.  It keeps its own folded copy of
	 * the text: SQLite 3.40 has no contentless_delete, and deleting from a
	 * contentless table needs the row's old text.  search_updates has one
	 * row per progress update, rowid the update's id; updates are
	 * append-only, so it is contentless and only ever inserted into, and a
	 * new update costs one row, however many the task has.  A connection
	 * without dp_fold cannot write these tables at all rather than leave
	 * the index behind.  Rows already there are indexed here. */
	"CREATE VIRTUAL TABLE search_tasks USING fts5("
	"  title, description, product, kind, steps, tokenize = 'unicode61');"
	"CREATE VIRTUAL TABLE search_updates USING fts5("
	"  body, content = '', tokenize = 'unicode61');"
	"CREATE VIEW search_source AS SELECT t.id AS id," SEARCH_SOURCE_OWN
	"  CASE t.kind WHEN 'breakthrough' THEN 'viec dot pha' ELSE 'viec doi moi' END AS kind,"
	SEARCH_SOURCE_STEPS
	"INSERT INTO search_tasks (rowid, title, description, product, kind, steps)"
	"  SELECT * FROM search_source;"
	"INSERT INTO search_updates (rowid, body)"
	"  SELECT id, dp_fold(done || ' ' || difficulties || ' ' || proposals) FROM updates;"
	SEARCH_REINDEX_ALL(SEARCH_REINDEX, "title, description, product, kind")
	"CREATE TRIGGER search_task_gone AFTER DELETE ON tasks BEGIN"
	"  DELETE FROM search_tasks WHERE rowid = old.id; END;"
	"CREATE TRIGGER search_update_new AFTER INSERT ON updates BEGIN"
	"  INSERT INTO search_updates (rowid, body)"
	"  VALUES (new.id, dp_fold(new.done || ' ' || new.difficulties || ' ' || new.proposals)); END;",

	/* 11: report snapshots (PROTOCOL.md 6i).  A report frozen under a
	 * name, with what it was taken with; its result is the report's
	 * MessagePack bytes as report.get answered them.  scope_key is the
	 * scope unit of the account that took it, 0 for the whole tree, so the
	 * name is unique per scope (a NULL would not be). */
	"CREATE TABLE report_snapshots ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  scope_key INTEGER NOT NULL,"
	"  scope_unit_id INTEGER REFERENCES units(id),"
	"  term_id INTEGER NOT NULL REFERENCES terms(id),"
	"  unit_id INTEGER REFERENCES units(id),"
	"  as_of TEXT NOT NULL,"
	"  result BLOB NOT NULL,"
	"  created_by INTEGER NOT NULL REFERENCES accounts(id),"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE (scope_key, name));",

	/* 12: import and export (PROTOCOL.md 6j).  Tasks get a stable code, as
	 * units and cadres have, so an imported row finds its task again.  A
	 * task made without one (task.create, carry_over, the demo, the tasks
	 * already here) gets 'T' and its id; an import then sets the code of its
	 * row.  Should 'T<id>' already be an imported task's code, a random
	 * suffix keeps the new one unique.  `imports` keeps one row per
	 * import.run, applied or not, for the audit trail. */
	"ALTER TABLE tasks ADD COLUMN code TEXT;"
	"UPDATE tasks SET code = 'T' || id;"
	"CREATE UNIQUE INDEX tasks_code ON tasks(code);"
	"CREATE TRIGGER tasks_code_new AFTER INSERT ON tasks WHEN new.code IS NULL BEGIN"
	"  UPDATE tasks SET code = CASE WHEN EXISTS (SELECT 1 FROM tasks WHERE code = 'T' || new.id)"
	"    THEN 'T' || new.id || '-' || lower(hex(randomblob(3))) ELSE 'T' || new.id END"
	"  WHERE id = new.id; END;"
	"CREATE TABLE imports ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('units', 'cadres', 'tasks', 'terms')),"
	"  account_id INTEGER REFERENCES accounts(id),"
	"  dry_run INTEGER NOT NULL,"
	"  applied INTEGER NOT NULL,"          /* 0 for a dry run or a file with bad rows */
	"  rows INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  unchanged INTEGER NOT NULL,"
	"  bad INTEGER NOT NULL,"
	"  at TEXT NOT NULL);",

	/* 13: pruning the stored outcomes of requests (request_id) by age. */
	"CREATE INDEX requests_created ON requests(created_at);",

	/* 14: a task's status and health on a date (db_health.h) read these
	 * indexes alone, never the rows of updates and task_states: at the
	 * national scale a report looks up 9.8 million updates' pages
	 * otherwise.  Each replaces an index with the same leading columns,
	 * so a write maintains as many indexes as before. */
	"DROP INDEX updates_task;"
	"CREATE INDEX updates_task ON updates(task_id, id, reported_at, percent);"
	"DROP INDEX task_states_task;"
	"CREATE INDEX task_states_task ON task_states(task_id, at, id, state, rating);"
	"CREATE INDEX plan_steps_dated ON plan_steps(task_id, due_date)"
	"  WHERE removed_at IS NULL AND status <> 'dropped' AND due_date IS NOT NULL;"
	/* A new update is indexed for search when its transaction commits
	 * (db_search_flush), not by its own trigger: FTS5 writes its pending
	 * terms out as a new segment at every SAVEPOINT, and each request of
	 * a group commit has one, so each update cost a segment of its own
	 * and the merges after it.  The ids wait in search_updates_pending,
	 * inside the same transaction. */
	"DROP TRIGGER search_update_new;"
	"CREATE TABLE search_updates_pending (id INTEGER PRIMARY KEY);"
	"CREATE TRIGGER search_update_new AFTER INSERT ON updates BEGIN"
	"  INSERT INTO search_updates_pending (id) VALUES (new.id); END;",

	/* 15: a request_id belongs to the account that sent it: another
	 * account's use of the same id is a separate request.  An old row
	 * keeps working for its sender when the audit trail names exactly one
	 * account for its method at its time (a write's audit entry and its
	 * stored outcome share the request's timestamp); otherwise it gets
	 * account 0, which no signed-in caller has, so it answers nobody and
	 * housekeeping prunes it by age like any other. */
	"CREATE TABLE requests_by_account ("
	"  account_id INTEGER NOT NULL,"
	"  request_id TEXT NOT NULL,"
	"  method TEXT NOT NULL,"
	"  result BLOB NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, request_id)) WITHOUT ROWID;"
	"INSERT INTO requests_by_account (account_id, request_id, method, result, created_at)"
	"  SELECT coalesce((SELECT CASE WHEN count(DISTINCT a.account_id) = 1"
	"                   THEN max(a.account_id) END FROM audit a"
	"                   WHERE a.at = r.created_at AND a.method = r.method), 0),"
	"         r.request_id, r.method, r.result, r.created_at FROM requests r;"
	"DROP TABLE requests;"
	"ALTER TABLE requests_by_account RENAME TO requests;"
	"CREATE INDEX requests_created ON requests(created_at);",

	/* 16: data at rest (PROTOCOL.md 6d).  An admin withdraws a file sent
	 * by mistake: its chunks are deleted (with secure_delete, so the
	 * freed pages are zeroed), the row stays with who withdrew it, when
	 * and why.  A unit's evidence is counted against --upload-quota
	 * through its tasks' uploads, which uploads_task finds. */
	"ALTER TABLE files ADD COLUMN withdrawn_at TEXT;"
	"ALTER TABLE files ADD COLUMN withdrawn_by INTEGER REFERENCES accounts(id);"
	"ALTER TABLE files ADD COLUMN withdrawn_reason TEXT;"
	"CREATE INDEX uploads_task ON uploads(task_id, state);",

	/* 17: e-mail notices (PROTOCOL.md 6m).  An account gets an address
	 * and a choice of notices; 'digest' is the default, and nothing is
	 * sent to an account without an address whatever it chose.  The
	 * outbox holds every message to send, written in the transaction of
	 * what caused it (a reminder, an explanation request, the day's
	 * digest) and sent by the daemon's mailer off the loop; message_id
	 * is made once per row, so a message sent again after a crash keeps
	 * its Message-ID.  `digests` records the digest made for an account
	 * on a local day (with its number of items, 0 when there was nothing
	 * to say and nothing was sent), so a day's digest is made once
	 * across restarts. */
	"ALTER TABLE accounts ADD COLUMN email TEXT;"
	"ALTER TABLE accounts ADD COLUMN notify TEXT NOT NULL DEFAULT 'digest'"
	"  CHECK (notify IN ('none', 'digest', 'immediate', 'both'));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  recipient TEXT NOT NULL,"           /* the address when it was written */
	"  kind TEXT NOT NULL CHECK (kind IN ('reminder', 'explanation', 'digest')),"
	"  ref_id INTEGER,"                    /* the reminder or explanation; NULL for a digest */
	"  message_id TEXT UNIQUE,"            /* '<id.random@host>', set right after the insert */
	"  subject TEXT NOT NULL,"
	"  body_text TEXT NOT NULL,"
	"  body_html TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at TEXT NOT NULL,"             /* not tried again before this moment */
	"  sent_at TEXT,"
	"  gave_up_at TEXT,"                   /* refused for good (a 5xx answer) */
	"  last_error TEXT,"
	"  last_error_at TEXT);"
	"CREATE INDEX outbox_due ON outbox(next_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;"
	"CREATE INDEX outbox_failed ON outbox(last_error_at) WHERE last_error_at IS NOT NULL;"
	"CREATE TABLE digests ("
	"  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	"  day TEXT NOT NULL,"                 /* the local date it is of */
	"  items INTEGER NOT NULL,"
	"  made_at TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, day)) WITHOUT ROWID;",
	/* 18: a focal point's tasks found by their focal point.  What waits
	 * for a focal point's appraisal is counted at every sign-in that
	 * asks (session.auth's `waiting`), on the writer; without this an
	 * admin's count, over the whole tree, read every task: 128 ms on the
	 * national demo, 0.007 ms with it (bench/README.md).  Partial: most
	 * tasks have no focal point. */
	("CREATE INDEX tasks_focal_point ON tasks(focal_point_account_id)"
	 "  WHERE focal_point_account_id IS NOT NULL;"),
	/* 19: status and health kept by the writes (db_kept.c).  A task's
	 * row keeps the moments of its completion and of its assignment (as
	 * the history says them now), the day its quiet time counts from, and
	 * its status and health judged on the day facts_kept names, under the
	 * rules it names (the thresholds and the zone); `counted` says what
	 * the task is counted as in the tables of counts (db_kept.c's format),
	 * which count the tasks of each term in each unit's whole subtree
	 * (own 0 in task_counts; own 1: the unit's own tasks): by status and
	 * health; by field, kind, status and health; by state and rating; by
	 * month of completion; by managing body and owner.  Unit 0 stands for
	 * the whole tree (every root's subtree at once).  All are kept in
	 * the transaction of the write that moves them.  They stay NULL and
	 * empty here: the daemon's first pass fills them in batches, and until
	 * a pass has finished the reads judge from the history, as before.
	 * tasks_status, tasks_health and tasks_stalled find the tasks a board
	 * or a report lists first without judging the others; an update moves
	 * a task's quiet_since, which only tasks_stalled holds, and only for
	 * a task that was stalled (partial: SQLite uses such an
	 * index when the query's condition is the index's, or an equality that
	 * implies its IS NOT NULL; an IN list it does not see through). */
	("ALTER TABLE tasks ADD COLUMN done_at TEXT;"
	 "ALTER TABLE tasks ADD COLUMN assigned_at TEXT;"
	 "ALTER TABLE tasks ADD COLUMN quiet_since TEXT;"
	 "ALTER TABLE tasks ADD COLUMN status TEXT;"
	 "ALTER TABLE tasks ADD COLUMN health TEXT;"
	 "ALTER TABLE tasks ADD COLUMN counted TEXT;"
	 "CREATE INDEX tasks_status ON tasks(status, due_date) WHERE status = 'overdue';"
	 "CREATE INDEX tasks_health ON tasks(health, status) WHERE health IS NOT NULL;"
	 "CREATE INDEX tasks_stalled ON tasks(status, quiet_since) WHERE health = 'stalled';"
	 "CREATE TABLE task_counts ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  own INTEGER NOT NULL,"
	 "  status TEXT NOT NULL,"
	 "  health TEXT NOT NULL,"             /* '' for none */
	 "  n INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, own, status, health)) WITHOUT ROWID;"
	 "CREATE TABLE task_counts_field ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  field TEXT NOT NULL,"
	 "  kind TEXT NOT NULL,"
	 "  status TEXT NOT NULL,"
	 "  health TEXT NOT NULL,"
	 "  n INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, field, kind, status, health)) WITHOUT ROWID;"
	 "CREATE TABLE task_counts_state ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  state TEXT NOT NULL,"
	 "  rating TEXT NOT NULL,"             /* '' for none */
	 "  n INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, state, rating)) WITHOUT ROWID;"
	 "CREATE TABLE task_counts_month ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  month TEXT NOT NULL,"              /* YYYY-MM, local */
	 "  status TEXT NOT NULL,"             /* done_on_time or done_late */
	 "  n INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, month, status)) WITHOUT ROWID;"
	 "CREATE TABLE task_counts_owner ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  managing_id INTEGER NOT NULL,"
	 "  owner_id INTEGER NOT NULL,"
	 "  n INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, managing_id, owner_id)) WITHOUT ROWID;"
	 /* Per managing body: its tasks and its cadres (the owners with
	  * tasks), kept from task_counts_owner, since a cadre has one
	  * managing body: the distinct cadres of a subtree add up. */
	 "CREATE TABLE task_counts_managing ("
	 "  unit_id INTEGER NOT NULL,"
	 "  term_id INTEGER NOT NULL,"
	 "  managing_id INTEGER NOT NULL,"
	 "  tasks INTEGER NOT NULL,"
	 "  cadres INTEGER NOT NULL,"
	 "  PRIMARY KEY (unit_id, term_id, managing_id)) WITHOUT ROWID;"
	 "CREATE TRIGGER task_counts_owner_new AFTER INSERT ON task_counts_owner BEGIN"
	 "  INSERT INTO task_counts_managing VALUES (new.unit_id, new.term_id, new.managing_id,"
	 "  new.n, new.n <> 0) ON CONFLICT DO UPDATE SET tasks = tasks + excluded.tasks,"
	 "  cadres = cadres + excluded.cadres; END;"
	 "CREATE TRIGGER task_counts_owner_set AFTER UPDATE OF n ON task_counts_owner BEGIN"
	 "  UPDATE task_counts_managing SET tasks = tasks + new.n - old.n,"
	 "  cadres = cadres + (new.n <> 0) - (old.n <> 0) WHERE unit_id = new.unit_id"
	 "  AND term_id = new.term_id AND managing_id = new.managing_id; END;"
	 "CREATE TABLE facts_kept ("
	 "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	 "  day TEXT,"                         /* every row judged on this day; NULL: not yet */
	 "  rules TEXT);"                      /* the thresholds and zone of that judgement */
	 "INSERT INTO facts_kept (id) VALUES (1);"),
	/* 20: search at national scale (PROTOCOL.md 6h, bench/README.md).  The
	 * task's kind is a filter of search.query (tasks.kind), no longer words
	 * in search_tasks: half the tasks read "việc đột phá", so every search
	 * holding "đột" or "phá" walked half the index.  And search_tasks gets
	 * prefix indexes of 1, 2 and 3 characters: the last word typed, matched
	 * as the beginning of a word, is then one list of the index, read
	 * newest first and stopped at a bound, where FTS5 otherwise merges the
	 * whole lists of every word beginning so before giving the first row
	 * ("so" took 0.5 s over the updates of the national demo).  Longer
	 * beginnings have few words each.  The table is remade from
	 * search_source, and the triggers that remake a row with it. */
	"DROP TRIGGER search_task_new;"
	"DROP TRIGGER search_task_edit;"
	"DROP TRIGGER search_step_new;"
	"DROP TRIGGER search_step_edit;"
	"DROP TRIGGER search_step_gone;"
	"DROP VIEW search_source;"
	"DROP TABLE search_tasks;"
	"CREATE VIRTUAL TABLE search_tasks USING fts5("
	"  title, description, product, steps, prefix = '1 2 3', tokenize = 'unicode61');"
	"CREATE VIEW search_source AS SELECT t.id AS id," SEARCH_SOURCE_OWN SEARCH_SOURCE_STEPS
	"INSERT INTO search_tasks (rowid, title, description, product, steps)"
	"  SELECT * FROM search_source;"
	SEARCH_REINDEX_ALL(SEARCH_REINDEX_20, "title, description, product"),
	/* 21: each task's facts through time, compact (db_timeline.h), so a
	 * report as of a past date reads one row per task, not 9.8 million
	 * updates.  A write that adds a state, an update or a return puts its
	 * task in task_timeline_pending, and db_timeline_flush() rebuilds
	 * those timelines before the commit (as search_updates_pending).
	 * Every existing task is pending here: db_open rebuilds them all once
	 * the migration is done (bench/README.md: its time on the national
	 * demo). */
	"CREATE TABLE task_timeline ("
	"  task_id INTEGER PRIMARY KEY,"
	"  versions BLOB);"                    /* NULL: the history cannot be encoded */
	/* `since`: the moment of the first state or update the timeline
	 * lacks, when those are all it lacks (db_timeline_flush then appends
	 * them to it); '' when it is to be built from the whole history (a
	 * return, an appraisal changed, every task here). */
	"CREATE TABLE task_timeline_pending (task_id INTEGER PRIMARY KEY,"
	"  since TEXT NOT NULL DEFAULT '');"
	"CREATE TRIGGER task_timeline_state AFTER INSERT ON task_states BEGIN"
	"  INSERT INTO task_timeline_pending (task_id, since) VALUES (new.task_id, new.at)"
	"  ON CONFLICT (task_id) DO UPDATE SET since = min(since, excluded.since); END;"
	"CREATE TRIGGER task_timeline_update AFTER INSERT ON updates BEGIN"
	"  INSERT INTO task_timeline_pending (task_id, since) VALUES (new.task_id, new.reported_at)"
	"  ON CONFLICT (task_id) DO UPDATE SET since = min(since, excluded.since); END;"
	"CREATE TRIGGER task_timeline_return AFTER INSERT ON appraisals"
	"  WHEN new.verdict = 'returned' BEGIN"
	"  INSERT INTO task_timeline_pending (task_id, since)"
	"  SELECT task_id, '' FROM updates WHERE id = new.update_id"
	"  ON CONFLICT (task_id) DO UPDATE SET since = ''; END;"
	"CREATE TRIGGER task_timeline_appraisal_change AFTER UPDATE ON appraisals BEGIN"
	"  INSERT INTO task_timeline_pending (task_id, since)"
	"  SELECT task_id, '' FROM updates WHERE id IN (old.update_id, new.update_id)"
	"  ON CONFLICT (task_id) DO UPDATE SET since = ''; END;"
	"CREATE TRIGGER task_timeline_appraisal_gone AFTER DELETE ON appraisals BEGIN"
	"  INSERT INTO task_timeline_pending (task_id, since)"
	"  SELECT task_id, '' FROM updates WHERE id = old.update_id"
	"  ON CONFLICT (task_id) DO UPDATE SET since = ''; END;"
	"INSERT INTO task_timeline_pending (task_id) SELECT id FROM tasks;"
	/* The report's pass reads a term's tasks in id order with what it
	 * groups by from this index alone: 35 MB at the national scale, where
	 * the rows are 300 MB.  A change of state does not touch it. */
	"CREATE INDEX tasks_report ON tasks(term_id, id, owner_id, unit_id, field, kind, due_date,"
	"  decision_date);",
	/* 22: writes that touch fewer pages (bench/README.md, "Pages per
	 * update").  A stored outcome of a request is appended in the order
	 * it is made (its rowid), found by a small index of (request_id,
	 * account): the table keyed by (account, request_id) held the whole
	 * answer in its leaves, so each write split a page of fat rows where
	 * its id fell.  The request_id leads the index so that ids which grow
	 * with time (dotpha's: the time first, PROTOCOL.md 4) are added at
	 * its end, whoever sends them, on a page the group's writes share.
	 * Pruning by age reads from the oldest row (db_requests_prune), so
	 * requests_created goes.  audit_at,
	 * audit_account and audit_unit served no query: audit.list's filters
	 * are (?n IS NULL OR ...) terms, which no index serves (EXPLAIN QUERY
	 * PLAN: a walk by id), yet each cost every write a page of its own.
	 * audit_task leaves out the entries of progress updates, which
	 * audit_update finds by the update instead (task.history reads both,
	 * db_audit.c): a new update's entry is then added at the end of an
	 * index, not on a page of its task's entries. */
	("CREATE TABLE requests_log ("
	 "  id INTEGER PRIMARY KEY,"
	 "  account_id INTEGER NOT NULL,"
	 "  request_id TEXT NOT NULL,"
	 "  method TEXT NOT NULL,"
	 "  result BLOB NOT NULL,"
	 "  created_at TEXT NOT NULL);"
	 "INSERT INTO requests_log (account_id, request_id, method, result, created_at)"
	 "  SELECT account_id, request_id, method, result, created_at FROM requests"
	 "  ORDER BY created_at;"
	 "DROP TABLE requests;"
	 "ALTER TABLE requests_log RENAME TO requests;"
	 "CREATE UNIQUE INDEX requests_key ON requests(request_id, account_id);"
	 "DROP INDEX audit_at;"
	 "DROP INDEX audit_account;"
	 "DROP INDEX audit_unit;"
	 "DROP INDEX audit_task;"
	 "CREATE INDEX audit_task ON audit(task_id, id) WHERE object_type <> 'update';"
	 "CREATE INDEX audit_update ON audit(object_id) WHERE object_type = 'update';"),
};

int db_schema_count(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

const char *db_schema_migration(int version)
{
	if (version < 1 || version > db_schema_count())
		return NULL;
	return migrations[version - 1];
}
