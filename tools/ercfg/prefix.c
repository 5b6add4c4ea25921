// SPDX-License-Identifier: GPL-2.0
/*
 * Link subnets of a peering, as ExpressRoute hands them out: for IPv4 one
 * /29 or two /30, for IPv6 one /125 or two /126. A /29 (/125) is split in
 * two halves, the first for the primary link. In each /30 (/126) the
 * customer takes the first usable address (.1, ::1) and Microsoft the
 * second (.2, ::2).
 *
 * The checks are those the kernel makes (erdev/subnet.c), done first so
 * that a bad command line never reaches it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "errmsg.h"
#include "parse.h"
#include "prefix.h"

struct family_info {
	const char *name;		/* in messages */
	unsigned int len;		/* address bytes */
	uint8_t link_len;		/* one link: /30, /126 */
	uint8_t pair_len;		/* both links: /29, /125 */
	const char *forms;
};

static const struct family_info ipv4_info = {
	"IPv4", 4, 30, 29, "PREFIX/29 or PRIMARY/30,SECONDARY/30",
};

static const struct family_info ipv6_info = {
	"IPv6", 16, 126, 125, "PREFIX/125 or PRIMARY/126,SECONDARY/126",
};

static const struct family_info *family_info(int family)
{
	return family == AF_INET6 ? &ipv6_info : &ipv4_info;
}

unsigned int subnet_addr_len(const struct subnet *sn)
{
	return family_info(sn->family)->len;
}

