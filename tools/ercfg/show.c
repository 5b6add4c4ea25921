// SPDX-License-Identifier: GPL-2.0
/*
 * show and stats: one circuit-get or stats-get (a "do" for one circuit, a
 * dump for all), printed as text or JSON.
 *
 * Text is one block per circuit, blank line between, lines of
 * "key: value" pairs separated by two spaces; absent values are left out.
 * JSON is one array of circuit objects, every key always present (null
 * when the kernel has no value). The output is collected in memory and
 * written only when the whole answer arrived, so a failure prints nothing
 * on stdout.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "model.h"
#include "nl.h"
#include "prefix.h"
#include "rtnl.h"
#include "show.h"

#define DUMP_TRIES	5

struct counter {
	unsigned int attr;
	const char *text;
	const char *json;
};

static const struct counter rx_counters[] = {
	{ ERDEV_A_STATS_RX_PACKETS,	"rx-packets",	"rx_packets" },
	{ ERDEV_A_STATS_RX_BYTES,	"rx-bytes",	"rx_bytes" },
	{ ERDEV_A_STATS_RX_DROPPED,	"rx-dropped",	"rx_dropped" },
};

static const struct counter tx_counters[] = {
	{ ERDEV_A_STATS_TX_PACKETS,	"tx-packets",	"tx_packets" },
	{ ERDEV_A_STATS_TX_BYTES,	"tx-bytes",	"tx_bytes" },
	{ ERDEV_A_STATS_TX_DROPPED,	"tx-dropped",	"tx_dropped" },
	{ ERDEV_A_STATS_TX_DSCP_REWRITTEN, "tx-dscp-rewritten",
	  "tx_dscp_rewritten" },
};

static const struct counter port_counters[] = {
	{ ERDEV_A_STATS_RX_UNKNOWN_STAG, "rx-unknown-stag", "rx_unknown_stag" },
	{ ERDEV_A_STATS_RX_UNKNOWN_CTAG, "rx-unknown-ctag", "rx_unknown_ctag" },
	{ ERDEV_A_STATS_RX_UNTAGGED,	 "rx-untagged",	    "rx_untagged" },
	{ ERDEV_A_STATS_RX_BAD_TPID,	 "rx-bad-tpid",	    "rx_bad_tpid" },
	{ ERDEV_A_STATS_RX_MALFORMED,	 "rx-malformed",    "rx_malformed" },
};

#define NUM_BUFSIZ	24

/* The name of an enum value, or the number for one ercfg does not know. */
static const char *enum_str(const char *name, uint32_t val,
			    char buf[NUM_BUFSIZ])
{
	if (name)
		return name;
	snprintf(buf, NUM_BUFSIZ, "%u", val);
	return buf;
}

/* The NIC's name, or NULL if it has none (here). */
static const char *ifname_or_null(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	return if_indextoname(ifindex, buf);
}

/* The NIC's name, or its number. */
static const char *ifname_or_num(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (if_indextoname(ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "%u", ifindex);
	return buf;
}

static const char *tpid_str(uint16_t tpid, char buf[NUM_BUFSIZ])
{
	snprintf(buf, NUM_BUFSIZ, "0x%04x", tpid);
	return buf;
}

/* Text: a line of "key: value" fields. */
struct tline {
	FILE *f;
	int indent;
	int fields;
};

static void __attribute__((format(printf, 3, 4)))
tl_field(struct tline *l, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (l->fields++)
		fputs("  ", l->f);
	else
		fprintf(l->f, "%*s", l->indent, "");
	fprintf(l->f, "%s: ", key);
	va_start(ap, fmt);
	vfprintf(l->f, fmt, ap);
	va_end(ap);
}

static void tl_end(struct tline *l)
{
	if (l->fields)
		fputc('\n', l->f);
	l->fields = 0;
}

static void text_counters(FILE *f, int indent, const struct er_stats *s,
			  const struct counter *c, unsigned int n)
{
	struct tline l = { f, indent, 0 };
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (has(s->has, c[i].attr))
			tl_field(&l, c[i].text, "%llu",
				 (unsigned long long)s->val[c[i].attr]);
		else
			tl_field(&l, c[i].text, "-");
	}
	tl_end(&l);
}

