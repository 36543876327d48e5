/* Every function blocks forever (benchmark: everything hangs). */
#include <unistd.h>
#include "channel.h"

static void forever(void)
{
	for (;;)
		pause();
}
pid_t channel_spawn(struct channel *end,
                    int (*serve)(struct channel *end, void *arg), void *arg)
{
	(void)end, (void)serve, (void)arg;
	forever();
	return 0;
}
int channel_send(struct channel *c, const void *buf, size_t len)
{
	(void)c, (void)buf, (void)len;
	forever();
	return 0;
}
ssize_t channel_recv(struct channel *c, void *buf, size_t cap)
{
	(void)c, (void)buf, (void)cap;
	forever();
	return 0;
}
int channel_close(struct channel *c)
{
	(void)c;
	forever();
	return 0;
}
