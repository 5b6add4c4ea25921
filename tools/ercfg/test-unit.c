// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of ercfg, KTAP output. No erdev module needed:
 *
 *  - the value parsers (names, VLAN IDs, rates as tc reads them, UUIDs)
 *    and parse_command() on good command lines;
 *  - the text and JSON printers, fed with circuit-get and stats-get
 *    answers built here the way the kernel builds them;
 *  - the netlink exchange (dumps, ACKs, extack messages) against families
 *    the host kernel has: nlctrl, and ethtool if present.
 *
 * "test-unit print show|stats text|json" prints a printer fixture instead,
 * for test-cli.sh to feed to jq.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "commands.h"
#include "config.h"
#include "errmsg.h"
#include "model.h"
#include "nl.h"
#include "parse.h"
#include "prefix.h"
#include "rtnl.h"
#include "show.h"

static FILE *results;
static char *results_buf;
static size_t results_size;
static unsigned int tests, failures;
static char last_err[512];

/*
 * parse.c and nl.c report here instead of stderr: test-unit is linked with
 * --wrap=errmsg, which sends every call of errmsg() to this one.
 */
void __wrap_errmsg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

void __wrap_errmsg(const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(last_err, sizeof(last_err), "ercfg: ");
	va_start(ap, fmt);
	vsnprintf(last_err + n, sizeof(last_err) - n, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 2, 3)))
ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!pass)
		failures++;
	fprintf(results, "%sok %u ", pass ? "" : "not ", tests);
	va_start(ap, fmt);
	vfprintf(results, fmt, ap);
	va_end(ap);
	fputc('\n', results);
}

