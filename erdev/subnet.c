// SPDX-License-Identifier: GPL-2.0
/*
 * Peering subnets: the /30 (IPv4) and /126 (IPv6) of each link. The
 * customer edge takes the first usable address and Microsoft the second.
 * erdev keeps them so that the tools can show and check a peering after a
 * restart; it neither assigns nor routes them.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "main.h"

struct erdev_subnet_kind {
	const char *name;
	unsigned int len;	/* address bytes */
	u8 prefixlen;
};

static const struct erdev_subnet_kind erdev_subnet_kinds[] = {
	{ "ipv4-primary",   sizeof(__be32),	     30 },
	{ "ipv4-secondary", sizeof(__be32),	     30 },
	{ "ipv6-primary",   sizeof(struct in6_addr), 126 },
	{ "ipv6-secondary", sizeof(struct in6_addr), 126 },
};

/* Space Microsoft peering refuses: it only takes registered public space. */
static bool erdev_ipv4_private(__be32 addr)
{
	return ipv4_is_private_10(addr) || ipv4_is_private_172(addr) ||
	       ipv4_is_private_192(addr) || ipv4_is_loopback(addr) ||
	       ipv4_is_linklocal_169(addr) || ipv4_is_zeronet(addr) ||
	       ipv4_is_multicast(addr) || ipv4_is_lbcast(addr) ||
	       (addr & htonl(0xffc00000)) == htonl(0x64400000); /* 100.64/10 */
}

static bool erdev_ipv6_private(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return (addr->s6_addr[0] & 0xfe) == 0xfc ||	/* ULA fc00::/7 */
	       type & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_LOOPBACK |
		       IPV6_ADDR_MULTICAST | IPV6_ADDR_SITELOCAL) ||
	       type == IPV6_ADDR_ANY;
}

/* Slot @i of erdev_subnet_kinds[]: ipv4 primary, secondary, ipv6 ... */
static const struct erdev_subnet *erdev_subnet_at(const struct erdev_peering *p,
						  unsigned int i)
{
	return i < 2 ? &p->ipv4[i] : &p->ipv6[i - 2];
}

/* The same slot, to be written: only erdev_subnets_parse() does. */
static struct erdev_subnet *erdev_subnet_slot(struct erdev_peering *p,
					      unsigned int i)
{
	return (struct erdev_subnet *)erdev_subnet_at(p, i);
}

/* "<kind> <subnet> is used by the <type> peering of <circuit>" */
static void erdev_subnet_taken(struct netlink_ext_ack *extack,
			       const struct erdev_subnet_kind *kind,
			       const struct erdev_subnet *sn,
			       const struct erdev_peering *o)
{
	const char *type = erdev_peering_name(o->type);
	const char *name = o->circuit->name;

	if (kind->len == sizeof(__be32))
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s %pI4/%u is used by the %s peering of %s",
				       kind->name, &sn->addr.v4, sn->prefixlen,
				       type, name);
	else
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s %pI6c/%u is used by the %s peering of %s",
				       kind->name, &sn->addr.v6, sn->prefixlen,
				       type, name);
}

static int erdev_subnet_parse_one(struct nlattr *attr,
				  const struct erdev_subnet_kind *kind,
				  const struct nla_policy *policy,
				  struct erdev_subnet *sn, bool public,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[ERDEV_A_SUBNET_MAX + 1];
	const u8 *bytes;
	int err;

	err = nla_parse_nested(tb, ERDEV_A_SUBNET_MAX, attr, policy, extack);
	if (err)
		return err;
	if (!tb[ERDEV_A_SUBNET_ADDR] || !tb[ERDEV_A_SUBNET_PREFIXLEN] ||
	    nla_len(tb[ERDEV_A_SUBNET_ADDR]) != kind->len) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s needs a %u-byte addr and a prefixlen",
				       kind->name, kind->len);
		goto bad;
	}
	if (nla_get_u8(tb[ERDEV_A_SUBNET_PREFIXLEN]) != kind->prefixlen) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s must be a /%u", kind->name,
				       kind->prefixlen);
		goto bad;
	}
	nla_memcpy(&sn->addr, tb[ERDEV_A_SUBNET_ADDR], kind->len);
	sn->prefixlen = kind->prefixlen;

	/* Both lengths leave exactly two host bits. */
	bytes = (const u8 *)&sn->addr;
	if (bytes[kind->len - 1] & 3) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "%s has host bits set",
				       kind->name);
		goto bad;
	}
	if (public && (kind->len == sizeof(__be32) ?
		       erdev_ipv4_private(sn->addr.v4) :
		       erdev_ipv6_private(&sn->addr.v6))) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "%s must be public space for microsoft peering",
				       kind->name);
		goto bad;
	}
	return 0;
