/*
 * 43-ipc-leftover: make IPC objects that outlive their process and leave them
 * behind: a POSIX shared memory object, a named semaphore, a POSIX message
 * queue (holding a message) and a SysV shared memory segment. The names are
 * fixed, so that the test can look for them afterwards: forklab must remove
 * every one and count them in ipc_removed. Exit 0 when all four were made; 2
 * when one could not be (the case is broken, or the sandbox forbids what the
 * exercises need).
 */
#include "hostile.h"

#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define LEFTOVER_NAME     "/forklab-sbx-leftover"
#define LEFTOVER_SYSV_KEY 0x464b5342 /* "FKSB" */

static int made(const char *what, int ok)
{
	if (ok)
		printf("left behind: %s\n", what);
	else
		printf("could not make %s: %s\n", what, h_errname(errno));
	return ok;
}

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	int fd, id, all = 1;
	sem_t *sem;
	mqd_t q;
	char *p;

	h_begin("ipc-leftover: leave IPC objects behind");
	fd = shm_open(LEFTOVER_NAME, O_CREAT | O_RDWR, 0600);
	all &= made("shm " LEFTOVER_NAME, fd >= 0 && ftruncate(fd, 4096) == 0);

	sem = sem_open(LEFTOVER_NAME, O_CREAT, 0600, 1);
	all &= made("semaphore " LEFTOVER_NAME, sem != SEM_FAILED);

	q = mq_open(LEFTOVER_NAME, O_CREAT | O_RDWR | O_NONBLOCK, 0600, &attr);
	all &= made("message queue " LEFTOVER_NAME,
	            q != (mqd_t)-1 && mq_send(q, "left", 4, 0) == 0);

	id = shmget(LEFTOVER_SYSV_KEY, 4096, IPC_CREAT | 0600);
	p = id < 0 ? (char *)-1 : shmat(id, NULL, 0);
	all &= made("SysV shm key 0x464b5342", p != (char *)-1);
	if (p != (char *)-1) {
		strcpy(p, "left");
		shmdt(p);
	}
	return all ? 0 : H_USAGE;
}
