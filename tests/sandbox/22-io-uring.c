/*
 * 22-io-uring: io_uring does system calls' work without system calls, out of
 * seccomp's sight: io_uring_setup, _enter and _register must all be refused.
 */
#include "hostile.h"

#include <linux/io_uring.h>

int main(void)
{
	struct io_uring_params params;
	struct h_call calls[] = {
		{ "io_uring_setup", SYS_io_uring_setup, { 8, (long)&params } },
		{ "io_uring_enter", SYS_io_uring_enter, { -1, 1, 0, 0, 0, 0 } },
		{ "io_uring_register", SYS_io_uring_register, { -1, 0, 0, 0 } },
	};

	h_begin("io-uring: set up a ring");
	memset(&params, 0, sizeof(params));
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
