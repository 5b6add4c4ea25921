// SPDX-License-Identifier: GPL-2.0
/*
 * The erdev net_device: one per peering and link, stacked on a NIC the
 * way an 8021q device is (upper/lower link, operstate, MTU and features
 * follow the NIC), but tagging twice.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/if_erdev.h>

#include "main.h"

/* Offloads that stay valid with one or two tags in front of the payload. */
#define ERDEV_FEATURES (NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | \
			NETIF_F_GSO_ENCAP_ALL | NETIF_F_RXCSUM | NETIF_F_ALL_TSO)

/* The largest MTU whose frames, tags included, fit in the NIC's MTU. */
static unsigned int erdev_max_mtu(const struct erdev_dev *priv)
{
	unsigned int overhead = erdev_overhead(priv->encap);

	return priv->lower->mtu > overhead ? priv->lower->mtu - overhead : 0;
}

/*
 * Tunnel offloads of the NIC that hold through our tags, normalised to
 * HW_CSUM as 8021q's vlan_tnl_features() does.
 */
static netdev_features_t erdev_enc_features(const struct net_device *lower)
{
	netdev_features_t f = lower->hw_enc_features &
			      (NETIF_F_CSUM_MASK | NETIF_F_GSO_SOFTWARE |
			       NETIF_F_GSO_ENCAP_ALL);

	if ((f & NETIF_F_GSO_ENCAP_ALL) && (f & NETIF_F_CSUM_MASK))
		return (f & ~NETIF_F_CSUM_MASK) | NETIF_F_HW_CSUM;
	return 0;
}

/*
 * What follows the NIC's offloads: set at init and again on every
 * NETDEV_FEAT_CHANGE. dev->features itself is trimmed by
 * erdev_fix_features() in netdev_update_features().
 */
static void erdev_inherit_lower(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;

	dev->vlan_features = netdev_intersect_features(lower->vlan_features,
						       ERDEV_FEATURES);
	dev->hw_enc_features = erdev_enc_features(lower);
	dev->needed_headroom = lower->needed_headroom +
			       erdev_overhead(priv->encap);
	dev->needed_tailroom = lower->needed_tailroom;
	netif_inherit_tso_max(dev, lower);
}

static int erdev_init(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	priv->stats = netdev_alloc_pcpu_stats(struct erdev_dev_stats);
	if (!priv->stats) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
		return -ENOMEM;
	}

	netif_carrier_off(dev);
	/*
	 * Everything we can do, as 8021q: erdev_fix_features() keeps what
	 * the NIC offers, so that a NIC with IP_CSUM only still gets
	 * checksum offload (as HW_CSUM) and TSO on top of it.
	 */
	dev->hw_features = ERDEV_FEATURES;
	dev->features |= dev->hw_features;
	erdev_set_lltx(dev);
	erdev_inherit_lower(dev);

	/* Released in erdev_uninit(), which may come after the circuit. */
	netdev_hold(priv->lower, &priv->lower_tracker, GFP_KERNEL);
	erdev_port_hold(priv->port);
	return 0;
}

/*
 * Take the interface out of its port and its peering: unhash it, unlink it
 * from the NIC, give back its VLAN ID. Done as soon as the device is queued
 * for unregistration (dellink), not in ndo_uninit: in one unregister batch
 * the NIC may go first and take the circuit with it, and removing the
 * circuit must not find the interface, nor the NIC an upper device left.
 */
static void erdev_dev_unbind(struct erdev_dev *priv)
{
	struct erdev_peering *peering = erdev_dev_peering(priv);

	if (priv->bound) {
		hash_del_rcu(&priv->hnode);
		if (priv->encap == ERDEV_ENCAP_DOT1Q)
			vlan_vid_del(priv->lower, priv->tpid, priv->ctag);
		netdev_upper_dev_unlink(priv->lower, priv->dev);
		priv->bound = false;
	}
	if (peering) {
		peering->dev[priv->role] = NULL;
		RCU_INIT_POINTER(priv->peering, NULL);
	}
}

static void erdev_uninit(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);

	ASSERT_RTNL();
	erdev_dev_unbind(priv);
	netdev_put(priv->lower, &priv->lower_tracker);
	erdev_port_put(priv->port);
}

static void erdev_free(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);

	free_percpu(priv->stats);
	priv->stats = NULL;
	free_percpu(dev->tstats);
	dev->tstats = NULL;
}