/*
 * stats --watch: the link's bits per second in and out since the
 * previous round, from its byte counters (Ethernet header, no tags); false
 * in the first round, for an interface new since, or a counter that went
 * back (the interface was re-created). Records this round's counters.
 */
static bool link_rates(struct printer *p, const struct er_link *link,
		       double *rx_bps, double *tx_bps)
{
	const struct er_stats *s = &link->stats;
	uint64_t rx = s->val[ERDEV_A_STATS_RX_BYTES];
	uint64_t tx = s->val[ERDEV_A_STATS_TX_BYTES];
	unsigned int i;

	if (!has(s->has, ERDEV_A_STATS_RX_BYTES) ||
	    !has(s->has, ERDEV_A_STATS_TX_BYTES))
		return false;
	if (p->ncur == p->cur_size) {
		unsigned int n = p->cur_size ? 2 * p->cur_size : 16;
		struct rate_sample *c = realloc(p->cur, n * sizeof(*c));

		if (!c) {
			p->error = -ENOMEM;
			return false;
		}
		p->cur = c;
		p->cur_size = n;
	}
	p->cur[p->ncur++] = (struct rate_sample){ link->ifindex, rx, tx };
	if (p->interval <= 0)
		return false;
	for (i = 0; i < p->nprev; i++) {
		const struct rate_sample *o = &p->prev[i];

		if (o->ifindex != link->ifindex)
			continue;
		if (rx < o->rx_bytes || tx < o->tx_bytes)
			return false;
		*rx_bps = (rx - o->rx_bytes) * 8 / p->interval;
		*tx_bps = (tx - o->tx_bytes) * 8 / p->interval;
		return true;
	}
	return false;
}

static void text_rates(struct printer *p, const struct er_link *link)
{
	struct tline l = { p->f, 6, 0 };
	double rx, tx;

	if (link_rates(p, link, &rx, &tx)) {
		tl_field(&l, "rx-bps", "%.0f", rx);
		tl_field(&l, "tx-bps", "%.0f", tx);
	} else {
		tl_field(&l, "rx-bps", "-");
		tl_field(&l, "tx-bps", "-");
	}
	tl_end(&l);
}

/* Neighbour state of Microsoft's address; NULL without an interface. */
static const char *link_neigh(struct printer *p, const struct er_link *link,
			      const struct subnet *sn)
{
	int state;

	if (!link || !p->neigh || !has(link->has, ERDEV_A_LINK_IFINDEX))
		return NULL;
	state = p->neigh(p->neigh_ctx, link->ifindex, sn);
	if (state < 0) {
		if (!p->error)
			p->error = state;
		return NULL;
	}
	return neigh_state_name(state);
}

/*
 * "ipv4: CUSTOMER/30  microsoft: ADDR  arp: STATE" for each subnet of the
 * link's role (ipv6 ... nd: STATE); @link NULL: the interface is missing.
 */
static void text_link_addrs(struct printer *p, const struct er_peering *pe,
			    const struct er_link *link, uint32_t role)
{
	char addr[ADDR_BUFSIZ];
	uint8_t host[16];
	int ipv6;

	if (role >= ER_LINKS)
		return;
	for (ipv6 = 0; ipv6 <= 1; ipv6++) {
		const struct subnet *sn = &pe->subnet[subnet_slot(ipv6, role)];
		struct tline l = { p->f, 6, 0 };
		const char *state;

		if (!sn->family)
			continue;
		subnet_host(sn, SUBNET_CUSTOMER, host);
		tl_field(&l, ipv6 ? "ipv6" : "ipv4", "%s/%u",
			 format_addr(sn->family, host, addr), sn->prefixlen);
		subnet_host(sn, SUBNET_MICROSOFT, host);
		tl_field(&l, "microsoft", "%s",
			 format_addr(sn->family, host, addr));
		state = link_neigh(p, link, sn);
		if (state)
			tl_field(&l, ipv6 ? "nd" : "arp", "%s", state);
		tl_end(&l);
	}
}

