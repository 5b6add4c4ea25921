/* SPDX-License-Identifier: GPL-2.0 */
/* prefix.c: the link subnets of a peering, parsed and formatted. */
#ifndef _ERCFG_PREFIX_H
#define _ERCFG_PREFIX_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"	/* struct subnet */

#define ADDR_BUFSIZ	46	/* INET6_ADDRSTRLEN */
#define PREFIX_BUFSIZ	(ADDR_BUFSIZ + 4)
int parse_link_subnets(int family, const char *str, bool public,
		       struct subnet sn[2]);
bool subnet_is_private(const struct subnet *sn);
unsigned int subnet_addr_len(const struct subnet *sn);
void subnet_host(const struct subnet *sn, unsigned int n, uint8_t addr[16]);
char *format_addr(int family, const uint8_t *addr, char buf[ADDR_BUFSIZ]);
char *format_subnet(const struct subnet *sn, char buf[PREFIX_BUFSIZ]);

#endif /* _ERCFG_PREFIX_H */
