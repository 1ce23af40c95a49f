/*
 * sys_win.c: see sys.h.  The Windows versions: BCryptGenRandom for
 * randomness, the console API for widths and secrets, ACLs where POSIX
 * has mode bits, MoveFileExW for an atomic replace and LockFileEx for the
 * queue's lock.  Every name is UTF-8 here as everywhere in dotpha and
 * crosses to the wide-character calls through utf16.h.
 */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <aclapi.h>
#include <bcrypt.h>

#include "lang.h"
#include "utf16.h"

int sys_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ULONG chunk = n > 0x10000000 ? 0x10000000 : (ULONG)n;

		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, p, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return -1;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

/* The console behind f, or NULL when f is a file, a pipe or NUL (which
 * _isatty() would call a terminal). */
static HANDLE console_of(FILE *f)
{
	int fd = _fileno(f);
	HANDLE h = fd >= 0 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
	DWORD mode;

	return h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode) ? h : NULL;
}

size_t sys_term_width(FILE *f)
{
	HANDLE h = console_of(f);
	CONSOLE_SCREEN_BUFFER_INFO info;

	if (!h)
		return 0;
	if (GetConsoleScreenBufferInfo(h, &info) && info.srWindow.Right > info.srWindow.Left)
		return (size_t)(info.srWindow.Right - info.srWindow.Left + 1);
	return sys_env_columns() ? sys_env_columns() : 80;
}

size_t sys_table_width(FILE *f)
{
	return console_of(f) ? sys_term_width(f) : sys_env_columns();
}

void sys_sleep_ms(unsigned ms)
{
	Sleep(ms);
}

unsigned long long sys_now_ms(void)
{
	FILETIME ft;
	ULARGE_INTEGER t;

	/* 100 ns ticks since 1601-01-01, 11,644,473,600 s before 1970. */
	GetSystemTimeAsFileTime(&ft);
	t.LowPart = ft.dwLowDateTime;
	t.HighPart = ft.dwHighDateTime;
	return t.QuadPart / 10000ULL - 11644473600000ULL;
}

/* The SID of the user this process runs as, malloc'ed (caller frees), or
 * NULL. */
static PSID current_user(void)
{
	HANDLE tok;
	DWORD len = 0;
	TOKEN_USER *tu = NULL;
	PSID sid = NULL;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return NULL;
	GetTokenInformation(tok, TokenUser, NULL, 0, &len);
	if (len && (tu = malloc(len)) && GetTokenInformation(tok, TokenUser, tu, len, &len)) {
		DWORD n = GetLengthSid(tu->User.Sid);

		if ((sid = malloc(n)) && !CopySid(n, sid, tu->User.Sid)) {
			free(sid);
			sid = NULL;
		}
	}
	free(tu);
	CloseHandle(tok);
	return sid;
}

/* True for the accounts that stand where root stands on POSIX (it reads
 * any file whatever its mode): SYSTEM and the Administrators group. */
static bool is_system_account(PSID sid)
{
	return IsWellKnownSid(sid, WinLocalSystemSid) ||
	       IsWellKnownSid(sid, WinBuiltinAdministratorsSid);
}

int sys_file_access(FILE *f)
{
	int fd = _fileno(f);
	HANDLE h = fd >= 0 ? (HANDLE)_get_osfhandle(fd) : INVALID_HANDLE_VALUE;
	PSID owner = NULL, me;
	PACL dacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	int verdict = SYS_FILE_PRIVATE;

	if (h == INVALID_HANDLE_VALUE ||
	    GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
			    &owner, NULL, &dacl, NULL, &sd) != ERROR_SUCCESS)
		return SYS_FILE_UNKNOWN;
	me = current_user();
	if (!dacl) {
		verdict = SYS_FILE_READABLE; /* no DACL at all: everyone may do anything */
		goto done;
	}
	/* Who else is allowed anything, as mode bits & 077 would say. */
	for (DWORD i = 0; i < dacl->AceCount; i++) {
		ACE_HEADER *ace;
		PSID sid;
		ACCESS_MASK mask;

		if (!GetAce(dacl, i, (void **)&ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE ||
		    (ace->AceFlags & INHERIT_ONLY_ACE))
			continue;
		sid = (PSID)&((ACCESS_ALLOWED_ACE *)ace)->SidStart;
		mask = ((ACCESS_ALLOWED_ACE *)ace)->Mask;
		if ((owner && EqualSid(sid, owner)) || (me && EqualSid(sid, me)) ||
		    is_system_account(sid))
			continue;
		if (mask & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL)) {
			verdict = SYS_FILE_READABLE;
			break;
		}
		if (mask & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | WRITE_DAC |
			    WRITE_OWNER | FILE_EXECUTE | GENERIC_EXECUTE))
			verdict = SYS_FILE_OPEN;
	}