/* The sum over CPUs of the frames whose DSCP erdev_xmit() rewrote. */
u64 erdev_dev_dscp_rewritten(const struct erdev_dev *priv)
{
	unsigned int start;
	u64 sum = 0, v;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct erdev_dev_stats *s = per_cpu_ptr(priv->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->tx_dscp_rewritten);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

static int erdev_open(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;
	int err;

	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr)) {
		err = dev_uc_add(lower, dev->dev_addr);
		if (err < 0)
			return err;
	}
	if (dev->flags & IFF_ALLMULTI) {
		err = dev_set_allmulti(lower, 1);
		if (err < 0)
			goto del_unicast;
	}
	if (dev->flags & IFF_PROMISC) {
		err = dev_set_promiscuity(lower, 1);
		if (err < 0)
			goto clear_allmulti;
	}
	netif_stacked_transfer_operstate(lower, dev);
	return 0;

clear_allmulti:
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
del_unicast:
	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
		dev_uc_del(lower, dev->dev_addr);
	return err;
}

static int erdev_stop(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;

	dev_uc_unsync(lower, dev);
	dev_mc_unsync(lower, dev);
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(lower, -1);
	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
		dev_uc_del(lower, dev->dev_addr);
	netif_carrier_off(dev);
	return 0;
}

static int erdev_set_mac_address(struct net_device *dev, void *p)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;
	struct sockaddr *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;

	if (dev->flags & IFF_UP) {
		if (!ether_addr_equal(addr->sa_data, lower->dev_addr)) {
			err = dev_uc_add(lower, addr->sa_data);
			if (err < 0)
				return err;
		}
		if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
			dev_uc_del(lower, dev->dev_addr);
	}
	eth_hw_addr_set(dev, addr->sa_data);
	return 0;
}

static void erdev_change_rx_flags(struct net_device *dev, int change)
{
	struct erdev_dev *priv = netdev_priv(dev);

	if (!(dev->flags & IFF_UP))
		return;
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(priv->lower, dev->flags & IFF_ALLMULTI ? 1 : -1);
	if (change & IFF_PROMISC)
		dev_set_promiscuity(priv->lower,
				    dev->flags & IFF_PROMISC ? 1 : -1);
}

static void erdev_set_rx_mode(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);

	dev_mc_sync(priv->lower, dev);
	dev_uc_sync(priv->lower, dev);
}

static netdev_features_t erdev_fix_features(struct net_device *dev,
					    netdev_features_t features)
{
	struct erdev_dev *priv = netdev_priv(dev);
	netdev_features_t old = features;
	netdev_features_t lower;

	lower = netdev_intersect_features(priv->lower->vlan_features |
					  NETIF_F_RXCSUM,
					  priv->lower->features);
	/* Keep the user's control over checksumming, as 8021q does. */
	if (lower & (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM))
		lower |= NETIF_F_HW_CSUM;
	features = netdev_intersect_features(features, lower);
	features |= old & (NETIF_F_SOFT_FEATURES | NETIF_F_GSO_SOFTWARE);
	features |= ERDEV_F_LLTX;
	return features;
}

static int erdev_get_iflink(const struct net_device *dev)
{
	const struct erdev_dev *priv = netdev_priv(dev);

	return READ_ONCE(priv->lower->ifindex);
}

static const struct net_device_ops erdev_netdev_ops = {
	.ndo_init		= erdev_init,
	.ndo_uninit		= erdev_uninit,
	.ndo_open		= erdev_open,
	.ndo_stop		= erdev_stop,
	.ndo_start_xmit		= erdev_xmit,
	.ndo_set_mac_address	= erdev_set_mac_address,
	.ndo_change_rx_flags	= erdev_change_rx_flags,
	.ndo_set_rx_mode	= erdev_set_rx_mode,
	.ndo_fix_features	= erdev_fix_features,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_get_iflink		= erdev_get_iflink,
	.ndo_validate_addr	= eth_validate_addr,
};

bool netif_is_erdev(const struct net_device *dev)
{
	return dev->netdev_ops == &erdev_netdev_ops;
}

static void erdev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags |= IFF_NO_QUEUE | IFF_UNICAST_FLT;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	netif_keep_dst(dev);
	dev->netdev_ops = &erdev_netdev_ops;
	dev->ethtool_ops = &erdev_ethtool_ops;
	dev->rtnl_link_ops = &erdev_link_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = erdev_free;
	/* Down to nothing, following the NIC (see NETDEV_CHANGEMTU). */
	dev->min_mtu = 0;
	dev->sysfs_groups[0] = &erdev_attr_group;
}

/*
 * The NIC's address changed. An interface that follows it takes the new
 * one; one with an address of its own keeps it, and its entry in the NIC's
 * unicast filter follows the change, as 8021q's vlan_sync_address().
 */
