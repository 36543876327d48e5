/*
 * 38-set-time: set the machine's clock (settimeofday, clock_settime) or steer
 * it (adjtimex, clock_adjtime). All must be refused. Every value is invalid
 * (2 000 000 microseconds; 2 000 000 000 nanoseconds; ADJ_ADJTIME without
 * ADJ_OFFSET_SINGLESHOT), so a call that gets through changes nothing and
 * fails with EINVAL, which shows it reached the kernel.
 */
#include "hostile.h"

#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>

#define ADJ_ADJTIME_ 0x8000

int main(void)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 2000000 };
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 2000000000 };
	struct timex tx = { .modes = ADJ_ADJTIME_ };
	struct h_call calls[] = {
		{ "settimeofday", SYS_settimeofday, { (long)&tv, 0 } },
		{ "clock_settime(CLOCK_REALTIME)",
		  SYS_clock_settime,
		  { CLOCK_REALTIME, (long)&ts } },
		{ "adjtimex", SYS_adjtimex, { (long)&tx } },
		{ "clock_adjtime(CLOCK_REALTIME)",
		  SYS_clock_adjtime,
		  { CLOCK_REALTIME, (long)&tx } },
	};

	h_begin("set-time: set the machine's clock");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
