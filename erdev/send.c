// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: push the C-tag, then the outer tag, and hand the frame to the
 * NIC. The outer tag goes into the skb's hardware-accelerated tag slot when
 * the NIC can insert that TPID itself; otherwise both tags go in-band here,
 * which saves the core from doing it later in validate_xmit_vlan().
 *
 * Lockless: no qdisc, no lock, per-CPU counters.
 */
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "main.h"

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
