// SPDX-License-Identifier: GPL-2.0
/*
 * The words ercfg uses for the values of the erdev API, in both directions,
 * and the formatting of rates and service keys.
 */
#include <stdio.h>
#include <string.h>

#include "names.h"

const char *const encap_names[2] = {
	[ERDEV_ENCAP_QINQ]		= "qinq",
	[ERDEV_ENCAP_DOT1Q]		= "dot1q",
};

const char *const sku_names[3] = {
	[ERDEV_SKU_LOCAL]		= "local",
	[ERDEV_SKU_STANDARD]		= "standard",
	[ERDEV_SKU_PREMIUM]		= "premium",
};

const char *const billing_names[2] = {
	[ERDEV_BILLING_METERED]		= "metered",
	[ERDEV_BILLING_UNLIMITED]	= "unlimited",
};

const char *const peering_names[2] = {
	[ERDEV_PEERING_TYPE_PRIVATE]	= "private",
	[ERDEV_PEERING_TYPE_MICROSOFT]	= "microsoft",
};

const char *const dscp_names[2] = {
	[ERDEV_DSCP_KEEP]	= "keep",
	[ERDEV_DSCP_CONFORM]	= "conform",
};

static const char *const role_names[2] = {
	[ERDEV_LINK_ROLE_PRIMARY]	= "primary",
	[ERDEV_LINK_ROLE_SECONDARY]	= "secondary",
};

/* RFC 2863 states, IF_OPER_* order, as "ip link" names them (lower case). */
static const char *const operstate_names[7] = {
	"unknown", "notpresent", "down", "lowerlayerdown",
	"testing", "dormant", "up",
};

/*
 * A neighbour's NUD_* state as "ip neigh" names it, in lower case. "none"
 * is also what ercfg says when there is no entry at all.
 */
static const char *const nud_names[8] = {
	"incomplete", "reachable", "stale", "delay",
	"probe", "failed", "noarp", "permanent",
};

const char *neigh_state_name(uint16_t nud)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nud_names); i++) {
		if (nud & BIT(i))
			return nud_names[i];
	}
	return "none";
}

/* Exact match of a command line word; 0 and its index, or -1. */
int name_to_value(const char *const names[], unsigned int n, const char *str,
		  uint32_t *val)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (names[i] && !strcmp(names[i], str)) {
			*val = i;
			return 0;
		}
	}
	return -1;
}

/* NULL for a value this version of ercfg does not know. */
#define NAME_OF(names, val) \
	((val) < ARRAY_SIZE(names) ? (names)[val] : NULL)

const char *encap_name(uint32_t encap)
{
	return NAME_OF(encap_names, encap);
}

const char *sku_name(uint32_t sku)
{
	return NAME_OF(sku_names, sku);
}

const char *billing_name(uint32_t billing)
{
	return NAME_OF(billing_names, billing);
}

const char *peering_name(uint32_t type)
{
	return NAME_OF(peering_names, type);
}

const char *dscp_name(uint32_t dscp)
{
	return NAME_OF(dscp_names, dscp);
}

const char *role_name(uint32_t role)
{
	return NAME_OF(role_names, role);
}

const char *operstate_name(uint8_t operstate)
{
	return NAME_OF(operstate_names, operstate);
}

/* The largest tc unit that gives a whole number: 1gbit, 1500mbit, 1tbit. */
char *format_rate(uint32_t mbit, char buf[RATE_BUFSIZ])
{
	if (mbit && mbit % 1000000 == 0)
		snprintf(buf, RATE_BUFSIZ, "%utbit", mbit / 1000000);
	else if (mbit && mbit % 1000 == 0)
		snprintf(buf, RATE_BUFSIZ, "%ugbit", mbit / 1000);
	else
		snprintf(buf, RATE_BUFSIZ, "%umbit", mbit);
	return buf;
}

/* Canonical lower case 8-4-4-4-12 form. */
char *format_uuid(const uint8_t uuid[UUID_LEN], char buf[UUID_BUFSIZ])
{
	char *p = buf;
	int i;

	for (i = 0; i < UUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", uuid[i]);
	}
	return buf;
}
