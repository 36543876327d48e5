/*
 * 14-fd-exhaustion: open descriptors until EMFILE, keep trying to get more
 * (dup, pipe, eventfd, epoll), and hold them all until the wall limit. forklab
 * must still end the run and collect the record. Stops by itself after a
 * million descriptors.
 */
#include "hostile.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>

int main(void)
{
	int p[2], n = 0, fd = 0, more = 0;

	h_begin("fd-exhaustion: take every descriptor and hold them");
	if (pipe(p) < 0) {
		printf("fd-exhaustion: pipe: %s\n", h_errname(errno));
		return H_USAGE;
	}
	while (n < 1000000 && (fd = dup(p[0])) >= 0)
		n++;
	printf("fd-exhaustion: dup failed after %d descriptors: %s\n", n,
	       fd < 0 ? h_errname(errno) : "(did not fail)");
	for (int i = 0; i < 1000; i++) {
		more += pipe(p) == 0;
		more += eventfd(0, 0) >= 0;
		more += epoll_create1(0) >= 0;
		more += dup(1) >= 0;
	}
	printf("fd-exhaustion: %d more after that; holding\n", more);
	h_hold();
}
