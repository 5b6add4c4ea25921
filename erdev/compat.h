/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels erdev builds on (6.1 to 7.3). Every
 * version-dependent line of the driver lives in this file. The ERDEV_HAVE_*
 * macros come from Kbuild, which looks for the feature in the headers
 * rather than trusting a version number (distributions backport).
 */
#ifndef _ERDEV_COMPAT_H
#define _ERDEV_COMPAT_H

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

/* 6.2 split generic netlink ops; pre_doit/post_doit take the split op. */
#ifdef ERDEV_HAVE_SPLIT_OPS
#define erdev_genl_op genl_split_ops
#else
#define erdev_genl_op genl_ops
#endif

/* 6.7 folded the dump request's attributes into a struct genl_info. */
static inline struct nlattr **erdev_dump_attrs(struct netlink_callback *cb)
{
#ifdef ERDEV_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

static inline u8 erdev_dump_cmd(struct netlink_callback *cb)
{
	const struct genlmsghdr *hdr = nlmsg_data(cb->nlh);

	return hdr->cmd;
}

/* 6.11 replaced NETIF_F_LLTX with a flag of its own. */
static inline void erdev_set_lltx(struct net_device *dev)
{
#ifdef ERDEV_HAVE_LLTX_FLAG
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

#ifdef ERDEV_HAVE_LLTX_FLAG
#define ERDEV_F_LLTX 0
#else
#define ERDEV_F_LLTX NETIF_F_LLTX
#endif

/*
 * 6.2 added formatted extack messages, stored in the extack itself. 6.1
 * only carries a pointer to a string that must outlive the request. The
 * ack is built right after the handler returns, in the same task, so a
 * small ring of buffers is enough there: a slot is reused only after 31
 * more formatted refusals, far more than can be in flight at once.
 */
#ifndef NL_SET_ERR_MSG_FMT_MOD
#define ERDEV_EXTACK_SLOTS	32
#define ERDEV_EXTACK_LEN	80
static inline char *erdev_extack_slot(void)
{
	static char bufs[ERDEV_EXTACK_SLOTS][ERDEV_EXTACK_LEN];
	static atomic_t next = ATOMIC_INIT(0);

	return bufs[(unsigned int)atomic_inc_return(&next) % ERDEV_EXTACK_SLOTS];
}

#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...) do {		\
	struct netlink_ext_ack *__extack = (extack);			\
	char *__buf;							\
									\
	if (!__extack)							\
		break;							\
	__buf = erdev_extack_slot();					\
	snprintf(__buf, ERDEV_EXTACK_LEN, KBUILD_MODNAME ": " fmt, ##args); \
	__extack->_msg = __buf;						\
} while (0)
#endif

/*
 * 6.15 passes rtnl_link_ops.newlink its namespaces and attributes in a
 * struct rtnl_newlink_params.
 */
#ifdef ERDEV_HAVE_NEWLINK_PARAMS
#define ERDEV_NEWLINK_ARGS						\
	struct net_device *dev, struct rtnl_newlink_params *params,	\
	struct netlink_ext_ack *extack
#else
#define ERDEV_NEWLINK_ARGS						\
	struct net *src_net, struct net_device *dev, struct nlattr *tb[], \
	struct nlattr *data[], struct netlink_ext_ack *extack
#endif

#endif /* _ERDEV_COMPAT_H */
