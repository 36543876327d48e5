/*
 * 19-kill-parent: signal the parent (forklab, or its helper): SIGSTOP,
 * SIGTERM, SIGKILL. Every one must be refused, and the parent must still be
 * there afterwards. A stop that gets through is undone at once with SIGCONT.
 */
#include "hostile.h"

#include <signal.h>

static const struct {
	int signo;
	const char *label;
} attacks[] = {
	{ SIGSTOP, "kill(parent, SIGSTOP)" },
	{ SIGTERM, "kill(parent, SIGTERM)" },
	{ SIGKILL, "kill(parent, SIGKILL)" },
};

int main(void)
{
	pid_t parent = getppid();

	h_begin("kill-parent: signal my parent");
	if (parent <= 1) {
		printf("kill-parent: the parent is out of sight (%d)\n",
		       (int)parent);
		return h_finish();
	}
	for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		if (h_denied(attacks[i].label,
		             kill(parent, attacks[i].signo)) &&
		    attacks[i].signo == SIGSTOP)
			kill(parent, SIGCONT);
	}
	usleep(100000);
	if (getppid() != parent)
		h_escape("kill-parent", "my parent died");
	return h_finish();
}
