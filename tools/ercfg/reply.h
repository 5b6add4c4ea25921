/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One circuit-get or stats-get answer, decoded. Peerings are indexed by
 * type and links by role, as the kernel has at most one of each. A "has"
 * mask says which attributes were present: BIT(ERDEV_A_..._X).
 */
#ifndef _ERCFG_REPLY_H
#define _ERCFG_REPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>

#include "model.h"

#define ER_LINKS	2
#define ER_PEERINGS	2
#define ER_PORTS	4	/* a circuit uses two NICs at most */

struct er_stats {
	unsigned int has;		/* BIT(ERDEV_A_STATS_*) */
	uint64_t val[ERDEV_A_STATS_MAX + 1];
};

struct er_link {
	bool present;
	unsigned int has;		/* BIT(ERDEV_A_LINK_*) */
	uint32_t role;
	uint32_t ifindex;
	uint32_t lower_ifindex;
	uint8_t operstate;
	char ifname[IF_NAMESIZE];
	struct er_stats stats;
};

struct er_peering {
	bool present;
	unsigned int has;		/* BIT(ERDEV_A_PEERING_*) */
	uint32_t type;
	uint16_t ctag;
	uint32_t dscp;			/* enum erdev_dscp */
	struct er_link link[ER_LINKS];	/* by role */
	struct subnet subnet[SN_SLOTS];	/* family 0: none */
};

struct er_circuit {
	unsigned int has;		/* BIT(ERDEV_A_CIRCUIT_*) */
	char name[ERDEV_CIRCUIT_NAME_LEN + 1];
	uint32_t encap;
	uint16_t tpid;			/* host byte order */
	uint16_t stag;
	uint32_t primary_ifindex;
	uint32_t secondary_ifindex;
	uint32_t bandwidth;		/* Mbit/s */
	uint32_t sku;
	uint32_t billing;
	uint8_t service_key[UUID_LEN];
	struct er_peering peering[ER_PEERINGS];	/* by type */
};

struct er_port {
	unsigned int has;		/* BIT(ERDEV_A_PORT_*) */
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t encap;
	uint16_t tpid;			/* host byte order */
	struct er_stats stats;
};

struct er_reply {
	bool has_circuit;
	struct er_circuit circuit;
	unsigned int nports;
	struct er_port port[ER_PORTS];
};

static inline bool has(unsigned int mask, unsigned int attr)
{
	return mask & BIT(attr);
}

/* 0, or -1 for a malformed message. */
int reply_parse(const struct nlmsghdr *nlh, struct er_reply *r);

/* A peering-get answer (ERDEV_A_PEERING): 0, or -1 if malformed. */
int reply_parse_peering(const struct nlmsghdr *nlh, struct er_peering *p);

#endif /* _ERCFG_REPLY_H */