static void erdev_dev_sync_address(struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;

	if (ether_addr_equal(priv->lower_addr, lower->dev_addr))
		return;
	if (dev->addr_assign_type != NET_ADDR_SET) {
		eth_hw_addr_set(dev, lower->dev_addr);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	} else if (dev->flags & IFF_UP) {
		/* Different from the old address, equal to the new one. */
		if (!ether_addr_equal(dev->dev_addr, priv->lower_addr) &&
		    ether_addr_equal(dev->dev_addr, lower->dev_addr))
			dev_uc_del(lower, dev->dev_addr);
		/* Equal to the old address, different from the new one. */
		if (ether_addr_equal(dev->dev_addr, priv->lower_addr) &&
		    !ether_addr_equal(dev->dev_addr, lower->dev_addr))
			dev_uc_add(lower, dev->dev_addr);
	}
	ether_addr_copy(priv->lower_addr, lower->dev_addr);
}

/* A NIC event, passed on by the port. Called under RTNL. */
void erdev_dev_lower_changed(struct net_device *dev, unsigned long event)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		netif_stacked_transfer_operstate(lower, dev);
		break;
	case NETDEV_CHANGEMTU:
		/*
		 * The tags must fit in the NIC's MTU, whichever way it went,
		 * down to 0 as 8021q's devices go: below 68 bytes IPv4 is
		 * off on the interface until the NIC's MTU grows again.
		 */
		dev->max_mtu = erdev_max_mtu(priv);
		if (dev->mtu > dev->max_mtu)
			dev_set_mtu(dev, dev->max_mtu);
		break;
	case NETDEV_CHANGEADDR:
		erdev_dev_sync_address(dev);
		break;
	case NETDEV_FEAT_CHANGE:
		erdev_inherit_lower(dev);
		netdev_update_features(dev);
		break;
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_BONDING_FAILOVER:
	case NETDEV_RESEND_IGMP:
		call_netdevice_notifiers(event, dev);
		break;
	}
}

/* An event on one of our own interfaces. Called under RTNL. */
void erdev_dev_event(struct net_device *dev, unsigned long event)
{
	struct erdev_dev *priv = netdev_priv(dev);

	struct erdev_peering *peering = erdev_dev_peering(priv);

	/* Carrier and up/down changes, for "ercfg monitor". */
	if (peering && (event == NETDEV_CHANGE || event == NETDEV_UP ||
			event == NETDEV_DOWN))
		erdev_nl_notify_peering(peering, ERDEV_CMD_LINK_CHANGE_NTF,
					priv->role);
}

/*
 * Create and register the interface of @peering on link @role, bound to
 * that link's NIC. On failure nothing is left behind.
 */
struct net_device *erdev_dev_create(struct erdev_peering *peering,
				    enum erdev_link_role role,
				    struct netlink_ext_ack *extack)
{
	struct erdev_circuit *circuit = peering->circuit;
	struct erdev_port *port = circuit->link[role].port;
	struct net_device *lower = port->dev;
	char name[IFNAMSIZ];
	struct erdev_dev *priv;
	struct net_device *dev;
	int err;

	snprintf(name, sizeof(name), "%s.%s%d", circuit->name,
		 erdev_peering_suffix(peering->type), role);
	if (__dev_get_by_name(circuit->net, name)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "interface %s already exists",
				       name);
		return ERR_PTR(-EEXIST);
	}

	dev = alloc_netdev(sizeof(*priv), name, NET_NAME_USER, erdev_setup);
	if (!dev)
		return ERR_PTR(-ENOMEM);

	dev_net_set(dev, circuit->net);
	priv = netdev_priv(dev);
	priv->dev = dev;
	priv->lower = lower;
	priv->port = port;
	RCU_INIT_POINTER(priv->peering, peering);
	priv->encap = circuit->encap;
	priv->tpid = circuit->tpid;
	priv->stag = circuit->stag;
	priv->ctag = peering->ctag;
	priv->role = role;
	priv->key = erdev_key(circuit->stag, peering->ctag);
	priv->dscp_conform = peering->dscp == ERDEV_DSCP_CONFORM;
	INIT_HLIST_NODE(&priv->hnode);

	/* The NIC's address, followed until the user sets one. */
	eth_hw_addr_set(dev, lower->dev_addr);
	ether_addr_copy(priv->lower_addr, lower->dev_addr);
	dev->addr_assign_type = NET_ADDR_STOLEN;
	/* The tags must fit in the NIC's MTU, and IPv4 in what is left. */
	dev->max_mtu = erdev_max_mtu(priv);
	dev->mtu = min_t(unsigned int, ETH_DATA_LEN, dev->max_mtu);
	if (dev->mtu < ETH_MIN_MTU) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "MTU of %s is too small",
				       lower->name);
		free_netdev(dev);
		return ERR_PTR(-EINVAL);
	}

	err = register_netdevice(dev);
	if (err) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "cannot register %s", name);
		free_netdev(dev);
		return ERR_PTR(err);
	}

	err = netdev_upper_dev_link(lower, dev, extack);
	if (err)
		goto unregister;

	/* In dot1q the peering's tag is the outer one: filter on it. */
	if (priv->encap == ERDEV_ENCAP_DOT1Q) {
		err = vlan_vid_add(lower, priv->tpid, priv->ctag);
		if (err)
			goto unlink;
	}

	peering->dev[role] = dev;
	hash_add_rcu(port->ifaces, &priv->hnode, priv->key);
	priv->bound = true;
	netif_stacked_transfer_operstate(lower, dev);
	return dev;

