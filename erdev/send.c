// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: push the C-tag, then the outer tag, and hand the frame to the
 * NIC. The outer tag goes into the skb's hardware-accelerated tag slot when
 * the NIC can insert that TPID itself; otherwise both tags go in-band here,
 * which saves the core from doing it later in validate_xmit_vlan().
 *
 * On a microsoft peering interface with dscp conform, the DSCP of IPv4 and
 * IPv6 frames is made one that Microsoft's edge honours first.
 *
 * Lockless: no qdisc, no lock, per-CPU counters.
 */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>

#include "main.h"

/* The DSCP values Microsoft peering honours: EF, AF41, AF21, AF11, 0. */
static bool erdev_dscp_allowed(u8 dsfield)
{
	switch (dsfield >> 2) {
	case 46:
	case 34:
	case 18:
	case 10:
	case 0:
		return true;
	}
	return false;
}

/*
 * Rewrite a DSCP that Microsoft peering does not honour to 0, keeping the
 * ECN bits. The frame is still untagged here: its L3 header follows the
 * Ethernet header, whoever built it (the stack, a packet socket, a bridge).
 * A GSO frame is rewritten once, and every segment copies its header. The
 * header may be shared with a clone (TCP keeps one for retransmission, a
 * tap another): skb_ensure_writable() gives us our own copy first.
 * ipv4_change_dsfield() fixes the IPv4 header checksum; IPv6 has none, and
 * neither pseudo-header covers the traffic class. False: out of memory,
 * and the frame is dropped rather than sent with a DSCP Microsoft refuses.
 */
static bool erdev_dscp_conform(struct sk_buff *skb, struct erdev_dev *priv)
{
	struct erdev_dev_stats *stats;
	unsigned int hlen;
	__be16 proto;
	u8 dsfield;

	/* The stack and packet sockets put the Ethernet header in the head. */
	if (unlikely(skb_headlen(skb) < ETH_HLEN))
		return true;
	proto = ((struct ethhdr *)skb->data)->h_proto;
	if (proto == htons(ETH_P_IP))
		hlen = sizeof(struct iphdr);
	else if (proto == htons(ETH_P_IPV6))
		hlen = sizeof(struct ipv6hdr);
	else
		return true;
	if (unlikely(skb->len < ETH_HLEN + hlen))
		return true;		/* a runt: nothing to rewrite */
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN + hlen)))
		return false;

	if (proto == htons(ETH_P_IP))
		dsfield = ipv4_get_dsfield((struct iphdr *)(skb->data + ETH_HLEN));
	else
		dsfield = ipv6_get_dsfield((struct ipv6hdr *)(skb->data + ETH_HLEN));
	if (likely(erdev_dscp_allowed(dsfield)))
		return true;

	if (skb_ensure_writable(skb, ETH_HLEN + hlen))
		return false;
	if (proto == htons(ETH_P_IP))
		ipv4_change_dsfield((struct iphdr *)(skb->data + ETH_HLEN),
				    INET_ECN_MASK, 0);
	else
		ipv6_change_dsfield((struct ipv6hdr *)(skb->data + ETH_HLEN),
				    INET_ECN_MASK, 0);

	stats = this_cpu_ptr(priv->stats);
	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(&stats->tx_dscp_rewritten);
	u64_stats_update_end(&stats->syncp);
	return true;
}

static bool erdev_lower_inserts(const struct net_device *lower, __be16 tpid)
{
	netdev_features_t f = tpid == htons(ETH_P_8021AD) ?
			      NETIF_F_HW_VLAN_STAG_TX : NETIF_F_HW_VLAN_CTAG_TX;

	return READ_ONCE(lower->features) & f;
}

netdev_tx_t erdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct net_device *lower = priv->lower;
	unsigned int len = skb->len;
	u16 outer;
	int ret;

	/* A frame tagged from above is not ours to look into. */
	if (READ_ONCE(priv->dscp_conform) && !skb_vlan_tag_present(skb) &&
	    unlikely(!erdev_dscp_conform(skb, priv))) {
		kfree_skb(skb);
		goto dropped;
	}

	/* A tag from above (a VLAN on top of us) becomes the innermost. */
	if (unlikely(skb_vlan_tag_present(skb))) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (unlikely(!skb))
			goto dropped;
	}

	if (priv->encap == ERDEV_ENCAP_QINQ) {
		/* vlan_insert_tag_set_proto() frees the skb on failure. */
		skb = vlan_insert_tag_set_proto(skb, htons(ETH_P_8021Q),
						priv->ctag);
		if (unlikely(!skb))
			goto dropped;
		outer = priv->stag;
	} else {
		outer = priv->ctag;
	}

	if (likely(erdev_lower_inserts(lower, priv->tpid))) {
		__vlan_hwaccel_put_tag(skb, priv->tpid, outer);
	} else {
		skb = vlan_insert_tag_set_proto(skb, priv->tpid, outer);
		if (unlikely(!skb))
			goto dropped;
	}

	skb->dev = lower;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		DEV_STATS_INC(dev, tx_dropped);
	return NETDEV_TX_OK;

dropped:
	DEV_STATS_INC(dev, tx_dropped);
	return NETDEV_TX_OK;
}
