// SPDX-License-Identifier: GPL-2.0
/*
 * The erdev generic netlink family, as described by
 * Documentation/netlink/specs/erdev.yaml. The policies, the ops table and
 * the family are generated from the spec, in netlink-gen.c; this file
 * has the handlers. Every request runs under RTNL, taken in pre_doit (and
 * in each dump), because circuits and interfaces are created and
 * destroyed together.
 */
#include <linux/ctype.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "main.h"
#include "netlink-gen.h"

static u32 erdev_nla_u32(const struct nlattr *attr, u32 value)
{
	return attr ? nla_get_u32(attr) : value;
}

/* Fill helpers */

static int erdev_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, ERDEV_A_STATS_PAD);
}

static int erdev_nl_fill_dev_stats(struct sk_buff *skb, struct net_device *dev)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct rtnl_link_stats64 s;
	struct nlattr *nest;

	dev_get_stats(dev, &s);
	nest = nla_nest_start(skb, ERDEV_A_LINK_STATS);
	if (!nest ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_PACKETS, s.rx_packets) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_BYTES, s.rx_bytes) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_TX_PACKETS, s.tx_packets) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_TX_BYTES, s.tx_bytes) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_DROPPED, s.rx_dropped) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_TX_DROPPED, s.tx_dropped) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_TX_DSCP_REWRITTEN,
			     erdev_dev_dscp_rewritten(priv)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int erdev_nl_fill_link(struct sk_buff *skb, struct net_device *dev,
			      bool stats)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct nlattr *nest;
	u8 operstate;

	/*
	 * An interface that is not running is down, also in the NETDEV_DOWN
	 * notification, before the link watch gets to dev->operstate.
	 */
	operstate = netif_running(dev) ? READ_ONCE(dev->operstate) :
		    IF_OPER_DOWN;
	nest = nla_nest_start(skb, ERDEV_A_PEERING_LINK);
	if (!nest ||
	    nla_put_u32(skb, ERDEV_A_LINK_ROLE, priv->role) ||
	    nla_put_u32(skb, ERDEV_A_LINK_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, ERDEV_A_LINK_IFNAME, dev->name) ||
	    nla_put_u32(skb, ERDEV_A_LINK_LOWER_IFINDEX, priv->lower->ifindex) ||
	    nla_put_u8(skb, ERDEV_A_LINK_OPERSTATE, operstate))
		return -EMSGSIZE;
	if (stats && erdev_nl_fill_dev_stats(skb, dev))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* @only_role: the one link to report, or -1 for all of them. */
