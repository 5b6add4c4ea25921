/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ercfg: configure erdev ExpressRoute circuits over generic netlink.
 *
 * A command runs in two phases. parse.c turns the command line into a
 * struct request and checks all of it, devices included, without talking to
 * the kernel. Only then does the command open the netlink socket (nl.c) and
 * send one request: config.c for the changes, show.c for show and stats.
 */
#ifndef _ERCFG_H
#define _ERCFG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/erdev.h>

#include "names.h"	/* names.c, shared with iproute2's plugin */


enum ercfg_cmd {
	CMD_CIRCUIT_ADD,
	CMD_CIRCUIT_SET,
	CMD_CIRCUIT_DEL,
	CMD_PEERING_ADD,
	CMD_PEERING_DEL,
	CMD_PEERING_SET,
	CMD_SHOW,
	CMD_STATS,
};

/* Option words of the commands ("stag 100"): bits of request.have. */
enum ercfg_opt {
	OPT_ENCAP,
	OPT_TPID,
	OPT_STAG,
	OPT_PRIMARY,
	OPT_SECONDARY,
	OPT_BANDWIDTH,
	OPT_SKU,
	OPT_BILLING,
	OPT_SERVICE_KEY,
	OPT_CTAG,
	OPT_IPV4,
	OPT_IPV6,
	OPT_DSCP,
	OPT_WATCH,
	OPT_COUNT
};

/*
 * A link subnet of a peering: the network address (network byte order,
 * host bits zero) and its length, /30 or /126. family 0: none.
 */
struct subnet {
	uint8_t family;			/* AF_INET, AF_INET6 or 0 */
	uint8_t prefixlen;
	uint8_t addr[16];
};

/* Index of a link subnet: as the ERDEV_A_PEERING_IPV* attributes. */
enum subnet_slot {
	SN_IPV4_PRIMARY,
	SN_IPV4_SECONDARY,
	SN_IPV6_PRIMARY,
	SN_IPV6_SECONDARY,
	SN_SLOTS,
};

static inline enum subnet_slot subnet_slot(int ipv6, uint32_t role)
{
	return (ipv6 ? SN_IPV6_PRIMARY : SN_IPV4_PRIMARY) + role;
}

/* One parsed and checked command line. Strings point into argv. */
struct request {
	enum ercfg_cmd cmd;
	bool json;
	const char *name;		/* circuit; NULL: all (show, stats) */
	uint32_t peering;		/* enum erdev_peering_type */
	unsigned int have;		/* BIT(enum ercfg_opt) given */
	uint32_t encap;			/* enum erdev_encap */
	uint16_t tpid;			/* host byte order */
	uint16_t stag;
	uint16_t ctag;
	const char *primary;
	const char *secondary;
	uint32_t primary_ifindex;
	uint32_t secondary_ifindex;
	uint32_t bandwidth;		/* Mbit/s */
	uint32_t sku;			/* enum erdev_sku */
	uint32_t billing;		/* enum erdev_billing */
	uint8_t service_key[UUID_LEN];
	struct subnet subnet[SN_SLOTS];	/* by enum subnet_slot */
	uint32_t dscp;			/* enum erdev_dscp */
	unsigned int watch;		/* stats --watch: seconds, 0: once */
	/*
	 * Where in argv NAME and each option's value were (0: not given),
	 * for messages about them after parsing (apply --check's columns).
	 */
	uint8_t name_word;
	uint8_t opt_word[OPT_COUNT];
};

static inline bool req_has(const struct request *req, enum ercfg_opt opt)
{
	return req->have & BIT(opt);
}

/* The kernel's dscp for a peering that names none (erdev_nl_dscp()). */
static inline uint32_t dscp_default(uint32_t peering)
{
	return peering == ERDEV_PEERING_TYPE_MICROSOFT ? ERDEV_DSCP_CONFORM :
							 ERDEV_DSCP_KEEP;
}

/* errmsg.c */
extern const char *errmsg_file;		/* errmsg() says "FILE:LINE: " */
extern unsigned int errmsg_line;	/* when both are set */
extern unsigned int errmsg_col;		/* and errmsg_compiler... */
extern bool errmsg_compiler;		/* ..."FILE:LINE:COL: ", no "ercfg: " */
extern unsigned int (*errmsg_col_fn)(void); /* the column if errmsg_col 0 */
/* If set, takes the messages about a line instead of stderr (a copy). */
extern void (*errmsg_sink)(unsigned int line, unsigned int col,
			   const char *text);
void errmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The exit statuses (ercfg(8), EXIT STATUS), so that a script can tell a
 * mistake of its own from a refusal and from a router without the module.
 */
enum ercfg_status {
	ERCFG_OK = 0,
	ERCFG_FAILED = 1,	/* the kernel refused; a netlink or system error */
	ERCFG_USAGE = 2,	/* bad command line or FILE: nothing was asked */
	ERCFG_NO_MODULE = 3,	/* no "erdev" generic netlink family */
};
extern enum ercfg_status errmsg_status;	/* a failure's exit status */

/* parse.c */
extern int parse_word;			/* the argv word of the last error; -1 */
extern bool parse_no_devices;		/* DEV names unresolved: ifindex 0 */
int parse_command(int argc, char **argv, struct request *req);
bool valid_circuit_name(const char *name);
const char *shown(const char *word);	/* for a message: escaped, cut */
int parse_vid(const char *str, uint16_t *vid);
int parse_rate(const char *str, uint32_t *mbit);
int parse_uuid(const char *str, uint8_t uuid[UUID_LEN]);

/* prefix.c: link subnets */
#define ADDR_BUFSIZ	46	/* INET6_ADDRSTRLEN */
#define PREFIX_BUFSIZ	(ADDR_BUFSIZ + 4)
int parse_link_subnets(int family, const char *str, bool public,
		       struct subnet sn[2]);
bool subnet_is_private(const struct subnet *sn);
unsigned int subnet_addr_len(const struct subnet *sn);
void subnet_host(const struct subnet *sn, unsigned int n, uint8_t addr[16]);
char *format_addr(int family, const uint8_t *addr, char buf[ADDR_BUFSIZ]);
char *format_subnet(const struct subnet *sn, char buf[PREFIX_BUFSIZ]);

#endif /* _ERCFG_H */
