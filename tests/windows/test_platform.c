/*
 * test_platform.c: the Windows platform layer's own tests, run under wine
 * by `make test-windows` (Criterion has no mingw build, so this is plain
 * C: each check prints "ok" or "FAIL" and the exit status counts the
 * failures).  It covers what client/win/ adds over the POSIX build: UTF-8
 * <-> UTF-16, file names with diacritics, the atomic replace and the
 * rename that never replaces, the queue's lock, BCrypt's random bytes and
 * SHA-256, the ACL check that stands for mode 0600, the TZ form the C
 * library takes, and where the queue lives.  The network and Schannel are
 * covered end to end by tests/windows/integration.py.
 *
 * Usage: test_platform.exe DIR (an empty directory it may write in);
 * test_platform.exe --let-everyone-read FILE adds an ACE letting Everyone
 * read FILE (integration.py: dotpha must then refuse its token file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <windows.h>
#include <aclapi.h>

#include "sha256.h"
#include "sys.h"
#include "utf16.h"

static int failures;

#define CHECK(cond, what)                                                     \
	do {                                                                  \
		int ok_ = (cond);                                             \
		printf("%s %s\n", ok_ ? "ok  " : "FAIL", what);               \
		if (!ok_) {                                                   \
			printf("     at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                           \
		}                                                             \
	} while (0)

static const char VI[] = "Đã rà soát, lập hồ sơ — “xã nông thôn mới” ≥ 95%";

/* The whole of the file at path (UTF-8 name) into buf; its length or -1. */
static long slurp(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		return -1;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = '\0';
	return (long)got;
}

static void test_utf16(void)
{
	wchar_t *w = utf16_from_utf8(VI, 0);
	char *back = w ? utf16_to_utf8(w) : NULL;
	wchar_t *p = utf16_from_utf8("C:/Users/Đức/dotpha", 1);

	CHECK(w && w[0] == 0x0110 && w[1] == L'ã', "UTF-8 becomes UTF-16 (Đ is U+0110)");
	CHECK(back && strcmp(back, VI) == 0, "UTF-16 becomes the same UTF-8 bytes again");
	CHECK(p && wcscmp(p, L"C:\\Users\\\x0110\x1ee9" L"c\\dotpha") == 0,
	      "a path's '/' becomes '\\'");
	CHECK(utf16_from_utf8("\xc3\x28", 0) == NULL, "bytes that are not UTF-8 are refused");
	free(w);
	free(back);
	free(p);
}

static void test_files(const char *dir)
{
	char path[600], buf[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/Báo cáo tiến độ.txt", dir);
	f = fopen(path, "w");
	CHECK(f != NULL, "fopen creates a file whose name has diacritics");
	if (f) {
		fputs("một\ndòng\n", f);
		fclose(f);
	}
	CHECK(slurp(path, buf, sizeof(buf)) == (long)strlen("một\ndòng\n") &&
	      strcmp(buf, "một\ndòng\n") == 0, "what was written is read back, \\n not turned into \\r\\n");
	errno = 0;
	f = fopen(path, "wbx");
	CHECK(f == NULL && errno == EEXIST, "fopen \"wbx\" refuses a file that exists (EEXIST)");
	if (f)
		fclose(f);
}

static void test_replace(const char *dir)
{
	char path[600], other[600], buf[256], msg[300];

	snprintf(path, sizeof(path), "%s/cấu hình", dir);
	CHECK(sys_replace_private_file(path, "token = một\n", 14, msg, sizeof(msg)) == 0,
	      "sys_replace_private_file writes a new file");
	CHECK(sys_replace_private_file(path, "token = hai\n", 13, msg, sizeof(msg)) == 0,
	      "sys_replace_private_file replaces one that exists (MoveFileExW)");
	CHECK(slurp(path, buf, sizeof(buf)) == 13 && strcmp(buf, "token = hai\n") == 0,
	      "the replaced file holds the new bytes only");
	snprintf(other, sizeof(other), "%s/khác", dir);
	{
		FILE *f = fopen(other, "wb");

		if (f) {
			fputs("khác", f);
			fclose(f);
		}
	}
	CHECK(rename(other, path) == 0 && slurp(path, buf, sizeof(buf)) == (long)strlen("khác"),
	      "rename() replaces its target as on POSIX");
}

static void test_rename_new(const char *dir)
{
	char a[600], b[600], buf[64];
	FILE *f;

	snprintf(a, sizeof(a), "%s/tải.part", dir);
	snprintf(b, sizeof(b), "%s/tải", dir);
	if ((f = fopen(a, "wb"))) {
		fputs("1", f);
		fclose(f);
	}
	CHECK(sys_rename_new(a, b) == 0 && slurp(b, buf, sizeof(buf)) == 1,
	      "sys_rename_new moves a file to a free name");
	if ((f = fopen(a, "wb"))) {
		fputs("22", f);
		fclose(f);
	}
	errno = 0;
	CHECK(sys_rename_new(a, b) == -1 && errno == EEXIST && slurp(b, buf, sizeof(buf)) == 1,
	      "sys_rename_new leaves a name that is taken alone (EEXIST)");
}

/* Tries to take the lock at path from another handle without waiting. */
static int lock_free(const char *path)
{
	wchar_t *w = utf16_from_utf8(path, 1);
	HANDLE h = CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
			       NULL, OPEN_EXISTING, 0, NULL);
	OVERLAPPED ov;
	int ok;

	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return -1;
	memset(&ov, 0, sizeof(ov));
	ok = LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD,
			&ov) != 0;
	CloseHandle(h);
	return ok;
}

