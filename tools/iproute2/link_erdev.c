// SPDX-License-Identifier: GPL-2.0
/*
 * link_erdev.so: "ip -d link show" support for erdev interfaces.
 *
 * iproute2 looks up a link kind it does not know in
 * $IP_LIB_DIR/link_<kind>.so (Debian: /usr/lib/<triplet>/ip) and calls the
 * <kind>_link_util it exports. The ip binary exports its JSON printing
 * helpers, so the plugin prints through them and "ip -j -d link" works too.
 *
 * The declarations below mirror iproute2's ip/ip_common.h and
 * include/json_print.h (stable since iproute2 4.x): the plugin only fills
 * the first fields of struct link_util that every version has.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <linux/erdev.h>
#include <linux/if_erdev.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f, struct rtattr *a);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
};

enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 3 };
enum color_attr { COLOR_NONE = 6 };

int print_color_string(enum output_type t, enum color_attr c,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, unsigned int value);

static unsigned int rta_u32(const struct rtattr *rta)
{
	unsigned int v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

static unsigned short rta_u16(const struct rtattr *rta)
{
	unsigned short v;

	memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

static void erdev_print_str(const char *key, const char *value)
{
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	print_color_string(PRINT_ANY, COLOR_NONE, key, fmt, value);
}

static void erdev_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char tpid[8];

	(void)lu;
	(void)f;
	if (!tb)
		return;
	if (tb[IFLA_ERDEV_CIRCUIT])
		erdev_print_str("circuit", RTA_DATA(tb[IFLA_ERDEV_CIRCUIT]));
	if (tb[IFLA_ERDEV_PEERING])
		erdev_print_str("peering",
				rta_u32(tb[IFLA_ERDEV_PEERING]) ==
				ERDEV_PEERING_TYPE_PRIVATE ?
				"private" : "microsoft");
	if (tb[IFLA_ERDEV_LINK])
		erdev_print_str("link", rta_u32(tb[IFLA_ERDEV_LINK]) ==
				ERDEV_LINK_ROLE_PRIMARY ?
				"primary" : "secondary");
	if (tb[IFLA_ERDEV_ENCAP])
		erdev_print_str("encap", rta_u32(tb[IFLA_ERDEV_ENCAP]) ==
				ERDEV_ENCAP_QINQ ? "qinq" : "dot1q");
	if (tb[IFLA_ERDEV_TPID]) {
		snprintf(tpid, sizeof(tpid), "0x%04x",
			 ntohs(rta_u16(tb[IFLA_ERDEV_TPID])));
		erdev_print_str("tpid", tpid);
	}
	if (tb[IFLA_ERDEV_STAG])
		print_color_uint(PRINT_ANY, COLOR_NONE, "stag", "stag %u ",
				 rta_u16(tb[IFLA_ERDEV_STAG]));
	if (tb[IFLA_ERDEV_CTAG])
		print_color_uint(PRINT_ANY, COLOR_NONE, "ctag", "ctag %u ",
				 rta_u16(tb[IFLA_ERDEV_CTAG]));
}

static void erdev_print_help(struct link_util *lu, int argc, char **argv,
			     FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	fprintf(f,
		"erdev interfaces are created with \"ercfg peering add\"; see ercfg(8).\n");
}

struct link_util erdev_link_util = {
	.id		= "erdev",
	.maxattr	= IFLA_ERDEV_MAX,
	.print_opt	= erdev_print_opt,
	.print_help	= erdev_print_help,
};
