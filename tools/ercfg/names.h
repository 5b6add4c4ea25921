/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The words for the values of the erdev API, in both directions, and the
 * formatting of rates and service keys. Depends on the UAPI alone: ercfg
 * and iproute2's plugin (tools/iproute2/link_erdev.c) share it, so that
 * "ercfg show" and "ip -d link" name every value alike.
 */
#ifndef _ERCFG_NAMES_H
#define _ERCFG_NAMES_H

#include <stdint.h>

#include <linux/erdev.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef BIT
#define BIT(n)		(1U << (n))
#endif

#define UUID_LEN	16
#define RATE_BUFSIZ	16	/* "4294967295mbit" */
#define UUID_BUFSIZ	37

/* Exact match of a word in NAMES; 0 and its index in *VAL, or -1. */
int name_to_value(const char *const names[], unsigned int n, const char *str,
		  uint32_t *val);

/* NULL for a value this version does not know. */
const char *encap_name(uint32_t encap);
const char *sku_name(uint32_t sku);
const char *billing_name(uint32_t billing);
const char *peering_name(uint32_t type);
const char *role_name(uint32_t role);
const char *operstate_name(uint8_t operstate);
const char *dscp_name(uint32_t dscp);
extern const char *const encap_names[2];
extern const char *const sku_names[3];
extern const char *const billing_names[2];
extern const char *const peering_names[2];
extern const char *const dscp_names[2];

const char *neigh_state_name(uint16_t nud);

char *format_rate(uint32_t mbit, char buf[RATE_BUFSIZ]);
char *format_uuid(const uint8_t uuid[UUID_LEN], char buf[UUID_BUFSIZ]);

#endif /* _ERCFG_NAMES_H */