static int erdev_nl_fill_peering(struct sk_buff *skb,
				 const struct erdev_peering *peering,
				 int attrtype, bool stats, int only_role)
{
	struct nlattr *nest;
	int role;

	nest = nla_nest_start(skb, attrtype);
	if (!nest ||
	    nla_put_string(skb, ERDEV_A_PEERING_CIRCUIT,
			   peering->circuit->name) ||
	    nla_put_u32(skb, ERDEV_A_PEERING_TYPE, peering->type) ||
	    nla_put_u16(skb, ERDEV_A_PEERING_CTAG, peering->ctag) ||
	    nla_put_u32(skb, ERDEV_A_PEERING_DSCP, peering->dscp) ||
	    erdev_subnets_fill(skb, peering))
		return -EMSGSIZE;
	for (role = 0; role < ERDEV_LINKS; role++) {
		if (!peering->dev[role] || (only_role >= 0 && role != only_role))
			continue;
		if (erdev_nl_fill_link(skb, peering->dev[role], stats))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The ifindex of a link's NIC, 0 for a link the circuit does not have. */
static u32 erdev_link_ifindex(const struct erdev_circuit *circuit, int role)
{
	const struct erdev_port *port = circuit->link[role].port;

	return port ? port->dev->ifindex : 0;
}

/*
 * @key: include the service key, for a requester with CAP_NET_ADMIN over
 * the circuit's namespace only (it authorises provisioning the circuit).
 */
static int erdev_nl_fill_circuit(struct sk_buff *skb,
				 const struct erdev_circuit *circuit,
				 bool stats, bool key)
{
	u32 primary = erdev_link_ifindex(circuit, ERDEV_LINK_ROLE_PRIMARY);
	u32 secondary = erdev_link_ifindex(circuit, ERDEV_LINK_ROLE_SECONDARY);
	struct nlattr *nest;
	int type;

	nest = nla_nest_start(skb, ERDEV_A_CIRCUIT);
	if (!nest ||
	    nla_put_string(skb, ERDEV_A_CIRCUIT_NAME, circuit->name) ||
	    nla_put_u32(skb, ERDEV_A_CIRCUIT_ENCAP, circuit->encap) ||
	    nla_put_be16(skb, ERDEV_A_CIRCUIT_TPID, circuit->tpid) ||
	    (circuit->stag &&
	     nla_put_u16(skb, ERDEV_A_CIRCUIT_STAG, circuit->stag)) ||
	    (primary &&
	     nla_put_u32(skb, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX, primary)) ||
	    (secondary &&
	     nla_put_u32(skb, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX, secondary)) ||
	    (circuit->bandwidth &&
	     nla_put_u32(skb, ERDEV_A_CIRCUIT_BANDWIDTH, circuit->bandwidth)) ||
	    nla_put_u32(skb, ERDEV_A_CIRCUIT_SKU, circuit->sku) ||
	    nla_put_u32(skb, ERDEV_A_CIRCUIT_BILLING, circuit->billing) ||
	    (key && circuit->has_service_key &&
	     nla_put(skb, ERDEV_A_CIRCUIT_SERVICE_KEY,
		     sizeof(circuit->service_key), circuit->service_key)))
		return -EMSGSIZE;
	for (type = 0; type < ERDEV_PEERINGS; type++) {
		if (!circuit->peering[type])
			continue;
		if (erdev_nl_fill_peering(skb, circuit->peering[type],
					  ERDEV_A_CIRCUIT_PEERING, stats, -1))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int erdev_nl_fill_port(struct sk_buff *skb,
			      const struct erdev_port *port)
{
	struct erdev_port_counters c;
	struct nlattr *nest, *snest;

	erdev_port_read_stats(port, &c);
	nest = nla_nest_start(skb, ERDEV_A_PORT);
	if (!nest ||
	    nla_put_u32(skb, ERDEV_A_PORT_IFINDEX, port->dev->ifindex) ||
	    nla_put_string(skb, ERDEV_A_PORT_IFNAME, port->dev->name) ||
	    nla_put_u32(skb, ERDEV_A_PORT_ENCAP, port->encap) ||
	    nla_put_be16(skb, ERDEV_A_PORT_TPID, port->tpid))
		return -EMSGSIZE;
	snest = nla_nest_start(skb, ERDEV_A_PORT_STATS);
	if (!snest ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_UNKNOWN_STAG,
			     c.cnt[ERDEV_PORT_RX_UNKNOWN_STAG]) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_UNKNOWN_CTAG,
			     c.cnt[ERDEV_PORT_RX_UNKNOWN_CTAG]) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_UNTAGGED,
			     c.cnt[ERDEV_PORT_RX_UNTAGGED]) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_BAD_TPID,
			     c.cnt[ERDEV_PORT_RX_BAD_TPID]) ||
	    erdev_nl_put_u64(skb, ERDEV_A_STATS_RX_MALFORMED,
			     c.cnt[ERDEV_PORT_RX_MALFORMED]))
		return -EMSGSIZE;
	nla_nest_end(skb, snest);
	nla_nest_end(skb, nest);
	return 0;
}

/* One message about a circuit; with counters and ports for stats-get. */
static int erdev_nl_circuit_msg(struct sk_buff *skb,
				const struct erdev_circuit *circuit,
				u32 portid, u32 seq, int flags, u8 cmd,
				bool stats, bool key,
				struct netlink_callback *cb)
{
	void *hdr;
	int role;

