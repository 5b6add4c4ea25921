// SPDX-License-Identifier: GPL-2.0
/*
 * Circuits and peerings: the ExpressRoute model and its rules. Everything
 * here runs under RTNL, which also serializes us against NIC events.
 *
 * A circuit binds to a port on each of its NICs when it is created, so the
 * NIC's encapsulation, TPID and S-tags are claimed even before any peering
 * exists. A peering creates one interface per link.
 *
 * This file alone changes circuits and peerings. It takes plain values, not
 * netlink attributes: a refusal is an extack message and, in *@field, the
 * field it is about (the ERDEV_A_CIRCUIT_* or ERDEV_A_PEERING_* number of
 * the request's attribute for it), which netlink.c turns into the bad
 * attribute. 0 there: no single field is at fault.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "main.h"

struct erdev_circuit *erdev_circuit_find(struct net *net, const char *name)
{
	struct erdev_circuit *circuit;

	ASSERT_RTNL();
	list_for_each_entry(circuit, &erdev_pernet(net)->circuits, node)
		if (!strcmp(circuit->name, name))
			return circuit;
	return NULL;
}

/*
 * A NIC may carry circuits of several namespaces (it moved, they stayed):
 * a refusal names another circuit, or its NIC, only to its own namespace.
 */
#define ERDEV_WHO_LEN	(sizeof("circuit ") + ERDEV_CIRCUIT_NAME_LEN)

static const char *erdev_who(const struct erdev_circuit *circuit,
			     const struct net *net, char *buf)
{
	if (!net_eq(circuit->net, net))
		return "a circuit of another namespace";
	snprintf(buf, ERDEV_WHO_LEN, "circuit %s", circuit->name);
	return buf;
}

static const char *erdev_nic_name(const struct net_device *dev,
				  const struct net *net)
{
	return net_eq(dev_net(dev), net) ? dev->name :
	       "a NIC of another namespace";
}

/* May @tmpl join the circuits already on @port? */
static int erdev_circuit_check_port(struct net *net, struct erdev_port *port,
				    const struct erdev_circuit *tmpl,
				    int *field, struct netlink_ext_ack *extack)
{
	struct net_device *lower = port->dev;
	struct erdev_circuit *other = erdev_port_first(port);
	char who[ERDEV_WHO_LEN];
	struct erdev_link *link;

	if (port->encap != tmpl->encap) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s carries %s with encap %s",
				       lower->name, erdev_who(other, net, who),
				       erdev_encap_name(port->encap));
		*field = ERDEV_A_CIRCUIT_ENCAP;
		return -EBUSY;
	}
	if (port->tpid != tmpl->tpid) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s carries %s with TPID 0x%04x",
				       lower->name, erdev_who(other, net, who),
				       ntohs(port->tpid));
		*field = ERDEV_A_CIRCUIT_TPID;
		return -EBUSY;
	}
	if (tmpl->encap != ERDEV_ENCAP_QINQ)
		return 0;
	list_for_each_entry(link, &port->circuits, port_node) {
		if (link->circuit->stag != tmpl->stag)
			continue;
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "S-tag %u is used by %s on %s",
				       tmpl->stag,
				       erdev_who(link->circuit, net, who),
				       lower->name);
		*field = ERDEV_A_CIRCUIT_STAG;
		return -EEXIST;
	}
	return 0;
}

/* Take the circuit's place on @lower's port, creating the port if needed. */
static int erdev_link_bind(struct erdev_circuit *circuit,
			   enum erdev_link_role role, struct net_device *lower)
{
	struct erdev_port *port = erdev_port_get(lower);
	int err;

	if (!port) {
		port = erdev_port_create(lower, circuit->encap, circuit->tpid);
		if (IS_ERR(port))
			return PTR_ERR(port);
	}
	erdev_port_hold(port);

	if (circuit->encap == ERDEV_ENCAP_QINQ) {
		/* Hardware VLAN filters must let the S-tag in. */
		err = vlan_vid_add(lower, circuit->tpid, circuit->stag);
		if (err) {
			erdev_port_put(port);
			return err;
		}
		set_bit(circuit->stag, port->stags);
	}

