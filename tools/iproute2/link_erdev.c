// SPDX-License-Identifier: GPL-2.0
/*
 * link_erdev.so: "ip -d link show" support for erdev interfaces.
 *
 * iproute2 looks up a link kind it does not know in
 * $IP_LIB_DIR/link_<kind>.so (Debian: /usr/lib/<triplet>/ip) and calls the
 * <kind>_link_util it exports. The ip binary exports its JSON printing
 * helpers, so the plugin prints through them and "ip -j -d link" works too.
 *
 * The values are named with ercfg's own tables (tools/ercfg/names.c,
 * built into the plugin), so "ercfg show" and "ip -d link" agree.
 *
 * ip_plugin.h mirrors the parts of iproute2 the plugin uses.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <linux/erdev.h>
#include <linux/if_erdev.h>

#include "ip_plugin.h"
#include "names.h"	/* ercfg's words for the values (tools/ercfg) */

/*
 * An attribute is read only if its payload has the size of its type, as
 * iproute2's iplink_vlan.c checks: a kernel from another version, or a
 * bad one, must not make ip read past the attribute.
 */
static bool rta_ok(const struct rtattr *rta, size_t size)
{
	return rta && RTA_PAYLOAD(rta) >= size;
}

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

/*
 * A u32 enum by the name ercfg gives it (names.c), or its number for a
 * value this version does not know.
 */
static void erdev_print_enum(const char *key, const struct rtattr *rta,
			     const char *(*name)(uint32_t))
{
	char fmt[32];
	const char *word;

	if (!rta_ok(rta, sizeof(uint32_t)))
		return;
	word = name(rta_u32(rta));
	if (word) {
		erdev_print_str(key, word);
		return;
	}
	snprintf(fmt, sizeof(fmt), "%s %%u ", key);
	print_color_uint(PRINT_ANY, COLOR_NONE, key, fmt, rta_u32(rta));
}

/* The circuit name: a string that must end inside its attribute. */
static void erdev_print_circuit(const struct rtattr *rta)
{
	const char *name;
	size_t len;

	if (!rta || !RTA_PAYLOAD(rta))
		return;
	name = RTA_DATA(rta);
	len = RTA_PAYLOAD(rta);
	if (memchr(name, 0, len))
		erdev_print_str("circuit", name);
}

static void erdev_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	char tpid[8];

	(void)lu;
	(void)f;
	if (!tb)
		return;
	erdev_print_circuit(tb[IFLA_ERDEV_CIRCUIT]);
	erdev_print_enum("peering", tb[IFLA_ERDEV_PEERING], peering_name);
	erdev_print_enum("link", tb[IFLA_ERDEV_LINK], role_name);
	erdev_print_enum("encap", tb[IFLA_ERDEV_ENCAP], encap_name);
	if (rta_ok(tb[IFLA_ERDEV_TPID], sizeof(uint16_t))) {
		snprintf(tpid, sizeof(tpid), "0x%04x",
			 ntohs(rta_u16(tb[IFLA_ERDEV_TPID])));
		erdev_print_str("tpid", tpid);
	}
	if (rta_ok(tb[IFLA_ERDEV_STAG], sizeof(uint16_t)))
		print_color_uint(PRINT_ANY, COLOR_NONE, "stag", "stag %u ",
				 rta_u16(tb[IFLA_ERDEV_STAG]));
	if (rta_ok(tb[IFLA_ERDEV_CTAG], sizeof(uint16_t)))
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

__attribute__((visibility("default")))
struct link_util erdev_link_util = {
	.id		= "erdev",
	.maxattr	= IFLA_ERDEV_MAX,
	.print_opt	= erdev_print_opt,
	.print_help	= erdev_print_help,
};
