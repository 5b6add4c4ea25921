// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of circuit-get and stats-get answers. Attributes this version
 * does not know are skipped; known ones of the wrong size make the message
 * malformed. Peerings and links with a type or role out of range are
 * skipped too.
 */
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "prefix.h"
#include "reply.h"

static int get_u8(const struct nlattr *attr, uint8_t *val)
{
	if (mnl_attr_get_payload_len(attr) != sizeof(*val))
		return -1;
	*val = mnl_attr_get_u8(attr);
	return 0;
}

static int get_u16(const struct nlattr *attr, uint16_t *val)
{
	if (mnl_attr_get_payload_len(attr) != sizeof(*val))
		return -1;
	*val = mnl_attr_get_u16(attr);
	return 0;
}

static int get_be16(const struct nlattr *attr, uint16_t *val)
{
	if (get_u16(attr, val))
		return -1;
	*val = ntohs(*val);
	return 0;
}

static int get_u32(const struct nlattr *attr, uint32_t *val)
{
	if (mnl_attr_get_payload_len(attr) != sizeof(*val))
		return -1;
	*val = mnl_attr_get_u32(attr);
	return 0;
}

/* Counters: u64, or a u32 where the kernel saved the space (nla_put_uint). */
static int get_counter(const struct nlattr *attr, uint64_t *val)
{
	uint32_t v32;

	switch (mnl_attr_get_payload_len(attr)) {
	case sizeof(uint64_t):
		*val = mnl_attr_get_u64(attr);
		return 0;
	case sizeof(uint32_t):
		v32 = mnl_attr_get_u32(attr);
		*val = v32;
		return 0;
	default:
		return -1;
	}
}

/* A string into @buf, cut to its size; NUL-terminated or not. */
static void get_str(const struct nlattr *attr, char *buf, size_t size)
{
	size_t len = strnlen(mnl_attr_get_payload(attr),
			     mnl_attr_get_payload_len(attr));

	if (len >= size)
		len = size - 1;
	memcpy(buf, mnl_attr_get_payload(attr), len);
	buf[len] = '\0';
}

static int parse_stats(const struct nlattr *nest, struct er_stats *s)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (type == ERDEV_A_STATS_PAD || type > ERDEV_A_STATS_MAX)
			continue;
		if (get_counter(attr, &s->val[type]))
			return -1;
		s->has |= BIT(type);
	}
	return 0;
}

static int parse_link_attr(const struct nlattr *attr, struct er_link *l)
{
	switch (mnl_attr_get_type(attr)) {
	case ERDEV_A_LINK_ROLE:
		return get_u32(attr, &l->role);
	case ERDEV_A_LINK_IFINDEX:
		return get_u32(attr, &l->ifindex);
	case ERDEV_A_LINK_IFNAME:
		get_str(attr, l->ifname, sizeof(l->ifname));
		return 0;
	case ERDEV_A_LINK_LOWER_IFINDEX:
		return get_u32(attr, &l->lower_ifindex);
	case ERDEV_A_LINK_OPERSTATE:
		return get_u8(attr, &l->operstate);
	case ERDEV_A_LINK_STATS:
		return parse_stats(attr, &l->stats);
	default:
		return 0;
	}
}

static int parse_link(const struct nlattr *nest, struct er_peering *p)
{
	const struct nlattr *attr;
	struct er_link l = { .present = true };

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (parse_link_attr(attr, &l))
			return -1;
		if (type <= ERDEV_A_LINK_MAX)
			l.has |= BIT(type);
	}
	if (has(l.has, ERDEV_A_LINK_ROLE) && l.role < ER_LINKS)
		p->link[l.role] = l;
	return 0;
}

/* A subnet nest: the address must fit the family of its slot. */
static int parse_subnet(const struct nlattr *nest, struct er_peering *p,
			enum subnet_slot slot)
{
	struct subnet sn = {
		.family = slot >= SN_IPV6_PRIMARY ? AF_INET6 : AF_INET,
	};
	const struct nlattr *attr;
	bool have_addr = false;

	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case ERDEV_A_SUBNET_ADDR:
			if (mnl_attr_get_payload_len(attr) !=
			    subnet_addr_len(&sn))
				return -1;
			memcpy(sn.addr, mnl_attr_get_payload(attr),
			       subnet_addr_len(&sn));
			have_addr = true;
			break;
		case ERDEV_A_SUBNET_PREFIXLEN:
			if (get_u8(attr, &sn.prefixlen))
				return -1;
			break;
		default:
			break;
		}
	}
	if (!have_addr || !sn.prefixlen ||
	    sn.prefixlen > subnet_addr_len(&sn) * 8)
		return -1;
	p->subnet[slot] = sn;
	return 0;
}