static void diag_text(const char *what, const char *text)
{
	const char *p = text, *nl;

	fprintf(results, "# %s:\n", what);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		fprintf(results, "#   %.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/* Value parsers */

static void test_names(void)
{
	static const char *const good[] = {
		"c1", "A", "abcdefghijkl", "a-b_c9", "Z-", "er_1-x",
	};
	static const char *const bad[] = {
		"", "1c", "_c", "-c", "abcdefghijklm", "c.1", "c 1", "c/1",
		"c\xc3\xa9", "c:1",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		ok(valid_circuit_name(good[i]), "name \"%s\" is valid",
		   good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ok(!valid_circuit_name(bad[i]), "name \"%s\" is invalid",
		   bad[i]);
}

static void test_vids(void)
{
	static const struct { const char *s; int v; } cases[] = {
		{ "1", 1 }, { "4094", 4094 }, { "100", 100 }, { "0100", 100 },
		{ "0", -1 }, { "4095", -1 }, { "", -1 }, { "-1", -1 },
		{ "+1", -1 }, { "1a", -1 }, { "0x10", -1 }, { " 1", -1 },
		{ "1 ", -1 }, { "99999", -1 }, { "00001", 1 },
		{ "18446744073709551617", -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint16_t vid = 0;
		int ret = parse_vid(cases[i].s, &vid);
		bool pass = !ret && vid == cases[i].v;

		if (cases[i].v < 0)
			pass = ret < 0;
		ok(pass, "vid \"%s\" -> %d", cases[i].s, cases[i].v);
	}
}

static void test_rates(void)
{
	static const struct { const char *s; long long mbit; } cases[] = {
		{ "50mbit", 50 }, { "1gbit", 1000 }, { "100gbit", 100000 },
		{ "10Gbit", 10000 }, { "1tbit", 1000000 }, { "1TBIT", 1000000 },
		{ "1.5gbit", 1500 }, { "0.3gbit", 300 }, { "2.5gbit", 2500 },
		{ "1000000000", 1000 }, { "1000000000bit", 1000 },
		{ "1000kbit", 1 }, { "125kbps", 1 }, { "125KBps", 1 },
		{ "1mbps", 8 }, { "1MBps", 8 }, { "1gbps", 8000 },
		{ "1e3mbit", 1000 }, { "0x10mbit", 16 },
		{ "15625kibps", 128 }, { "4294967295mbit", 4294967295LL },
		{ "", -1 }, { "mbit", -1 }, { "1.5mbit", -1 }, { "0mbit", -1 },
		{ "-1gbit", -1 }, { "1 gbit", -1 }, { "1gbits", -1 },
		{ "1gb", -1 }, { "100kbit", -1 }, { "1bit", -1 }, { "inf", -1 },
		{ "infmbit", -1 }, { "nan", -1 }, { "4294967296mbit", -1 },
		{ "1mibit", -1 }, { "1000000001bit", -1 }, { "1e400", -1 },
		{ "50 mbit", -1 }, { "50mbit ", -1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t mbit = 0;
		int ret = parse_rate(cases[i].s, &mbit);
		bool pass = !ret && mbit == cases[i].mbit;

		if (cases[i].mbit < 0)
			pass = ret < 0;
		ok(pass, "rate \"%s\" -> %lld", cases[i].s, cases[i].mbit);
	}
}

static void test_format_rate(void)
{
	static const struct { uint32_t mbit; const char *s; } cases[] = {
		{ 50, "50mbit" }, { 1000, "1gbit" }, { 1500, "1500mbit" },
		{ 100000, "100gbit" }, { 1000000, "1tbit" },
		{ 2000000, "2tbit" }, { 1001000, "1001gbit" },
		{ 4294967295U, "4294967295mbit" },
	};
	char buf[RATE_BUFSIZ];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t back = 0;

		format_rate(cases[i].mbit, buf);
		ok(!strcmp(buf, cases[i].s) && !parse_rate(buf, &back) &&
		   back == cases[i].mbit, "format_rate %u -> %s",
		   cases[i].mbit, cases[i].s);
	}
}

static void test_uuids(void)
{
	static const uint8_t want[UUID_LEN] = {
		0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
		0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
	};
	static const char *const good[] = {
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",
		"0f1E2d3C-4b5A-6978-8796-a5B4c3D2e1F0",
	};
	static const char *const bad[] = {
		"", "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00",
		"0f1e2d3c-4b5a-6978-8796a-5b4c3d2e1f0",
		"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg",
		"{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}",
		"0f1e2d3c_4b5a_6978_8796_a5b4c3d2e1f0",
		" f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
	};
	char buf[UUID_BUFSIZ];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		uint8_t uuid[UUID_LEN];

		ok(!parse_uuid(good[i], uuid) &&
		   !memcmp(uuid, want, UUID_LEN) &&
		   !strcmp(format_uuid(uuid, buf), good[0]),
		   "uuid \"%s\"", good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t uuid[UUID_LEN];

		ok(parse_uuid(bad[i], uuid) < 0, "uuid \"%s\" is invalid",
		   bad[i]);
	}
}

/* Link subnets: "PREFIX/29" or "PRIMARY/30,SECONDARY/30", and IPv6. */

static void test_prefix_good(void)
{
	static const struct {
		int family;
		const char *in;
		bool public;
		const char *primary, *secondary;
	} cases[] = {
		{ AF_INET, "192.168.100.128/29", false,
		  "192.168.100.128/30", "192.168.100.132/30" },
		{ AF_INET, "192.168.100.128/30,192.168.100.132/30", false,
		  "192.168.100.128/30", "192.168.100.132/30" },
		{ AF_INET, "10.0.0.8/30,10.9.0.0/30", false,
		  "10.0.0.8/30", "10.9.0.0/30" },
		{ AF_INET, "203.0.113.0/29", true,
		  "203.0.113.0/30", "203.0.113.4/30" },
		{ AF_INET, "203.0.113.4/30,203.0.113.0/30", true,
		  "203.0.113.4/30", "203.0.113.0/30" },
		{ AF_INET, "100.128.0.0/29", true,
		  "100.128.0.0/30", "100.128.0.4/30" },
		{ AF_INET, "172.32.0.248/29", true,
		  "172.32.0.248/30", "172.32.0.252/30" },
		{ AF_INET, "192.168.100.128/029", false,
		  "192.168.100.128/30", "192.168.100.132/30" },
		{ AF_INET6, "fd00:100::/125", false,
		  "fd00:100::/126", "fd00:100::4/126" },
		{ AF_INET6, "2001:db8:300::/125", true,
		  "2001:db8:300::/126", "2001:db8:300::4/126" },
		{ AF_INET6, "2001:db8::c/126,2001:db8:1::/126", true,
		  "2001:db8::c/126", "2001:db8:1::/126" },
		{ AF_INET6, "2001:DB8::FFF8/125", true,
		  "2001:db8::fff8/126", "2001:db8::fffc/126" },
	};
	char a[PREFIX_BUFSIZ], b[PREFIX_BUFSIZ];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct subnet sn[2];
		int ret;

		memset(sn, 0, sizeof(sn));
		ret = parse_link_subnets(cases[i].family, cases[i].in,
					 cases[i].public, sn);
		ok(!ret && sn[0].family == cases[i].family &&
		   !strcmp(format_subnet(&sn[0], a), cases[i].primary) &&
		   !strcmp(format_subnet(&sn[1], b), cases[i].secondary),
		   "%s %s -> %s, %s", cases[i].family == AF_INET ? "ipv4" :
		   "ipv6", cases[i].in, cases[i].primary, cases[i].secondary);
	}
}

static void test_prefix_bad(void)
{
	static const struct {
		int family;
		const char *in;
		bool public;
		const char *err;
	} cases[] = {
		{ AF_INET, "", false, "invalid IPv4 prefix \"\"" },
		{ AF_INET, "192.168.100.128", false,
		  "invalid IPv4 prefix \"192.168.100.128\"" },
		{ AF_INET, "192.168.100.128/", false,
		  "invalid IPv4 prefix \"192.168.100.128/\"" },
		{ AF_INET, "192.168.100.128/x", false,
		  "invalid IPv4 prefix \"192.168.100.128/x\"" },
		{ AF_INET, "192.168.100.128/33", false,
		  "invalid IPv4 prefix \"192.168.100.128/33\"" },
		{ AF_INET, "192.168.100.128/0029", false,
		  "invalid IPv4 prefix \"192.168.100.128/0029\"" },
		{ AF_INET, "192.168.100.128/ 29", false,
		  "invalid IPv4 prefix \"192.168.100.128/ 29\"" },
		{ AF_INET, "192.168.1/29", false,
		  "invalid IPv4 prefix \"192.168.1/29\"" },
		{ AF_INET, "2001:db8::/29", false,
		  "invalid IPv4 prefix \"2001:db8::/29\"" },
		{ AF_INET, "1.2.3.0/30,", false, "invalid IPv4 prefix \"\"" },
		{ AF_INET, "1.2.3.0/30,1.2.3.4/30,1.2.3.8/30", false,
		  "invalid IPv4 prefix \"1.2.3.4/30,1.2.3.8/30\"" },
		{ AF_INET, "192.168.100.128/30", false,
		  "IPv4 prefix \"192.168.100.128/30\" has the wrong length "
		  "(PREFIX/29 or PRIMARY/30,SECONDARY/30)" },
		{ AF_INET, "192.168.100.128/28", false,
		  "IPv4 prefix \"192.168.100.128/28\" has the wrong length "
		  "(PREFIX/29 or PRIMARY/30,SECONDARY/30)" },
		{ AF_INET, "192.168.100.128/29,192.168.100.136/30", false,
		  "IPv4 prefix \"192.168.100.128/29\" has the wrong length "
		  "(PREFIX/29 or PRIMARY/30,SECONDARY/30)" },
		{ AF_INET, "192.168.100.132/29", false,
		  "IPv4 prefix \"192.168.100.132/29\" is not aligned "
		  "(host bits set)" },
		{ AF_INET, "192.168.100.128/30,192.168.100.133/30", false,
		  "IPv4 prefix \"192.168.100.133/30\" is not aligned "
		  "(host bits set)" },
		{ AF_INET, "192.168.100.128/30,192.168.100.128/30", false,
		  "IPv4 prefix \"192.168.100.128/30\" is both primary and "
		  "secondary" },
		{ AF_INET6, "fd00::/125x", false,
		  "invalid IPv6 prefix \"fd00::/125x\"" },
		{ AF_INET6, "fd00::/129", false,
		  "invalid IPv6 prefix \"fd00::/129\"" },
		{ AF_INET6, "10.0.0.0/125", false,
		  "invalid IPv6 prefix \"10.0.0.0/125\"" },
		{ AF_INET6, "fd00::/126", false,
		  "IPv6 prefix \"fd00::/126\" has the wrong length "
		  "(PREFIX/125 or PRIMARY/126,SECONDARY/126)" },
		{ AF_INET6, "fd00::4/125", false,
		  "IPv6 prefix \"fd00::4/125\" is not aligned (host bits set)" },
		{ AF_INET6, "fd00::/126,fd00::/126", false,
		  "IPv6 prefix \"fd00::/126\" is both primary and secondary" },
	};
	unsigned int i;
	char want[256];

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct subnet sn[2];
		int ret;

		last_err[0] = '\0';
		ret = parse_link_subnets(cases[i].family, cases[i].in,
					 cases[i].public, sn);
		snprintf(want, sizeof(want), "ercfg: %s", cases[i].err);
		ok(ret < 0 && !strcmp(last_err, want), "\"%s\": %s",
		   cases[i].in, cases[i].err);
		if (strcmp(last_err, want))
			diag_text("got", last_err);
	}
}

/* Microsoft peering: the space erdev refuses, and some it takes. */
static void test_prefix_public(void)
{
	static const struct { int family; const char *in; bool private; } cases[] = {
		{ AF_INET, "10.1.2.0/29", true },
		{ AF_INET, "172.16.0.0/29", true },
		{ AF_INET, "172.31.255.248/29", true },
		{ AF_INET, "192.168.0.0/29", true },
		{ AF_INET, "100.64.0.0/29", true },
		{ AF_INET, "100.127.255.248/29", true },
		{ AF_INET, "127.0.0.0/29", true },
		{ AF_INET, "169.254.1.0/29", true },
		{ AF_INET, "0.1.2.0/29", true },
		{ AF_INET, "224.0.0.0/29", true },
		{ AF_INET, "239.255.255.248/29", true },
		{ AF_INET, "172.15.255.248/29", false },
		{ AF_INET, "172.32.0.0/29", false },
		{ AF_INET, "100.63.255.248/29", false },
		{ AF_INET, "192.169.0.0/29", false },
		{ AF_INET, "11.0.0.0/29", false },
		{ AF_INET, "198.18.0.0/29", false },
		{ AF_INET, "240.0.0.0/29", false },
		{ AF_INET6, "fc00::/125", true },
		{ AF_INET6, "fdff:ffff::/125", true },
		{ AF_INET6, "fe80::/125", true },
		{ AF_INET6, "febf:ffff::/125", true },
		{ AF_INET6, "fec0::/125", true },
		{ AF_INET6, "ff02::/125", true },
		{ AF_INET6, "::/125", true },
		{ AF_INET6, "fbff::/125", false },
		{ AF_INET6, "fe00::/125", false },
		{ AF_INET6, "2001:db8::/125", false },
		{ AF_INET6, "::ffff:0:0/125", false },
		{ AF_INET6, "::8/125", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct subnet sn[2];
		int ret;

		last_err[0] = '\0';
		ret = parse_link_subnets(cases[i].family, cases[i].in, true, sn);
		ok(cases[i].private ? ret < 0 &&
		   strstr(last_err, "is private space (microsoft peering needs public)") :
		   ret == 0, "microsoft peering %s: %s", cases[i].in,
		   cases[i].private ? "refused" : "public");
		ok(!parse_link_subnets(cases[i].family, cases[i].in, false, sn),
		   "private peering %s: taken", cases[i].in);
	}
}

static void test_subnet_hosts(void)
{
	struct subnet sn[2];
	char buf[ADDR_BUFSIZ];
	uint8_t addr[16];

	parse_link_subnets(AF_INET, "192.168.100.128/29", false, sn);
	subnet_host(&sn[1], SUBNET_CUSTOMER, addr);
	ok(!strcmp(format_addr(AF_INET, addr, buf), "192.168.100.133"),
	   "customer address of the secondary /30");
	subnet_host(&sn[1], SUBNET_MICROSOFT, addr);
	ok(!strcmp(format_addr(AF_INET, addr, buf), "192.168.100.134"),
	   "Microsoft address of the secondary /30");
	parse_link_subnets(AF_INET6, "2001:db8::fff8/125", false, sn);
	subnet_host(&sn[0], SUBNET_CUSTOMER, addr);
	ok(!strcmp(format_addr(AF_INET6, addr, buf), "2001:db8::fff9"),
	   "customer address of the primary /126");
	subnet_host(&sn[1], SUBNET_MICROSOFT, addr);
	ok(!strcmp(format_addr(AF_INET6, addr, buf), "2001:db8::fffe"),
	   "Microsoft address of the secondary /126");
}

static void test_neigh_names(void)
{
	static const struct { uint16_t nud; const char *name; } cases[] = {
		{ 0x00, "none" }, { 0x01, "incomplete" }, { 0x02, "reachable" },
		{ 0x04, "stale" }, { 0x08, "delay" }, { 0x10, "probe" },
		{ 0x20, "failed" }, { 0x40, "noarp" }, { 0x80, "permanent" },
		{ 0x100, "none" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ok(!strcmp(neigh_state_name(cases[i].nud), cases[i].name),
		   "neighbour state 0x%02x: %s", cases[i].nud, cases[i].name);
}

static int parse_line(const char *line, struct request *req)
{
	static char copy[512];	/* the request points into it */
	char *argv[32], *tok;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (tok = strtok(copy, " "); tok && argc < 32; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	memset(req, 0, sizeof(*req));
	last_err[0] = '\0';
	return parse_command(argc, argv, req);
}

static void test_parse_command(void)
{
	static const uint8_t key[UUID_LEN] = {
		0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
		0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
	};
	struct request r;
	int ret;

	ret = parse_line("circuit add c1 service-key "
			 "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0 billing unlimited "
			 "sku premium bandwidth 10gbit secondary lo primary lo "
			 "stag 4094 tpid 0x88A8 encap qinq", &r);
	ok(!ret && r.cmd == CMD_CIRCUIT_ADD && !strcmp(r.name, "c1") &&
	   r.encap == ERDEV_ENCAP_QINQ && r.tpid == 0x88a8 &&
	   r.stag == 4094 && r.primary_ifindex == 1 &&
	   r.secondary_ifindex == 1 && r.bandwidth == 10000 &&
	   r.sku == ERDEV_SKU_PREMIUM && r.billing == ERDEV_BILLING_UNLIMITED &&
	   !memcmp(r.service_key, key, UUID_LEN) && r.have == 0x1ff,
	   "circuit add, every option, any order");

	ret = parse_line("circuit add c1 primary lo stag 7", &r);
	ok(!ret && r.have == (BIT(OPT_PRIMARY) | BIT(OPT_STAG)) &&
	   r.stag == 7 && !r.secondary, "circuit add, only what was given");

	ret = parse_line("circuit add d1 encap dot1q primary lo", &r);
	ok(!ret && r.encap == ERDEV_ENCAP_DOT1Q && !req_has(&r, OPT_STAG),
	   "circuit add dot1q without stag");

	ret = parse_line("circuit set c1 sku local", &r);
	ok(!ret && r.cmd == CMD_CIRCUIT_SET && r.have == BIT(OPT_SKU) &&
	   r.sku == ERDEV_SKU_LOCAL, "circuit set sku");

	ret = parse_line("circuit set c1", &r);
	ok(!ret && r.cmd == CMD_CIRCUIT_SET && !r.have,
	   "circuit set without changes");

	ret = parse_line("circuit del c1", &r);
	ok(!ret && r.cmd == CMD_CIRCUIT_DEL, "circuit del");

	ret = parse_line("peering add c1 microsoft ctag 300", &r);
	ok(!ret && r.cmd == CMD_PEERING_ADD &&
	   r.peering == ERDEV_PEERING_TYPE_MICROSOFT && r.ctag == 300,
	   "peering add");

	ret = parse_line("peering add c1 private ipv6 fd00::/125 ctag 200 "
			 "ipv4 192.168.100.128/29", &r);
	ok(!ret && r.have == (BIT(OPT_CTAG) | BIT(OPT_IPV4) | BIT(OPT_IPV6)) &&
	   r.subnet[SN_IPV4_PRIMARY].family == AF_INET &&
	   r.subnet[SN_IPV4_SECONDARY].addr[3] == 132 &&
	   r.subnet[SN_IPV6_SECONDARY].family == AF_INET6 &&
	   r.subnet[SN_IPV6_SECONDARY].addr[15] == 4,
	   "peering add with subnets, any order");

	ret = parse_line("peering add c1 private ctag 200 ipv4 10.0.0.0/29", &r);
	ok(!ret && r.subnet[SN_IPV4_PRIMARY].family == AF_INET &&
	   !r.subnet[SN_IPV6_PRIMARY].family,
	   "private peering takes private space");

	ret = parse_line("peering add c1 microsoft ctag 300 ipv4 10.0.0.0/29", &r);
	ok(ret && !strcmp(last_err, "ercfg: IPv4 prefix \"10.0.0.0/29\" is "
			  "private space (microsoft peering needs public)"),
	   "microsoft peering refuses private space");

	ret = parse_line("peering add c1 private ipv4 10.0.0.0/30", &r);
	ok(ret && strstr(last_err, "has the wrong length"),
	   "a bad subnet is reported before a missing ctag");

	ret = parse_line("peering del c1 private", &r);
	ok(!ret && r.cmd == CMD_PEERING_DEL &&
	   r.peering == ERDEV_PEERING_TYPE_PRIVATE, "peering del");

	ret = parse_line("show", &r);
	ok(!ret && r.cmd == CMD_SHOW && !r.name, "show");
	ret = parse_line("stats c1", &r);
	ok(!ret && r.cmd == CMD_STATS && !strcmp(r.name, "c1"), "stats NAME");

	ret = parse_line("circuit add c1 stag 4095 primary nosuchdev0", &r);
	ok(ret && !strcmp(last_err, "ercfg: invalid S-tag \"4095\" (1..4094)"),
	   "values are checked before devices");
	ret = parse_line("circuit add c1 primary nosuchdev0", &r);
	ok(ret && !strcmp(last_err, "ercfg: \"stag\" is required for qinq"),
	   "required words are checked before devices");
	ret = parse_line("circuit add c1 stag 1 primary lo secondary nosuchdev0",
			 &r);
	ok(ret && !strcmp(last_err,
			  "ercfg: cannot find device \"nosuchdev0\""),
	   "secondary device is looked up");
}

/*
 * Requests, decoded with the attribute types of the YAML spec (transcribed
 * here, independently of config.c): a wrong type or size shows up as "?".
 */

enum attr_kind { A_STRING, A_U8, A_U16, A_BE16, A_U32, A_BINARY, A_NEST };

struct attr_spec {
	const char *name;
	enum attr_kind kind;
	const struct attr_spec *nested;	/* A_NEST */
	unsigned int nested_max;
};

static const struct attr_spec circuit_spec[] = {
	[ERDEV_A_CIRCUIT_NAME]			= { "name", A_STRING },
	[ERDEV_A_CIRCUIT_ENCAP]			= { "encap", A_U32 },
	[ERDEV_A_CIRCUIT_TPID]			= { "tpid", A_BE16 },
	[ERDEV_A_CIRCUIT_STAG]			= { "stag", A_U16 },
	[ERDEV_A_CIRCUIT_PRIMARY_IFINDEX]	= { "primary-ifindex", A_U32 },
	[ERDEV_A_CIRCUIT_SECONDARY_IFINDEX]	= { "secondary-ifindex", A_U32 },
	[ERDEV_A_CIRCUIT_BANDWIDTH]		= { "bandwidth", A_U32 },
	[ERDEV_A_CIRCUIT_SKU]			= { "sku", A_U32 },
	[ERDEV_A_CIRCUIT_BILLING]		= { "billing", A_U32 },
	[ERDEV_A_CIRCUIT_SERVICE_KEY]		= { "service-key", A_BINARY },
};

static const struct attr_spec subnet_spec[] = {
	[ERDEV_A_SUBNET_ADDR]		= { "addr", A_BINARY },
	[ERDEV_A_SUBNET_PREFIXLEN]	= { "prefixlen", A_U8 },
};

#define SUBNET_NEST(name) \
	{ name, A_NEST, subnet_spec, ARRAY_SIZE(subnet_spec) - 1 }

static const struct attr_spec peering_spec[] = {
	[ERDEV_A_PEERING_CIRCUIT]	 = { "circuit", A_STRING },
	[ERDEV_A_PEERING_TYPE]		 = { "type", A_U32 },
	[ERDEV_A_PEERING_CTAG]		 = { "ctag", A_U16 },
	[ERDEV_A_PEERING_IPV4_PRIMARY]	 = SUBNET_NEST("ipv4-primary"),
	[ERDEV_A_PEERING_IPV4_SECONDARY] = SUBNET_NEST("ipv4-secondary"),
	[ERDEV_A_PEERING_IPV6_PRIMARY]	 = SUBNET_NEST("ipv6-primary"),
	[ERDEV_A_PEERING_IPV6_SECONDARY] = SUBNET_NEST("ipv6-secondary"),
	[ERDEV_A_PEERING_DSCP]		 = { "dscp", A_U32 },
};

static const struct attr_spec erdev_spec[] = {
	[ERDEV_A_CIRCUIT] = { "circuit", A_NEST, circuit_spec,
			      ARRAY_SIZE(circuit_spec) - 1 },
	[ERDEV_A_PEERING] = { "peering", A_NEST, peering_spec,
			      ARRAY_SIZE(peering_spec) - 1 },
};

static void decode_attr(FILE *f, const struct nlattr *attr,
			const struct attr_spec *spec, unsigned int max);

static void decode_attrs(FILE *f, const struct nlattr *nest,
			 const struct attr_spec *spec, unsigned int max)
{
	const struct nlattr *attr;
	bool first = true;

	mnl_attr_for_each_nested(attr, nest) {
		if (!first)
			fputc(' ', f);
		first = false;
		decode_attr(f, attr, spec, max);
	}
}

static void decode_attr(FILE *f, const struct nlattr *attr,
			const struct attr_spec *spec, unsigned int max)
{
	unsigned int type = mnl_attr_get_type(attr);
	unsigned int len = mnl_attr_get_payload_len(attr);
	const uint8_t *data = mnl_attr_get_payload(attr);
	const struct attr_spec *s;
	unsigned int i;

	if (type > max || !spec[type].name) {
		fprintf(f, "?%u", type);
		return;
	}
	s = &spec[type];
	fprintf(f, "%s=", s->name);
	switch (s->kind) {
	case A_STRING:
		if (len && !data[len - 1] && strlen((const char *)data) == len - 1)
			fprintf(f, "%s", data);
		else
			fputc('?', f);
		break;
	case A_U8:
		if (len == 1)
			fprintf(f, "%u", mnl_attr_get_u8(attr));
		else
			fputc('?', f);
		break;
	case A_U16:
		if (len == 2)
			fprintf(f, "%u", mnl_attr_get_u16(attr));
		else
			fputc('?', f);
		break;
	case A_BE16:
		if (len == 2)
			fprintf(f, "0x%04x", data[0] << 8 | data[1]);
		else
			fputc('?', f);
		break;
	case A_U32:
		if (len == 4)
			fprintf(f, "%u", mnl_attr_get_u32(attr));
		else
			fputc('?', f);
		break;
	case A_BINARY:
		for (i = 0; i < len; i++)
			fprintf(f, "%02x", data[i]);
		break;
	case A_NEST:
		if (!(attr->nla_type & NLA_F_NESTED))
			fputs("(not flagged nested)", f);
		fputc('{', f);
		decode_attrs(f, attr, s->nested, s->nested_max);
		fputc('}', f);
		break;
	}
}

/* "cmd=N flags... attrs..." of a request; to free. */
static char *decode_request(const struct nlmsghdr *nlh, uint16_t family)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	fprintf(f, "%scmd=%u v%u",
		nlh->nlmsg_type == family ? "" : "wrong-family ",
		genl->cmd, genl->version);
	if (nlh->nlmsg_flags & NLM_F_REQUEST)
		fputs(" request", f);
	if (nlh->nlmsg_flags & NLM_F_ACK)
		fputs(" ack", f);
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		fputs(" dump", f);
	mnl_attr_for_each(attr, nlh, sizeof(*genl)) {
		fputc(' ', f);
		decode_attr(f, attr, erdev_spec, ARRAY_SIZE(erdev_spec) - 1);
	}
	fclose(f);
	return out;
}

static void test_requests(void)
{
	static const struct { const char *line, *want; } cases[] = {
		{ "circuit add c1 service-key "
		  "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0 billing unlimited "
		  "sku premium bandwidth 10gbit secondary lo primary lo "
		  "stag 4094 tpid 0x88A8 encap qinq",
		  "cmd=1 v1 request ack circuit={name=c1 encap=0 tpid=0x88a8 "
		  "stag=4094 primary-ifindex=1 secondary-ifindex=1 "
		  "bandwidth=10000 sku=2 billing=1 "
		  "service-key=0f1e2d3c4b5a69788796a5b4c3d2e1f0}" },
		{ "circuit add d1 encap dot1q primary lo",
		  "cmd=1 v1 request ack circuit={name=d1 encap=1 "
		  "primary-ifindex=1}" },
		{ "circuit add c1 stag 100 primary lo",
		  "cmd=1 v1 request ack circuit={name=c1 stag=100 "
		  "primary-ifindex=1}" },
		{ "circuit add abcdefghijkl stag 1 primary lo tpid 0x8100",
		  "cmd=1 v1 request ack circuit={name=abcdefghijkl "
		  "tpid=0x8100 stag=1 primary-ifindex=1}" },
		{ "circuit set c1 billing metered sku local bandwidth 50mbit",
		  "cmd=3 v1 request ack circuit={name=c1 bandwidth=50 sku=0 "
		  "billing=0}" },
		{ "circuit set c1",
		  "cmd=3 v1 request ack circuit={name=c1}" },
		{ "circuit del c1",
		  "cmd=4 v1 request ack circuit={name=c1}" },
		{ "peering add c1 microsoft ctag 300",
		  "cmd=5 v1 request ack peering={circuit=c1 type=1 ctag=300}" },
		{ "peering add c1 private ctag 200 ipv6 2001:db8::/125 "
		  "ipv4 192.168.100.128/29",
		  "cmd=5 v1 request ack peering={circuit=c1 type=0 ctag=200 "
		  "ipv4-primary={addr=c0a86480 prefixlen=30} "
		  "ipv4-secondary={addr=c0a86484 prefixlen=30} "
		  "ipv6-primary={addr=20010db8000000000000000000000000 "
		  "prefixlen=126} "
		  "ipv6-secondary={addr=20010db8000000000000000000000004 "
		  "prefixlen=126}}" },
		{ "peering add c1 microsoft ctag 300 "
		  "ipv4 203.0.113.8/30,198.51.100.0/30",
		  "cmd=5 v1 request ack peering={circuit=c1 type=1 ctag=300 "
		  "ipv4-primary={addr=cb007108 prefixlen=30} "
		  "ipv4-secondary={addr=c6336400 prefixlen=30}}" },
		{ "peering del c1 private",
		  "cmd=7 v1 request ack peering={circuit=c1 type=0}" },
		{ "show", "cmd=2 v1 request dump" },
		{ "show c1", "cmd=2 v1 request ack circuit={name=c1}" },
		{ "stats", "cmd=8 v1 request dump" },
		{ "stats c1", "cmd=8 v1 request ack circuit={name=c1}" },
	};
	struct nl nl = {
		.family = 0x1234,
		.version = ERDEV_FAMILY_VERSION,
		.buf = malloc(32768),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh;
		struct request r;
		char *got;

		if (parse_line(cases[i].line, &r)) {
			ok(false, "request of \"%s\": %s", cases[i].line,
			   last_err);
			continue;
		}
		if (r.cmd == CMD_SHOW || r.cmd == CMD_STATS)
			nlh = show_msg(&nl, &r);
		else
			nlh = config_msg(&nl, &r);
		got = decode_request(nlh, nl.family);
		ok(!strcmp(got, cases[i].want), "request of \"%s\"",
		   cases[i].line);
		if (strcmp(got, cases[i].want)) {
			diag_text("got", got);
			diag_text("want", cases[i].want);
		}
		free(got);
	}
	free(nl.buf);
}

/* rtnetlink requests: the address and the neighbour lookup */

static void decode_route_attrs(FILE *f, const struct nlmsghdr *nlh,
			       size_t hdrlen, int family)
{
	const struct nlattr *attr;
	char buf[ADDR_BUFSIZ];

	mnl_attr_for_each(attr, nlh, hdrlen) {
		unsigned int len = mnl_attr_get_payload_len(attr);

		fprintf(f, " %u=", mnl_attr_get_type(attr));
		if (len == (family == AF_INET ? 4U : 16U))
			fputs(format_addr(family, mnl_attr_get_payload(attr),
					  buf), f);
		else
			fprintf(f, "?%u", len);
	}
}

/* "type flags header attrs" of an rtnetlink request; to free. */
static char *decode_route_request(const struct nlmsghdr *nlh)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	fprintf(f, "type=%u flags=%#x", nlh->nlmsg_type, nlh->nlmsg_flags);
	if (nlh->nlmsg_type == RTM_NEWADDR) {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		fprintf(f, " family=%u prefixlen=%u flags=%u scope=%u index=%u",
			ifa->ifa_family, ifa->ifa_prefixlen, ifa->ifa_flags,
			ifa->ifa_scope, ifa->ifa_index);
		decode_route_attrs(f, nlh, sizeof(*ifa), ifa->ifa_family);
	} else {
		const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

		fprintf(f, " family=%u index=%d state=%u flags=%u type=%u",
			ndm->ndm_family, ndm->ndm_ifindex, ndm->ndm_state,
			ndm->ndm_flags, ndm->ndm_type);
		decode_route_attrs(f, nlh, sizeof(*ndm), ndm->ndm_family);
	}
	fclose(f);
	return out;
}

static void test_route_requests(void)
{
	struct nl nl = { .buf = malloc(32768) };
	struct subnet v4[2], v6[2];
	char *got, want[512];

	parse_link_subnets(AF_INET, "192.168.100.128/29", false, v4);
	parse_link_subnets(AF_INET6, "2001:db8::/125", false, v6);

	got = decode_route_request(addr_msg(&nl, 7, &v4[1]));
	snprintf(want, sizeof(want), "type=%u flags=%#x family=%u prefixlen=30 "
		 "flags=0 scope=0 index=7 %u=192.168.100.133 "
		 "%u=192.168.100.133 %u=192.168.100.135", RTM_NEWADDR,
		 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, AF_INET,
		 IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST);
	ok(!strcmp(got, want), "RTM_NEWADDR of the secondary /30: .133/30 "
	   "brd .135");
	if (strcmp(got, want)) {
		diag_text("got", got);
		diag_text("want", want);
	}
	free(got);

	got = decode_route_request(addr_msg(&nl, 8, &v6[0]));
	snprintf(want, sizeof(want), "type=%u flags=%#x family=%u "
		 "prefixlen=126 flags=0 scope=0 index=8 %u=2001:db8::1 "
		 "%u=2001:db8::1", RTM_NEWADDR,
		 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
		 AF_INET6, IFA_LOCAL, IFA_ADDRESS);
	ok(!strcmp(got, want), "RTM_NEWADDR of the primary /126: ::1/126");
	if (strcmp(got, want)) {
		diag_text("got", got);
		diag_text("want", want);
	}
	free(got);

	got = decode_route_request(neigh_msg(&nl, 9, &v6[1]));
	snprintf(want, sizeof(want), "type=%u flags=%#x family=%u index=9 "
		 "state=0 flags=0 type=0 %u=2001:db8::6", RTM_GETNEIGH,
		 NLM_F_REQUEST | NLM_F_ACK, AF_INET6, NDA_DST);
	ok(!strcmp(got, want), "RTM_GETNEIGH of Microsoft's ::6");
	if (strcmp(got, want)) {
		diag_text("got", got);
		diag_text("want", want);
	}
	free(got);
	free(nl.buf);
}

/* -p: iproute2's indentation; empty containers stay on their line. */
static void test_json_pretty(void)
{
	static const char want[] =
		"[\n"
		"    {\n"
		"        \"name\": \"c1\",\n"
		"        \"peerings\": [],\n"
		"        \"stag\": 100\n"
		"    }\n"
		"]";
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	struct json j;

	json_pretty = true;
	json_init(&j, f);
	json_pretty = false;
	json_begin_array(&j, NULL);
	json_begin_object(&j, NULL);
	json_string(&j, "name", "c1");
	json_begin_array(&j, "peerings");
	json_end_array(&j);
	json_uint(&j, "stag", 100);
	json_end_object(&j);
	json_end_array(&j);
	fclose(f);
	ok(!strcmp(buf, want), "json pretty: indented four spaces a level");
	free(buf);
}

/* JSON strings */

static void test_json_escape(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "c1.p0", "\"c1.p0\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "\t\n\r\b\f", "\"\\t\\n\\r\\b\\f\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "a\xffz", "\"a\\ufffdz\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "", "\"\"" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *buf = NULL;
		size_t size = 0;
		FILE *f = open_memstream(&buf, &size);

		json_escape(f, cases[i].in);
		fclose(f);
		ok(!strcmp(buf, cases[i].out), "json escape case %u", i);
		free(buf);
	}
}

/* Printer fixtures: answers as the kernel sends them. */

#define IFINDEX_NONE	99999	/* no such device on the host */

/* IF_OPER_* of linux/if.h, which clashes with net/if.h */
#define OPER_DOWN		2
#define OPER_LOWERLAYERDOWN	3
#define OPER_UP			6

static const uint8_t fixture_key[UUID_LEN] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};

static struct nlmsghdr *fx_msg(char *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = ERDEV_FAMILY_VERSION;
	return nlh;
}

/* Counters first..last, and @extra if not 0, each base + its number. */
static void fx_stats(struct nlmsghdr *nlh, unsigned int attr,
		     unsigned int first, unsigned int last, unsigned int extra,
		     uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);
	unsigned int i;

	mnl_attr_put(nlh, ERDEV_A_STATS_PAD, 0, NULL);
	for (i = first; i <= last; i++)
		mnl_attr_put_u64(nlh, i, base + i);
	if (extra)
		mnl_attr_put_u64(nlh, extra, base + extra);
	mnl_attr_nest_end(nlh, nest);
}

static void fx_link(struct nlmsghdr *nlh, bool stats, uint32_t role,
		    uint32_t ifindex, const char *ifname, uint32_t lower,
		    uint8_t operstate)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ERDEV_A_PEERING_LINK);

	/* Out of order on purpose: the role comes last. */
	mnl_attr_put_u32(nlh, ERDEV_A_LINK_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, ERDEV_A_LINK_IFNAME, ifname);
	mnl_attr_put_u32(nlh, ERDEV_A_LINK_LOWER_IFINDEX, lower);
	mnl_attr_put_u8(nlh, ERDEV_A_LINK_OPERSTATE, operstate);
	if (stats)
		fx_stats(nlh, ERDEV_A_LINK_STATS, ERDEV_A_STATS_RX_PACKETS,
			 ERDEV_A_STATS_TX_DROPPED,
			 ERDEV_A_STATS_TX_DSCP_REWRITTEN, ifindex * 1000);
	mnl_attr_put_u32(nlh, ERDEV_A_LINK_ROLE, role);
	mnl_attr_nest_end(nlh, nest);
}

