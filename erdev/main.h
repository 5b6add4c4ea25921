/* SPDX-License-Identifier: GPL-2.0 */
/*
 * erdev: ExpressRoute circuit interfaces.
 *
 * Objects, all created and destroyed under RTNL:
 *
 *  circuit   one ExpressRoute circuit: S-tag, one or two links (NICs),
 *            up to two peerings. Lives in a network namespace.
 *  peering   private or microsoft: a C-tag and one interface per link.
 *  port      per NIC state shared by every circuit on that NIC: the
 *            rx_handler, the (S-tag, C-tag) -> interface hash and the
 *            counters of frames nobody owned.
 *  interface an erdev net_device (struct erdev_dev), one per peering and
 *            link, e.g. c1.p0.
 *
 * The receive path reads only the port and the interfaces, under RCU. The
 * transmit path reads only the interface. Circuits and peerings are
 * configuration, touched under RTNL alone.
 */
#ifndef _ERDEV_MAIN_H
#define _ERDEV_MAIN_H

#include <linux/hashtable.h>
#include <linux/in6.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/u64_stats_sync.h>
#include <net/netns/generic.h>
#include <uapi/linux/erdev.h>

#include "compat.h"

#define ERDEV_LINKS		2	/* primary, secondary */
#define ERDEV_PEERINGS		2	/* private, microsoft */
/*
 * 4,096 buckets: one per possible C-tag of a Dot1Q NIC, and about one
 * interface per bucket on a QinQ NIC carrying 2,000 circuits, so the
 * receive lookup does not grow with the number of circuits.
 */
#define ERDEV_HASH_BITS		12

struct erdev_circuit;

/* Frames a port saw but no erdev interface owned. */
enum erdev_port_counter {
	ERDEV_PORT_RX_UNKNOWN_STAG,
	ERDEV_PORT_RX_UNKNOWN_CTAG,
	ERDEV_PORT_RX_UNTAGGED,
	ERDEV_PORT_RX_BAD_TPID,
	ERDEV_PORT_RX_MALFORMED,
	ERDEV_PORT_NCOUNTERS
};

struct erdev_port_stats {
	u64_stats_t cnt[ERDEV_PORT_NCOUNTERS];
	struct u64_stats_sync syncp;
};

struct erdev_port_counters {
	u64 cnt[ERDEV_PORT_NCOUNTERS];
};

struct erdev_port {
	struct net_device *dev;			/* the NIC */
	netdevice_tracker dev_tracker;
	/*
	 * Circuit links and interfaces on this port. An interface holds the
	 * port from ndo_init to ndo_uninit, which may come after its circuit
	 * is gone (a NIC and its interfaces in one unregister batch), so the
	 * port goes with the last of them, as macvlan's does.
	 */
	unsigned int count;
	enum erdev_encap encap;
	__be16 tpid;
	struct list_head circuits;		/* erdev_link.port_node */
	DECLARE_HASHTABLE(ifaces, ERDEV_HASH_BITS); /* erdev_dev.hnode */
	/* S-tags of the circuits on this port, to tell unknown S from C. */
	DECLARE_BITMAP(stags, VLAN_N_VID);
	struct erdev_port_stats __percpu *stats;
};

/* One link of a circuit: its place on a port. */
struct erdev_link {
	struct erdev_port *port;		/* NULL: no such link */
	struct list_head port_node;
	struct erdev_circuit *circuit;
};

/* A link subnet, kept for the tools: erdev itself routes nothing. */
struct erdev_subnet {
	u8 prefixlen;				/* 0: not set */
	union {
		__be32 v4;
		struct in6_addr v6;
	} addr;
};

struct erdev_peering {
	struct rcu_head rcu;			/* sysfs reads it under RCU */
	struct erdev_circuit *circuit;
	enum erdev_peering_type type;
	u16 ctag;
	struct net_device *dev[ERDEV_LINKS];	/* NULL once deleted */
	struct erdev_subnet ipv4[ERDEV_LINKS];
	struct erdev_subnet ipv6[ERDEV_LINKS];
	enum erdev_dscp dscp;
};