static int parse_peering_attr(const struct nlattr *attr, struct er_peering *p)
{
	unsigned int type = mnl_attr_get_type(attr);

	if (type >= ERDEV_A_PEERING_IPV4_PRIMARY &&
	    type <= ERDEV_A_PEERING_IPV6_SECONDARY)
		return parse_subnet(attr, p, type - ERDEV_A_PEERING_IPV4_PRIMARY);
	switch (type) {
	case ERDEV_A_PEERING_TYPE:
		return get_u32(attr, &p->type);
	case ERDEV_A_PEERING_CTAG:
		return get_u16(attr, &p->ctag);
	case ERDEV_A_PEERING_DSCP:
		return get_u32(attr, &p->dscp);
	case ERDEV_A_PEERING_LINK:
		return parse_link(attr, p);
	default:
		return 0;
	}
}

static int parse_peering_nest(const struct nlattr *nest, struct er_peering *p)
{
	const struct nlattr *attr;

	memset(p, 0, sizeof(*p));
	p->present = true;
	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (parse_peering_attr(attr, p))
			return -1;
		if (type <= ERDEV_A_PEERING_MAX)
			p->has |= BIT(type);
	}
	return 0;
}

static int parse_peering(const struct nlattr *nest, struct er_circuit *c)
{
	struct er_peering p;

	if (parse_peering_nest(nest, &p))
		return -1;
	if (has(p.has, ERDEV_A_PEERING_TYPE) && p.type < ER_PEERINGS)
		c->peering[p.type] = p;
	return 0;
}

static int parse_circuit_attr(const struct nlattr *attr, struct er_circuit *c)
{
	switch (mnl_attr_get_type(attr)) {
	case ERDEV_A_CIRCUIT_NAME:
		get_str(attr, c->name, sizeof(c->name));
		return 0;
	case ERDEV_A_CIRCUIT_ENCAP:
		return get_u32(attr, &c->encap);
	case ERDEV_A_CIRCUIT_TPID:
		return get_be16(attr, &c->tpid);
	case ERDEV_A_CIRCUIT_STAG:
		return get_u16(attr, &c->stag);
	case ERDEV_A_CIRCUIT_PRIMARY_IFINDEX:
		return get_u32(attr, &c->primary_ifindex);
	case ERDEV_A_CIRCUIT_SECONDARY_IFINDEX:
		return get_u32(attr, &c->secondary_ifindex);
	case ERDEV_A_CIRCUIT_BANDWIDTH:
		return get_u32(attr, &c->bandwidth);
	case ERDEV_A_CIRCUIT_SKU:
		return get_u32(attr, &c->sku);
	case ERDEV_A_CIRCUIT_BILLING:
		return get_u32(attr, &c->billing);
	case ERDEV_A_CIRCUIT_SERVICE_KEY:
		if (mnl_attr_get_payload_len(attr) != UUID_LEN)
			return -1;
		memcpy(c->service_key, mnl_attr_get_payload(attr), UUID_LEN);
		return 0;
	case ERDEV_A_CIRCUIT_PEERING:
		return parse_peering(attr, c);
	default:
		return 0;
	}
}

static int parse_circuit(const struct nlattr *nest, struct er_circuit *c)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (parse_circuit_attr(attr, c))
			return -1;
		if (type <= ERDEV_A_CIRCUIT_MAX)
			c->has |= BIT(type);
	}
	return has(c->has, ERDEV_A_CIRCUIT_NAME) ? 0 : -1;
}

static int parse_port_attr(const struct nlattr *attr, struct er_port *p)
{
	switch (mnl_attr_get_type(attr)) {
	case ERDEV_A_PORT_IFINDEX:
		return get_u32(attr, &p->ifindex);
	case ERDEV_A_PORT_IFNAME:
		get_str(attr, p->ifname, sizeof(p->ifname));
		return 0;
	case ERDEV_A_PORT_ENCAP:
		return get_u32(attr, &p->encap);
	case ERDEV_A_PORT_TPID:
		return get_be16(attr, &p->tpid);
	case ERDEV_A_PORT_STATS:
		return parse_stats(attr, &p->stats);
	default:
		return 0;
	}
}

static int parse_port(const struct nlattr *nest, struct er_reply *r)
{
	const struct nlattr *attr;
	struct er_port p = { 0 };

	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (parse_port_attr(attr, &p))
			return -1;
		if (type <= ERDEV_A_PORT_MAX)
			p.has |= BIT(type);
	}
	if (!has(p.has, ERDEV_A_PORT_IFINDEX))
		return -1;
	if (r->nports < ER_PORTS)
		r->port[r->nports++] = p;
	return 0;
}

int reply_parse(const struct nlmsghdr *nlh, struct er_reply *r)
{
	const struct nlattr *attr;

	memset(r, 0, sizeof(*r));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case ERDEV_A_CIRCUIT:
			if (parse_circuit(attr, &r->circuit))
				return -1;
			r->has_circuit = true;
			break;
		case ERDEV_A_PORT:
			if (parse_port(attr, r))
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int reply_parse_peering(const struct nlmsghdr *nlh, struct er_peering *p)
{
	const struct nlattr *attr;
	bool found = false;

	memset(p, 0, sizeof(*p));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) != ERDEV_A_PEERING)
			continue;
		if (parse_peering_nest(attr, p))
			return -1;
		found = true;
	}
	return found ? 0 : -1;
}
