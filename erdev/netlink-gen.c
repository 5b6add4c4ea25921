// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/erdev.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/erdev.h>
#include <erdev/compat.h>

/* Common nested types */
const struct nla_policy erdev_circuit_nl_policy[ERDEV_A_CIRCUIT_PEERING + 1] = {
	[ERDEV_A_CIRCUIT_NAME] = { .type = NLA_NUL_STRING, .len = ERDEV_CIRCUIT_NAME_LEN, },
	[ERDEV_A_CIRCUIT_ENCAP] = NLA_POLICY_MAX(NLA_U32, 1),
	[ERDEV_A_CIRCUIT_TPID] = { .type = NLA_BE16, },
	[ERDEV_A_CIRCUIT_STAG] = NLA_POLICY_RANGE(NLA_U16, 1, 4094),
	[ERDEV_A_CIRCUIT_PRIMARY_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[ERDEV_A_CIRCUIT_SECONDARY_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[ERDEV_A_CIRCUIT_BANDWIDTH] = NLA_POLICY_MIN(NLA_U32, 1),
	[ERDEV_A_CIRCUIT_SKU] = NLA_POLICY_MAX(NLA_U32, 2),
	[ERDEV_A_CIRCUIT_BILLING] = NLA_POLICY_MAX(NLA_U32, 1),
	[ERDEV_A_CIRCUIT_SERVICE_KEY] = NLA_POLICY_EXACT_LEN(16),
	[ERDEV_A_CIRCUIT_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

const struct nla_policy erdev_link_nl_policy[ERDEV_A_LINK_STATS + 1] = {
	[ERDEV_A_LINK_ROLE] = NLA_POLICY_MAX(NLA_U32, 1),
	[ERDEV_A_LINK_IFINDEX] = { .type = NLA_U32, },
	[ERDEV_A_LINK_IFNAME] = { .type = NLA_NUL_STRING, },
	[ERDEV_A_LINK_LOWER_IFINDEX] = { .type = NLA_U32, },
	[ERDEV_A_LINK_OPERSTATE] = { .type = NLA_U8, },
	[ERDEV_A_LINK_STATS] = NLA_POLICY_NESTED(erdev_stats_nl_policy),
};

const struct nla_policy erdev_peering_nl_policy[ERDEV_A_PEERING_DSCP + 1] = {
	[ERDEV_A_PEERING_CIRCUIT] = { .type = NLA_NUL_STRING, .len = ERDEV_CIRCUIT_NAME_LEN, },
	[ERDEV_A_PEERING_TYPE] = NLA_POLICY_MAX(NLA_U32, 1),
	[ERDEV_A_PEERING_CTAG] = NLA_POLICY_RANGE(NLA_U16, 1, 4094),
	[ERDEV_A_PEERING_LINK] = NLA_POLICY_NESTED(erdev_link_nl_policy),
	[ERDEV_A_PEERING_IPV4_PRIMARY] = NLA_POLICY_NESTED(erdev_subnet_nl_policy),
	[ERDEV_A_PEERING_IPV4_SECONDARY] = NLA_POLICY_NESTED(erdev_subnet_nl_policy),
	[ERDEV_A_PEERING_IPV6_PRIMARY] = NLA_POLICY_NESTED(erdev_subnet_nl_policy),
	[ERDEV_A_PEERING_IPV6_SECONDARY] = NLA_POLICY_NESTED(erdev_subnet_nl_policy),
	[ERDEV_A_PEERING_DSCP] = NLA_POLICY_MAX(NLA_U32, 1),
};

const struct nla_policy erdev_stats_nl_policy[ERDEV_A_STATS_TX_DSCP_REWRITTEN + 1] = {
	[ERDEV_A_STATS_RX_PACKETS] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_BYTES] = { .type = NLA_U64, },
	[ERDEV_A_STATS_TX_PACKETS] = { .type = NLA_U64, },
	[ERDEV_A_STATS_TX_BYTES] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_DROPPED] = { .type = NLA_U64, },
	[ERDEV_A_STATS_TX_DROPPED] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_UNKNOWN_STAG] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_UNKNOWN_CTAG] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_UNTAGGED] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_BAD_TPID] = { .type = NLA_U64, },
	[ERDEV_A_STATS_RX_MALFORMED] = { .type = NLA_U64, },
	[ERDEV_A_STATS_TX_DSCP_REWRITTEN] = { .type = NLA_U64, },
};

const struct nla_policy erdev_subnet_nl_policy[ERDEV_A_SUBNET_PREFIXLEN + 1] = {
	[ERDEV_A_SUBNET_ADDR] = { .type = NLA_BINARY, },
	[ERDEV_A_SUBNET_PREFIXLEN] = { .type = NLA_U8, },
};

