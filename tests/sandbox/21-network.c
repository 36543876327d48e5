/*
 * 21-network: sockets that reach beyond the sandbox: TCP over IPv4 (then a
 * connect to 127.0.0.1), UDP, IPv6, netlink (the kernel's routing tables) and
 * raw packets. socket() must be refused for every one of these families.
 */
#include "hostile.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const struct {
	const char *label;
	int domain, type, protocol;
} sockets[] = {
	{ "socket(AF_INET, SOCK_STREAM)", AF_INET, SOCK_STREAM, 0 },
	{ "socket(AF_INET, SOCK_DGRAM)", AF_INET, SOCK_DGRAM, 0 },
	{ "socket(AF_INET6, SOCK_STREAM)", AF_INET6, SOCK_STREAM, 0 },
	{ "socket(AF_INET6, SOCK_DGRAM)", AF_INET6, SOCK_DGRAM, 0 },
	{ "socket(AF_NETLINK, NETLINK_ROUTE)", AF_NETLINK, SOCK_RAW,
	  NETLINK_ROUTE },
	{ "socket(AF_PACKET, SOCK_RAW)", AF_PACKET, SOCK_RAW, 0 },
};

int main(void)
{
	struct sockaddr_in lo = { .sin_family = AF_INET, .sin_port = htons(9) };

	h_begin("network: open sockets to the outside");
	lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
		int fd =
		    socket(sockets[i].domain, sockets[i].type | SOCK_CLOEXEC,
		           sockets[i].protocol);

		if (!h_refused(sockets[i].label, fd))
			continue;
		if (sockets[i].domain == AF_INET &&
		    sockets[i].type == SOCK_STREAM) {
			if (connect(fd, (struct sockaddr *)&lo, sizeof(lo)) < 0)
				printf("connect(127.0.0.1:9): %s\n",
				       h_errname(errno));
			else
				printf("connect(127.0.0.1:9): connected\n");
		}
		close(fd);
	}
	return h_finish();
}
