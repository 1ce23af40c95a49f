/*
 * call.c: roles by name, and the start of every handler's params.
 */
#include "call.h"

#include <string.h>

static const char *const role_names[] = {"admin", "supervisor", "office", "viewer"};

int role_of(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, role_names[i]) == 0)
			return 1 << i;
	return 0;
}

const char *role_name(int role)
{
	for (int i = 0; i < 4; i++)
		if (role == 1 << i)
			return role_names[i];
	return "nobody";
}

void call_params(struct call *c, struct params *p)
{
	params_init(p, c->params, c->err);
	params_skip(p, "request_id");
}