done:
	free(me);
	LocalFree(sd);
	return verdict;
}

void sys_private_fix(const char *path, const char *shown, char *out, size_t n)
{
	/* No one icacls line strips every other account's entry in both cmd.exe
	 * and PowerShell; signing in again writes the file anew with an ACL of
	 * its owner alone (sys_replace_private_file), exactly. */
	(void)path;
	(void)shown;
	snprintf(out, n, "dotpha login");
}

void sys_wipe(void *p, size_t n)
{
	SecureZeroMemory(p, n);
}

/* Reads one line typed on the console h as UTF-16 (whatever the input
 * code page) into buf as UTF-8.  Returns as sys_read_line. */
static long read_console_line(HANDLE h, char *buf, size_t n)
{
	wchar_t w[1024];
	DWORD got = 0;
	size_t len = 0;
	int u;

	if (!ReadConsoleW(h, w, sizeof(w) / sizeof(w[0]) - 1, &got, NULL))
		return -1;
	if (got == 0)
		return -1;
	while (got > 0 && (w[got - 1] == L'\n' || w[got - 1] == L'\r'))
		got--;
	w[got] = L'\0';
	u = WideCharToMultiByte(CP_UTF8, 0, w, (int)got, buf, (int)(n - 1), NULL, NULL);
	if (got > 0 && u <= 0) {
		SecureZeroMemory(w, sizeof(w));
		sys_wipe(buf, n);
		return -2;
	}
	len = (size_t)u;
	buf[len] = '\0';
	SecureZeroMemory(w, sizeof(w));
	return (long)len;
}

long sys_ask(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n)
{
	HANDLE h = console_of(in);

	if (n == 0)
		return -2;
	buf[0] = '\0';
	if (!h)
		return SYS_NOT_A_TERMINAL;
	fputs(prompt, prompt_out);
	fflush(prompt_out);
	return read_console_line(h, buf, n);
}

static HANDLE secret_console;
static DWORD secret_mode;

/* Ctrl+C or a closed window while echo is off: the console keeps its mode
 * after we exit, so give the echo back first, then let Windows go on. */
static BOOL WINAPI on_secret_break(DWORD type)
{
	(void)type;
	SetConsoleMode(secret_console, secret_mode);
	return FALSE;
}

long sys_read_secret(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n)
{
	HANDLE h = console_of(in);
	DWORD mode;
	long r;

	if (n == 0)
		return -2;
	if (!h || !GetConsoleMode(h, &mode))
		return sys_read_line(in, buf, n);
	fputs(prompt, prompt_out);
	fflush(prompt_out);
	secret_console = h;
	secret_mode = mode;
	SetConsoleCtrlHandler(on_secret_break, TRUE);
	SetConsoleMode(h, (mode | ENABLE_LINE_INPUT | ENABLE_PROCESSED_INPUT) & ~(DWORD)ENABLE_ECHO_INPUT);
	r = read_console_line(h, buf, n);
	SetConsoleMode(h, mode);
	SetConsoleCtrlHandler(on_secret_break, FALSE);
	fputc('\n', prompt_out);
	fflush(prompt_out);
	return r;
}

/* A security descriptor that lets only the current user (and SYSTEM, as
 * root on POSIX) at the object, inheriting nothing from its folder: what
 * mode 0600 or 0700 says.  sa points at sd, which points at the rest. */
struct private_sd {
	SECURITY_ATTRIBUTES sa; /* for CreateFileW and CreateDirectoryW */
	SECURITY_DESCRIPTOR sd; /* the DACL below, protected from inheritance */
	PSID user;              /* malloc'ed: the current user */
	PSID system;            /* AllocateAndInitializeSid's: SYSTEM */
	PACL acl;               /* malloc'ed: full control to the two */
};

/* Frees what private_make() allocated in p. */
static void private_free(struct private_sd *p)
{
	free(p->user);
	if (p->system)
		FreeSid(p->system);
	free(p->acl);
}

/* Fills p (free it with private_free()).  Returns 0, or -1 with nothing
 * held. */