	hdr = genlmsg_put(skb, portid, seq, &erdev_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (erdev_nl_fill_circuit(skb, circuit, stats, key))
		goto cancel;
	for (role = 0; stats && role < ERDEV_LINKS; role++)
		if (circuit->link[role].port &&
		    erdev_nl_fill_port(skb, circuit->link[role].port))
			goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int erdev_nl_peering_msg(struct sk_buff *skb,
				const struct erdev_peering *peering,
				u32 portid, u32 seq, int flags, u8 cmd,
				int only_role, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &erdev_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (erdev_nl_fill_peering(skb, peering, ERDEV_A_PEERING, false,
				  only_role)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Notifications to the monitor group */

static void erdev_nl_multicast(struct net *net, struct sk_buff *skb)
{
	genlmsg_multicast_netns(&erdev_nl_family, net, skb, 0,
				ERDEV_NLGRP_MONITOR, GFP_KERNEL);
}

void erdev_nl_notify_circuit(struct erdev_circuit *circuit, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&erdev_nl_family, circuit->net,
				ERDEV_NLGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	/* Anyone in the namespace may listen: never the service key. */
	if (erdev_nl_circuit_msg(skb, circuit, 0, 0, 0, cmd, false, false,
				 NULL)) {
		nlmsg_free(skb);
		return;
	}
	erdev_nl_multicast(circuit->net, skb);
}

void erdev_nl_notify_peering(struct erdev_peering *peering, u8 cmd,
			     int only_role)
{
	struct net *net = peering->circuit->net;
	struct sk_buff *skb;

	if (!genl_has_listeners(&erdev_nl_family, net, ERDEV_NLGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (erdev_nl_peering_msg(skb, peering, 0, 0, 0, cmd, only_role,
				 NULL)) {
		nlmsg_free(skb);
		return;
	}
	erdev_nl_multicast(net, skb);
}

/* Request parsing */

static int erdev_nl_nest(struct genl_info *info, int type, int maxtype,
			 const struct nla_policy *policy, struct nlattr **tb,
			 const char *what)
{
	if (!info->attrs[type]) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack, "missing %s attributes",
				       what);
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[type], policy,
				info->extack);
}

/* The attributes of the request's circuit nest. */
static int erdev_nl_circuit_attrs(struct genl_info *info, struct nlattr **tb)
{
	return erdev_nl_nest(info, ERDEV_A_CIRCUIT, ERDEV_A_CIRCUIT_MAX,
			     erdev_circuit_nl_policy, tb, "circuit");
}

/* The attributes of the request's peering nest. */
static int erdev_nl_peering_attrs(struct genl_info *info, struct nlattr **tb)
{
	return erdev_nl_nest(info, ERDEV_A_PEERING, ERDEV_A_PEERING_MAX,
			     erdev_peering_nl_policy, tb, "peering");
}

static bool erdev_nl_need(struct genl_info *info, struct nlattr *nest,
			  struct nlattr **tb, int type, const char *what)
{
	if (tb[type])
		return true;
	NL_SET_ERR_MSG_FMT_MOD(info->extack, "missing %s", what);
	NL_SET_ERR_ATTR_MISS(info->extack, nest, type);
	return false;
}

/* Reply-only attributes have no place in a request. */
static int erdev_nl_refuse(struct genl_info *info, struct nlattr *attr,
			   const char *what)
{
	if (!attr)
		return 0;
	NL_SET_ERR_MSG_FMT_MOD(info->extack, "%s cannot be set here", what);
	NL_SET_BAD_ATTR(info->extack, attr);
	return -EINVAL;
}

/*
 * The spec's [A-Za-z][A-Za-z0-9_-]*, in ASCII: the kernel's isalpha() and
 * isalnum() are Latin-1 and take bytes 0xC0-0xFF too.
 */
static bool erdev_name_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool erdev_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > ERDEV_CIRCUIT_NAME_LEN || !erdev_name_letter(name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!erdev_name_letter(name[i]) && !isdigit(name[i]) &&
		    name[i] != '-' && name[i] != '_')
			return false;
	return true;
}

/* The circuit a request names, or NULL with the reason in extack. */
static struct erdev_circuit *erdev_nl_circuit(struct genl_info *info,
					      struct nlattr *nest,
					      struct nlattr **tb, int type)
{
	struct erdev_circuit *circuit;

	if (!erdev_nl_need(info, nest, tb, type, "circuit name"))
		return NULL;
	circuit = erdev_circuit_find(genl_info_net(info), nla_data(tb[type]));
	if (!circuit) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack, "no circuit %s",
				       (char *)nla_data(tb[type]));
		NL_SET_BAD_ATTR(info->extack, tb[type]);
	}
	return circuit;
}

static int erdev_nl_parse_circuit_new(struct genl_info *info,
				      struct nlattr **tb,
				      struct erdev_circuit *tmpl,
				      int ifindex[ERDEV_LINKS])
{
	struct nlattr *nest = info->attrs[ERDEV_A_CIRCUIT];
	struct netlink_ext_ack *extack = info->extack;
	int err;

	if (!erdev_nl_need(info, nest, tb, ERDEV_A_CIRCUIT_NAME,
			   "circuit name"))
		return -EINVAL;
	nla_strscpy(tmpl->name, tb[ERDEV_A_CIRCUIT_NAME], sizeof(tmpl->name));
	if (!erdev_name_valid(tmpl->name)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter");
		NL_SET_BAD_ATTR(extack, tb[ERDEV_A_CIRCUIT_NAME]);
		return -EINVAL;
	}

	tmpl->encap = erdev_nla_u32(tb[ERDEV_A_CIRCUIT_ENCAP],
				    ERDEV_ENCAP_QINQ);
	tmpl->tpid = htons(ETH_P_8021Q);
	if (tb[ERDEV_A_CIRCUIT_TPID]) {
		tmpl->tpid = nla_get_be16(tb[ERDEV_A_CIRCUIT_TPID]);
		if (tmpl->tpid != htons(ETH_P_8021Q) &&
		    tmpl->tpid != htons(ETH_P_8021AD)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "TPID must be 0x8100 or 0x88a8");
			NL_SET_BAD_ATTR(extack, tb[ERDEV_A_CIRCUIT_TPID]);
			return -EINVAL;
		}
	}

