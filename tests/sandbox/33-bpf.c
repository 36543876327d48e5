/*
 * 33-bpf: load code into the kernel (bpf): create a map, load a two-instruction
 * socket filter, walk the loaded programs. All must be refused. The map
 * attributes are zero, which the kernel rejects (EINVAL) if the call gets
 * through; the program, if loaded, goes with this process.
 */
#include "hostile.h"

#include <linux/bpf.h>

int main(void)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr map, load, next;
	struct h_call calls[] = {
		{ "bpf(BPF_MAP_CREATE)",
		  SYS_bpf,
		  { BPF_MAP_CREATE, (long)&map, sizeof(map) } },
		{ "bpf(BPF_PROG_LOAD)",
		  SYS_bpf,
		  { BPF_PROG_LOAD, (long)&load, sizeof(load) } },
		{ "bpf(BPF_PROG_GET_NEXT_ID)",
		  SYS_bpf,
		  { BPF_PROG_GET_NEXT_ID, (long)&next, sizeof(next) } },
	};

	h_begin("bpf: load code into the kernel");
	memset(&map, 0, sizeof(map));
	memset(&load, 0, sizeof(load));
	memset(&next, 0, sizeof(next));
	load.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	load.insns = (unsigned long)prog;
	load.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	load.license = (unsigned long)"GPL";
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