static struct nlattr *fx_peering(struct nlmsghdr *nlh, const char *circuit,
				 uint32_t type, uint16_t ctag)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT_PEERING);

	mnl_attr_put_strz(nlh, ERDEV_A_PEERING_CIRCUIT, circuit);
	mnl_attr_put_u32(nlh, ERDEV_A_PEERING_TYPE, type);
	mnl_attr_put_u16(nlh, ERDEV_A_PEERING_CTAG, ctag);
	mnl_attr_put_u32(nlh, ERDEV_A_PEERING_DSCP,
			 type == ERDEV_PEERING_TYPE_MICROSOFT ?
			 ERDEV_DSCP_CONFORM : ERDEV_DSCP_KEEP);
	return nest;
}

/* A subnet nest of a peering, as the kernel sends it. */
static void fx_subnet(struct nlmsghdr *nlh, unsigned int attr, int family,
		      const char *addr, uint8_t prefixlen)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);
	uint8_t bytes[16];

	inet_pton(family, addr, bytes);
	mnl_attr_put(nlh, ERDEV_A_SUBNET_ADDR, family == AF_INET ? 4 : 16,
		     bytes);
	mnl_attr_put_u8(nlh, ERDEV_A_SUBNET_PREFIXLEN, prefixlen);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * The neighbour table of the fixtures: Microsoft's addresses by interface
 * (ifindex 10 c1.p0, 11 c1.p1, 12 c1.m0) and family.
 */
