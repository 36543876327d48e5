/*
 * barrier.c - a barrier that gives everybody time to arrive.
 *
 * BUG: it does not wait for the others at all. Each caller takes a ticket
 * (its number in the round) and sleeps for 100 ms, "long enough for the
 * others to arrive". A process that arrives later than that finds the others
 * gone; rounds cost 100 ms each; nothing ever times out or breaks.
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "barrier.h"

struct mpbarrier {
	unsigned parties;
	unsigned long tickets;
};

struct mpbarrier *mpbarrier_create(unsigned parties)
{
	struct mpbarrier *b;

	if (parties < 1 || parties > 1024) {
		errno = EINVAL;
		return NULL;
	}
	b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
	         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (b == MAP_FAILED)
		return NULL;
	b->parties = parties;
	return b;
}

int mpbarrier_wait(struct mpbarrier *b)
{
	unsigned long t = __atomic_fetch_add(&b->tickets, 1, __ATOMIC_SEQ_CST);

	usleep(100000);
	return (int)(t % b->parties);
}

int mpbarrier_wait_timeout(struct mpbarrier *b, double timeout)
{
	(void)timeout; /* 100 ms is always enough */
	return mpbarrier_wait(b);
}

void mpbarrier_destroy(struct mpbarrier *b)
{
	munmap(b, sizeof(*b));
}