	circuit->link[role].port = port;
	circuit->link[role].circuit = circuit;
	list_add_tail(&circuit->link[role].port_node, &port->circuits);
	return 0;
}

static void erdev_link_unbind(struct erdev_circuit *circuit,
			      enum erdev_link_role role)
{
	struct erdev_port *port = circuit->link[role].port;

	if (!port)
		return;
	if (circuit->encap == ERDEV_ENCAP_QINQ) {
		clear_bit(circuit->stag, port->stags);
		vlan_vid_del(port->dev, circuit->tpid, circuit->stag);
	}
	list_del(&circuit->link[role].port_node);
	circuit->link[role].port = NULL;
	erdev_port_put(port);
}

static const int erdev_link_attr[ERDEV_LINKS] = {
	ERDEV_A_CIRCUIT_PRIMARY_IFINDEX,
	ERDEV_A_CIRCUIT_SECONDARY_IFINDEX,
};

/* Look up and vet the NICs of a new circuit. */
static int erdev_circuit_lowers(struct net *net,
				const struct erdev_circuit *tmpl,
				int ifindex[ERDEV_LINKS],
				struct net_device *lower[ERDEV_LINKS],
				int *field, struct netlink_ext_ack *extack)
{
	struct erdev_port *port;
	int role, err;

	for (role = 0; role < ERDEV_LINKS; role++) {
		*field = erdev_link_attr[role];
		lower[role] = NULL;
		if (!ifindex[role])
			continue;
		lower[role] = __dev_get_by_index(net, ifindex[role]);
		if (!lower[role]) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "no device with ifindex %d",
					       ifindex[role]);
			return -ENODEV;
		}
		err = erdev_port_check_lower(lower[role], extack);
		if (err)
			return err;
		if (tmpl->encap == ERDEV_ENCAP_QINQ) {
			err = erdev_port_check_vlan(lower[role], tmpl->tpid,
						    tmpl->stag, extack);
			if (err) {
				*field = ERDEV_A_CIRCUIT_STAG;
				return err;
			}
		}
		port = erdev_port_get(lower[role]);
		if (port) {
			err = erdev_circuit_check_port(net, port, tmpl, field,
						       extack);
			if (err)
				return err;
		}
	}
	*field = 0;
	if (!lower[0]) {
		NL_SET_ERR_MSG_MOD(extack, "missing primary NIC");
		return -EINVAL;
	}
	if (lower[0] == lower[1]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "primary and secondary are the same device");
		*field = ERDEV_A_CIRCUIT_SECONDARY_IFINDEX;
		return -EINVAL;
	}
	return 0;
}

int erdev_circuit_new(struct net *net, struct erdev_circuit *tmpl,
		      int ifindex[ERDEV_LINKS], int *field,
		      struct netlink_ext_ack *extack)
{
	struct erdev_net *en = erdev_pernet(net);
	struct net_device *lower[ERDEV_LINKS];
	struct erdev_circuit *circuit;
	int role, err;

	ASSERT_RTNL();
	*field = ERDEV_A_CIRCUIT_NAME;
	if (erdev_circuit_find(net, tmpl->name)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "circuit %s already exists",
				       tmpl->name);
		return -EEXIST;
	}

	err = erdev_circuit_lowers(net, tmpl, ifindex, lower, field, extack);
	if (err)
		return err;

	circuit = kmemdup(tmpl, sizeof(*tmpl), GFP_KERNEL);
	if (!circuit)
		return -ENOMEM;
	circuit->net = net;
	memset(circuit->link, 0, sizeof(circuit->link));
	memset(circuit->peering, 0, sizeof(circuit->peering));

	for (role = 0; role < ERDEV_LINKS; role++) {
		if (!lower[role])
			continue;
		err = erdev_link_bind(circuit, role, lower[role]);
		if (err) {
			NL_SET_ERR_MSG_FMT_MOD(extack, "cannot bind to %s",
					       lower[role]->name);
			goto unbind;
		}
	}

	list_add_tail(&circuit->node, &en->circuits);
	erdev_gen_bump(net);
	erdev_nl_notify_circuit(circuit, ERDEV_CMD_CIRCUIT_ADD_NTF);
	return 0;