/* Space Microsoft peering refuses, as erdev_ipv4_private() does. */
static bool ipv4_private(const uint8_t *a)
{
	return a[0] == 10 ||				/* 10/8 */
	       (a[0] == 172 && (a[1] & 0xf0) == 16) ||	/* 172.16/12 */
	       (a[0] == 192 && a[1] == 168) ||		/* 192.168/16 */
	       (a[0] == 100 && (a[1] & 0xc0) == 64) ||	/* 100.64/10 */
	       a[0] == 127 ||				/* loopback */
	       (a[0] == 169 && a[1] == 254) ||		/* link-local */
	       a[0] == 0 ||				/* 0/8 */
	       (a[0] & 0xf0) == 224 ||			/* multicast */
	       (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
}

/* As erdev_ipv6_private(): ULA, link-local, site-local, multicast, ::, ::1 */
static bool ipv6_private(const uint8_t *a)
{
	static const uint8_t zero[15];

	if ((a[0] & 0xfe) == 0xfc || a[0] == 0xff)
		return true;
	if (a[0] == 0xfe && (a[1] & 0xc0) >= 0x80)	/* fe80::/10, fec0::/10 */
		return true;
	return !memcmp(a, zero, sizeof(zero)) && a[15] <= 1;
}

bool subnet_is_private(const struct subnet *sn)
{
	return sn->family == AF_INET6 ? ipv6_private(sn->addr) :
	       ipv4_private(sn->addr);
}

/* Address @n of the subnet: 1 the customer's, 2 Microsoft's. */
void subnet_host(const struct subnet *sn, unsigned int n, uint8_t addr[16])
{
	unsigned int len = subnet_addr_len(sn);

	memset(addr, 0, 16);
	memcpy(addr, sn->addr, len);
	/* The last two bits are host bits, and zero. */
	addr[len - 1] |= n & 3;
}

char *format_addr(int family, const uint8_t *addr, char buf[ADDR_BUFSIZ])
{
	if (!inet_ntop(family, addr, buf, ADDR_BUFSIZ))
		snprintf(buf, ADDR_BUFSIZ, "?");
	return buf;
}

char *format_subnet(const struct subnet *sn, char buf[PREFIX_BUFSIZ])
{
	char addr[ADDR_BUFSIZ];

	snprintf(buf, PREFIX_BUFSIZ, "%s/%u",
		 format_addr(sn->family, sn->addr, addr), sn->prefixlen);
	return buf;
}

/* "ADDR/LEN", exactly: no blanks, a decimal length. */
static int parse_prefix(const struct family_info *fi, int family,
			const char *str, struct subnet *sn)
{
	char buf[ADDR_BUFSIZ];
	const char *slash = strchr(str, '/');
	size_t alen, llen;
	unsigned int len = 0;
	unsigned int i;

	if (!slash)
		return -1;
	alen = slash - str;
	llen = strlen(slash + 1);
	if (!alen || alen >= sizeof(buf) || !llen || llen > 3)
		return -1;
	for (i = 0; i < llen; i++) {
		char c = slash[1 + i];

		if (c < '0' || c > '9')
			return -1;
		len = len * 10 + (c - '0');
	}
	if (len > fi->len * 8)
		return -1;
	memcpy(buf, str, alen);
	buf[alen] = '\0';
	memset(sn, 0, sizeof(*sn));
	if (inet_pton(family, buf, sn->addr) != 1)
		return -1;
	sn->family = family;
	sn->prefixlen = len;
	return 0;
}

/* Host bits below the prefix length. */
static bool has_host_bits(const struct subnet *sn, unsigned int len)
{
	unsigned int bit;

	for (bit = sn->prefixlen; bit < len * 8; bit++) {
		if (sn->addr[bit / 8] & (0x80 >> (bit % 8)))
			return true;
	}
	return false;
}

/*
 * One prefix of the value, @want long: its syntax, length, alignment and
 * (public) space. Prints the error. The kernel: erdev_subnet_parse_one()
 * (erdev/subnet.c: "must be a /30", "has host bits set", "must be public
 * space for microsoft peering").
 */
static int check_prefix(int family, const char *str, uint8_t want,
			bool public, struct subnet *sn)
{
	const struct family_info *fi = family_info(family);

	if (parse_prefix(fi, family, str, sn)) {
		errmsg("invalid %s prefix \"%s\"", fi->name, shown(str));
		return -1;
	}
	if (sn->prefixlen != want) {
		errmsg("%s prefix \"%s\" has the wrong length (%s)", fi->name,
		       shown(str), fi->forms);
		return -1;
	}
	if (has_host_bits(sn, fi->len)) {
		errmsg("%s prefix \"%s\" is not aligned (host bits set)",
		       fi->name, shown(str));
		return -1;
	}
	if (public && subnet_is_private(sn)) {
		errmsg("%s prefix \"%s\" is private space (microsoft peering needs public)",
		       fi->name, shown(str));
		return -1;
	}
	return 0;
}

/* A /29 (/125): its two halves. */
static void split_pair(const struct subnet *pair, struct subnet sn[2])
{
	unsigned int len = subnet_addr_len(pair);

	sn[0] = *pair;
	sn[0].prefixlen = family_info(pair->family)->link_len;
	sn[1] = sn[0];
	sn[1].addr[len - 1] |= 4;
}

/*
 * The value of "ipv4" or "ipv6": "PREFIX/29" or "PRIMARY/30,SECONDARY/30"
 * (IPv6: /125, /126). @public: a microsoft peering. sn[0] is the primary
 * link's subnet, sn[1] the secondary's. Prints the error.
 */
int parse_link_subnets(int family, const char *str, bool public,
		       struct subnet sn[2])
{
	const struct family_info *fi = family_info(family);
	const char *comma = strchr(str, ',');
	struct subnet pair;
	char *first;
	int ret;

	if (!comma) {
		if (check_prefix(family, str, fi->pair_len, public, &pair))
			return -1;
		split_pair(&pair, sn);
		return 0;
	}
	first = strndup(str, comma - str);
	if (!first) {
		errmsg("out of memory");
		return -1;
	}
	ret = check_prefix(family, first, fi->link_len, public, &sn[0]);
	free(first);
	if (ret || check_prefix(family, comma + 1, fi->link_len, public, &sn[1]))
		return -1;
	/* The kernel: erdev_subnets_parse(), "... are the same subnet". */
	if (!memcmp(sn[0].addr, sn[1].addr, fi->len)) {
		errmsg("%s prefix \"%s\" is both primary and secondary",
		       fi->name, shown(comma + 1));
		return -1;
	}
	return 0;
}
