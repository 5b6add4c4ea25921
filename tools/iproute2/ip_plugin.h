/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an ip link plugin sees of iproute2: these mirror ip/ip_common.h
 * and include/json_print.h (stable since iproute2 4.x). The plugin only
 * fills the first fields of struct link_util that every version has.
 * link_erdev.c and test-plugin.c (which plays ip) share them.
 */
#ifndef _IP_PLUGIN_H
#define _IP_PLUGIN_H

#include <stdio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

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

#endif /* _IP_PLUGIN_H */