static void text_link(struct printer *p, const struct er_peering *pe,
		      const struct er_link *link)
{
	struct tline l = { p->f, 4, 0 };
	char buf[IF_NAMESIZE], num[NUM_BUFSIZ];

	if (link->ifname[0])
		tl_field(&l, "interface", "%s", link->ifname);
	else
		tl_field(&l, "interface", "%s",
			 ifname_or_num(link->ifindex, buf));
	tl_field(&l, "link", "%s", enum_str(role_name(link->role), link->role,
					    num));
	if (has(link->has, ERDEV_A_LINK_LOWER_IFINDEX))
		tl_field(&l, "lower", "%s",
			 ifname_or_num(link->lower_ifindex, buf));
	if (has(link->has, ERDEV_A_LINK_OPERSTATE))
		tl_field(&l, "state", "%s",
			 enum_str(operstate_name(link->operstate),
				  link->operstate, num));
	tl_end(&l);
	if (p->stats) {
		text_counters(p->f, 6, &link->stats, rx_counters,
			      ARRAY_SIZE(rx_counters));
		text_counters(p->f, 6, &link->stats, tx_counters,
			      ARRAY_SIZE(tx_counters));
		if (p->rates)
			text_rates(p, link);
	} else {
		text_link_addrs(p, pe, link, link->role);
	}
}

/* An interface the user deleted with "ip link del": the kernel omits it. */
static void text_missing_link(struct printer *p, const struct er_circuit *c,
			      const struct er_peering *pe, uint32_t role)
{
	unsigned int attr = role == ERDEV_LINK_ROLE_PRIMARY ?
			    ERDEV_A_CIRCUIT_PRIMARY_IFINDEX :
			    ERDEV_A_CIRCUIT_SECONDARY_IFINDEX;
	uint32_t lower = role == ERDEV_LINK_ROLE_PRIMARY ?
			 c->primary_ifindex : c->secondary_ifindex;
	struct tline l = { p->f, 4, 0 };
	char buf[IF_NAMESIZE];

	if (!has(c->has, attr))
		return;
	tl_field(&l, "interface", "-");
	tl_field(&l, "link", "%s", role_name(role));
	tl_field(&l, "lower", "%s", ifname_or_num(lower, buf));
	tl_field(&l, "state", "missing");
	tl_end(&l);
	if (!p->stats)
		text_link_addrs(p, pe, NULL, role);
}

static void text_peering(struct printer *p, const struct er_circuit *c,
			 const struct er_peering *pe)
{
	struct tline l = { p->f, 2, 0 };
	char num[NUM_BUFSIZ];
	uint32_t role;

	tl_field(&l, "peering", "%s", peering_name(pe->type));
	if (has(pe->has, ERDEV_A_PEERING_CTAG))
		tl_field(&l, "ctag", "%u", pe->ctag);
	if (has(pe->has, ERDEV_A_PEERING_DSCP))
		tl_field(&l, "dscp", "%s",
			 enum_str(dscp_name(pe->dscp), pe->dscp, num));
	tl_end(&l);
	for (role = 0; role < ER_LINKS; role++) {
		if (pe->link[role].present)
			text_link(p, pe, &pe->link[role]);
		else
			text_missing_link(p, c, pe, role);
	}
}

