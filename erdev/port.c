// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: the per-NIC object shared by every circuit on a NIC, in the manner
 * of macvlan's port. It owns the NIC's rx_handler and the RCU hash that
 * maps (S-tag, C-tag) to an interface, and it follows the NIC's events.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "main.h"

static bool netif_is_erdev_port(const struct net_device *dev)
{
	return rcu_access_pointer(dev->rx_handler) == erdev_handle_frame;
}

struct erdev_port *erdev_port_get(struct net_device *lower)
{
	ASSERT_RTNL();
	if (!netif_is_erdev_port(lower))
		return NULL;
	return rtnl_dereference(lower->rx_handler_data);
}

/* Can @lower carry circuits? */
int erdev_port_check_lower(struct net_device *lower,
			   struct netlink_ext_ack *extack)
{
	if (netif_is_erdev(lower)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s is an erdev interface",
				       lower->name);
		return -EBUSY;
	}
	if (lower->type != ARPHRD_ETHER || lower->addr_len != ETH_ALEN ||
	    (lower->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s is not an Ethernet device",
				       lower->name);
		return -EBUSY;
	}
	/* As vlan_check_real_dev(): such a NIC drops every tagged frame. */
	if (lower->features & NETIF_F_VLAN_CHALLENGED) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s cannot carry VLANs",
				       lower->name);
		return -EBUSY;
	}
	if (netdev_is_rx_handler_busy(lower) && !netif_is_erdev_port(lower)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s is busy: bridge port, bond slave or other rx_handler",
				       lower->name);
		return -EBUSY;
	}
	return 0;
}

/*
 * Is (@tpid, @vid) on @lower taken by an 8021q device? vlan_do_receive()
 * runs before any rx_handler, so such a device would silently take every
 * frame of that tag away from the circuit.
 */
int erdev_port_check_vlan(struct net_device *lower, __be16 tpid, u16 vid,
			  struct netlink_ext_ack *extack)
{
	struct net_device *vlan;
	int err = 0;

	rcu_read_lock();
	vlan = __vlan_find_dev_deep_rcu(lower, tpid, vid);
	if (vlan) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "VLAN %u (TPID 0x%04x) on %s is taken by 8021q device %s",
				       vid, ntohs(tpid), lower->name,
				       vlan->name);
		err = -EBUSY;
	}
	rcu_read_unlock();
	return err;
}

struct erdev_port *erdev_port_create(struct net_device *lower,
				     enum erdev_encap encap, __be16 tpid)
{
	struct erdev_port *port;
	int err;

	ASSERT_RTNL();
	/* 32 KiB of hash buckets: no need for physically contiguous pages. */
	port = kvzalloc_obj(*port, GFP_KERNEL);
	if (!port)
		return ERR_PTR(-ENOMEM);

	port->stats = netdev_alloc_pcpu_stats(struct erdev_port_stats);
	if (!port->stats) {
		err = -ENOMEM;
		goto free_port;
	}

	port->dev = lower;
	port->encap = encap;
	port->tpid = tpid;
	INIT_LIST_HEAD(&port->circuits);
	hash_init(port->ifaces);

	err = netdev_rx_handler_register(lower, erdev_handle_frame, port);
	if (err)
		goto free_stats;

	netdev_hold(lower, &port->dev_tracker, GFP_KERNEL);
	return port;

free_stats:
	free_percpu(port->stats);
free_port:
	kvfree(port);
	return ERR_PTR(err);
}

void erdev_port_hold(struct erdev_port *port)
{
	ASSERT_RTNL();
	port->count++;
}

/* The last circuit link or interface let go of the port. */
static void erdev_port_destroy(struct erdev_port *port)
{
	struct net_device *lower = port->dev;

	WARN_ON(!list_empty(&port->circuits));
	/* Waits for every reader of the handler and its data. */
	netdev_rx_handler_unregister(lower);
	netdev_put(lower, &port->dev_tracker);
	free_percpu(port->stats);
	kvfree(port);
}

void erdev_port_put(struct erdev_port *port)
{
	ASSERT_RTNL();
	if (!--port->count)
		erdev_port_destroy(port);
}

