// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: the rx_handler every port installs on its NIC.
 *
 * By the time an rx_handler runs, the core has already moved the outer tag
 * into skb->vlan_tci (whether the NIC parsed it or skb_vlan_untag() did), so
 * the outer tag is always there and the inner tag, if any, is still in the
 * packet. We match on VLAN IDs only: the far side may set PCP or DEI bits.
 *
 * Frames no interface owns are counted and passed on untouched, so the NIC
 * keeps working for everything else it carries.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "main.h"

/* Hand a frame whose tags are gone to its interface. */
static rx_handler_result_t erdev_deliver(struct sk_buff *skb,
					 struct erdev_dev *priv,
					 struct sk_buff **pskb)
{
	struct net_device *dev = priv->dev;

	if (unlikely(!(dev->flags & IFF_UP))) {
		DEV_STATS_INC(dev, rx_dropped);
		kfree_skb(skb);
		*pskb = NULL;
		return RX_HANDLER_CONSUMED;
	}

	skb->dev = dev;
	/* The NIC classified the frame against its own address. */
	if (unlikely(skb->pkt_type == PACKET_OTHERHOST) &&
	    ether_addr_equal_64bits(eth_hdr(skb)->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_HOST;

	dev_sw_netstats_rx_add(dev, skb->len + ETH_HLEN);
	*pskb = skb;
	return RX_HANDLER_ANOTHER;
}

/* Dot1Q: the only tag is the peering's, already in skb->vlan_tci. */
static rx_handler_result_t erdev_rx_dot1q(struct sk_buff *skb,
					  struct erdev_port *port,
					  struct sk_buff **pskb)
{
	struct erdev_dev *priv;

	priv = erdev_port_lookup(port, erdev_key(0, skb_vlan_tag_get_id(skb)));
	if (!priv) {
		erdev_port_count(port, ERDEV_PORT_RX_UNKNOWN_CTAG);
		return RX_HANDLER_PASS;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		DEV_STATS_INC(priv->dev, rx_dropped);
		*pskb = NULL;
		return RX_HANDLER_CONSUMED;
	}
	__vlan_hwaccel_clear_tag(skb);
	return erdev_deliver(skb, priv, pskb);
}

/* QinQ: the S-tag is in skb->vlan_tci, the C-tag leads the packet data. */
static rx_handler_result_t erdev_rx_qinq(struct sk_buff *skb,
					 struct erdev_port *port,
					 struct sk_buff **pskb)
{
	u16 stag = skb_vlan_tag_get_id(skb);
	struct erdev_dev *priv;
	struct vlan_hdr _vhdr;
	const struct vlan_hdr *vhdr;

	if (!test_bit(stag, port->stags)) {
		erdev_port_count(port, ERDEV_PORT_RX_UNKNOWN_STAG);
		return RX_HANDLER_PASS;
	}
	if (skb->protocol != htons(ETH_P_8021Q)) {
		erdev_port_count(port, ERDEV_PORT_RX_UNKNOWN_CTAG);
		return RX_HANDLER_PASS;
	}

	/*
	 * Peek without pulling: the skb may be shared and is not ours until
	 * the lookup says so. The two bytes after the tag are needed too, to
	 * tell 802.3 from Ethernet II when the tag is removed.
	 */
	vhdr = skb_header_pointer(skb, 0, sizeof(_vhdr), &_vhdr);
	if (unlikely(!vhdr || skb->len < VLAN_HLEN + sizeof(__be16))) {
		erdev_port_count(port, ERDEV_PORT_RX_MALFORMED);
		kfree_skb(skb);
		*pskb = NULL;
		return RX_HANDLER_CONSUMED;
	}

	priv = erdev_port_lookup(port, erdev_key(stag, ntohs(vhdr->h_vlan_TCI) &
						       VLAN_VID_MASK));
	if (!priv) {
		erdev_port_count(port, ERDEV_PORT_RX_UNKNOWN_CTAG);
		return RX_HANDLER_PASS;
	}

	/*
	 * The frame is ours: make it ours alone before touching it, as
	 * vlan_do_receive() does. Then drop the S-tag and let
	 * skb_vlan_untag() lift the C-tag out of the data exactly as the
	 * core does for an outer tag (pull, move the MAC header, reset the
	 * offsets); then drop it too.
	 */
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		goto dropped;
	__vlan_hwaccel_clear_tag(skb);
	skb = skb_vlan_untag(skb);
	if (unlikely(!skb))
		goto dropped;
	__vlan_hwaccel_clear_tag(skb);
	return erdev_deliver(skb, priv, pskb);

dropped:
	DEV_STATS_INC(priv->dev, rx_dropped);
	*pskb = NULL;
	return RX_HANDLER_CONSUMED;
}

rx_handler_result_t erdev_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct erdev_port *port;

	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	port = rcu_dereference(skb->dev->rx_handler_data);

	if (!skb_vlan_tag_present(skb)) {
		erdev_port_count(port, ERDEV_PORT_RX_UNTAGGED);
		return RX_HANDLER_PASS;
	}
	if (skb->vlan_proto != port->tpid) {
		erdev_port_count(port, ERDEV_PORT_RX_BAD_TPID);
		return RX_HANDLER_PASS;
	}

	if (port->encap == ERDEV_ENCAP_DOT1Q)
		return erdev_rx_dot1q(skb, port, pskb);
	return erdev_rx_qinq(skb, port, pskb);
}
