/*
 * 09-memory-bomb: allocate and touch memory, 1 MiB at a time, until malloc
 * fails, in the main process and in NCHILD children at once. The address
 * space limit (LIMIT_MIB, the --mem given to forklab) must stop every process
 * at or below LIMIT_MIB. Each process stops by itself at 4 * LIMIT_MIB.
 * Prints "memory contained" and exits 0 when every process was stopped in
 * time, else "memory ESCAPED" and exits 1.
 *
 * Usage: 09-memory-bomb LIMIT_MIB NCHILD
 */
#include "hostile.h"

#include <sys/types.h>
#include <sys/wait.h>

#define CHUNK (1L << 20)

/* Allocate and touch chunks until malloc fails or cap MiB are held. Returns
 * the number of MiB held. The memory is never freed: the process ends. */
static long bomb(long cap)
{
	long mib = 0;

	while (mib < cap) {
		char *p = malloc(CHUNK);

		if (!p)
			break;
		memset(p, 0xa5, CHUNK);
		mib++;
	}
	return mib;
}

/* One line by write(2) alone: printf might want memory there is none of. */
static void report(const char *who, long mib, long limit)
{
	char line[128];
	int n = snprintf(line, sizeof(line),
	                 "%s %d: %ld MiB before malloc "
	                 "failed (limit %ld)\n",
	                 who, (int)getpid(), mib, limit);

	if (write(STDOUT_FILENO, line, n) < 0)
		_exit(H_USAGE);
}

int main(int argc, char **argv)
{
	long limit, nchild, mib, escaped = 0;
	int status;

	h_begin("memory-bomb: malloc and touch until malloc fails");
	if (argc != 3 || (limit = atol(argv[1])) <= 0 ||
	    (nchild = atol(argv[2])) < 0 || nchild > 16) {
		printf("usage: %s LIMIT_MIB NCHILD (0..16)\n", argv[0]);
		return H_USAGE;
	}
	for (long i = 0; i < nchild; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("fork: %s\n", h_errname(errno));
			return H_USAGE;
		}
		if (pid == 0) {
			mib = bomb(4 * limit);
			report("child", mib, limit);
			_exit(mib <= limit ? H_CONTAINED : H_ESCAPED);
		}
	}
	mib = bomb(4 * limit);
	report("main", mib, limit);
	escaped = mib > limit;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != H_CONTAINED)
			escaped = 1;
	if (escaped) {
		report("memory ESCAPED", mib, limit);
		return H_ESCAPED;
	}
	if (write(STDOUT_FILENO, "memory contained\n", 17) < 0)
		return H_USAGE;
	return H_CONTAINED;
}