unlink:
	netdev_upper_dev_unlink(lower, dev);
unregister:
	/* ndo_uninit drops the references; the destructor frees. */
	RCU_INIT_POINTER(priv->peering, NULL);
	unregister_netdevice(dev);
	return ERR_PTR(err);
}

/* rtnetlink: erdev interfaces are made by the erdev family only. */
static int erdev_newlink(ERDEV_NEWLINK_ARGS)
{
	NL_SET_ERR_MSG_MOD(extack,
			   "erdev interfaces are created with \"ercfg peering add\"");
	return -EOPNOTSUPP;
}

/* Queue @dev for unregistration, and unbind it at once (see above). */
void erdev_dev_delete(struct net_device *dev, struct list_head *head)
{
	erdev_dev_unbind(netdev_priv(dev));
	unregister_netdevice_queue(dev, head);
}

static size_t erdev_get_size(const struct net_device *dev)
{
	return nla_total_size(ERDEV_CIRCUIT_NAME_LEN + 1) +	/* CIRCUIT */
	       nla_total_size(sizeof(u32)) * 3 +	/* PEERING, LINK, ENCAP */
	       nla_total_size(sizeof(__be16)) +		/* TPID */
	       nla_total_size(sizeof(u16)) * 2;		/* STAG, CTAG */
}

static int erdev_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	const struct erdev_peering *peering = erdev_dev_peering(priv);

	if (!peering)
		return 0;
	if (nla_put_string(skb, IFLA_ERDEV_CIRCUIT, peering->circuit->name) ||
	    nla_put_u32(skb, IFLA_ERDEV_PEERING, peering->type) ||
	    nla_put_u32(skb, IFLA_ERDEV_LINK, priv->role) ||
	    nla_put_u32(skb, IFLA_ERDEV_ENCAP, priv->encap) ||
	    nla_put_be16(skb, IFLA_ERDEV_TPID, priv->tpid) ||
	    (priv->encap == ERDEV_ENCAP_QINQ &&
	     nla_put_u16(skb, IFLA_ERDEV_STAG, priv->stag)) ||
	    nla_put_u16(skb, IFLA_ERDEV_CTAG, priv->ctag))
		return -EMSGSIZE;
	return 0;
}

static struct net *erdev_get_link_net(const struct net_device *dev)
{
	const struct erdev_dev *priv = netdev_priv(dev);

	return dev_net(priv->lower);
}

static const struct nla_policy erdev_link_policy[IFLA_ERDEV_MAX + 1] = {
	[IFLA_ERDEV_CIRCUIT]	= { .type = NLA_NUL_STRING,
				    .len = ERDEV_CIRCUIT_NAME_LEN },
	[IFLA_ERDEV_PEERING]	= { .type = NLA_U32 },
	[IFLA_ERDEV_LINK]	= { .type = NLA_U32 },
	[IFLA_ERDEV_ENCAP]	= { .type = NLA_U32 },
	[IFLA_ERDEV_TPID]	= { .type = NLA_BE16 },
	[IFLA_ERDEV_STAG]	= { .type = NLA_U16 },
	[IFLA_ERDEV_CTAG]	= { .type = NLA_U16 },
};

struct rtnl_link_ops erdev_link_ops = {
	.kind		= "erdev",
	.priv_size	= sizeof(struct erdev_dev),
	.setup		= erdev_setup,
	.maxtype	= IFLA_ERDEV_MAX,
	.policy		= erdev_link_policy,
	.newlink	= erdev_newlink,
	.dellink	= erdev_dev_delete,
	.get_size	= erdev_get_size,
	.fill_info	= erdev_fill_info,
	.get_link_net	= erdev_get_link_net,
};