static void text_circuit_attrs(struct printer *p, const struct er_circuit *c)
{
	struct tline l = { p->f, 2, 0 };
	char buf[IF_NAMESIZE], num[NUM_BUFSIZ], rate[RATE_BUFSIZ];
	char uuid[UUID_BUFSIZ];

	if (has(c->has, ERDEV_A_CIRCUIT_ENCAP))
		tl_field(&l, "encap", "%s",
			 enum_str(encap_name(c->encap), c->encap, num));
	if (has(c->has, ERDEV_A_CIRCUIT_TPID))
		tl_field(&l, "tpid", "%s", tpid_str(c->tpid, num));
	if (has(c->has, ERDEV_A_CIRCUIT_STAG))
		tl_field(&l, "stag", "%u", c->stag);
	tl_end(&l);
	if (has(c->has, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX))
		tl_field(&l, "primary", "%s",
			 ifname_or_num(c->primary_ifindex, buf));
	if (has(c->has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX))
		tl_field(&l, "secondary", "%s",
			 ifname_or_num(c->secondary_ifindex, buf));
	tl_end(&l);
	if (has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH))
		tl_field(&l, "bandwidth", "%s", format_rate(c->bandwidth, rate));
	if (has(c->has, ERDEV_A_CIRCUIT_SKU))
		tl_field(&l, "sku", "%s", enum_str(sku_name(c->sku), c->sku, num));
	if (has(c->has, ERDEV_A_CIRCUIT_BILLING))
		tl_field(&l, "billing", "%s",
			 enum_str(billing_name(c->billing), c->billing, num));
	tl_end(&l);
	if (has(c->has, ERDEV_A_CIRCUIT_SERVICE_KEY))
		tl_field(&l, "service-key", "%s",
			 format_uuid(c->service_key, uuid));
	tl_end(&l);
}

static void text_circuit(struct printer *p, const struct er_circuit *c)
{
	unsigned int i;

	if (p->circuits)
		fputc('\n', p->f);
	fprintf(p->f, "circuit: %s\n", c->name);
	if (!p->stats)
		text_circuit_attrs(p, c);
	for (i = 0; i < ER_PEERINGS; i++) {
		if (c->peering[i].present)
			text_peering(p, c, &c->peering[i]);
	}
}

static void text_port(struct printer *p, const struct er_port *port)
{
	struct tline l = { p->f, 2, 0 };
	char buf[IF_NAMESIZE], num[NUM_BUFSIZ];

	if (p->circuits || port != p->ports)
		fputc('\n', p->f);
	fprintf(p->f, "port: %s\n", port->ifname[0] ? port->ifname :
		ifname_or_num(port->ifindex, buf));
	if (has(port->has, ERDEV_A_PORT_ENCAP))
		tl_field(&l, "encap", "%s",
			 enum_str(encap_name(port->encap), port->encap, num));
	if (has(port->has, ERDEV_A_PORT_TPID))
		tl_field(&l, "tpid", "%s", tpid_str(port->tpid, num));
	tl_end(&l);
	text_counters(p->f, 2, &port->stats, port_counters,
		      ARRAY_SIZE(port_counters));
}

/* Text stats prints every NIC once, after all circuits. */
static int collect_port(struct printer *p, const struct er_port *port)
{
	struct er_port *ports;
	unsigned int i;

	for (i = 0; i < p->nports; i++) {
		if (p->ports[i].ifindex == port->ifindex)
			return 0;
	}
	if (p->nports == p->ports_size) {
		unsigned int size = p->ports_size ? 2 * p->ports_size : 8;

		ports = realloc(p->ports, size * sizeof(*ports));
		if (!ports)
			return -1;
		p->ports = ports;
		p->ports_size = size;
	}
	p->ports[p->nports++] = *port;
	return 0;
}

/* JSON */

static void json_enum(struct json *j, const char *key, bool present,
		      const char *name, uint32_t val)
{
	char num[NUM_BUFSIZ];

	if (present)
		json_string(j, key, enum_str(name, val, num));
	else
		json_null(j, key);
}

static void json_opt_uint(struct json *j, const char *key, bool present,
			  uint64_t val)
{
	if (present)
		json_uint(j, key, val);
	else
		json_null(j, key);
}

static void json_tpid(struct json *j, bool present, uint16_t tpid)
{
	char num[NUM_BUFSIZ];

	json_string(j, "tpid", present ? tpid_str(tpid, num) : NULL);
}

/* "<key>": name or null, "<key>_ifindex": number or null. */
static void json_nic(struct json *j, const char *key, const char *key_index,
		     bool present, uint32_t ifindex)
{
	char buf[IF_NAMESIZE];

	json_string(j, key, present ? ifname_or_null(ifindex, buf) : NULL);
	json_opt_uint(j, key_index, present, ifindex);
}

static void json_counters(struct json *j, const struct er_stats *s,
			  const struct counter *c, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		json_opt_uint(j, c[i].json, has(s->has, c[i].attr),
			      s->val[c[i].attr]);
}

