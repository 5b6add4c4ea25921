// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change something: circuit add/set/del, peering add/del.
 * Each sends one request with only the attributes the user gave (the kernel
 * holds the defaults) and waits for the ACK.
 */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>

#include "config.h"
#include "errmsg.h"
#include "model.h"
#include "nl.h"
#include "prefix.h"
#include "reply.h"
#include "rtnl.h"

static void put_circuit_options(struct nlmsghdr *nlh,
				const struct request *req)
{
	if (req_has(req, OPT_ENCAP))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_ENCAP, req->encap);
	if (req_has(req, OPT_TPID))
		mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_TPID, htons(req->tpid));
	if (req_has(req, OPT_STAG))
		mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_STAG, req->stag);
	if (req_has(req, OPT_PRIMARY))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX,
				 req->primary_ifindex);
	if (req_has(req, OPT_SECONDARY))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX,
				 req->secondary_ifindex);
	if (req_has(req, OPT_BANDWIDTH))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_BANDWIDTH, req->bandwidth);
	if (req_has(req, OPT_SKU))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_SKU, req->sku);
	if (req_has(req, OPT_BILLING))
		mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_BILLING, req->billing);
	if (req_has(req, OPT_SERVICE_KEY))
		mnl_attr_put(nlh, ERDEV_A_CIRCUIT_SERVICE_KEY, UUID_LEN,
			     req->service_key);
}

/* circuit-new, circuit-set, circuit-del: ERDEV_A_CIRCUIT { NAME, ... } */
static struct nlmsghdr *circuit_msg(struct nl *nl, const struct request *req,
				    uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_msg(nl, cmd, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, req->name);
	put_circuit_options(nlh, req);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* ERDEV_A_PEERING_IPV*_* { ADDR, PREFIXLEN } of every subnet given. */
static void put_subnets(struct nlmsghdr *nlh, const struct request *req)
{
	unsigned int i;

	for (i = 0; i < SN_SLOTS; i++) {
		const struct subnet *sn = &req->subnet[i];
		struct nlattr *nest;

		if (!sn->family)
			continue;
		nest = mnl_attr_nest_start(nlh, ERDEV_A_PEERING_IPV4_PRIMARY + i);
		mnl_attr_put(nlh, ERDEV_A_SUBNET_ADDR, subnet_addr_len(sn),
			     sn->addr);
		mnl_attr_put_u8(nlh, ERDEV_A_SUBNET_PREFIXLEN, sn->prefixlen);
		mnl_attr_nest_end(nlh, nest);
	}
}

/*
 * peering-new, peering-set, peering-get, peering-del:
 * ERDEV_A_PEERING { CIRCUIT, TYPE, [CTAG], [IPV4_*, IPV6_*], [DSCP] }
 */
static struct nlmsghdr *peering_msg(struct nl *nl, const struct request *req,
				    uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_msg(nl, cmd, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, ERDEV_A_PEERING);
	mnl_attr_put_strz(nlh, ERDEV_A_PEERING_CIRCUIT, req->name);
	mnl_attr_put_u32(nlh, ERDEV_A_PEERING_TYPE, req->peering);
	if (cmd == ERDEV_CMD_PEERING_NEW) {
		if (req_has(req, OPT_CTAG))
			mnl_attr_put_u16(nlh, ERDEV_A_PEERING_CTAG, req->ctag);
		put_subnets(nlh, req);
	}
	if ((cmd == ERDEV_CMD_PEERING_NEW || cmd == ERDEV_CMD_PEERING_SET) &&
	    req_has(req, OPT_DSCP))
		mnl_attr_put_u32(nlh, ERDEV_A_PEERING_DSCP, req->dscp);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *config_msg(struct nl *nl, const struct request *req)
{
	switch (req->cmd) {
	case CMD_CIRCUIT_ADD:
		return circuit_msg(nl, req, ERDEV_CMD_CIRCUIT_NEW);
	case CMD_CIRCUIT_SET:
		return circuit_msg(nl, req, ERDEV_CMD_CIRCUIT_SET);
	case CMD_CIRCUIT_DEL:
		return circuit_msg(nl, req, ERDEV_CMD_CIRCUIT_DEL);
	case CMD_PEERING_ADD:
		return peering_msg(nl, req, ERDEV_CMD_PEERING_NEW);
	case CMD_PEERING_SET:
		return peering_msg(nl, req, ERDEV_CMD_PEERING_SET);
	case CMD_PEERING_DEL:
		return peering_msg(nl, req, ERDEV_CMD_PEERING_DEL);
	default:
		return NULL;
	}
}

static int peering_cb(const struct nlmsghdr *nlh, void *data)
{
	if (reply_parse_peering(nlh, data)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* The customer address of @sn on the link's interface, or why not. */
static int add_link_addr(struct nl *rt, const struct er_link *link,
			 const struct subnet *sn)
{
	char why[256], addr[ADDR_BUFSIZ];
	uint8_t host[16];

	if (!rtnl_add_addr(rt, link->ifindex, sn, why, sizeof(why)))
		return 0;
	subnet_host(sn, SUBNET_CUSTOMER, host);
	errmsg("cannot add %s/%u to %s: %s",
	       format_addr(sn->family, host, addr), sn->prefixlen,
	       link->ifname[0] ? link->ifname : "the interface", why);
	return -1;
}

/* Every subnet given, on the interface of its link (.p0/.m0 primary). */
static int add_peering_addrs(struct nl *rt, const struct request *req,
			     const struct er_peering *p)
{
	uint32_t role;
	int ipv6;

	for (role = 0; role < ER_LINKS; role++) {
		const struct er_link *link = &p->link[role];

		if (!link->present || !has(link->has, ERDEV_A_LINK_IFINDEX))
			continue;
		for (ipv6 = 0; ipv6 <= 1; ipv6++) {
			const struct subnet *sn =
				&req->subnet[subnet_slot(ipv6, role)];

			if (sn->family && add_link_addr(rt, link, sn))
				return -1;
		}
	}
	return 0;
}

/* Find the new peering's interfaces and address them. */
static int address_peering(struct nl *nl, const struct request *req)
{
	struct er_peering p;
	struct nl rt;
	int ret;

	if (nl_talk(nl, peering_msg(nl, req, ERDEV_CMD_PEERING_GET),
		    peering_cb, &p))
		return -1;
	if (nl_open_route(&rt))
		return -1;
	ret = add_peering_addrs(&rt, req, &p);
	nl_close(&rt);
	return ret;
}

static bool has_subnets(const struct request *req)
{
	unsigned int i;

	for (i = 0; i < SN_SLOTS; i++) {
		if (req->subnet[i].family)
			return true;
	}
	return false;
}

/*
 * peering add with subnets: the peering, then the addresses. If an
 * address cannot be added, the peering is deleted again (its interfaces
 * and the addresses already on them with it).
 */
static int peering_add(struct nl *nl, const struct request *req)
{
	if (nl_talk(nl, config_msg(nl, req), NULL, NULL))
		return -1;
	if (!has_subnets(req) || !address_peering(nl, req))
		return 0;
	nl_talk(nl, peering_msg(nl, req, ERDEV_CMD_PEERING_DEL), NULL, NULL);
	return -1;
}

int do_config(struct nl *nl, const struct request *req)
{
	struct nlmsghdr *nlh;

	if (req->cmd == CMD_PEERING_ADD)
		return peering_add(nl, req);
	nlh = config_msg(nl, req);
	if (!nlh)
		return -1;
	return nl_talk(nl, nlh, NULL, NULL);
}