void erdev_port_read_stats(const struct erdev_port *port,
			   struct erdev_port_counters *c)
{
	int cpu;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		const struct erdev_port_stats *s = per_cpu_ptr(port->stats, cpu);
		struct erdev_port_counters t;
		unsigned int start;
		int i;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < ERDEV_PORT_NCOUNTERS; i++)
				t.cnt[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < ERDEV_PORT_NCOUNTERS; i++)
			c->cnt[i] += t.cnt[i];
	}
}

/*
 * @lower is going away: so do the circuits on it, all their interfaces in
 * one unregister batch (one set of grace periods, however many circuits).
 */
void erdev_port_flush(struct net_device *lower)
{
	struct erdev_port *port = erdev_port_get(lower);
	LIST_HEAD(kill);

	ASSERT_RTNL();
	if (!port)
		return;
	/* Interfaces queued here, or by the caller, keep the port alive. */
	erdev_port_hold(port);
	while (!list_empty(&port->circuits))
		erdev_circuit_queue_del(erdev_port_first(port), &kill);
	unregister_netdevice_many(&kill);
	erdev_port_put(port);
}

/* Pass a NIC event on to every interface on it. */
static void erdev_port_propagate(struct erdev_port *port, unsigned long event)
{
	struct erdev_dev *priv;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(port->ifaces, bkt, tmp, priv, hnode)
		erdev_dev_lower_changed(priv->dev, event);
}

/* The VLAN IDs the port asked the NIC's filter for (vlan_vid_add()). */
static bool erdev_port_vid_used(const struct erdev_port *port, u16 vid)
{
	if (port->encap == ERDEV_ENCAP_QINQ)
		return test_bit(vid, port->stags);
	return erdev_port_lookup(port, erdev_key(0, vid));
}

/*
 * An 8021q device is being stacked on the NIC. Refuse it on a VLAN ID a
 * circuit uses: vlan_do_receive() would take the circuit's frames.
 */
static int erdev_port_precheck_upper(struct erdev_port *port,
				     struct netdev_notifier_changeupper_info *info)
{
	struct netlink_ext_ack *extack = info->info.extack;
	struct net_device *upper = info->upper_dev;
	u16 vid;
	bool used;

	if (!info->linking || !is_vlan_dev(upper) ||
	    vlan_dev_vlan_proto(upper) != port->tpid)
		return 0;
	vid = vlan_dev_vlan_id(upper);
	rcu_read_lock();
	used = erdev_port_vid_used(port, vid);
	rcu_read_unlock();
	if (!used)
		return 0;
	NL_SET_ERR_MSG_FMT_MOD(extack,
			       "VLAN %u (TPID 0x%04x) on %s is used by an ExpressRoute circuit",
			       vid, ntohs(port->tpid), port->dev->name);
	return -EBUSY;
}

static int erdev_device_event(struct notifier_block *unused,
			      unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct erdev_port *port;
	int err;

	if (netif_is_erdev(dev)) {
		erdev_dev_event(dev, event);
		return NOTIFY_DONE;
	}

	port = erdev_port_get(dev);
	if (!port)
		return NOTIFY_DONE;

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGEADDR:
	case NETDEV_FEAT_CHANGE:
		erdev_port_propagate(port, event);
		break;
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_BONDING_FAILOVER:
	case NETDEV_RESEND_IGMP:
		/* Gratuitous ARP, unsolicited NA, IGMP reports, as 8021q. */
		erdev_port_propagate(port, event);
		break;
	case NETDEV_PRECHANGEUPPER:
		err = erdev_port_precheck_upper(port, ptr);
		return notifier_from_errno(err);
	case NETDEV_UNREGISTER:
		/* A namespace move, not a removal: stay bound, as 8021q does. */
		if (dev->reg_state != NETREG_UNREGISTERING)
			break;
		/* Removes the circuits on this NIC, and with them the port. */
		erdev_port_flush(dev);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* A NIC that stops being Ethernet cannot carry tags. */
		return NOTIFY_BAD;
	}
	return NOTIFY_DONE;
}

static struct notifier_block erdev_notifier = {
	.notifier_call = erdev_device_event,
};

int erdev_notifier_init(void)
{
	return register_netdevice_notifier(&erdev_notifier);
}

void erdev_notifier_exit(void)
{
	unregister_netdevice_notifier(&erdev_notifier);
}