static int fx_neigh_error;

static int fx_neigh(void *ctx, uint32_t ifindex, const struct subnet *sn)
{
	(void)ctx;
	if (fx_neigh_error)
		return fx_neigh_error;
	switch (ifindex * 10 + (sn->family == AF_INET6)) {
	case 100:
		return 0x02;	/* NUD_REACHABLE */
	case 101:
		return 0x04;	/* NUD_STALE */
	case 110:
		return 0x20;	/* NUD_FAILED */
	case 120:
		return 0x01;	/* NUD_INCOMPLETE */
	default:
		return 0;
	}
}

static void fx_port(struct nlmsghdr *nlh, uint32_t ifindex,
		    const char *ifname, uint64_t base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ERDEV_A_PORT);

	mnl_attr_put_u32(nlh, ERDEV_A_PORT_IFINDEX, ifindex);
	if (ifname)
		mnl_attr_put_strz(nlh, ERDEV_A_PORT_IFNAME, ifname);
	mnl_attr_put_u32(nlh, ERDEV_A_PORT_ENCAP, ERDEV_ENCAP_QINQ);
	mnl_attr_put_u16(nlh, ERDEV_A_PORT_TPID, htons(0x8100));
	fx_stats(nlh, ERDEV_A_PORT_STATS, ERDEV_A_STATS_RX_UNKNOWN_STAG,
		 ERDEV_A_STATS_RX_MALFORMED, 0, base);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * c1: qinq, both links, every attribute. Its microsoft peering lost its
 * secondary interface (ip link del). Peerings come microsoft first.
 */