unbind:
	while (--role >= 0)
		erdev_link_unbind(circuit, role);
	kfree(circuit);
	return err;
}

/* Change what a circuit may change in place: its bandwidth, SKU, billing. */
void erdev_circuit_set(struct erdev_circuit *circuit,
		       const struct erdev_circuit_change *change)
{
	ASSERT_RTNL();
	/* sysfs reads these without RTNL. */
	if (change->set & BIT_ULL(ERDEV_A_CIRCUIT_BANDWIDTH))
		WRITE_ONCE(circuit->bandwidth, change->bandwidth);
	if (change->set & BIT_ULL(ERDEV_A_CIRCUIT_SKU))
		WRITE_ONCE(circuit->sku, change->sku);
	if (change->set & BIT_ULL(ERDEV_A_CIRCUIT_BILLING))
		circuit->billing = change->billing;

	erdev_gen_bump(circuit->net);
	erdev_nl_notify_circuit(circuit, ERDEV_CMD_CIRCUIT_CHANGE_NTF);
}

/*
 * Take @peering out of its circuit and queue its interfaces on @kill for
 * one unregister_netdevice_many() by the caller. The interfaces forget
 * the peering at once; sysfs readers may still hold it, under RCU.
 */
static void erdev_peering_queue_del(struct erdev_peering *peering,
				    struct list_head *kill)
{
	int role;

	for (role = 0; role < ERDEV_LINKS; role++)
		if (peering->dev[role])
			erdev_dev_delete(peering->dev[role], kill);
	peering->circuit->peering[peering->type] = NULL;
	kfree_rcu(peering, rcu);
}

/*
 * Remove @circuit with its peerings, queueing their interfaces on @kill.
 * The ports stay until their last interface is gone (erdev_port_put()).
 */
void erdev_circuit_queue_del(struct erdev_circuit *circuit,
			     struct list_head *kill)
{
	int type, role;

	ASSERT_RTNL();
	/* Listeners get the circuit as it was, peerings included. */
	erdev_nl_notify_circuit(circuit, ERDEV_CMD_CIRCUIT_DEL_NTF);

	for (type = 0; type < ERDEV_PEERINGS; type++)
		if (circuit->peering[type])
			erdev_peering_queue_del(circuit->peering[type], kill);
	for (role = 0; role < ERDEV_LINKS; role++)
		erdev_link_unbind(circuit, role);

	list_del(&circuit->node);
	erdev_gen_bump(circuit->net);
	kfree_rcu(circuit, rcu);
}

void erdev_circuit_del(struct erdev_circuit *circuit)
{
	LIST_HEAD(kill);

	erdev_circuit_queue_del(circuit, &kill);
	unregister_netdevice_many(&kill);
}

/* Is @ctag free for a new peering of @circuit? */
static int erdev_peering_check_ctag(struct erdev_circuit *circuit,
				    enum erdev_peering_type type, u16 ctag,
				    struct netlink_ext_ack *extack)
{
	struct net *net = circuit->net;
	char who[ERDEV_WHO_LEN];
	struct erdev_peering *other;
	struct erdev_link *link;
	int role, t, err;

	if (circuit->encap == ERDEV_ENCAP_QINQ) {
		other = circuit->peering[!type];
		if (other && other->ctag == ctag) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "C-tag %u is used by the %s peering of %s",
					       ctag, erdev_peering_name(!type),
					       circuit->name);
			return -EEXIST;
		}
		return 0;
	}

	/* Dot1Q: the tag is unique across every circuit on the NICs. */
	for (role = 0; role < ERDEV_LINKS; role++) {
		struct erdev_port *port = circuit->link[role].port;

		if (!port)
			continue;
		list_for_each_entry(link, &port->circuits, port_node) {
			for (t = 0; t < ERDEV_PEERINGS; t++) {
				other = link->circuit->peering[t];
				if (!other || other->ctag != ctag)
					continue;
				NL_SET_ERR_MSG_FMT_MOD(extack,
						       "VLAN %u is used by %s on %s",
						       ctag,
						       erdev_who(link->circuit, net,
								 who),
						       erdev_nic_name(port->dev, net));
				return -EEXIST;
			}
		}
		/* And no 8021q device may sit on it (see receive.c). */
		err = erdev_port_check_vlan(port->dev, port->tpid, ctag,
					    extack);
		if (err)
			return err;
	}
	return 0;
}

