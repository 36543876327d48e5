/*
 * 11-output-flood: write to stdout and stderr in turn, as fast as possible,
 * and never stop on its own. The output limit must cut the streams and end
 * the run. Stops by itself after 16 MiB on each stream.
 */
#include "hostile.h"

int main(void)
{
	char line[512];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (long sent = 0; sent < (16L << 20); sent += sizeof(line)) {
		if (write(STDOUT_FILENO, line, sizeof(line)) < 0 ||
		    write(STDERR_FILENO, line, sizeof(line)) < 0)
			h_hold();
	}
	return H_ESCAPED;
}