	if (tmpl->encap == ERDEV_ENCAP_QINQ) {
		if (!erdev_nl_need(info, nest, tb, ERDEV_A_CIRCUIT_STAG,
				   "S-tag, required for qinq"))
			return -EINVAL;
		tmpl->stag = nla_get_u16(tb[ERDEV_A_CIRCUIT_STAG]);
	} else if (tb[ERDEV_A_CIRCUIT_STAG]) {
		NL_SET_ERR_MSG_MOD(extack, "dot1q circuit takes no S-tag");
		NL_SET_BAD_ATTR(extack, tb[ERDEV_A_CIRCUIT_STAG]);
		return -EINVAL;
	}

	if (!erdev_nl_need(info, nest, tb, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX,
			   "primary NIC"))
		return -EINVAL;
	ifindex[0] = nla_get_u32(tb[ERDEV_A_CIRCUIT_PRIMARY_IFINDEX]);
	ifindex[1] = erdev_nla_u32(tb[ERDEV_A_CIRCUIT_SECONDARY_IFINDEX], 0);

	tmpl->bandwidth = erdev_nla_u32(tb[ERDEV_A_CIRCUIT_BANDWIDTH], 0);
	tmpl->sku = erdev_nla_u32(tb[ERDEV_A_CIRCUIT_SKU], ERDEV_SKU_STANDARD);
	tmpl->billing = erdev_nla_u32(tb[ERDEV_A_CIRCUIT_BILLING],
				      ERDEV_BILLING_METERED);
	if (tb[ERDEV_A_CIRCUIT_SERVICE_KEY]) {
		nla_memcpy(tmpl->service_key, tb[ERDEV_A_CIRCUIT_SERVICE_KEY],
			   sizeof(tmpl->service_key));
		tmpl->has_service_key = true;
	}

	err = erdev_nl_refuse(info, tb[ERDEV_A_CIRCUIT_PEERING], "peering");
	return err;
}

