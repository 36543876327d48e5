/*
 * 41-sethostname: rename the machine (sethostname, setdomainname). Both must
 * be refused. The names are one byte too long, so a call that gets through
 * changes nothing and fails with EINVAL.
 */
#include "hostile.h"

int main(void)
{
	static char name[65];
	struct h_call calls[] = {
		{ "sethostname",
		  SYS_sethostname,
		  { (long)name, sizeof(name) } },
		{ "setdomainname",
		  SYS_setdomainname,
		  { (long)name, sizeof(name) } },
	};

	h_begin("sethostname: rename the machine");
	memset(name, 'x', sizeof(name));
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