struct erdev_circuit {
	struct rcu_head rcu;			/* sysfs reads it under RCU */
	struct list_head node;			/* erdev_net.circuits */
	struct net *net;
	char name[ERDEV_CIRCUIT_NAME_LEN + 1];
	enum erdev_encap encap;
	__be16 tpid;
	u16 stag;				/* 0 for dot1q */
	u32 bandwidth;				/* Mbit/s, 0: unknown */
	u32 sku;
	u32 billing;
	bool has_service_key;
	u8 service_key[16];
	struct erdev_link link[ERDEV_LINKS];
	struct erdev_peering *peering[ERDEV_PEERINGS];
};

/* What a circuit-set request changes: the fields whose bit is in @set. */
struct erdev_circuit_change {
	u64 set;				/* BIT_ULL(ERDEV_A_CIRCUIT_*) */
	u32 bandwidth;
	u32 sku;
	u32 billing;
};

static_assert(ERDEV_A_CIRCUIT_MAX < 64);

/* An interface's counters beyond dev->tstats, per CPU. */
struct erdev_dev_stats {
	u64_stats_t tx_dscp_rewritten;
	struct u64_stats_sync syncp;
};

/* Private part of an erdev net_device. */
struct erdev_dev {
	struct net_device *dev;
	struct net_device *lower;
	netdevice_tracker lower_tracker;
	struct erdev_port *port;
	/* NULL once queued for unregistration; RTNL, or RCU for sysfs. */
	struct erdev_peering __rcu *peering;
	struct hlist_node hnode;
	/* Copies of the configuration for the data path. */
	u32 key;
	__be16 tpid;
	u16 stag;
	u16 ctag;
	enum erdev_encap encap;
	enum erdev_link_role role;
	/* The peering's dscp is conform; WRITE_ONCE under RTNL. */
	bool dscp_conform;
	struct erdev_dev_stats __percpu *stats;
	/* The NIC's address when we last looked, as 8021q's real_dev_addr. */
	u8 lower_addr[ETH_ALEN];
	bool bound;			/* hashed, upper-linked, VID added */
};

struct erdev_net {
	struct list_head circuits;
	/*
	 * Bumped on every change, for dumps. Never 0: a dump's first part
	 * has no previous sequence to compare against when it is 0.
	 */
	u32 gen;
};

extern unsigned int erdev_net_id;
extern struct rtnl_link_ops erdev_link_ops;
extern const struct ethtool_ops erdev_ethtool_ops;
extern const struct attribute_group erdev_attr_group;
extern struct genl_family erdev_nl_family;

static inline struct erdev_net *erdev_pernet(struct net *net)
{
	return net_generic(net, erdev_net_id);
}

static inline void erdev_gen_bump(struct net *net)
{
	struct erdev_net *en = erdev_pernet(net);

	if (!++en->gen)
		en->gen = 1;
}

static inline struct erdev_peering *erdev_dev_peering(struct erdev_dev *priv)
{
	return rtnl_dereference(priv->peering);
}

static inline u32 erdev_key(u16 stag, u16 ctag)
{
	return (u32)stag << 12 | ctag;
}

/* device.c */
bool netif_is_erdev(const struct net_device *dev);
struct net_device *erdev_dev_create(struct erdev_peering *peering,
				    enum erdev_link_role role,
				    struct netlink_ext_ack *extack);
void erdev_dev_lower_changed(struct net_device *dev, unsigned long event);
void erdev_dev_event(struct net_device *dev, unsigned long event);
void erdev_dev_delete(struct net_device *dev, struct list_head *head);
u64 erdev_dev_dscp_rewritten(const struct erdev_dev *priv);

/* port.c */
int erdev_port_check_lower(struct net_device *lower,
			   struct netlink_ext_ack *extack);
int erdev_port_check_vlan(struct net_device *lower, __be16 tpid, u16 vid,
			  struct netlink_ext_ack *extack);