/* The peering a request names, or NULL with the reason in extack. */
static struct erdev_peering *erdev_nl_peering(struct genl_info *info,
					      struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[ERDEV_A_PEERING];
	struct erdev_circuit *circuit;
	struct erdev_peering *peering;
	u32 type;

	circuit = erdev_nl_circuit(info, nest, tb, ERDEV_A_PEERING_CIRCUIT);
	if (!circuit)
		return NULL;
	if (!erdev_nl_need(info, nest, tb, ERDEV_A_PEERING_TYPE,
			   "peering type"))
		return NULL;
	type = nla_get_u32(tb[ERDEV_A_PEERING_TYPE]);
	peering = circuit->peering[type];
	if (!peering) {
		NL_SET_ERR_MSG_FMT_MOD(info->extack, "circuit %s has no %s peering",
				       circuit->name, erdev_peering_name(type));
		NL_SET_BAD_ATTR(info->extack, tb[ERDEV_A_PEERING_TYPE]);
	}
	return peering;
}

/*
 * pre_doit and post_doit. Every request runs under RTNL, from pre_doit to
 * post_doit. A request that names a circuit or a peering has it looked up
 * in its pre_doit, which keeps it in info->user_ptr for the doit: RTNL,
 * under which circuits and peerings are created and destroyed, keeps it
 * alive until post_doit, so no reference is taken and none dropped.
 */

/*
 * What pre_doit found: the circuit (every pre_doit but erdev_nl_pre_doit),
 * the peering (erdev_nl_peering_pre_doit).
 */
static struct erdev_circuit *erdev_nl_info_circuit(struct genl_info *info)
{
	return info->user_ptr[0];
}

static struct erdev_peering *erdev_nl_info_peering(struct genl_info *info)
{
	return info->user_ptr[1];
}

/* The circuit of the circuit nest. */
static int erdev_nl_find_circuit(struct genl_info *info)
{
	struct nlattr *tb[ERDEV_A_CIRCUIT_MAX + 1];
	int err;

	err = erdev_nl_circuit_attrs(info, tb);
	if (err)
		return err;
	info->user_ptr[0] = erdev_nl_circuit(info, info->attrs[ERDEV_A_CIRCUIT],
					     tb, ERDEV_A_CIRCUIT_NAME);
	return info->user_ptr[0] ? 0 : -ENOENT;
}

/* The circuit the peering nest names, for a peering not made yet. */
static int erdev_nl_find_peering_circuit(struct genl_info *info)
{
	struct nlattr *tb[ERDEV_A_PEERING_MAX + 1];
	int err;

	err = erdev_nl_peering_attrs(info, tb);
	if (err)
		return err;
	info->user_ptr[0] = erdev_nl_circuit(info, info->attrs[ERDEV_A_PEERING],
					     tb, ERDEV_A_PEERING_CIRCUIT);
	return info->user_ptr[0] ? 0 : -ENOENT;
}

/* The peering of the peering nest, and its circuit. */
static int erdev_nl_find_peering(struct genl_info *info)
{
	struct nlattr *tb[ERDEV_A_PEERING_MAX + 1];
	struct erdev_peering *peering;
	int err;

	err = erdev_nl_peering_attrs(info, tb);
	if (err)
		return err;
	peering = erdev_nl_peering(info, tb);
	if (!peering)
		return -ENOENT;
	info->user_ptr[0] = peering->circuit;
	info->user_ptr[1] = peering;
	return 0;
}

/*
 * Take RTNL and look the request's object up with @find. A refused
 * request has RTNL dropped here: genl calls post_doit only after a
 * pre_doit that succeeded.
 */
static int erdev_nl_pre_find(struct genl_info *info,
			     int (*find)(struct genl_info *info))
{
	int err;

	rtnl_lock();
	err = find(info);
	if (err)
		rtnl_unlock();
	return err;
}

int erdev_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info)
{
	rtnl_lock();
	return 0;
}

int erdev_nl_circuit_pre_doit(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	return erdev_nl_pre_find(info, erdev_nl_find_circuit);
}

