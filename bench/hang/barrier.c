/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "barrier.h"

static void forever(void)
{
	for (;;)
		pause();
}
struct mpbarrier *mpbarrier_create(unsigned parties)
{
	(void)parties;
	forever();
	return 0;
}
int mpbarrier_wait(struct mpbarrier *b)
{
	(void)b;
	forever();
	return 0;
}
int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	(void)b, (void)timeout;
	forever();
	return 0;
}
void mpbarrier_destroy(struct mpbarrier *b)
{
	(void)b;
	forever();
}