static void test_lock(const char *dir)
{
	char path[600];
	int l;

	snprintf(path, sizeof(path), "%s/hàng đợi.lock", dir);
	l = sys_lock_open(path);
	CHECK(l >= 0, "sys_lock_open takes the queue's lock");
	CHECK(lock_free(path) == 0, "while held, another handle cannot take it (LockFileEx)");
	sys_lock_close(l);
	CHECK(lock_free(path) == 1, "once closed, it can be taken again");
}

static void test_random_and_hash(void)
{
	unsigned char a[32], b[32], zero[32] = {0}, md[32];
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	struct sha256 *h = sha256_new();

	CHECK(sys_random(a, sizeof(a)) == 0 && sys_random(b, sizeof(b)) == 0 &&
	      memcmp(a, b, 32) != 0 && memcmp(a, zero, 32) != 0,
	      "sys_random gives fresh bytes (BCryptGenRandom)");
	CHECK(h != NULL, "sha256_new (BCrypt)");
	if (h) {
		sha256_update(h, "a", 1);
		sha256_update(h, "bc", 2);
		CHECK(sha256_final(h, md) == 0 && memcmp(md, abc, 32) == 0,
		      "SHA-256 of \"abc\" fed in two parts is FIPS 180-2's");
		sha256_free(h);
	}
}

/* Adds an ACE letting Everyone read the file at path. */
static int let_everyone_read(const char *path)
{
	wchar_t *w = utf16_from_utf8(path, 1);
	PACL old = NULL, acl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	EXPLICIT_ACCESSW ea;
	int rc = -1;

	if (GetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, &old, NULL,
				  &sd) == ERROR_SUCCESS) {
		memset(&ea, 0, sizeof(ea));
		ea.grfAccessPermissions = GENERIC_READ;
		ea.grfAccessMode = GRANT_ACCESS;
		ea.Trustee.TrusteeForm = TRUSTEE_IS_NAME;
		ea.Trustee.ptstrName = L"EVERYONE";
		if (SetEntriesInAclW(1, &ea, old, &acl) == ERROR_SUCCESS &&
		    SetNamedSecurityInfoW(w, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, acl,
					  NULL) == ERROR_SUCCESS)
			rc = 0;
	}
	LocalFree(acl);
	LocalFree(sd);
	free(w);
	return rc;
}

static void test_acl(const char *dir)
{
	char path[600], msg[300];
	FILE *f;
	int access = -1;

	snprintf(path, sizeof(path), "%s/config", dir);
	sys_replace_private_file(path, "token = x\n", 10, msg, sizeof(msg));
	if ((f = fopen(path, "rb"))) {
		access = sys_file_access(f);
		fclose(f);
	}
	CHECK(access == SYS_FILE_PRIVATE, "the token file written by dotpha is private (ACL: owner only)");
	access = -1;
	if (let_everyone_read(path) == 0 && (f = fopen(path, "rb"))) {
		access = sys_file_access(f);
		fclose(f);
	}
	CHECK(access == SYS_FILE_READABLE, "once Everyone may read it, sys_file_access says so");
}

static void test_tz_and_places(void)
{
	time_t noon = 12 * 3600;
	struct tm *tm;
	char dir[1024];
	const char *q;

	setenv("TZ", "<+07>-7", 1);
	tzset();
	tm = localtime(&noon);
	CHECK(tm && tm->tm_hour == 19, "TZ \"<+07>-7\" is UTC+7 to the C library");
	q = sys_queue_dir(dir, sizeof(dir));
	CHECK(q && strstr(q, "\\dotpha") && getenv("LOCALAPPDATA") &&
	      strncmp(q, getenv("LOCALAPPDATA"), strlen(getenv("LOCALAPPDATA"))) == 0,
	      "the queue lives in %LOCALAPPDATA%\\dotpha");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--let-everyone-read") == 0)
		return let_everyone_read(argv[2]) == 0 ? 0 : 1;
	if (argc != 2) {
		fprintf(stderr, "usage: test_platform.exe DIR | --let-everyone-read FILE\n");
		return 2;
	}
	test_utf16();
	test_files(argv[1]);
	test_replace(argv[1]);
	test_rename_new(argv[1]);
	test_lock(argv[1]);
	test_random_and_hash();
	test_acl(argv[1]);
	test_tz_and_places();
	printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