static int private_make(struct private_sd *p)
{
	SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
	DWORD size;

	memset(p, 0, sizeof(*p));
	if (!(p->user = current_user()) ||
	    !AllocateAndInitializeSid(&nt, 1, SECURITY_LOCAL_SYSTEM_RID, 0, 0, 0, 0, 0, 0, 0, &p->system))
		goto fail;
	size = sizeof(ACL) + 2 * sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(p->user) +
	       GetLengthSid(p->system);
	if (!(p->acl = malloc(size)) || !InitializeAcl(p->acl, size, ACL_REVISION) ||
	    !AddAccessAllowedAceEx(p->acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE,
				   FILE_ALL_ACCESS, p->user) ||
	    !AddAccessAllowedAceEx(p->acl, ACL_REVISION, OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE,
				   FILE_ALL_ACCESS, p->system) ||
	    !InitializeSecurityDescriptor(&p->sd, SECURITY_DESCRIPTOR_REVISION) ||
	    !SetSecurityDescriptorDacl(&p->sd, TRUE, p->acl, FALSE) ||
	    !SetSecurityDescriptorControl(&p->sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED))
		goto fail;
	p->sa.nLength = sizeof(p->sa);
	p->sa.lpSecurityDescriptor = &p->sd;
	p->sa.bInheritHandle = FALSE;
	return 0;
fail:
	private_free(p);
	memset(p, 0, sizeof(*p));
	return -1;
}

/* The system's message for the Win32 error e, in UTF-8 (English: the
 * sentence around it is the user's language). */
static const char *win_error(DWORD e, char *out, size_t n)
{
	wchar_t w[256];
	int u;

	if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, e,
			    MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), w, 256, NULL) ||
	    (u = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)n, NULL, NULL)) <= 0) {
		snprintf(out, n, "Windows error %lu", (unsigned long)e);
		return out;
	}
	while (u > 1 && (out[u - 2] == '\n' || out[u - 2] == '\r' || out[u - 2] == '.'))
		out[--u - 1] = '\0';
	return out;
}

int sys_make_private_dir(const char *dir, char *msg, size_t msglen)
{
	wchar_t *w = utf16_from_utf8(dir, 1);
	struct private_sd p;
	char why[256];
	DWORD attr;

	if (!w || !*w || wcslen(w) >= 32000) {
		free(w);
		snprintf(msg, msglen, T("%s: the path is too long"), dir);
		return -1;
	}
	if (private_make(&p) < 0) {
		free(w);
		snprintf(msg, msglen, T("cannot create the directory %s: %s"), dir,
			 win_error(GetLastError(), why, sizeof(why)));
		return -1;
	}
	/* Each missing parent in turn, after the drive ("C:\") or share. */
	for (wchar_t *s = w + 1; ; s++) {
		wchar_t saved = *s;

		if (saved != L'\\' && saved != L'\0')
			continue;
		if (s[-1] == L'\\' || s[-1] == L':') {
			if (!saved)
				break;
			continue;
		}
		*s = L'\0';
		if (!CreateDirectoryW(w, &p.sa) && GetLastError() != ERROR_ALREADY_EXISTS &&
		    GetLastError() != ERROR_ACCESS_DENIED) {
			char *u = utf16_to_utf8(w);

			snprintf(msg, msglen, T("cannot create the directory %s: %s"), u ? u : dir,
				 win_error(GetLastError(), why, sizeof(why)));
			free(u);
			private_free(&p);
			free(w);
			return -1;
		}
		*s = saved;
		if (!saved)
			break;
	}
	private_free(&p);
	attr = GetFileAttributesW(w);
	free(w);
	if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
		snprintf(msg, msglen, T("%s is not a directory"), dir);
		return -1;
	}
	return 0;
}

