/*
 * 40-kernel-modules: load kernel code: init_module, finit_module,
 * delete_module, kexec_load, kexec_file_load. All must be refused. The
 * arguments are empty or invalid (a zero-length image, descriptor -1, a module
 * that does not exist, unknown flags), so a call that gets through changes
 * nothing and its errno shows it reached the kernel.
 */
#include "hostile.h"

#include <fcntl.h>

int main(void)
{
	struct h_call calls[] = {
		{ "init_module", SYS_init_module, { 0, 0, (long)"" } },
		{ "finit_module", SYS_finit_module, { -1, (long)"", 0 } },
		{ "delete_module",
		  SYS_delete_module,
		  { (long)"forklab_sbx_none", O_NONBLOCK } },
		{ "kexec_load", SYS_kexec_load, { 0, 0, 0, 0x00ff0000L } },
		{ "kexec_file_load",
		  SYS_kexec_file_load,
		  { -1, -1, 0, (long)"", 0x80000000L } },
	};

	h_begin("kernel-modules: load code into the kernel");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
