// SPDX-License-Identifier: GPL-2.0
/*
 * test-plugin: link_erdev.so against crafted IFLA_INFO_DATA attributes,
 * with the two printing helpers ip would give it. Each case lists the
 * attributes and the exact text the plugin must print; attributes shorter
 * than their type, a circuit name that does not end inside its attribute
 * and values this version does not know must never be read past or
 * misnamed. KTAP output; the exit status is the number of failures.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include <linux/erdev.h>
#include <linux/if_erdev.h>

#include "ip_plugin.h"

static char out[512];

static void emit(const char *fmt, ...)
{
	size_t len = strlen(out);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out + len, sizeof(out) - len, fmt, ap);
	va_end(ap);
}

/* ip's helpers (include/json_print.h), the text side of them. */
int print_color_string(enum output_type t, enum color_attr c,
		       const char *key, const char *fmt, const char *value)
{
	(void)t;
	(void)c;
	(void)key;
	emit(fmt, value);
	return 0;
}

int print_color_uint(enum output_type t, enum color_attr c,
		     const char *key, const char *fmt, unsigned int value)
{
	(void)t;
	(void)c;
	(void)key;
	emit(fmt, value);
	return 0;
}

/* Attributes are laid out in buf, each RTA_ALIGNed, with a payload of len. */
static unsigned char buf[4096] __attribute__((aligned(4)));
static size_t used;

static struct rtattr *attr(unsigned short type, const void *data, size_t len)
{
	struct rtattr *rta = (struct rtattr *)(buf + used);

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	used += RTA_SPACE(len);
	return rta;
}

static struct link_util *lu;
static int failed, n;

static void check(const char *what, struct rtattr *tb[], const char *want)
{
	out[0] = 0;
	lu->print_opt(lu, stdout, tb);
	n++;
	if (!strcmp(out, want)) {
		printf("ok %d %s\n", n, what);
		return;
	}
	printf("not ok %d %s\n# want \"%s\"\n# got  \"%s\"\n", n, what, want, out);
	failed++;
}

int main(int argc, char **argv)
{
	struct rtattr *tb[IFLA_ERDEV_MAX + 1];
	unsigned int u32;
	unsigned short u16;
	void *h;

	h = dlopen(argc > 1 ? argv[1] : "./link_erdev.so", RTLD_NOW);
	lu = h ? dlsym(h, "erdev_link_util") : NULL;
	printf("KTAP version 1\n1..6\n");
	if (!lu) {
		printf("Bail out! %s\n", dlerror());
		return 1;
	}

	memset(tb, 0, sizeof(tb));
	tb[IFLA_ERDEV_CIRCUIT] = attr(IFLA_ERDEV_CIRCUIT, "c1", 3);
	u32 = ERDEV_PEERING_TYPE_MICROSOFT;
	tb[IFLA_ERDEV_PEERING] = attr(IFLA_ERDEV_PEERING, &u32, 4);
	u32 = ERDEV_LINK_ROLE_SECONDARY;
	tb[IFLA_ERDEV_LINK] = attr(IFLA_ERDEV_LINK, &u32, 4);
	u32 = ERDEV_ENCAP_QINQ;
	tb[IFLA_ERDEV_ENCAP] = attr(IFLA_ERDEV_ENCAP, &u32, 4);
	u16 = htons(0x88a8);
	tb[IFLA_ERDEV_TPID] = attr(IFLA_ERDEV_TPID, &u16, 2);
	u16 = 100;
	tb[IFLA_ERDEV_STAG] = attr(IFLA_ERDEV_STAG, &u16, 2);
	u16 = 300;
	tb[IFLA_ERDEV_CTAG] = attr(IFLA_ERDEV_CTAG, &u16, 2);
	check("every attribute", tb,
	      "circuit c1 peering microsoft link secondary encap qinq tpid 0x88a8 stag 100 ctag 300 ");

	u32 = 7;
	tb[IFLA_ERDEV_PEERING] = attr(IFLA_ERDEV_PEERING, &u32, 4);
	u32 = 9;
	tb[IFLA_ERDEV_LINK] = attr(IFLA_ERDEV_LINK, &u32, 4);
	u32 = 2;
	tb[IFLA_ERDEV_ENCAP] = attr(IFLA_ERDEV_ENCAP, &u32, 4);
	check("values this version does not know: their numbers", tb,
	      "circuit c1 peering 7 link 9 encap 2 tpid 0x88a8 stag 100 ctag 300 ");

	memset(tb, 0, sizeof(tb));
	tb[IFLA_ERDEV_PEERING] = attr(IFLA_ERDEV_PEERING, &u16, 2);
	tb[IFLA_ERDEV_STAG] = attr(IFLA_ERDEV_STAG, "", 1);
	tb[IFLA_ERDEV_TPID] = attr(IFLA_ERDEV_TPID, "", 0);
	check("attributes shorter than their type: not read", tb, "");

	memset(tb, 0, sizeof(tb));
	tb[IFLA_ERDEV_CIRCUIT] = attr(IFLA_ERDEV_CIRCUIT, "c1xx", 4);
	check("a circuit name without its NUL: not printed", tb, "");

	memset(tb, 0, sizeof(tb));
	tb[IFLA_ERDEV_CIRCUIT] = attr(IFLA_ERDEV_CIRCUIT, "", 0);
	check("an empty circuit attribute: not printed", tb, "");

	memset(tb, 0, sizeof(tb));
	check("no attributes: nothing", tb, "");

	printf("# %d tests, %d failed\n", n, failed);
	return failed;
}