static struct nlmsghdr *fx_c1(char *buf, bool stats)
{
	struct nlmsghdr *nlh = fx_msg(buf, stats ? ERDEV_CMD_STATS_GET :
					    ERDEV_CMD_CIRCUIT_GET);
	struct nlattr *circuit, *peering;

	circuit = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, "c1");
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_ENCAP, ERDEV_ENCAP_QINQ);
	mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_TPID, htons(0x8100));
	mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_STAG, 100);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX, 1);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX, IFINDEX_NONE);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_BANDWIDTH, 1000);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_SKU, ERDEV_SKU_STANDARD);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_BILLING, ERDEV_BILLING_METERED);
	mnl_attr_put(nlh, ERDEV_A_CIRCUIT_SERVICE_KEY, UUID_LEN, fixture_key);

	peering = fx_peering(nlh, "c1", ERDEV_PEERING_TYPE_MICROSOFT, 300);
	fx_link(nlh, stats, ERDEV_LINK_ROLE_PRIMARY, 12, "c1.m0", 1,
		OPER_DOWN);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV4_SECONDARY, AF_INET,
		  "203.0.113.4", 30);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV4_PRIMARY, AF_INET,
		  "203.0.113.0", 30);
	mnl_attr_nest_end(nlh, peering);

	peering = fx_peering(nlh, "c1", ERDEV_PEERING_TYPE_PRIVATE, 200);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV4_PRIMARY, AF_INET,
		  "192.168.100.128", 30);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV4_SECONDARY, AF_INET,
		  "192.168.100.132", 30);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV6_PRIMARY, AF_INET6,
		  "fd00:100::", 126);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV6_SECONDARY, AF_INET6,
		  "fd00:100::4", 126);
	fx_link(nlh, stats, ERDEV_LINK_ROLE_SECONDARY, 11, "c1.p1",
		IFINDEX_NONE, OPER_LOWERLAYERDOWN);
	fx_link(nlh, stats, ERDEV_LINK_ROLE_PRIMARY, 10, "c1.p0", 1,
		OPER_UP);
	mnl_attr_nest_end(nlh, peering);
	mnl_attr_nest_end(nlh, circuit);

	if (stats) {
		fx_port(nlh, 1, "lo", 100);
		fx_port(nlh, IFINDEX_NONE, NULL, 200);
	}
	return nlh;
}

