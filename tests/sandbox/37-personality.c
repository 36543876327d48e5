/*
 * 37-personality: change the execution domain (personality): turn address
 * space randomisation off, make every readable page executable, pretend to be
 * a 32-bit machine. All must be refused. A change that gets through stays in
 * this process.
 */
#include "hostile.h"

#include <sys/personality.h>

int main(void)
{
	struct h_call calls[] = {
		{ "personality(ADDR_NO_RANDOMIZE)",
		  SYS_personality,
		  { ADDR_NO_RANDOMIZE } },
		{ "personality(READ_IMPLIES_EXEC)",
		  SYS_personality,
		  { READ_IMPLIES_EXEC } },
		{ "personality(PER_LINUX32)",
		  SYS_personality,
		  { PER_LINUX32 } },
	};

	h_begin("personality: change the execution domain");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}
