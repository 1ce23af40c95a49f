/*
 * main_win.c: dotpha.exe's entry, in place of main.c.  Windows hands a
 * program its arguments in UTF-16 (wmain); dotpha works in UTF-8, so they
 * are converted here, whatever the system's code page (1258 on a
 * Vietnamese Windows), and the console is switched to UTF-8 both ways.
 * The manifest (dist/windows/dotpha.manifest) also asks for UTF-8 as the
 * process code page on Windows 10 1903 and later; this file is what makes
 * older Windows work too.  Standard streams are binary: what dotpha writes
 * is what lands in a file (`> out.csv`), never "\r\r\n".  The config lives
 * in %APPDATA%\dotpha (the queue in %LOCALAPPDATA%\dotpha: sys_win.c).
 */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "cli.h"
#include "utf16.h"

/* The UTF-8 value of the environment variable w into name, when name is
 * not set already (a test or a user may point it elsewhere). */
static void env_from(const char *name, const wchar_t *w)
{
	const wchar_t *v = _wgetenv(w);
	char *u;

	if (getenv(name) || !v || !*v || !(u = utf16_to_utf8(v)))
		return;
	_putenv_s(name, u);
	free(u);
}

int wmain(int argc, wchar_t **wargv); /* the C runtime calls it (-municode) */

int wmain(int argc, wchar_t **wargv)
{
	char **argv = calloc((size_t)argc + 1, sizeof(*argv));

	SetConsoleOutputCP(CP_UTF8);
	SetConsoleCP(CP_UTF8);
	_setmode(_fileno(stdin), _O_BINARY);
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
	if (!argv) {
		fputs("dotpha: out of memory\n", stderr);
		return 1;
	}
	for (int i = 0; i < argc; i++)
		if (!(argv[i] = utf16_to_utf8(wargv[i]))) {
			fputs("dotpha: out of memory\n", stderr);
			return 1;
		}
	/* config.c looks in $XDG_CONFIG_HOME/dotpha (or $HOME/.config/dotpha):
	 * on Windows that is %APPDATA%\dotpha, and HOME the user's profile. */
	env_from("XDG_CONFIG_HOME", L"APPDATA");
	env_from("HOME", L"USERPROFILE");
	return cli_main(argc, argv);
}
