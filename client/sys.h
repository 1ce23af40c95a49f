/*
 * sys.h: the operating-system services the client needs besides sockets
 * (those are in net.c): random bytes, the terminal's width, a pause, who
 * may read a file, reading a secret without echo, and writing a private
 * file atomically.  A Windows port replaces this file and net.c; nothing
 * else is POSIX-only.
 */
#ifndef DOTPHA_SYS_H
#define DOTPHA_SYS_H

#include <stddef.h>
#include <stdio.h>

/* Fills buf with n bytes from the system's random source (/dev/urandom).
 * Returns 0, or -1 if the source cannot be read. */
int sys_random(void *buf, size_t n);

/* The width in columns of the terminal f writes to, or 0 when f is not a
 * terminal (then nothing is cut to fit).  Asks the terminal (TIOCGWINSZ),
 * then $COLUMNS, then assumes 80. */
size_t sys_term_width(FILE *f);

/* The width tables written to f are fitted to (table.h), 0 for none: the
 * terminal's (sys_term_width) when f is one; otherwise $COLUMNS when set
 * to a number of columns, so a pipe or a file keeps whole lines unless
 * asked (`COLUMNS=80 dotpha task list | less`). */
size_t sys_table_width(FILE *f);

/* Sleeps for ms milliseconds. */
void sys_sleep_ms(unsigned ms);

/* The time of day in milliseconds since 1970-01-01 UTC, 0 if the system
 * will not say (request ids begin with it: rpc.c). */
unsigned long long sys_now_ms(void);

/* Who besides its owner may use an open file. */
enum sys_file_access {
	SYS_FILE_PRIVATE = 0, /* nobody else: POSIX mode bits & 077 are clear */
	SYS_FILE_READABLE,    /* other users (group or others) may read it */
	SYS_FILE_OPEN,        /* other users may change or execute it, not read it */
	SYS_FILE_UNKNOWN,     /* the system would not say */
};

/* The one place that decides whether a file holding a secret is private:
 * POSIX looks at the mode bits (st_mode & 077); a Windows port looks at
 * the ACL.  Returns an enum sys_file_access. */
int sys_file_access(FILE *f);

/* Writes into out the command that leaves the file at path readable and
 * writable by its owner alone, for a message to show: `chmod 600 SHOWN`
 * on POSIX (shown: path as the message shows it, quoted for the shell);
 * on Windows `dotpha login`, which writes it anew with an ACL of its owner
 * alone. */
void sys_private_fix(const char *path, const char *shown, char *out, size_t n);

/* Reads one line (the newline and a CR before it dropped) from in into
 * buf.  When in is a terminal, first writes prompt to prompt_out and turns
 * echo off until the line is typed (restoring it on a signal too, which is
 * then delivered).  Returns the length, -1 at end of input or on a read
 * error, -2 if the line does not fit in n-1 bytes. */
long sys_read_secret(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n);

/* Asks a question on a terminal: when in is one, writes prompt to
 * prompt_out and reads the answer line (echoed) into buf.  Returns its
 * length, -1 at end of input or on a read error, -2 if it does not fit in
 * n-1 bytes, and SYS_NOT_A_TERMINAL without reading anything when in is
 * not a terminal (a pipe, a file, /dev/null: nobody to ask). */
#define SYS_NOT_A_TERMINAL (-3)
long sys_ask(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n);

/* Creates directory dir and its missing parents, each with mode 0700 (a
 * directory that exists is left as it is).  Returns 0, or -1 with a reason. */
int sys_make_private_dir(const char *dir, char *msg, size_t msglen);

/* Replaces the file at path by data[0..len) atomically: a temporary file
 * beside it, created new (O_CREAT|O_EXCL) with mode 0600, written, synced
 * and renamed over path; the directory is synced after.  Readers see the
 * old file or the new one, never a mix; on failure the old one stays.
 * Returns 0, or -1 with a reason. */
int sys_replace_private_file(const char *path, const void *data, size_t len, char *msg,
			     size_t msglen);

/* Renames the file from to to unless to exists (whatever it is: a file,
 * a dangling symbolic link), atomically where the file system has hard
 * links (link() then unlink()); elsewhere the name is first reserved with
 * an empty file created O_EXCL, then renamed over.  Returns 0, or -1 with
 * errno set (EEXIST: to exists and was left alone). */
int sys_rename_new(const char *from, const char *to);

/* Takes an exclusive lock on the file at path (created if need be, mode
 * 0600), waiting for another process that holds it.  Returns a handle for
 * sys_lock_close(), or -1.  (The offline queue: two dotpha at once must
 * not each rewrite it from what they read.) */
int sys_lock_open(const char *path);
void sys_lock_close(int handle);

/* Where the offline queue lives when the system has a place for such
 * data apart from the config: on Windows %LOCALAPPDATA%\dotpha (machine
 * local, not roamed with the config in %APPDATA%), written into out (the
 * queue makes the folder when it first writes).  NULL on POSIX, where the queue lies beside the config
 * file. */
const char *sys_queue_dir(char *out, size_t n);

/* Shared by both versions (sys_line.c). */
/* $COLUMNS when it is a number of columns (1..9999), else 0. */
size_t sys_env_columns(void);
/* Reads one line from in, which is not a terminal (a pipe, a file), into
 * buf: the newline and a CR before it dropped.  Returns as
 * sys_read_secret. */
long sys_read_line(FILE *in, char *buf, size_t n);

/* Overwrites n bytes at p with zeros in a way the compiler keeps (for
 * secrets that are done with). */
void sys_wipe(void *p, size_t n);

#endif