int erdev_nl_peering_circuit_pre_doit(const struct genl_split_ops *ops,
				      struct sk_buff *skb,
				      struct genl_info *info)
{
	return erdev_nl_pre_find(info, erdev_nl_find_peering_circuit);
}

int erdev_nl_peering_pre_doit(const struct genl_split_ops *ops,
			      struct sk_buff *skb, struct genl_info *info)
{
	return erdev_nl_pre_find(info, erdev_nl_find_peering);
}

void erdev_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	rtnl_unlock();
}

/* Operations */

int erdev_nl_circuit_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[ERDEV_A_CIRCUIT_MAX + 1];
	struct erdev_circuit tmpl = {};
	int ifindex[ERDEV_LINKS];
	int err, field = 0;

	err = erdev_nl_circuit_attrs(info, tb);
	if (err)
		return err;
	err = erdev_nl_parse_circuit_new(info, tb, &tmpl, ifindex);
	if (err)
		return err;
	err = erdev_circuit_new(genl_info_net(info), &tmpl, ifindex, &field,
				info->extack);
	/* A field left at its default (encap, TPID): the circuit's name. */
	if (err && field)
		NL_SET_BAD_ATTR(info->extack,
				tb[field] ?: tb[ERDEV_A_CIRCUIT_NAME]);
	return err;
}

/* The reply to circuit-get and stats-get: @stats adds counters and ports. */
static int erdev_nl_circuit_reply(struct sk_buff *skb, struct genl_info *info,
				  bool stats)
{
	struct erdev_circuit *circuit = erdev_nl_info_circuit(info);
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = erdev_nl_circuit_msg(msg, circuit, info->snd_portid,
				   info->snd_seq, 0, info->genlhdr->cmd, stats,
				   netlink_net_capable(skb, CAP_NET_ADMIN),
				   NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int erdev_nl_circuit_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return erdev_nl_circuit_reply(skb, info, false);
}

int erdev_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return erdev_nl_circuit_reply(skb, info, true);
}

/* The dump of circuit-get and stats-get (@cmd). */
static int erdev_nl_circuit_dump(struct sk_buff *skb,
				 struct netlink_callback *cb, u8 cmd)
{
	bool key = netlink_net_capable(cb->skb, CAP_NET_ADMIN);
	struct net *net = sock_net(skb->sk);
	struct erdev_circuit *circuit;
	struct erdev_net *en;
	long idx = 0;
	int err = 0;

	rtnl_lock();
	en = erdev_pernet(net);
	cb->seq = en->gen;
	list_for_each_entry(circuit, &en->circuits, node) {
		if (idx++ < cb->args[0])
			continue;
		err = erdev_nl_circuit_msg(skb, circuit,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI,
					   cmd, cmd == ERDEV_CMD_STATS_GET, key,
					   cb);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	/* A full skb is not an error: the dump goes on from idx. */
	return err && !skb->len ? err : skb->len;
}

int erdev_nl_circuit_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	return erdev_nl_circuit_dump(skb, cb, ERDEV_CMD_CIRCUIT_GET);
}

int erdev_nl_stats_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return erdev_nl_circuit_dump(skb, cb, ERDEV_CMD_STATS_GET);
}

/* An attribute that a set request cannot change, and its name. */
struct erdev_nl_fixed {
	int type;
	const char *what;
};

/*
 * Refuse a set request that names one of @n @fixed attributes of @object
 * (circuit or peering), before anything is changed.
 */
static int erdev_nl_refuse_fixed(struct genl_info *info, struct nlattr **tb,
				 const struct erdev_nl_fixed *fixed,
				 unsigned int n, const char *object)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!tb[fixed[i].type])
			continue;
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
				       "%s cannot be changed: delete and re-create the %s",
				       fixed[i].what, object);
		NL_SET_BAD_ATTR(info->extack, tb[fixed[i].type]);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * A changeable attribute of circuit set: when the request has @attr, its
 * value goes to @field and its bit to @change->set (what circuit.c
 * changes); an attribute left out leaves the circuit's value as it is.
 */
