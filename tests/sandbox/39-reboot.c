/*
 * 39-reboot: reboot(2) with wrong magic numbers: refused by the sandbox, and
 * harmless if it is not (the kernel checks the magic after the privilege:
 * EINVAL then shows the call got through).
 */
#include "hostile.h"

int main(void)
{
	struct h_call calls[] = {
		{ "reboot(bad magic)", SYS_reboot, { 0, 0, 0, 0 } },
	};

	h_begin("reboot: reboot the machine");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