/* d1: dot1q on 802.1ad, one link, no bandwidth, key or peering. */
static struct nlmsghdr *fx_d1(char *buf, bool stats)
{
	struct nlmsghdr *nlh = fx_msg(buf, stats ? ERDEV_CMD_STATS_GET :
					    ERDEV_CMD_CIRCUIT_GET);
	struct nlattr *circuit;

	circuit = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, "d1");
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_ENCAP, ERDEV_ENCAP_DOT1Q);
	mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_TPID, htons(0x88a8));
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_PRIMARY_IFINDEX, 1);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_SKU, ERDEV_SKU_PREMIUM);
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_BILLING, ERDEV_BILLING_UNLIMITED);
	/* An attribute from a newer kernel. */
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_MAX + 5, 42);
	mnl_attr_nest_end(nlh, circuit);
	if (stats)
		fx_port(nlh, 1, "lo", 900);	/* again: printed once */
	return nlh;
}

/* Run the fixture through a printer; the output, to free. */
static char *print_fixture(bool stats, bool json, int *ret)
{
	static char buf1[8192], buf2[8192];
	struct printer p;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	printer_init(&p, f, json, stats);
	if (!stats)
		p.neigh = fx_neigh;
	*ret = printer_cb(fx_c1(buf1, stats), &p);
	if (*ret == MNL_CB_OK)
		*ret = printer_cb(fx_d1(buf2, stats), &p);
	printer_finish(&p);
	printer_free(&p);
	fclose(f);
	return out;
}

static const char show_text[] =
"circuit: c1\n"
"  encap: qinq  tpid: 0x8100  stag: 100\n"
"  primary: lo  secondary: 99999\n"
"  bandwidth: 1gbit  sku: standard  billing: metered\n"
"  service-key: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n"
"  peering: private  ctag: 200  dscp: keep\n"
"    interface: c1.p0  link: primary  lower: lo  state: up\n"
"      ipv4: 192.168.100.129/30  microsoft: 192.168.100.130  arp: reachable\n"
"      ipv6: fd00:100::1/126  microsoft: fd00:100::2  nd: stale\n"
"    interface: c1.p1  link: secondary  lower: 99999  state: lowerlayerdown\n"
"      ipv4: 192.168.100.133/30  microsoft: 192.168.100.134  arp: failed\n"
"      ipv6: fd00:100::5/126  microsoft: fd00:100::6  nd: none\n"
"  peering: microsoft  ctag: 300  dscp: conform\n"
"    interface: c1.m0  link: primary  lower: lo  state: down\n"
"      ipv4: 203.0.113.1/30  microsoft: 203.0.113.2  arp: incomplete\n"
"    interface: -  link: secondary  lower: 99999  state: missing\n"
"      ipv4: 203.0.113.5/30  microsoft: 203.0.113.6\n"
"\n"
"circuit: d1\n"
"  encap: dot1q  tpid: 0x88a8\n"
"  primary: lo\n"
"  sku: premium  billing: unlimited\n";

/* "ipv4":{...} or "ipv6":{...} of a link. */
#define SUBNET(key, subnet, customer, microsoft, neighbor) \
	"\"" key "\":{\"subnet\":\"" subnet "\",\"customer\":\"" \
	customer "\",\"microsoft\":\"" microsoft "\",\"neighbor\":" \
	neighbor "}"

static const char show_json[] =
"[{\"name\":\"c1\",\"encap\":\"qinq\",\"tpid\":\"0x8100\",\"stag\":100,"
"\"primary\":\"lo\",\"primary_ifindex\":1,"
"\"secondary\":null,\"secondary_ifindex\":99999,"
"\"bandwidth_mbps\":1000,\"sku\":\"standard\",\"billing\":\"metered\","
"\"service_key\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\","
"\"peerings\":["
"{\"type\":\"private\",\"ctag\":200,\"dscp\":\"keep\",\"links\":["
"{\"role\":\"primary\",\"ifname\":\"c1.p0\",\"ifindex\":10,"
"\"lower\":\"lo\",\"lower_ifindex\":1,\"operstate\":\"up\","
SUBNET("ipv4", "192.168.100.128/30", "192.168.100.129", "192.168.100.130",
       "\"reachable\"") ","
SUBNET("ipv6", "fd00:100::/126", "fd00:100::1", "fd00:100::2",
       "\"stale\"") "},"
"{\"role\":\"secondary\",\"ifname\":\"c1.p1\",\"ifindex\":11,"
"\"lower\":null,\"lower_ifindex\":99999,"
"\"operstate\":\"lowerlayerdown\","
SUBNET("ipv4", "192.168.100.132/30", "192.168.100.133", "192.168.100.134",
       "\"failed\"") ","
SUBNET("ipv6", "fd00:100::4/126", "fd00:100::5", "fd00:100::6",
       "\"none\"") "}]},"
"{\"type\":\"microsoft\",\"ctag\":300,\"dscp\":\"conform\",\"links\":["
"{\"role\":\"primary\",\"ifname\":\"c1.m0\",\"ifindex\":12,"
"\"lower\":\"lo\",\"lower_ifindex\":1,\"operstate\":\"down\","
SUBNET("ipv4", "203.0.113.0/30", "203.0.113.1", "203.0.113.2",
       "\"incomplete\"") ",\"ipv6\":null}]}]},"