struct erdev_port *erdev_port_get(struct net_device *lower);
struct erdev_port *erdev_port_create(struct net_device *lower,
				     enum erdev_encap encap, __be16 tpid);
void erdev_port_hold(struct erdev_port *port);
void erdev_port_put(struct erdev_port *port);
void erdev_port_read_stats(const struct erdev_port *port,
			   struct erdev_port_counters *c);
void erdev_port_flush(struct net_device *lower);
int erdev_notifier_init(void);
void erdev_notifier_exit(void);

/* receive.c */
rx_handler_result_t erdev_handle_frame(struct sk_buff **pskb);

/* send.c */
netdev_tx_t erdev_xmit(struct sk_buff *skb, struct net_device *dev);

/* circuit.c */
struct erdev_circuit *erdev_circuit_find(struct net *net, const char *name);
int erdev_circuit_new(struct net *net, struct erdev_circuit *tmpl,
		      int ifindex[ERDEV_LINKS], int *field,
		      struct netlink_ext_ack *extack);
void erdev_circuit_set(struct erdev_circuit *circuit,
		       const struct erdev_circuit_change *change);
void erdev_circuit_del(struct erdev_circuit *circuit);
void erdev_circuit_queue_del(struct erdev_circuit *circuit,
			     struct list_head *kill);
int erdev_peering_new(struct erdev_circuit *circuit,
		      const struct erdev_peering *tmpl, int *field,
		      struct netlink_ext_ack *extack);
void erdev_peering_set(struct erdev_peering *peering, enum erdev_dscp dscp);
void erdev_peering_del(struct erdev_peering *peering);
void erdev_net_flush(struct net *net, struct list_head *kill);

/* subnet.c */
int erdev_subnets_parse(struct erdev_peering *p, struct nlattr **attrs,
			const struct nla_policy *policy,
			struct netlink_ext_ack *extack);
int erdev_subnets_check_unique(struct net *net, const struct erdev_peering *p,
			       int *field, struct netlink_ext_ack *extack);
int erdev_subnets_fill(struct sk_buff *skb, const struct erdev_peering *p);

/* netlink.c */
int erdev_nl_init(void);
void erdev_nl_exit(void);
void erdev_nl_notify_circuit(struct erdev_circuit *circuit, u8 cmd);
void erdev_nl_notify_peering(struct erdev_peering *peering, u8 cmd,
			     int only_role);

static inline const char *erdev_peering_suffix(enum erdev_peering_type type)
{
	return type == ERDEV_PEERING_TYPE_PRIVATE ? "p" : "m";
}

static inline const char *erdev_peering_name(enum erdev_peering_type type)
{
	return type == ERDEV_PEERING_TYPE_PRIVATE ? "private" : "microsoft";
}

static inline const char *erdev_encap_name(enum erdev_encap encap)
{
	return encap == ERDEV_ENCAP_QINQ ? "qinq" : "dot1q";
}

static inline unsigned int erdev_overhead(enum erdev_encap encap)
{
	return encap == ERDEV_ENCAP_QINQ ? 2 * VLAN_HLEN : VLAN_HLEN;
}

/*
 * The port's helpers on the receive path, inline: erdev_handle_frame()
 * runs them for every frame. Under RCU (lookup) or RTNL.
 */
static inline struct erdev_dev *erdev_port_lookup(const struct erdev_port *port,
						  u32 key)
{
	struct erdev_dev *priv;

	hash_for_each_possible_rcu(port->ifaces, priv, hnode, key)
		if (priv->key == key)
			return priv;
	return NULL;
}

static inline void erdev_port_count(struct erdev_port *port,
				    enum erdev_port_counter counter)
{
	struct erdev_port_stats *s = this_cpu_ptr(port->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[counter]);
	u64_stats_update_end(&s->syncp);
}

/* The first circuit on @port, which has one. Under RTNL. */
static inline struct erdev_circuit *erdev_port_first(struct erdev_port *port)
{
	return list_first_entry(&port->circuits, struct erdev_link,
				port_node)->circuit;
}

#endif /* _ERDEV_MAIN_H */
