/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ERCFG_NL_H
#define _ERCFG_NL_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * The size of nl.buf: one request, or one read of answers; room for the
 * largest dump batch the kernel builds (32 KiB).
 */
#define NL_BUFSIZ	32768

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;		/* generic netlink id of "erdev" */
	uint8_t version;
	char *buf;
};

/* nl_talk(): the dump finished but raced with a change; try again. */
#define NL_DUMP_INTR	1

int nl_open(struct nl *nl);
int nl_open_family(struct nl *nl, const char *name, uint8_t version);
void nl_close(struct nl *nl);
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
int nl_ask(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
	   char *why, size_t size);
int nl_open_route(struct nl *nl);
struct nlmsghdr *nl_route_msg(struct nl *nl, uint16_t type, uint16_t flags,
			      void **hdr, size_t hdrlen);

#endif /* _ERCFG_NL_H */