/* "ipv4"/"ipv6": null, or the subnet, both addresses and the state. */
static void json_link_addr(struct printer *p, const struct er_peering *pe,
			   const struct er_link *link, int ipv6)
{
	const struct subnet *sn = &pe->subnet[subnet_slot(ipv6, link->role)];
	const char *key = ipv6 ? "ipv6" : "ipv4";
	char addr[ADDR_BUFSIZ], prefix[PREFIX_BUFSIZ];
	struct json *j = &p->j;
	uint8_t host[16];

	if (link->role >= ER_LINKS || !sn->family) {
		json_null(j, key);
		return;
	}
	json_begin_object(j, key);
	json_string(j, "subnet", format_subnet(sn, prefix));
	subnet_host(sn, SUBNET_CUSTOMER, host);
	json_string(j, "customer", format_addr(sn->family, host, addr));
	subnet_host(sn, SUBNET_MICROSOFT, host);
	json_string(j, "microsoft", format_addr(sn->family, host, addr));
	json_string(j, "neighbor", link_neigh(p, link, sn));
	json_end_object(j);
}

void show_json_link(struct printer *p, const struct er_peering *pe,
		    const struct er_link *link)
{
	struct json *j = &p->j;
	char buf[IF_NAMESIZE];

	json_enum(j, "role", true, role_name(link->role), link->role);
	if (link->ifname[0])
		json_string(j, "ifname", link->ifname);
	else
		json_string(j, "ifname",
			    has(link->has, ERDEV_A_LINK_IFINDEX) ?
			    ifname_or_null(link->ifindex, buf) : NULL);
	json_opt_uint(j, "ifindex", has(link->has, ERDEV_A_LINK_IFINDEX),
		      link->ifindex);
	json_nic(j, "lower", "lower_ifindex",
		 has(link->has, ERDEV_A_LINK_LOWER_IFINDEX),
		 link->lower_ifindex);
	json_enum(j, "operstate", has(link->has, ERDEV_A_LINK_OPERSTATE),
		  operstate_name(link->operstate), link->operstate);
	if (p->stats) {
		json_begin_object(j, "stats");
		json_counters(j, &link->stats, rx_counters,
			      ARRAY_SIZE(rx_counters));
		json_counters(j, &link->stats, tx_counters,
			      ARRAY_SIZE(tx_counters));
		if (p->rates) {
			double rx, tx;

			if (link_rates(p, link, &rx, &tx)) {
				json_uint(j, "rx_bps", (uint64_t)(rx + 0.5));
				json_uint(j, "tx_bps", (uint64_t)(tx + 0.5));
			} else {
				json_null(j, "rx_bps");
				json_null(j, "tx_bps");
			}
		}
		json_end_object(j);
	} else {
		json_link_addr(p, pe, link, 0);
		json_link_addr(p, pe, link, 1);
	}
}

