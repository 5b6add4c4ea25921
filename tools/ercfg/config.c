// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change something: circuit add/set/del, peering add/del.
 * Each sends one request with only the attributes the user gave (the kernel
 * holds the defaults) and waits for the ACK.
 */
#include <arpa/inet.h>

#include "config.h"
#include "ercfg.h"
#include "nl.h"

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

/* peering-new, peering-del: ERDEV_A_PEERING { CIRCUIT, TYPE, [CTAG] } */
static struct nlmsghdr *peering_msg(struct nl *nl, const struct request *req,
				    uint8_t cmd)
{
	struct nlmsghdr *nlh = nl_msg(nl, cmd, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, ERDEV_A_PEERING);
	mnl_attr_put_strz(nlh, ERDEV_A_PEERING_CIRCUIT, req->name);
	mnl_attr_put_u32(nlh, ERDEV_A_PEERING_TYPE, req->peering);
	if (req_has(req, OPT_CTAG))
		mnl_attr_put_u16(nlh, ERDEV_A_PEERING_CTAG, req->ctag);
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
	case CMD_PEERING_DEL:
		return peering_msg(nl, req, ERDEV_CMD_PEERING_DEL);
	default:
		return NULL;
	}
}

int do_config(struct nl *nl, const struct request *req)
{
	struct nlmsghdr *nlh = config_msg(nl, req);

	if (!nlh)
		return -1;
	return nl_talk(nl, nlh, NULL, NULL);
}
