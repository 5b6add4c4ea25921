/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ERCFG_CONFIG_H
#define _ERCFG_CONFIG_H

struct nl;
struct nlmsghdr;
struct request;

/* The request of a change, in nl's buffer; NULL for show and stats. */
struct nlmsghdr *config_msg(struct nl *nl, const struct request *req);

/* circuit add/set/del, peering add/del. 0, or -1 after printing why. */
int do_config(struct nl *nl, const struct request *req);

#endif /* _ERCFG_CONFIG_H */
