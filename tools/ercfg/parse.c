// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsing and checking of the requests (circuit, peering,
 * show, stats: their words and option words are in commands.c's table).
 * Nothing here talks to the kernel: a command line that gets through
 * parse_request() is complete and valid as far as ercfg can tell, and its
 * devices exist.
 *
 * Order of the checks, so that one command line always gives the same
 * error: the command words, the circuit name, the peering type, then the
 * option words from left to right (unknown word, given twice, missing
 * value, bad value), then the required words and the encap/stag rule, and
 * last the devices.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <net/if.h>
#include <sys/socket.h>

#include "commands.h"
#include "errmsg.h"
#include "model.h"
#include "parse.h"
#include "prefix.h"

int parse_word = -1;
bool parse_no_devices;

#define WATCH_MAX	3600	/* seconds */

/*
 * 1 to ERDEV_CIRCUIT_NAME_LEN of [A-Za-z0-9_-], first a letter. The
 * kernel: erdev_name_valid() (erdev/netlink.c) and the spec's max-len.
 */
bool valid_circuit_name(const char *name)
{
	size_t i, len = strlen(name);

	if (len < 1 || len > ERDEV_CIRCUIT_NAME_LEN)
		return false;
	if (!((name[0] >= 'a' && name[0] <= 'z') ||
	      (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	for (i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/*
 * A VLAN ID: decimal digits only, 1..4094. The kernel: the spec's range of
 * stag and ctag (erdev_circuit_nl_policy, erdev_peering_nl_policy).
 */
int parse_vid(const char *str, uint16_t *vid)
{
	unsigned long val = 0;
	const char *p;

	if (!*str)
		return -1;
	for (p = str; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		val = val * 10 + (*p - '0');
		if (val > 4094)
			return -1;
	}
	if (val < 1 || val > 4094)
		return -1;
	*vid = val;
	return 0;
}

/*
 * tc's rate units, and tc's parsing of them (get_rate() in iproute2's
 * tc/tc_util.c): a number as strtod() reads it, then an optional unit
 * compared without case. No unit means bit/s. The "Bps" forms are bytes.
 */
static const struct rate_suffix {
	const char *name;
	double scale;
} rate_suffixes[] = {
	{ "bit",	1. },
	{ "Kibit",	1024. },
	{ "kbit",	1000. },
	{ "mibit",	1024. * 1024. },
	{ "mbit",	1000000. },
	{ "gibit",	1024. * 1024. * 1024. },
	{ "gbit",	1000000000. },
	{ "tibit",	1024. * 1024. * 1024. * 1024. },
	{ "tbit",	1000000000000. },
	{ "Bps",	8. },
	{ "KiBps",	8. * 1024. },
	{ "KBps",	8000. },
	{ "MiBps",	8. * 1024. * 1024. },
	{ "MBps",	8000000. },
	{ "GiBps",	8. * 1024. * 1024. * 1024. },
	{ "GBps",	8000000000. },
	{ "TiBps",	8. * 1024. * 1024. * 1024. * 1024. },
	{ "TBps",	8000000000000. },
};

/*
 * A rate in Mbit/s. Refused unless it is a whole number of Mbit/s from 1 to
 * 2^32 - 1; the tolerance only absorbs the rounding of the floating point
 * product ("0.3gbit"), far below one bit per second. The kernel: the
 * spec's min of bandwidth, 1 (erdev_circuit_nl_policy).
 */
int parse_rate(const char *str, uint32_t *mbit)
{
	double bits, m, whole;
	unsigned int i;
	char *end;

	bits = strtod(str, &end);
	if (end == str)
		return -1;
	for (i = 0; i < ARRAY_SIZE(rate_suffixes); i++) {
		if (!strcasecmp(rate_suffixes[i].name, end)) {
			bits *= rate_suffixes[i].scale;
			end += strlen(end);
			break;
		}
	}
	if (*end || !isfinite(bits))
		return -1;

	m = bits / 1e6;
	whole = round(m);
	if (whole < 1 || whole > UINT32_MAX || fabs(m - whole) > whole * 1e-12)
		return -1;
	*mbit = whole;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Canonical 8-4-4-4-12 form, any case; bytes in the order written. */
int parse_uuid(const char *str, uint8_t uuid[UUID_LEN])
{
	static const char layout[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	uint8_t tmp[UUID_LEN] = { 0 };
	int i, n = 0;

	if (strlen(str) != sizeof(layout) - 1)
		return -1;
	for (i = 0; layout[i]; i++) {
		int d;

		if (layout[i] == '-') {
			if (str[i] != '-')
				return -1;
			continue;
		}
		d = hex_digit(str[i]);
		if (d < 0)
			return -1;
		tmp[n / 2] |= n % 2 ? d : d << 4;
		n++;
	}
	memcpy(uuid, tmp, UUID_LEN);
	return 0;
}

/*
 * A word of the user's (command line or FILE) as a message quotes it:
 * bytes other than printable ASCII as \xNN and a backslash as \\, so that
 * a message never carries a control character; cut after SHOWN_MAX bytes
 * with "...", so that it stays one readable line. SHOWN_MAX keeps every
 * valid word whole (a service key is 36 bytes, an IPv6 prefix at most
 * 49). The text lives until the SHOWN_BUFS-th call after: enough for the
 * words of one message.
 */
#define SHOWN_MAX	64
#define SHOWN_BUFS	4

const char *shown(const char *word)
{
	static char bufs[SHOWN_BUFS][SHOWN_MAX * 4 + sizeof("...")];
	static unsigned int next;
	char *out = bufs[next++ % SHOWN_BUFS], *p = out;
	size_t i;

	for (i = 0; word[i] && i < SHOWN_MAX; i++) {
		unsigned char c = word[i];

		if (c == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (c < 0x20 || c >= 0x7f) {
			p += snprintf(p, 5, "\\x%02x", c);
		} else {
			*p++ = c;
		}
	}
	if (word[i]) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p = '\0';
	return out;
}

/* Parsers of option values. Each prints its own error. */

static int opt_encap(struct request *req, const char *val)
{
	if (!name_to_value(encap_names, ARRAY_SIZE(encap_names), val,
			   &req->encap))
		return 0;
	errmsg("invalid encap \"%s\" (qinq|dot1q)", shown(val));
	return -1;
}

/* The kernel: erdev_nl_parse_circuit_new(), "TPID must be ...". */
static int opt_tpid(struct request *req, const char *val)
{
	if (!strcasecmp(val, "0x8100")) {
		req->tpid = 0x8100;
		return 0;
	}
	if (!strcasecmp(val, "0x88a8")) {
		req->tpid = 0x88a8;
		return 0;
	}
	errmsg("invalid TPID \"%s\" (0x8100|0x88a8)", shown(val));
	return -1;
}

static int opt_stag(struct request *req, const char *val)
{
	if (!parse_vid(val, &req->stag))
		return 0;
	errmsg("invalid S-tag \"%s\" (1..4094)", shown(val));
	return -1;
}

static int opt_ctag(struct request *req, const char *val)
{
	if (!parse_vid(val, &req->ctag))
		return 0;
	errmsg("invalid C-tag \"%s\" (1..4094)", shown(val));
	return -1;
}

/* Devices are looked up once the whole line is known to be good. */
static int opt_primary(struct request *req, const char *val)
{
	req->primary = val;
	return 0;
}

static int opt_secondary(struct request *req, const char *val)
{
	req->secondary = val;
	return 0;
}

static int opt_bandwidth(struct request *req, const char *val)
{
	if (!parse_rate(val, &req->bandwidth))
		return 0;
	errmsg("invalid rate \"%s\"", shown(val));
	return -1;
}

static int opt_sku(struct request *req, const char *val)
{
	if (!name_to_value(sku_names, ARRAY_SIZE(sku_names), val, &req->sku))
		return 0;
	errmsg("invalid sku \"%s\" (local|standard|premium)", shown(val));
	return -1;
}

static int opt_billing(struct request *req, const char *val)
{
	if (!name_to_value(billing_names, ARRAY_SIZE(billing_names), val,
			   &req->billing))
		return 0;
	errmsg("invalid billing \"%s\" (metered|unlimited)", shown(val));
	return -1;
}

static int opt_service_key(struct request *req, const char *val)
{
	if (!parse_uuid(val, req->service_key))
		return 0;
	errmsg("invalid service key \"%s\"", shown(val));
	return -1;
}

/* The peering type is known: it comes before the option words. */
static int opt_subnets(struct request *req, int family, const char *val)
{
	bool public = req->peering == ERDEV_PEERING_TYPE_MICROSOFT;

	return parse_link_subnets(family, val, public,
				  &req->subnet[subnet_slot(family == AF_INET6,
							   0)]);
}

static int opt_ipv4(struct request *req, const char *val)
{
	return opt_subnets(req, AF_INET, val);
}

static int opt_ipv6(struct request *req, const char *val)
{
	return opt_subnets(req, AF_INET6, val);
}

static int opt_dscp(struct request *req, const char *val)
{
	if (!name_to_value(dscp_names, ARRAY_SIZE(dscp_names), val,
			   &req->dscp))
		return 0;
	errmsg("invalid dscp \"%s\" (conform|keep)", shown(val));
	return -1;
}

static int opt_watch(struct request *req, const char *val)
{
	unsigned long n = 0;
	const char *p;

	for (p = val; *p >= '0' && *p <= '9' && n <= WATCH_MAX; p++)
		n = n * 10 + (*p - '0');
	if (*val && !*p && n >= 1 && n <= WATCH_MAX) {
		req->watch = n;
		return 0;
	}
	errmsg("invalid interval \"%s\" (1..%d seconds)", shown(val),
	       WATCH_MAX);
	return -1;
}

static const struct option_word {
	const char *word;
	enum ercfg_opt opt;
	int (*parse)(struct request *req, const char *val);
} option_words[] = {
	{ "encap",	 OPT_ENCAP,	  opt_encap },
	{ "tpid",	 OPT_TPID,	  opt_tpid },
	{ "stag",	 OPT_STAG,	  opt_stag },
	{ "primary",	 OPT_PRIMARY,	  opt_primary },
	{ "secondary",	 OPT_SECONDARY,	  opt_secondary },
	{ "bandwidth",	 OPT_BANDWIDTH,	  opt_bandwidth },
	{ "sku",	 OPT_SKU,	  opt_sku },
	{ "billing",	 OPT_BILLING,	  opt_billing },
	{ "service-key", OPT_SERVICE_KEY, opt_service_key },
	{ "ctag",	 OPT_CTAG,	  opt_ctag },
	{ "ipv4",	 OPT_IPV4,	  opt_ipv4 },
	{ "ipv6",	 OPT_IPV6,	  opt_ipv6 },
	{ "dscp",	 OPT_DSCP,	  opt_dscp },
	{ "--watch",	 OPT_WATCH,	  opt_watch },
};

static const struct option_word *find_option(const char *word,
					     unsigned int allowed)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(option_words); i++) {
		if (!strcmp(option_words[i].word, word))
			return allowed & BIT(option_words[i].opt) ?
			       &option_words[i] : NULL;
	}
	return NULL;
}

static int parse_name(const char *str, struct request *req)
{
	if (!valid_circuit_name(str)) {
		errmsg("invalid circuit name \"%s\"", shown(str));
		return -1;
	}
	req->name = str;
	return 0;
}

static int parse_peering_type(const char *str, struct request *req)
{
	if (!name_to_value(peering_names, ARRAY_SIZE(peering_names), str,
			   &req->peering))
		return 0;
	errmsg("invalid peering type \"%s\" (private|microsoft)",
	       shown(str));
	return -1;
}

/*
 * Where a word was, for struct request: its index in argv (which is at most
 * 2 + 2 * OPT_COUNT long when good), or 0 past that.
 */
static uint8_t word_index(int i)
{
	return i > 0 && i <= UINT8_MAX ? i : 0;
}

/* NAME and peering type: the positional arguments. */
static int parse_positional(const struct command *c, int argc, char **argv,
			    int *i, struct request *req)
{
	if (c->args & (ARG_NAME | ARG_NAME_OPT)) {
		/* An optional NAME is never "--...", which no name starts with. */
		if (*i < argc && !((c->args & ARG_NAME_OPT) &&
				   !strncmp(argv[*i], "--", 2))) {
			parse_word = *i;
			req->name_word = word_index(*i);
			if (parse_name(argv[(*i)++], req))
				return -1;
		} else if (c->args & ARG_NAME) {
			errmsg("missing circuit name");
			return -1;
		}
	}
	if (c->args & ARG_TYPE) {
		if (*i >= argc) {
			errmsg("missing peering type");
			return -1;
		}
		parse_word = *i;
		if (parse_peering_type(argv[(*i)++], req))
			return -1;
	}
	return 0;
}

/* "WORD VALUE" pairs, in any order, each at most once. */
static int parse_options(const struct command *c, int argc, char **argv,
			 int i, struct request *req)
{
	for (; i < argc; i += 2) {
		const struct option_word *o = find_option(argv[i], c->opts);

		parse_word = i;
		if (!o) {
			errmsg("unknown word \"%s\"", shown(argv[i]));
			return -1;
		}
		if (req_has(req, o->opt)) {
			errmsg("\"%s\" given twice", o->word);
			return -1;
		}
		if (i + 1 >= argc) {
			errmsg("\"%s\" needs a value", o->word);
			return -1;
		}
		parse_word = i + 1;
		if (o->parse(req, argv[i + 1]))
			return -1;
		req->have |= BIT(o->opt);
		req->opt_word[o->opt] = word_index(i + 1);
	}
	parse_word = -1;
	return 0;
}

/*
 * The kernel: erdev_nl_parse_circuit_new() ("missing primary NIC",
 * "missing S-tag, required for qinq", "dot1q circuit takes no S-tag").
 */
static int check_circuit_add(const struct request *req)
{
	bool qinq = !req_has(req, OPT_ENCAP) || req->encap == ERDEV_ENCAP_QINQ;

	if (!req_has(req, OPT_PRIMARY)) {
		errmsg("\"primary\" is required");
		return -1;
	}
	if (qinq && !req_has(req, OPT_STAG)) {
		errmsg("\"stag\" is required for qinq");
		return -1;
	}
	if (!qinq && req_has(req, OPT_STAG)) {
		parse_word = req->opt_word[OPT_STAG];
		errmsg("dot1q takes no \"stag\"");
		return -1;
	}
	return 0;
}

/* As the kernel's dev_valid_name(). */
static bool valid_ifname(const char *name)
{
	size_t len = strlen(name);

	if (!len || len >= IF_NAMESIZE || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (; *name; name++) {
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	}
	return true;
}

/*
 * DEV's ifindex; with parse_no_devices (apply --check, off the router) the
 * name is only checked, and the ifindex is 0. The kernel looks the ifindex
 * up again: erdev_circuit_lowers(), "no device with ifindex N".
 */
static int find_device(const char *name, uint32_t *ifindex)
{
	if (parse_no_devices) {
		*ifindex = 0;
		if (valid_ifname(name))
			return 0;
		errmsg("invalid device name \"%s\" (1 to %d bytes, no /, : or blank)",
		       shown(name), IF_NAMESIZE - 1);
		return -1;
	}
	*ifindex = if_nametoindex(name);
	if (*ifindex)
		return 0;
	errmsg("cannot find device \"%s\"", shown(name));
	return -1;
}

/* As the kernel's erdev_nl_dscp(): Microsoft's rule, for Microsoft only. */
static int check_dscp(const struct request *req)
{
	if (!req_has(req, OPT_DSCP) || req->dscp != ERDEV_DSCP_CONFORM ||
	    req->peering == ERDEV_PEERING_TYPE_MICROSOFT)
		return 0;
	parse_word = req->opt_word[OPT_DSCP];
	errmsg("dscp conform is for microsoft peering only");
	return -1;
}

static int check_request(struct request *req)
{
	switch (req->cmd) {
	case CMD_CIRCUIT_ADD:
		if (check_circuit_add(req))
			return -1;
		parse_word = req->opt_word[OPT_PRIMARY];
		if (find_device(req->primary, &req->primary_ifindex))
			return -1;
		parse_word = req->opt_word[OPT_SECONDARY];
		if (req->secondary &&
		    find_device(req->secondary, &req->secondary_ifindex))
			return -1;
		parse_word = -1;
		return 0;
	case CMD_PEERING_ADD:
		/* The kernel: erdev_nl_peering_new_doit(), "missing C-tag". */
		if (!req_has(req, OPT_CTAG)) {
			errmsg("\"ctag\" is required");
			return -1;
		}
		return check_dscp(req);
	case CMD_PEERING_SET:
		return check_dscp(req);
	default:
		return 0;
	}
}

/*
 * argv holds the command and its arguments, without the program name and
 * the global options; the command, commands.c's entry @c, is its first
 * @i words. Prints one line on error and returns -1.
 */
int parse_request(const struct command *c, int argc, char **argv, int i,
		  struct request *req)
{
	req->cmd = c->cmd;
	if (parse_positional(c, argc, argv, &i, req))
		return -1;
	if (parse_options(c, argc, argv, i, req))
		return -1;
	return check_request(req);
}
