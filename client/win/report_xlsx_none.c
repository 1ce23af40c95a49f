/*
 * report_xlsx_none.c: report_xlsx.h in the Windows build, which has no
 * libxlsxwriter (Debian ships none for mingw): `report --xlsx` says so
 * and points at --csv -o FILE, which Excel opens.
 */
#include "report_xlsx.h"

#include "errors.h"
#include "lang.h"
#include "rpc.h"

int report_xlsx_write(struct cli *c, const msgpack_object *res, const char *path)
{
	(void)res;
	errors_set(&c->error, RPC_INTERNAL,
		   T("--xlsx is not available in this build of dotpha (%s was not written); "
		     "use --csv -o FILE, which Excel opens"), path);
	return RPC_STATUS_LOCAL;
}