static void erdev_nl_change_u32(struct nlattr **tb, int attr,
				struct erdev_circuit_change *change, u32 *field)
{
	if (!tb[attr])
		return;
	change->set |= BIT_ULL(attr);
	*field = nla_get_u32(tb[attr]);
}

int erdev_nl_circuit_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	static const struct erdev_nl_fixed fixed[] = {
		{ ERDEV_A_CIRCUIT_ENCAP, "encap" },
		{ ERDEV_A_CIRCUIT_TPID, "tpid" },
		{ ERDEV_A_CIRCUIT_STAG, "stag" },
		{ ERDEV_A_CIRCUIT_PRIMARY_IFINDEX, "primary" },
		{ ERDEV_A_CIRCUIT_SECONDARY_IFINDEX, "secondary" },
		{ ERDEV_A_CIRCUIT_SERVICE_KEY, "service-key" },
		{ ERDEV_A_CIRCUIT_PEERING, "peering" },
	};
	struct nlattr *tb[ERDEV_A_CIRCUIT_MAX + 1];
	struct erdev_circuit_change change = {};
	int err;

	/* Parsed once in pre_doit already: this cannot fail. */
	err = erdev_nl_circuit_attrs(info, tb);
	if (err)
		return err;
	err = erdev_nl_refuse_fixed(info, tb, fixed, ARRAY_SIZE(fixed),
				    "circuit");
	if (err)
		return err;

	erdev_nl_change_u32(tb, ERDEV_A_CIRCUIT_BANDWIDTH, &change,
			    &change.bandwidth);
	erdev_nl_change_u32(tb, ERDEV_A_CIRCUIT_SKU, &change, &change.sku);
	erdev_nl_change_u32(tb, ERDEV_A_CIRCUIT_BILLING, &change,
			    &change.billing);
	erdev_circuit_set(erdev_nl_info_circuit(info), &change);
	return 0;
}

int erdev_nl_circuit_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	erdev_circuit_del(erdev_nl_info_circuit(info));
	return 0;
}

/*
 * The dscp of a peering of @type: @attr, or the type's default. Microsoft's
 * rule is for Microsoft peering: private peering keeps every DSCP.
 */
static int erdev_nl_dscp(struct genl_info *info, struct nlattr *attr,
			 enum erdev_peering_type type, enum erdev_dscp *dscp)
{
	if (!attr) {
		*dscp = type == ERDEV_PEERING_TYPE_MICROSOFT ?
			ERDEV_DSCP_CONFORM : ERDEV_DSCP_KEEP;
		return 0;
	}
	*dscp = nla_get_u32(attr);
	if (*dscp == ERDEV_DSCP_CONFORM &&
	    type != ERDEV_PEERING_TYPE_MICROSOFT) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "dscp conform is for microsoft peering only");
		NL_SET_BAD_ATTR(info->extack, attr);
		return -EINVAL;
	}
	return 0;
}

int erdev_nl_peering_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct erdev_circuit *circuit = erdev_nl_info_circuit(info);
	struct nlattr *nest = info->attrs[ERDEV_A_PEERING];
	struct nlattr *tb[ERDEV_A_PEERING_MAX + 1];
	struct erdev_peering tmpl = {};
	int err, field = 0;

	/* Parsed once in pre_doit already: this cannot fail. */
	err = erdev_nl_peering_attrs(info, tb);
	if (err)
		return err;
	if (!erdev_nl_need(info, nest, tb, ERDEV_A_PEERING_TYPE,
			   "peering type") ||
	    !erdev_nl_need(info, nest, tb, ERDEV_A_PEERING_CTAG, "C-tag"))
		return -EINVAL;
	err = erdev_nl_refuse(info, tb[ERDEV_A_PEERING_LINK], "link");
	if (err)
		return err;

	tmpl.type = nla_get_u32(tb[ERDEV_A_PEERING_TYPE]);
	tmpl.ctag = nla_get_u16(tb[ERDEV_A_PEERING_CTAG]);
	err = erdev_nl_dscp(info, tb[ERDEV_A_PEERING_DSCP], tmpl.type,
			    &tmpl.dscp);
	if (err)
		return err;
	err = erdev_subnets_parse(&tmpl, tb, erdev_subnet_nl_policy,
				  info->extack);
	if (err)
		return err;
	err = erdev_peering_new(circuit, &tmpl, &field, info->extack);
	if (err && field)
		NL_SET_BAD_ATTR(info->extack, tb[field]);
	return err;
}

