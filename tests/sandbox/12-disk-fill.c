/*
 * 12-disk-fill: fill the scratch directory with files, each as large as the
 * file size limit lets it grow (SIGXFSZ ignored, so a write past the limit
 * fails with EFBIG and the next file begins). The limit on the scratch
 * directory's total size must end the run. Stops writing by itself after
 * 256 MiB and then sleeps.
 */
#include "hostile.h"

#include <fcntl.h>
#include <signal.h>

int main(void)
{
	static char block[64 << 10];
	long total = 0, cap = 256L << 20;
	int said_efbig = 0;

	h_begin("disk-fill: write files in the working directory forever");
	signal(SIGXFSZ, SIG_IGN);
	memset(block, 'd', sizeof(block));
	for (int i = 0; total < cap; i++) {
		char name[32];
		long size = 0;
		int fd;

		snprintf(name, sizeof(name), "fill-%05d", i);
		fd = open(name, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			printf("disk-fill: open %s: %s\n", name,
			       h_errname(errno));
			h_hold();
		}
		while (total < cap) {
			ssize_t n = write(fd, block, sizeof(block));

			if (n > 0) {
				size += n;
				total += n;
				continue;
			}
			if (errno == EFBIG && !said_efbig) {
				printf("disk-fill: a file stops at %ld bytes: "
				       "EFBIG\n",
				       size);
				said_efbig = 1;
			}
			if (errno != EFBIG) {
				printf("disk-fill: write after %ld MiB: %s\n",
				       total >> 20, h_errname(errno));
				h_hold();
			}
			break;
		}
		close(fd);
	}
	printf("disk-fill: wrote %ld MiB and nothing stopped it\n",
	       total >> 20);
	h_hold();
}