void show_json_peering(struct printer *p, const struct er_peering *pe)
{
	struct json *j = &p->j;
	unsigned int i;

	json_string(j, "type", peering_name(pe->type));
	json_opt_uint(j, "ctag", has(pe->has, ERDEV_A_PEERING_CTAG), pe->ctag);
	json_enum(j, "dscp", has(pe->has, ERDEV_A_PEERING_DSCP),
		      dscp_name(pe->dscp), pe->dscp);
	json_begin_array(j, "links");
	for (i = 0; i < ER_LINKS; i++) {
		if (!pe->link[i].present)
			continue;
		json_begin_object(j, NULL);
		show_json_link(p, pe, &pe->link[i]);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_circuit_attrs(struct json *j, const struct er_circuit *c)
{
	char uuid[UUID_BUFSIZ];

	json_enum(j, "encap", has(c->has, ERDEV_A_CIRCUIT_ENCAP),
		  encap_name(c->encap), c->encap);
	json_tpid(j, has(c->has, ERDEV_A_CIRCUIT_TPID), c->tpid);
	json_opt_uint(j, "stag", has(c->has, ERDEV_A_CIRCUIT_STAG), c->stag);
	json_nic(j, "primary", "primary_ifindex",
		 has(c->has, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX),
		 c->primary_ifindex);
	json_nic(j, "secondary", "secondary_ifindex",
		 has(c->has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX),
		 c->secondary_ifindex);
	json_opt_uint(j, "bandwidth_mbps",
		      has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH), c->bandwidth);
	json_enum(j, "sku", has(c->has, ERDEV_A_CIRCUIT_SKU),
		  sku_name(c->sku), c->sku);
	json_enum(j, "billing", has(c->has, ERDEV_A_CIRCUIT_BILLING),
		  billing_name(c->billing), c->billing);
	json_string(j, "service_key",
		    has(c->has, ERDEV_A_CIRCUIT_SERVICE_KEY) ?
		    format_uuid(c->service_key, uuid) : NULL);
}

static void json_port(struct json *j, const struct er_port *port)
{
	char buf[IF_NAMESIZE];

	json_begin_object(j, NULL);
	json_string(j, "ifname", port->ifname[0] ? port->ifname :
		    ifname_or_null(port->ifindex, buf));
	json_uint(j, "ifindex", port->ifindex);
	json_enum(j, "encap", has(port->has, ERDEV_A_PORT_ENCAP),
		  encap_name(port->encap), port->encap);
	json_tpid(j, has(port->has, ERDEV_A_PORT_TPID), port->tpid);
	json_begin_object(j, "stats");
	json_counters(j, &port->stats, port_counters,
		      ARRAY_SIZE(port_counters));
	json_end_object(j);
	json_end_object(j);
}

void show_json_circuit(struct printer *p, const struct er_reply *r)
{
	const struct er_circuit *c = &r->circuit;
	struct json *j = &p->j;
	unsigned int i;

	json_string(j, "name", c->name);
	if (!p->stats)
		json_circuit_attrs(j, c);
	json_begin_array(j, "peerings");
	for (i = 0; i < ER_PEERINGS; i++) {
		if (!c->peering[i].present)
			continue;
		json_begin_object(j, NULL);
		show_json_peering(p, &c->peering[i]);
		json_end_object(j);
	}
	json_end_array(j);
	if (p->stats) {
		json_begin_array(j, "ports");
		for (i = 0; i < r->nports; i++)
			json_port(j, &r->port[i]);
		json_end_array(j);
	}
}

static void printer_setup(struct printer *p, FILE *f, bool json, bool stats)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->json = json;
	p->stats = stats;
	json_init(&p->j, f);
}

void printer_init(struct printer *p, FILE *f, bool json, bool stats)
{
	printer_setup(p, f, json, stats);
	if (json)
		json_begin_array(&p->j, NULL);
}

void printer_init_event(struct printer *p, FILE *f)
{
	printer_setup(p, f, true, false);
}