int erdev_nl_peering_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct erdev_peering *peering = erdev_nl_info_peering(info);
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = erdev_nl_peering_msg(msg, peering, info->snd_portid,
				   info->snd_seq, 0, info->genlhdr->cmd, -1,
				   NULL);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int erdev_nl_peering_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct nlattr **attrs = erdev_dump_attrs(cb);
	struct nlattr *tb[ERDEV_A_PEERING_MAX + 1] = {};
	struct net *net = sock_net(skb->sk);
	struct erdev_circuit *circuit;
	struct erdev_net *en;
	long idx = 0;
	int err = 0, type;

	if (attrs[ERDEV_A_PEERING]) {
		err = nla_parse_nested(tb, ERDEV_A_PEERING_MAX,
				       attrs[ERDEV_A_PEERING],
				       erdev_peering_nl_policy, cb->extack);
		if (err)
			return err;
	}

	rtnl_lock();
	en = erdev_pernet(net);
	cb->seq = en->gen;
	list_for_each_entry(circuit, &en->circuits, node) {
		if (tb[ERDEV_A_PEERING_CIRCUIT] &&
		    nla_strcmp(tb[ERDEV_A_PEERING_CIRCUIT], circuit->name))
			continue;
		for (type = 0; type < ERDEV_PEERINGS; type++) {
			if (!circuit->peering[type] || idx++ < cb->args[0])
				continue;
			err = erdev_nl_peering_msg(skb, circuit->peering[type],
						   NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq,
						   NLM_F_MULTI,
						   ERDEV_CMD_PEERING_GET, -1,
						   cb);
			if (err) {
				idx--;
				goto out;
			}
		}
	}
out:
	rtnl_unlock();
	cb->args[0] = idx;
	return err && !skb->len ? err : skb->len;
}

int erdev_nl_peering_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	static const struct erdev_nl_fixed fixed[] = {
		{ ERDEV_A_PEERING_CTAG, "ctag" },
		{ ERDEV_A_PEERING_LINK, "link" },
		{ ERDEV_A_PEERING_IPV4_PRIMARY, "ipv4-primary" },
		{ ERDEV_A_PEERING_IPV4_SECONDARY, "ipv4-secondary" },
		{ ERDEV_A_PEERING_IPV6_PRIMARY, "ipv6-primary" },
		{ ERDEV_A_PEERING_IPV6_SECONDARY, "ipv6-secondary" },
	};
	struct erdev_peering *peering = erdev_nl_info_peering(info);
	struct nlattr *tb[ERDEV_A_PEERING_MAX + 1];
	enum erdev_dscp dscp;
	int err;

	/* Parsed once in pre_doit already: this cannot fail. */
	err = erdev_nl_peering_attrs(info, tb);
	if (err)
		return err;
	err = erdev_nl_refuse_fixed(info, tb, fixed, ARRAY_SIZE(fixed),
				    "peering");
	if (err)
		return err;
	dscp = peering->dscp;
	if (tb[ERDEV_A_PEERING_DSCP]) {
		err = erdev_nl_dscp(info, tb[ERDEV_A_PEERING_DSCP],
				    peering->type, &dscp);
		if (err)
			return err;
	}
	erdev_peering_set(peering, dscp);
	return 0;
}

int erdev_nl_peering_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	erdev_peering_del(erdev_nl_info_peering(info));
	return 0;
}

int erdev_nl_init(void)
{
	return erdev_genl_register_family(&erdev_nl_family);
}

void erdev_nl_exit(void)
{
	genl_unregister_family(&erdev_nl_family);
}