"{\"name\":\"d1\",\"encap\":\"dot1q\",\"tpid\":\"0x88a8\",\"stag\":null,"
"\"primary\":\"lo\",\"primary_ifindex\":1,"
"\"secondary\":null,\"secondary_ifindex\":null,"
"\"bandwidth_mbps\":null,\"sku\":\"premium\",\"billing\":\"unlimited\","
"\"service_key\":null,\"peerings\":[]}]\n";

static const char stats_text[] =
"circuit: c1\n"
"  peering: private  ctag: 200  dscp: keep\n"
"    interface: c1.p0  link: primary  lower: lo  state: up\n"
"      rx-packets: 10002  rx-bytes: 10003  rx-dropped: 10006\n"
"      tx-packets: 10004  tx-bytes: 10005  tx-dropped: 10007  "
"tx-dscp-rewritten: 10013\n"
"    interface: c1.p1  link: secondary  lower: 99999  state: lowerlayerdown\n"
"      rx-packets: 11002  rx-bytes: 11003  rx-dropped: 11006\n"
"      tx-packets: 11004  tx-bytes: 11005  tx-dropped: 11007  "
"tx-dscp-rewritten: 11013\n"
"  peering: microsoft  ctag: 300  dscp: conform\n"
"    interface: c1.m0  link: primary  lower: lo  state: down\n"
"      rx-packets: 12002  rx-bytes: 12003  rx-dropped: 12006\n"
"      tx-packets: 12004  tx-bytes: 12005  tx-dropped: 12007  "
"tx-dscp-rewritten: 12013\n"
"    interface: -  link: secondary  lower: 99999  state: missing\n"
"\n"
"circuit: d1\n"
"\n"
"port: lo\n"
"  encap: qinq  tpid: 0x8100\n"
"  rx-unknown-stag: 108  rx-unknown-ctag: 109  rx-untagged: 110  "
"rx-bad-tpid: 111  rx-malformed: 112\n"
"\n"
"port: 99999\n"
"  encap: qinq  tpid: 0x8100\n"
"  rx-unknown-stag: 208  rx-unknown-ctag: 209  rx-untagged: 210  "
"rx-bad-tpid: 211  rx-malformed: 212\n";

#define LINK_STATS(n) \
	"\"stats\":{\"rx_packets\":" n "002,\"rx_bytes\":" n "003," \
	"\"rx_dropped\":" n "006,\"tx_packets\":" n "004," \
	"\"tx_bytes\":" n "005,\"tx_dropped\":" n "007," \
	"\"tx_dscp_rewritten\":" n "013}"
#define PORT(name, index, n) \
	"{\"ifname\":" name ",\"ifindex\":" index ",\"encap\":\"qinq\"," \
	"\"tpid\":\"0x8100\",\"stats\":{\"rx_unknown_stag\":" n "08," \
	"\"rx_unknown_ctag\":" n "09,\"rx_untagged\":" n "10," \
	"\"rx_bad_tpid\":" n "11,\"rx_malformed\":" n "12}}"

static const char stats_json[] =
"[{\"name\":\"c1\",\"peerings\":["
"{\"type\":\"private\",\"ctag\":200,\"dscp\":\"keep\",\"links\":["
"{\"role\":\"primary\",\"ifname\":\"c1.p0\",\"ifindex\":10,"
"\"lower\":\"lo\",\"lower_ifindex\":1,\"operstate\":\"up\","
LINK_STATS("10") "},"
"{\"role\":\"secondary\",\"ifname\":\"c1.p1\",\"ifindex\":11,"
"\"lower\":null,\"lower_ifindex\":99999,"
"\"operstate\":\"lowerlayerdown\"," LINK_STATS("11") "}]},"
"{\"type\":\"microsoft\",\"ctag\":300,\"dscp\":\"conform\",\"links\":["
"{\"role\":\"primary\",\"ifname\":\"c1.m0\",\"ifindex\":12,"
"\"lower\":\"lo\",\"lower_ifindex\":1,\"operstate\":\"down\","
LINK_STATS("12") "}]}],"
"\"ports\":[" PORT("\"lo\"", "1", "1") "," PORT("null", "99999", "2") "]},"
"{\"name\":\"d1\",\"peerings\":[],\"ports\":[" PORT("\"lo\"", "1", "9")
"]}]\n";

static void test_printer(bool stats, bool json, const char *want)
{
	const char *what = stats ? "stats" : "show";
	int ret;
	char *out = print_fixture(stats, json, &ret);

	ok(ret == MNL_CB_OK && out && !strcmp(out, want), "%s %s output",
	   what, json ? "JSON" : "text");
	if (!out || strcmp(out, want)) {
		diag_text("got", out ? out : "");
		diag_text("want", want);
	}
	free(out);
}

/*
 * stats --watch's rates, over 2 s: c1.p0 (ifindex 10, rx 10003 and tx
 * 10005 bytes now) had 1000 and 250 bytes less the round before: 4000
 * and 1000 bit/s; c1.p1 (11) was not there; c1.m0's (12) counters went
 * back (re-created). The samples of this round are kept for the next.
 */
static void test_printer_rates(bool json)
{
	static const struct rate_sample prev[] = {
		{ 10, 10003 - 1000, 10005 - 250 },
		{ 12, 99999, 99999 },
	};
	static char buf[8192];
	struct printer p;
	char *out = NULL, *line;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	int ret;

	printer_init(&p, f, json, true);
	p.rates = true;
	p.interval = 2.0;
	p.prev = prev;
	p.nprev = ARRAY_SIZE(prev);
	ret = printer_cb(fx_c1(buf, true), &p);
	printer_finish(&p);
	fclose(f);
	if (json) {
		ok(ret == MNL_CB_OK &&
		   strstr(out, "\"tx_dscp_rewritten\":10013,\"rx_bps\":4000,\"tx_bps\":1000}") &&
		   strstr(out, "\"tx_dscp_rewritten\":11013,\"rx_bps\":null,\"tx_bps\":null}") &&
		   strstr(out, "\"tx_dscp_rewritten\":12013,\"rx_bps\":null,\"tx_bps\":null}") &&
		   p.ncur == 3 && p.cur[0].ifindex == 10 &&
		   p.cur[0].rx_bytes == 10003 && p.cur[0].tx_bytes == 10005,
		   "stats --watch JSON: rx_bps, tx_bps; null when unknown");
	} else {
		line = strstr(out, "tx-dscp-rewritten: 10013\n");
		ok(ret == MNL_CB_OK && line &&
		   !strncmp(strchr(line, '\n') + 1,
			    "      rx-bps: 4000  tx-bps: 1000\n", 33) &&
		   strstr(out, "tx-dscp-rewritten: 11013\n      rx-bps: -  tx-bps: -\n") &&
		   strstr(out, "tx-dscp-rewritten: 12013\n      rx-bps: -  tx-bps: -\n"),
		   "stats --watch text: rx-bps, tx-bps; - when unknown");
	}
	if (ret != MNL_CB_OK || !out)
		diag_text("got", out ? out : "");
	printer_free(&p);
	free(out);
}

static void test_printer_empty(void)
{
	struct printer p;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	printer_init(&p, f, true, false);
	printer_finish(&p);
	printer_free(&p);
	fclose(f);
	ok(!strcmp(out, "[]\n"), "no circuits: JSON []");
	free(out);
}

static void test_malformed(void)
{
	static char buf[8192];
	struct nlmsghdr *nlh;
	struct nlattr *nest, *peering;
	struct printer p;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	int ret;

	printer_init(&p, f, false, false);
	nlh = fx_msg(buf, ERDEV_CMD_CIRCUIT_GET);
	nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, "c1");
	mnl_attr_put_u32(nlh, ERDEV_A_CIRCUIT_STAG, 100);	/* u16 */
	mnl_attr_nest_end(nlh, nest);
	errno = 0;
	ret = printer_cb(nlh, &p);
	ok(ret == MNL_CB_ERROR && errno == EBADMSG,
	   "attribute of the wrong size: malformed");

	nlh = fx_msg(buf, ERDEV_CMD_CIRCUIT_GET);
	nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_u16(nlh, ERDEV_A_CIRCUIT_STAG, 100);
	mnl_attr_nest_end(nlh, nest);
	ret = printer_cb(nlh, &p);
	ok(ret == MNL_CB_ERROR, "circuit without a name: malformed");

	nlh = fx_msg(buf, ERDEV_CMD_CIRCUIT_GET);
	nest = mnl_attr_nest_start(nlh, ERDEV_A_CIRCUIT);
	mnl_attr_put_strz(nlh, ERDEV_A_CIRCUIT_NAME, "c1");
	peering = fx_peering(nlh, "c1", ERDEV_PEERING_TYPE_PRIVATE, 200);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV6_PRIMARY, AF_INET, "10.0.0.0", 30);
	mnl_attr_nest_end(nlh, peering);
	mnl_attr_nest_end(nlh, nest);
	ret = printer_cb(nlh, &p);
	ok(ret == MNL_CB_ERROR, "an IPv6 subnet of 4 bytes: malformed");
	printer_free(&p);
	fclose(f);
	free(out);
}

