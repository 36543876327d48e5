/*
 * 34-perf-event: open performance counters (perf_event_open): a software
 * clock on this process, which an unprivileged process may open when the
 * system call is allowed at all, and a hardware counter on a whole CPU. Both
 * must be refused: counters are timers fine enough for side channels.
 */
#include "hostile.h"

#include <linux/perf_event.h>

int main(void)
{
	struct perf_event_attr self, cpu;
	struct h_call calls[] = {
		{ "perf_event_open(software clock, this process)",
		  SYS_perf_event_open,
		  { (long)&self, 0, -1, -1, 0 } },
		{ "perf_event_open(cycles, CPU 0)",
		  SYS_perf_event_open,
		  { (long)&cpu, -1, 0, -1, 0 } },
	};

	h_begin("perf-event: open performance counters");
	memset(&self, 0, sizeof(self));
	self.size = sizeof(self);
	self.type = PERF_TYPE_SOFTWARE;
	self.config = PERF_COUNT_SW_CPU_CLOCK;
	self.disabled = 1;
	self.exclude_kernel = 1;
	self.exclude_hv = 1;
	memset(&cpu, 0, sizeof(cpu));
	cpu.size = sizeof(cpu);
	cpu.type = PERF_TYPE_HARDWARE;
	cpu.config = PERF_COUNT_HW_CPU_CYCLES;
	cpu.disabled = 1;
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
