/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ERCFG_RTNL_H
#define _ERCFG_RTNL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct nl;
struct nlmsghdr;

/* Hosts of a link subnet (subnet_host()). */
#define SUBNET_CUSTOMER		1
#define SUBNET_MICROSOFT	2

/* The requests, in nl's buffer (also for the unit tests). */
struct nlmsghdr *addr_msg(struct nl *nl, uint32_t ifindex,
			  const struct subnet *sn);
struct nlmsghdr *neigh_msg(struct nl *nl, uint32_t ifindex,
			   const struct subnet *sn);

/* Put the customer address of @sn on @ifindex: 0 or -errno, @why says why. */
int rtnl_add_addr(struct nl *nl, uint32_t ifindex, const struct subnet *sn,
		  char *why, size_t size);

/* NUD_* state of Microsoft's address: 0 when none, or -errno. */
int rtnl_neigh_state(struct nl *nl, uint32_t ifindex, const struct subnet *sn);
int rtnl_neigh_lookup(void *ctx, uint32_t ifindex, const struct subnet *sn);

#endif /* _ERCFG_RTNL_H */