/* ERDEV_CMD_CIRCUIT_NEW - do */
static const struct nla_policy erdev_circuit_new_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_CIRCUIT_GET - do */
static const struct nla_policy erdev_circuit_get_do_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_CIRCUIT_GET - dump */
static const struct nla_policy erdev_circuit_get_dump_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_CIRCUIT_SET - do */
static const struct nla_policy erdev_circuit_set_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_CIRCUIT_DEL - do */
static const struct nla_policy erdev_circuit_del_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_PEERING_NEW - do */
static const struct nla_policy erdev_peering_new_nl_policy[ERDEV_A_PEERING + 1] = {
	[ERDEV_A_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

/* ERDEV_CMD_PEERING_GET - do */
static const struct nla_policy erdev_peering_get_do_nl_policy[ERDEV_A_PEERING + 1] = {
	[ERDEV_A_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

/* ERDEV_CMD_PEERING_GET - dump */
static const struct nla_policy erdev_peering_get_dump_nl_policy[ERDEV_A_PEERING + 1] = {
	[ERDEV_A_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

/* ERDEV_CMD_PEERING_DEL - do */
static const struct nla_policy erdev_peering_del_nl_policy[ERDEV_A_PEERING + 1] = {
	[ERDEV_A_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

/* ERDEV_CMD_STATS_GET - do */
static const struct nla_policy erdev_stats_get_do_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_STATS_GET - dump */
static const struct nla_policy erdev_stats_get_dump_nl_policy[ERDEV_A_CIRCUIT + 1] = {
	[ERDEV_A_CIRCUIT] = NLA_POLICY_NESTED(erdev_circuit_nl_policy),
};

/* ERDEV_CMD_PEERING_SET - do */
static const struct nla_policy erdev_peering_set_nl_policy[ERDEV_A_PEERING + 1] = {
	[ERDEV_A_PEERING] = NLA_POLICY_NESTED(erdev_peering_nl_policy),
};

/* Ops table for erdev */
static const struct genl_split_ops erdev_nl_ops[] = {
	{
		.cmd		= ERDEV_CMD_CIRCUIT_NEW,
		.pre_doit	= erdev_nl_pre_doit,
		.doit		= erdev_nl_circuit_new_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_circuit_new_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_CIRCUIT_GET,
		.pre_doit	= erdev_nl_circuit_pre_doit,
		.doit		= erdev_nl_circuit_get_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_circuit_get_do_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_CIRCUIT_GET,
		.dumpit		= erdev_nl_circuit_get_dumpit,
		.policy		= erdev_circuit_get_dump_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= ERDEV_CMD_CIRCUIT_SET,
		.pre_doit	= erdev_nl_circuit_pre_doit,
		.doit		= erdev_nl_circuit_set_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_circuit_set_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_CIRCUIT_DEL,
		.pre_doit	= erdev_nl_circuit_pre_doit,
		.doit		= erdev_nl_circuit_del_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_circuit_del_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_PEERING_NEW,
		.pre_doit	= erdev_nl_peering_circuit_pre_doit,
		.doit		= erdev_nl_peering_new_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_peering_new_nl_policy,
		.maxattr	= ERDEV_A_PEERING,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_PEERING_GET,
		.pre_doit	= erdev_nl_peering_pre_doit,
		.doit		= erdev_nl_peering_get_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_peering_get_do_nl_policy,
		.maxattr	= ERDEV_A_PEERING,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_PEERING_GET,
		.dumpit		= erdev_nl_peering_get_dumpit,
		.policy		= erdev_peering_get_dump_nl_policy,
		.maxattr	= ERDEV_A_PEERING,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= ERDEV_CMD_PEERING_DEL,
		.pre_doit	= erdev_nl_peering_pre_doit,
		.doit		= erdev_nl_peering_del_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_peering_del_nl_policy,
		.maxattr	= ERDEV_A_PEERING,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_STATS_GET,
		.pre_doit	= erdev_nl_circuit_pre_doit,
		.doit		= erdev_nl_stats_get_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_stats_get_do_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= ERDEV_CMD_STATS_GET,
		.dumpit		= erdev_nl_stats_get_dumpit,
		.policy		= erdev_stats_get_dump_nl_policy,
		.maxattr	= ERDEV_A_CIRCUIT,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= ERDEV_CMD_PEERING_SET,
		.pre_doit	= erdev_nl_peering_pre_doit,
		.doit		= erdev_nl_peering_set_doit,
		.post_doit	= erdev_nl_post_doit,
		.policy		= erdev_peering_set_nl_policy,
		.maxattr	= ERDEV_A_PEERING,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group erdev_nl_mcgrps[] = {
	[ERDEV_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family erdev_nl_family __ro_after_init = {
	.name		= ERDEV_FAMILY_NAME,
	.version	= ERDEV_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= erdev_nl_ops,
	.n_split_ops	= ARRAY_SIZE(erdev_nl_ops),
	.mcgrps		= erdev_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(erdev_nl_mcgrps),
};