int sys_replace_private_file(const char *path, const void *data, size_t len, char *msg,
			     size_t msglen)
{
	char tmp[4200], why[256];
	unsigned char rnd[6];
	const char *p = data;
	wchar_t *wtmp = NULL, *wpath = utf16_from_utf8(path, 1);
	HANDLE h = INVALID_HANDLE_VALUE;
	struct private_sd sd;
	DWORD err = 0;

	if (!wpath || private_make(&sd) < 0) {
		free(wpath);
		snprintf(msg, msglen, T("cannot write %s: %s"), path, strerror(errno ? errno : ENOMEM));
		return -1;
	}
	for (int tries = 0; h == INVALID_HANDLE_VALUE && tries < 8; tries++) {
		if (sys_random(rnd, sizeof(rnd)) < 0) {
			snprintf(msg, msglen, T("cannot read random bytes for a temporary file name"));
			goto out;
		}
		snprintf(tmp, sizeof(tmp), "%s.tmp-%lu-%02x%02x%02x%02x%02x%02x", path,
			 (unsigned long)GetCurrentProcessId(), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4],
			 rnd[5]);
		free(wtmp);
		if (!(wtmp = utf16_from_utf8(tmp, 1))) {
			snprintf(msg, msglen, T("%s: the path is too long"), path);
			goto out;
		}
		/* Created new, with only its owner in its ACL (mode 0600). */
		h = CreateFileW(wtmp, GENERIC_WRITE, 0, &sd.sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
		if (h == INVALID_HANDLE_VALUE && GetLastError() != ERROR_FILE_EXISTS) {
			snprintf(msg, msglen, T("cannot create %s: %s"), tmp,
				 win_error(GetLastError(), why, sizeof(why)));
			goto out;
		}
	}
	if (h == INVALID_HANDLE_VALUE) {
		snprintf(msg, msglen, T("cannot create a temporary file beside %s"), path);
		goto out;
	}
	while (len > 0) {
		DWORD chunk = len > 0x40000000 ? 0x40000000 : (DWORD)len, w = 0;

		if (!WriteFile(h, p, chunk, &w, NULL) || w == 0)
			goto fail;
		p += w;
		len -= w;
	}
	/* On disk before the name points at it, as fsync() before rename(). */
	if (!FlushFileBuffers(h))
		goto fail;
	CloseHandle(h);
	h = INVALID_HANDLE_VALUE;
	if (!MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		goto fail;
	free(wtmp);
	free(wpath);
	private_free(&sd);
	return 0;
fail:
	err = GetLastError();
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	DeleteFileW(wtmp);
	snprintf(msg, msglen, T("cannot write %s: %s"), path, win_error(err, why, sizeof(why)));
out:
	free(wtmp);
	free(wpath);
	private_free(&sd);
	return -1;
}

int sys_rename_new(const char *from, const char *to)
{
	wchar_t *wf = utf16_from_utf8(from, 1), *wt = utf16_from_utf8(to, 1);
	int rc = -1;

	/* Without MOVEFILE_REPLACE_EXISTING the move fails if to exists: the
	 * check and the rename are one step. */
	if (wf && wt) {
		if (MoveFileExW(wf, wt, MOVEFILE_WRITE_THROUGH))
			rc = 0;
		else
			errno = GetLastError() == ERROR_ALREADY_EXISTS ||
					GetLastError() == ERROR_FILE_EXISTS
				? EEXIST
				: EACCES;
	}
	free(wf);
	free(wt);
	return rc;
}

int sys_lock_open(const char *path)
{
	wchar_t *w = utf16_from_utf8(path, 1);
	struct private_sd sd;
	OVERLAPPED ov;
	HANDLE h;
	int fd;

	if (!w)
		return -1;
	if (private_make(&sd) < 0) {
		free(w);
		return -1;
	}
	h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sd.sa,
			OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	free(w);
	private_free(&sd);
	if (h == INVALID_HANDLE_VALUE)
		return -1;
	memset(&ov, 0, sizeof(ov));
	/* Waits (no LOCKFILE_FAIL_IMMEDIATELY) for another dotpha holding it. */
	if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK, 0, MAXDWORD, MAXDWORD, &ov)) {
		CloseHandle(h);
		return -1;
	}
	/* A descriptor, as sys.h promises an int: closing it closes the handle,
	 * which drops the lock. */
	if ((fd = _open_osfhandle((intptr_t)h, _O_RDWR)) < 0) {
		CloseHandle(h);
		return -1;
	}
	return fd;
}

void sys_lock_close(int fd)
{
	if (fd >= 0)
		_close(fd);
}

const char *sys_queue_dir(char *out, size_t n)
{
	const wchar_t *local = _wgetenv(L"LOCALAPPDATA");
	char *u;

	if (!local || !*local || !(u = utf16_to_utf8(local)))
		return NULL;
	if ((size_t)snprintf(out, n, "%s\\dotpha", u) >= n) {
		free(u);
		return NULL;
	}
	free(u);
	return out;
}
