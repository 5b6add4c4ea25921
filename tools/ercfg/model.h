/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ercfg's model of a request: one command line, or one line of apply's
 * FILE, parsed and checked (parse.c) before anything is sent. A command
 * runs in two phases. parse.c turns the command line into a struct
 * request and checks all of it, devices included, without talking to the
 * kernel. Only then does the command open the netlink socket (nl.c) and
 * send one request: config.c for the changes, show.c for show and stats.
 */
#ifndef _ERCFG_MODEL_H
#define _ERCFG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/erdev.h>

#include "names.h"	/* names.c, shared with iproute2's plugin */

enum ercfg_cmd {
	CMD_CIRCUIT_ADD,
	CMD_CIRCUIT_SET,
	CMD_CIRCUIT_DEL,
	CMD_PEERING_ADD,
	CMD_PEERING_DEL,
	CMD_PEERING_SET,
	CMD_SHOW,
	CMD_STATS,
};

/* Option words of the commands ("stag 100"): bits of request.have. */
enum ercfg_opt {
	OPT_ENCAP,
	OPT_TPID,
	OPT_STAG,
	OPT_PRIMARY,
	OPT_SECONDARY,
	OPT_BANDWIDTH,
	OPT_SKU,
	OPT_BILLING,
	OPT_SERVICE_KEY,
	OPT_CTAG,
	OPT_IPV4,
	OPT_IPV6,
	OPT_DSCP,
	OPT_WATCH,
	OPT_COUNT
};

/*
 * A link subnet of a peering: the network address (network byte order,
 * host bits zero) and its length, /30 or /126. family 0: none.
 */
struct subnet {
	uint8_t family;			/* AF_INET, AF_INET6 or 0 */
	uint8_t prefixlen;
	uint8_t addr[16];
};

/* Index of a link subnet: as the ERDEV_A_PEERING_IPV* attributes. */
enum subnet_slot {
	SN_IPV4_PRIMARY,
	SN_IPV4_SECONDARY,
	SN_IPV6_PRIMARY,
	SN_IPV6_SECONDARY,
	SN_SLOTS,
};

static inline enum subnet_slot subnet_slot(int ipv6, uint32_t role)
{
	return (ipv6 ? SN_IPV6_PRIMARY : SN_IPV4_PRIMARY) + role;
}

/* One parsed and checked command line. Strings point into argv. */
struct request {
	enum ercfg_cmd cmd;
	bool json;
	const char *name;		/* circuit; NULL: all (show, stats) */
	uint32_t peering;		/* enum erdev_peering_type */
	unsigned int have;		/* BIT(enum ercfg_opt) given */
	uint32_t encap;			/* enum erdev_encap */
	uint16_t tpid;			/* host byte order */
	uint16_t stag;
	uint16_t ctag;
	const char *primary;
	const char *secondary;
	uint32_t primary_ifindex;
	uint32_t secondary_ifindex;
	uint32_t bandwidth;		/* Mbit/s */
	uint32_t sku;			/* enum erdev_sku */
	uint32_t billing;		/* enum erdev_billing */
	uint8_t service_key[UUID_LEN];
	struct subnet subnet[SN_SLOTS];	/* by enum subnet_slot */
	uint32_t dscp;			/* enum erdev_dscp */
	unsigned int watch;		/* stats --watch: seconds, 0: once */
	/*
	 * Where in argv NAME and each option's value were (0: not given),
	 * for messages about them after parsing (apply --check's columns).
	 */
	uint8_t name_word;
	uint8_t opt_word[OPT_COUNT];
};

static inline bool req_has(const struct request *req, enum ercfg_opt opt)
{
	return req->have & BIT(opt);
}

/* The kernel's dscp for a peering that names none (erdev_nl_dscp()). */
static inline uint32_t dscp_default(uint32_t peering)
{
	return peering == ERDEV_PEERING_TYPE_MICROSOFT ? ERDEV_DSCP_CONFORM :
							 ERDEV_DSCP_KEEP;
}

#endif /* _ERCFG_MODEL_H */