/* peering-get answers: the links and subnets of one peering. */
static void test_reply_peering(void)
{
	static char buf[8192];
	struct er_peering pe;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = fx_msg(buf, ERDEV_CMD_PEERING_GET);
	nest = mnl_attr_nest_start(nlh, ERDEV_A_PEERING);
	mnl_attr_put_strz(nlh, ERDEV_A_PEERING_CIRCUIT, "c1");
	mnl_attr_put_u32(nlh, ERDEV_A_PEERING_TYPE, ERDEV_PEERING_TYPE_PRIVATE);
	fx_subnet(nlh, ERDEV_A_PEERING_IPV4_SECONDARY, AF_INET,
		  "192.168.100.132", 30);
	fx_link(nlh, false, ERDEV_LINK_ROLE_SECONDARY, 11, "c1.p1", 3,
		OPER_UP);
	mnl_attr_nest_end(nlh, nest);
	ok(!reply_parse_peering(nlh, &pe) && pe.link[1].present &&
	   pe.link[1].ifindex == 11 && !pe.link[0].present &&
	   pe.subnet[SN_IPV4_SECONDARY].family == AF_INET &&
	   pe.subnet[SN_IPV4_SECONDARY].addr[3] == 132 &&
	   !pe.subnet[SN_IPV4_PRIMARY].family, "peering-get answer");

	nlh = fx_msg(buf, ERDEV_CMD_PEERING_GET);
	ok(reply_parse_peering(nlh, &pe) < 0, "peering-get without a peering");
}

/* A failed neighbour lookup fails the answer, as a netlink error. */
static void test_printer_neigh_error(void)
{
	struct printer p;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	static char buf[8192];
	int ret;

	printer_init(&p, f, false, false);
	p.neigh = fx_neigh;
	fx_neigh_error = -EIO;
	errno = 0;
	ret = printer_cb(fx_c1(buf, false), &p);
	fx_neigh_error = 0;
	ok(ret == MNL_CB_ERROR && errno == EIO,
	   "a failed neighbour lookup fails show");
	printer_free(&p);
	fclose(f);
	free(out);
}

/* Netlink exchanges with the host kernel */

/* Run @fn with stderr going to a string; returns it, to free. */
static char *capture_stderr(int (*fn)(void *), void *arg, int *ret)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char *text;
	long len;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	*ret = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	len = ftell(tmp);
	text = calloc(1, len + 1);
	rewind(tmp);
	if (len > 0 && fread(text, 1, len, tmp) != (size_t)len)
		text[0] = '\0';
	fclose(tmp);
	return text;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(*(unsigned int *)data)++;
	return MNL_CB_OK;
}

static void test_nl_dump(void)
{
	struct nl nl;
	unsigned int count = 0;
	int ret;

	if (nl_open_family(&nl, "nlctrl", 2)) {
		ok(false, "netlink: open nlctrl (%s)", last_err);
		return;
	}
	ret = nl_talk(&nl, nl_msg(&nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP),
		      count_cb, &count);
	ok(ret == 0 && count > 1, "netlink: dump of nlctrl families (%u)",
	   count);
	ret = nl_talk(&nl, nl_msg(&nl, CTRL_CMD_GETFAMILY, NLM_F_DUMP),
		      count_cb, &count);
	ok(ret == 0, "netlink: a second dump on the same socket");
	nl_close(&nl);
}

static void test_nl_no_family(void)
{
	struct nl nl;

	last_err[0] = '\0';
	ok(nl_open_family(&nl, "erdevtest", 1) < 0 &&
	   !strcmp(last_err, "ercfg: erdevtest module not loaded "
		   "(no generic netlink family \"erdevtest\")"),
	   "netlink: missing family");
}

static int ethtool_bad_dev(void *arg)
{
	struct nl *nl = arg;
	struct nlmsghdr *nlh = nl_msg(nl, ETHTOOL_MSG_LINKINFO_GET, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_LINKINFO_HEADER);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "nosuchdev0");
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
}

static int ethtool_bad_dev_dump(void *arg)
{
	struct nl *nl = arg;
	struct nlmsghdr *nlh = nl_msg(nl, ETHTOOL_MSG_LINKINFO_GET,
				      NLM_F_DUMP);
	struct nlattr *nest;

	/* A dump request with a bad header fails in its start. */
	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_LINKINFO_HEADER);
	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_FLAGS, 0x80000000);
	mnl_attr_nest_end(nlh, nest);
	return nl_talk(nl, nlh, NULL, NULL);
}

static void test_nl_extack(void)
{
	struct nl nl;
	char *err;
	int ret;

	if (nl_open_family(&nl, ETHTOOL_GENL_NAME, ETHTOOL_GENL_VERSION)) {
		fprintf(results, "# no ethtool netlink family: %s\n", last_err);
		ok(true, "netlink: extack message # SKIP no ethtool family");
		ok(true, "netlink: extack of a dump # SKIP no ethtool family");
		return;
	}
	err = capture_stderr(ethtool_bad_dev, &nl, &ret);
	ok(ret == -1 && !strncmp(err, "Error: ", 7) &&
	   !strstr(err, "No such device\n") && strchr(err, '\n') ==
	   err + strlen(err) - 1, "netlink: extack message (%.*s)",
	   (int)strcspn(err, "\n"), err);
	free(err);

	err = capture_stderr(ethtool_bad_dev_dump, &nl, &ret);
	ok(ret == -1 && !strncmp(err, "Error: ", 7),
	   "netlink: error of a dump (%.*s)", (int)strcspn(err, "\n"), err);
	free(err);
	nl_close(&nl);
}

/* RTM_GETNEIGH against the host: no entry and no device are "none". */
static void test_nl_neigh(void)
{
	struct subnet sn[2];
	struct nl rt;
	int state;

	if (nl_open_route(&rt)) {
		ok(false, "rtnetlink: open (%s)", last_err);
		return;
	}
	parse_link_subnets(AF_INET, "127.77.0.0/29", false, sn);
	state = rtnl_neigh_state(&rt, 1, &sn[0]);
	ok(state >= 0, "rtnetlink: neighbour of 127.77.0.2 on lo: %s",
	   state >= 0 ? neigh_state_name(state) : strerror(-state));
	state = rtnl_neigh_state(&rt, IFINDEX_NONE, &sn[0]);
	ok(state == 0, "rtnetlink: neighbour on a missing interface: none");
	parse_link_subnets(AF_INET6, "2001:db8::/125", false, sn);
	state = rtnl_neigh_state(&rt, 1, &sn[1]);
	ok(state >= 0, "rtnetlink: IPv6 neighbour on lo: %s",
	   state >= 0 ? neigh_state_name(state) : strerror(-state));
	nl_close(&rt);
}

static int print_main(const char *what, const char *format)
{
	bool stats = !strcmp(what, "stats");
	bool json = !strcmp(format, "json");
	char *out;
	int ret;

	out = print_fixture(stats, json, &ret);
	fputs(out, stdout);
	free(out);
	return ret == MNL_CB_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "print"))
		return print_main(argv[2], argv[3]);

	results = open_memstream(&results_buf, &results_size);
	test_names();
	test_vids();
	test_rates();
	test_format_rate();
	test_uuids();
	test_prefix_good();
	test_prefix_bad();
	test_prefix_public();
	test_subnet_hosts();
	test_neigh_names();
	test_parse_command();
	test_requests();
	test_route_requests();
	test_json_escape();
	test_json_pretty();
	test_printer(false, false, show_text);
	test_printer(false, true, show_json);
	test_printer(true, false, stats_text);
	test_printer(true, true, stats_json);
	test_printer_rates(false);
	test_printer_rates(true);
	test_printer_empty();
	test_malformed();
	test_reply_peering();
	test_printer_neigh_error();
	test_nl_dump();
	test_nl_neigh();
	test_nl_no_family();
	test_nl_extack();
	fclose(results);

	printf("TAP version 13\n1..%u\n%s", tests, results_buf);
	printf("# %u tests, %u failed\n", tests, failures);
	free(results_buf);
	return failures ? 1 : 0;
}