bad:
	NL_SET_BAD_ATTR(extack, attr);
	return -EINVAL;
}

/*
 * Read the subnets of a peering-new request into @p. @policy is the subnet
 * policy; @attrs are the peering attributes.
 */
int erdev_subnets_parse(struct erdev_peering *p, struct nlattr **attrs,
			const struct nla_policy *policy,
			struct netlink_ext_ack *extack)
{
	bool public = p->type == ERDEV_PEERING_TYPE_MICROSOFT;
	unsigned int i;
	int err;

	BUILD_BUG_ON(ERDEV_A_PEERING_IPV4_SECONDARY !=
		     ERDEV_A_PEERING_IPV4_PRIMARY + 1 ||
		     ERDEV_A_PEERING_IPV6_PRIMARY !=
		     ERDEV_A_PEERING_IPV4_PRIMARY + 2 ||
		     ERDEV_A_PEERING_IPV6_SECONDARY !=
		     ERDEV_A_PEERING_IPV4_PRIMARY + 3);

	for (i = 0; i < ARRAY_SIZE(erdev_subnet_kinds); i++) {
		struct nlattr *attr = attrs[ERDEV_A_PEERING_IPV4_PRIMARY + i];

		if (!attr)
			continue;
		err = erdev_subnet_parse_one(attr, &erdev_subnet_kinds[i],
					     policy, erdev_subnet_slot(p, i),
					     public, extack);
		if (err)
			return err;
	}

	for (i = 0; i < 4; i += 2) {
		struct erdev_subnet *a = erdev_subnet_slot(p, i);
		struct erdev_subnet *b = erdev_subnet_slot(p, i + 1);

		if (a->prefixlen && b->prefixlen &&
		    !memcmp(&a->addr, &b->addr, erdev_subnet_kinds[i].len)) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "%s and %s are the same subnet",
					       erdev_subnet_kinds[i].name,
					       erdev_subnet_kinds[i + 1].name);
			NL_SET_BAD_ATTR(extack,
					attrs[ERDEV_A_PEERING_IPV4_PRIMARY + i + 1]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The first subnet slot of @p whose subnet @o has too (as its primary or
 * secondary link's, of the same family), or -1. Link subnets are all /30
 * or all /126, so two overlap only when they are equal.
 */
static int erdev_subnet_shared(const struct erdev_peering *p,
			       const struct erdev_peering *o)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(erdev_subnet_kinds); i++) {
		const struct erdev_subnet *sn = erdev_subnet_at(p, i);

		if (!sn->prefixlen)
			continue;
		for (j = i & ~1u; j <= (i | 1u); j++) {
			const struct erdev_subnet *osn = erdev_subnet_at(o, j);

			if (osn->prefixlen == sn->prefixlen &&
			    !memcmp(&osn->addr, &sn->addr,
				    erdev_subnet_kinds[i].len))
				return i;
		}
	}
	return -1;
}

/*
 * Is every link subnet of @p, a new peering in @net, unused by the
 * peerings there? If not, *@field is the attribute of the one in use.
 * Under RTNL, which keeps the circuits still.
 */
int erdev_subnets_check_unique(struct net *net, const struct erdev_peering *p,
			       int *field, struct netlink_ext_ack *extack)
{
	struct erdev_circuit *circuit;
	unsigned int t;
	int i;

	ASSERT_RTNL();
	list_for_each_entry(circuit, &erdev_pernet(net)->circuits, node) {
		for (t = 0; t < ERDEV_PEERINGS; t++) {
			const struct erdev_peering *o = circuit->peering[t];

			if (!o)
				continue;
			i = erdev_subnet_shared(p, o);
			if (i < 0)
				continue;
			erdev_subnet_taken(extack, &erdev_subnet_kinds[i],
					   erdev_subnet_at(p, i), o);
			*field = ERDEV_A_PEERING_IPV4_PRIMARY + i;
			return -EEXIST;
		}
	}
	return 0;
}

int erdev_subnets_fill(struct sk_buff *skb, const struct erdev_peering *p)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(erdev_subnet_kinds); i++) {
		const struct erdev_subnet *sn;
		struct nlattr *nest;

		sn = erdev_subnet_at(p, i);
		if (!sn->prefixlen)
			continue;
		nest = nla_nest_start(skb, ERDEV_A_PEERING_IPV4_PRIMARY + i);
		if (!nest ||
		    nla_put(skb, ERDEV_A_SUBNET_ADDR, erdev_subnet_kinds[i].len,
			    &sn->addr) ||
		    nla_put_u8(skb, ERDEV_A_SUBNET_PREFIXLEN, sn->prefixlen))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}
