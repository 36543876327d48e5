/*
 * 13-file-size: grow one file in the working directory without end, with
 * SIGXFSZ left at its default. The file size limit must kill the process
 * with SIGXFSZ. Stops by itself at 256 MiB.
 */
#include "hostile.h"

#include <fcntl.h>

int main(void)
{
	static char block[64 << 10];
	long size = 0;
	int fd;

	h_begin("file-size: grow one file until the kernel stops it");
	memset(block, 'f', sizeof(block));
	fd = open("big", O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		printf("file-size: open: %s\n", h_errname(errno));
		return H_USAGE;
	}
	while (size < (256L << 20)) {
		ssize_t n = write(fd, block, sizeof(block));

		if (n < 0) {
			printf("file-size: write after %ld bytes: %s\n", size,
			       h_errname(errno));
			return H_CONTAINED;
		}
		size += n;
	}
	printf("file-size: the file reached %ld bytes\n", size);
	return H_ESCAPED;
}