int erdev_peering_new(struct erdev_circuit *circuit,
		      const struct erdev_peering *tmpl, int *field,
		      struct netlink_ext_ack *extack)
{
	enum erdev_peering_type type = tmpl->type;
	struct erdev_peering *peering;
	u16 ctag = tmpl->ctag;
	struct net_device *dev;
	int role, err;

	ASSERT_RTNL();
	*field = ERDEV_A_PEERING_TYPE;
	if (circuit->peering[type]) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "circuit %s already has a %s peering",
				       circuit->name, erdev_peering_name(type));
		return -EEXIST;
	}
	*field = ERDEV_A_PEERING_CTAG;
	err = erdev_peering_check_ctag(circuit, type, ctag, extack);
	if (err)
		return err;
	err = erdev_subnets_check_unique(circuit->net, tmpl, field, extack);
	if (err)
		return err;
	*field = 0;

	peering = kmemdup(tmpl, sizeof(*tmpl), GFP_KERNEL);
	if (!peering)
		return -ENOMEM;
	peering->circuit = circuit;
	memset(peering->dev, 0, sizeof(peering->dev));
	circuit->peering[type] = peering;

	for (role = 0; role < ERDEV_LINKS; role++) {
		if (!circuit->link[role].port)
			continue;
		dev = erdev_dev_create(peering, role, extack);
		if (IS_ERR(dev)) {
			LIST_HEAD(kill);

			/* About the peering as a whole. */
			*field = ERDEV_A_PEERING_TYPE;
			erdev_peering_queue_del(peering, &kill);
			unregister_netdevice_many(&kill);
			return PTR_ERR(dev);
		}
	}

	erdev_gen_bump(circuit->net);
	erdev_nl_notify_peering(peering, ERDEV_CMD_PEERING_ADD_NTF, -1);
	return 0;
}

/*
 * The peering's interfaces read their copy in erdev_xmit(): a frame in
 * flight sees the old setting or the new one.
 */
static void erdev_peering_set_dscp(struct erdev_peering *peering,
				   enum erdev_dscp dscp)
{
	struct erdev_dev *priv;
	int role;

	ASSERT_RTNL();
	peering->dscp = dscp;
	for (role = 0; role < ERDEV_LINKS; role++) {
		if (!peering->dev[role])
			continue;
		priv = netdev_priv(peering->dev[role]);
		WRITE_ONCE(priv->dscp_conform, dscp == ERDEV_DSCP_CONFORM);
	}
}

/* Change what a peering may change in place: its DSCP policy. */
void erdev_peering_set(struct erdev_peering *peering, enum erdev_dscp dscp)
{
	ASSERT_RTNL();
	erdev_peering_set_dscp(peering, dscp);
	erdev_gen_bump(peering->circuit->net);
	erdev_nl_notify_peering(peering, ERDEV_CMD_PEERING_CHANGE_NTF, -1);
}

void erdev_peering_del(struct erdev_peering *peering)
{
	struct erdev_circuit *circuit = peering->circuit;
	LIST_HEAD(kill);

	ASSERT_RTNL();
	erdev_nl_notify_peering(peering, ERDEV_CMD_PEERING_DEL_NTF, -1);
	erdev_peering_queue_del(peering, &kill);
	unregister_netdevice_many(&kill);
	erdev_gen_bump(circuit->net);
}

/* Queue every circuit of @net for removal (a namespace exit, rmmod). */
void erdev_net_flush(struct net *net, struct list_head *kill)
{
	struct erdev_net *en = erdev_pernet(net);

	ASSERT_RTNL();
	while (!list_empty(&en->circuits))
		erdev_circuit_queue_del(list_first_entry(&en->circuits,
							 struct erdev_circuit,
							 node), kill);
}