/* mnl callback for each answer message. */
int printer_cb(const struct nlmsghdr *nlh, void *data)
{
	struct printer *p = data;
	struct er_reply r;
	unsigned int i;

	if (reply_parse(nlh, &r)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!r.has_circuit)
		return MNL_CB_OK;
	if (p->json) {
		json_begin_object(&p->j, NULL);
		show_json_circuit(p, &r);
		json_end_object(&p->j);
	} else {
		text_circuit(p, &r.circuit);
		for (i = 0; i < r.nports; i++) {
			if (collect_port(p, &r.port[i])) {
				errno = ENOMEM;
				return MNL_CB_ERROR;
			}
		}
	}
	p->circuits++;
	if (p->error) {
		errno = -p->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* After the last message: the ports (text), the end of the array (JSON). */
void printer_finish(struct printer *p)
{
	unsigned int i;

	if (p->json) {
		json_end_array(&p->j);
		fputc('\n', p->f);
		return;
	}
	for (i = 0; i < p->nports; i++)
		text_port(p, &p->ports[i]);
}

void printer_free(struct printer *p)
{
	free(p->cur);
	p->cur = NULL;
	p->ncur = p->cur_size = 0;
	free(p->ports);
	p->ports = NULL;
	p->nports = p->ports_size = 0;
}

/* circuit-get or stats-get: a dump, or a "do" with the circuit's name. */
struct nlmsghdr *show_msg(struct nl *nl, const struct request *req)
{
	uint8_t cmd = req->cmd == CMD_STATS ? ERDEV_CMD_STATS_GET :
		      ERDEV_CMD_CIRCUIT_GET;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	if (!req->name)
		return nl_msg(nl, cmd, NLM_F_DUMP);
	nlh = nl_msg(nl, cmd, 0);
	nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, req->name);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* stats --watch: what one round leaves for the next. */
struct watch {
	struct rate_sample *prev;
	unsigned int nprev;
	struct timespec at;		/* when the previous round asked */
	bool started;
};

static double seconds_between(const struct timespec *a,
			      const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * One attempt: 0, -1 (reported), or NL_DUMP_INTR. @rt: neighbours. @w:
 * stats --watch's previous round, updated on success; NULL without.
 */
static int show_once(struct nl *nl, struct nl *rt, const struct request *req,
		     struct watch *w)
{
	struct timespec now;
	struct printer p;
	char *out = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	f = open_memstream(&out, &size);
	if (!f) {
		errmsg("out of memory");
		return -1;
	}
	printer_init(&p, f, req->json, req->cmd == CMD_STATS);
	if (rt) {
		p.neigh = rtnl_neigh_lookup;
		p.neigh_ctx = rt;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (w) {
		p.rates = true;
		p.prev = w->prev;
		p.nprev = w->nprev;
		p.interval = w->started ? seconds_between(&w->at, &now) : 0;
	}
	ret = nl_talk(nl, show_msg(nl, req), printer_cb, &p);
	if (!ret)
		printer_finish(&p);
	if (!ret && w) {
		free(w->prev);
		w->prev = p.cur;
		w->nprev = p.ncur;
		p.cur = NULL;
		w->at = now;
		w->started = true;
	}
	printer_free(&p);
	if (fclose(f) && !ret) {
		errmsg("out of memory");
		ret = -1;
	}
	if (!ret)
		fwrite(out, 1, size, stdout);
	free(out);
	return ret;
}

/* One answer, the dump tried again while it raced with a change. */
static int show_tries(struct nl *nl, struct nl *rt, const struct request *req,
		      struct watch *w)
{
	int i, ret = -1;

	for (i = 0; i < DUMP_TRIES; i++) {
		ret = show_once(nl, rt, req, w);
		if (ret != NL_DUMP_INTR)
			return ret;
	}
	errmsg("circuits changed during every dump, try again");
	return -1;
}

static volatile sig_atomic_t watch_stop;

static void watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/*
 * stats --watch N: a round every N seconds (on the clock, not N seconds
 * after the last output), each with the rates since the one before, until
 * SIGINT, SIGTERM or SIGHUP (status 0). Text rounds are separated by a
 * blank line; JSON is one array per round, a line each.
 */
static int stats_watch(struct nl *nl, const struct request *req)
{
	struct watch w = { 0 };
	struct timespec next;
	struct sigaction sa;
	unsigned int round;
	int ret = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_signal;	/* no SA_RESTART: the sleep ends */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (round = 0; !watch_stop; round++) {
		if (round && !req->json)
			putchar('\n');
		if (show_tries(nl, NULL, req, &w)) {
			ret = -1;
			break;
		}
		if (fflush(stdout) || ferror(stdout)) {
			errmsg("write error: %s", strerror(errno));
			ret = -1;
			break;
		}
		next.tv_sec += req->watch;
		while (!watch_stop &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next,
				       NULL) == EINTR)
			;
	}
	free(w.prev);
	return ret;
}

int do_show(struct nl *nl, const struct request *req)
{
	struct nl rt;
	int ret;

	if (req->cmd == CMD_STATS && req->watch)
		return stats_watch(nl, req);
	if (req->cmd != CMD_SHOW)
		return show_tries(nl, NULL, req, NULL);
	/* show looks up the neighbours of the link addresses. */
	if (nl_open_route(&rt))
		return -1;
	ret = show_tries(nl, &rt, req, NULL);
	nl_close(&rt);
	return ret;
}
