/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/erdev.yaml */
/* YNL-GEN kernel header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _LINUX_ERDEV_GEN_H
#define _LINUX_ERDEV_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/erdev.h>
#include <erdev/compat.h>

/* Common nested types */
extern const struct nla_policy erdev_circuit_nl_policy[ERDEV_A_CIRCUIT_PEERING + 1];
extern const struct nla_policy erdev_link_nl_policy[ERDEV_A_LINK_STATS + 1];
extern const struct nla_policy erdev_peering_nl_policy[ERDEV_A_PEERING_DSCP + 1];
extern const struct nla_policy erdev_stats_nl_policy[ERDEV_A_STATS_TX_DSCP_REWRITTEN + 1];
extern const struct nla_policy erdev_subnet_nl_policy[ERDEV_A_SUBNET_PREFIXLEN + 1];

int erdev_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info);
int erdev_nl_circuit_pre_doit(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info);
int erdev_nl_peering_circuit_pre_doit(const struct genl_split_ops *ops,
				      struct sk_buff *skb,
				      struct genl_info *info);
int erdev_nl_peering_pre_doit(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info);
void
erdev_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		   struct genl_info *info);

int erdev_nl_circuit_new_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_circuit_get_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_circuit_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int erdev_nl_circuit_set_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_circuit_del_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_peering_new_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_peering_get_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_peering_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int erdev_nl_peering_del_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int erdev_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int erdev_nl_peering_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	ERDEV_NLGRP_MONITOR,
};

extern struct genl_family erdev_nl_family;

#endif /* _LINUX_ERDEV_GEN_H */
