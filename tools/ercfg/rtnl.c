// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnetlink side of ercfg: the customer address on a peering's
 * interface (RTM_NEWADDR), and the state of Microsoft's address in the
 * neighbour table, ARP or ND (RTM_GETNEIGH).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "nl.h"
#include "prefix.h"
#include "rtnl.h"

/*
 * RTM_NEWADDR of the customer address of @sn on @ifindex: the first usable
 * address with the subnet's length (and, IPv4, its broadcast address).
 */
struct nlmsghdr *addr_msg(struct nl *nl, uint32_t ifindex,
			  const struct subnet *sn)
{
	unsigned int len = subnet_addr_len(sn);
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	uint8_t addr[16];

	nlh = nl_route_msg(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			   (void **)&ifa, sizeof(*ifa));
	ifa->ifa_family = sn->family;
	ifa->ifa_prefixlen = sn->prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	subnet_host(sn, SUBNET_CUSTOMER, addr);
	mnl_attr_put(nlh, IFA_LOCAL, len, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
	if (sn->family == AF_INET) {
		subnet_host(sn, 3, addr);
		mnl_attr_put(nlh, IFA_BROADCAST, len, addr);
	}
	return nlh;
}

int rtnl_add_addr(struct nl *nl, uint32_t ifindex, const struct subnet *sn,
		  char *why, size_t size)
{
	return nl_ask(nl, addr_msg(nl, ifindex, sn), NULL, NULL, why, size);
}

/* RTM_GETNEIGH of Microsoft's address of @sn on @ifindex. */
struct nlmsghdr *neigh_msg(struct nl *nl, uint32_t ifindex,
			   const struct subnet *sn)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	uint8_t addr[16];

	nlh = nl_route_msg(nl, RTM_GETNEIGH, 0, (void **)&ndm, sizeof(*ndm));
	ndm->ndm_family = sn->family;
	ndm->ndm_ifindex = ifindex;
	subnet_host(sn, SUBNET_MICROSOFT, addr);
	mnl_attr_put(nlh, NDA_DST, subnet_addr_len(sn), addr);
	return nlh;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm;
	int *state = data;

	if (nlh->nlmsg_type != RTM_NEWNEIGH)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ndm)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	ndm = mnl_nlmsg_get_payload(nlh);
	*state = ndm->ndm_state;
	return MNL_CB_OK;
}

/*
 * The NUD_* state of Microsoft's address of @sn on @ifindex: 0 (NUD_NONE)
 * when there is no entry or no such interface, or a negative errno.
 */
int rtnl_neigh_state(struct nl *nl, uint32_t ifindex, const struct subnet *sn)
{
	int state = 0, ret;

	ret = nl_ask(nl, neigh_msg(nl, ifindex, sn), neigh_cb, &state, NULL, 0);
	if (ret == -ENOENT || ret == -ENODEV)
		return 0;
	return ret ? ret : state;
}

/* The printer's neighbour lookup (struct printer's neigh). */
int rtnl_neigh_lookup(void *ctx, uint32_t ifindex, const struct subnet *sn)
{
	return rtnl_neigh_state(ctx, ifindex, sn);
}
