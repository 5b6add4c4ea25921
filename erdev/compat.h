/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels erdev builds on (5.10 to 7.3). Every
 * version-dependent line of the driver lives in this file. The ERDEV_HAVE_*
 * macros come from Kbuild, which looks for the feature in the headers
 * rather than trusting a version number (distributions backport).
 */
#ifndef _ERDEV_COMPAT_H
#define _ERDEV_COMPAT_H

#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <uapi/linux/erdev.h>

/*
 * 6.2 split generic netlink ops: the do and the dump of a command are two
 * ops, each with its policy and the do with its own pre_doit and
 * post_doit. erdev/netlink-gen.c, as ynl-gen-c writes it, fills a table of
 * them and a family that points at it with .split_ops.
 *
 * Before 6.2 the generated file builds against the struct below, and
 * Kbuild defines ERDEV_NETLINK_GEN for that file alone: there its
 * "struct genl_family erdev_nl_family" becomes an erdev_split_family,
 * erdev_nl_split_family, the real family being defined here, empty.
 * erdev_genl_register_family() then fills the real family with one
 * genl_ops per command, and its pre_doit/post_doit call the do's own.
 * The generated file stays as the generator writes it, which check.sh
 * verifies.
 */
#ifdef ERDEV_HAVE_SPLIT_OPS
#define erdev_genl_register_family genl_register_family
#else
struct genl_split_ops {
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	void (*post_doit)(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

/* The members of struct genl_family that ynl-gen-c sets. */
struct erdev_split_family {
	const char *name;
	unsigned int version;
	bool netnsok;
	bool parallel_ops;
	struct module *module;
	const struct genl_split_ops *split_ops;
	unsigned int n_split_ops;
	const struct genl_multicast_group *mcgrps;
	unsigned int n_mcgrps;
};

extern struct erdev_split_family erdev_nl_split_family;

/* The do of the command of @ops (a command has at most one). */
static inline const struct genl_split_ops *
erdev_split_do(const struct genl_ops *ops)
{
	const struct erdev_split_family *f = &erdev_nl_split_family;
	unsigned int i;

	for (i = 0; i < f->n_split_ops; i++)
		if (f->split_ops[i].cmd == ops->cmd && f->split_ops[i].doit)
			return &f->split_ops[i];
	return NULL;
}

static inline int erdev_split_pre_doit(const struct genl_ops *ops,
				       struct sk_buff *skb,
				       struct genl_info *info)
{
	const struct genl_split_ops *op = erdev_split_do(ops);

	return op && op->pre_doit ? op->pre_doit(op, skb, info) : 0;
}

static inline void erdev_split_post_doit(const struct genl_ops *ops,
					 struct sk_buff *skb,
					 struct genl_info *info)
{
	const struct genl_split_ops *op = erdev_split_do(ops);

	if (op && op->post_doit)
		op->post_doit(op, skb, info);
}

/*
 * Merge @s into @op, the command's one genl_ops. A command has one policy
 * for both here: the first split op's (the do, as ynl-gen-c orders them;
 * erdev's spec gives a command's do and dump the same request).
 */
static inline void erdev_split_merge(struct genl_ops *op,
				     const struct genl_split_ops *s)
{
	op->cmd = s->cmd;
	op->flags |= s->flags & ~(GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP |
				  GENL_CMD_CAP_HASPOL);
	op->validate |= s->validate;
	if (!op->policy) {
		op->policy = s->policy;
		op->maxattr = s->maxattr;
	}
	if (s->doit) {
		op->doit = s->doit;
	} else {
		op->start = s->start;
		op->dumpit = s->dumpit;
		op->done = s->done;
	}
}

static inline int erdev_genl_register_family(struct genl_family *family)
{
	static struct genl_ops ops[ERDEV_CMD_MAX + 1];
	const struct erdev_split_family *f = &erdev_nl_split_family;
	unsigned int i, n = 0;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < f->n_split_ops; i++) {
		const struct genl_split_ops *s = &f->split_ops[i];

		/* ynl-gen-c puts a command's dump right after its do. */
		if (!n || ops[n - 1].cmd != s->cmd) {
			if (WARN_ON(n == ARRAY_SIZE(ops)))
				return -E2BIG;
			n++;
		}
		erdev_split_merge(&ops[n - 1], s);
	}

	strscpy(family->name, f->name, sizeof(family->name));
	family->version = f->version;
	family->netnsok = f->netnsok;
	family->parallel_ops = f->parallel_ops;
	family->module = f->module;
	family->pre_doit = erdev_split_pre_doit;
	family->post_doit = erdev_split_post_doit;
	family->ops = ops;
	family->n_ops = n;
	family->mcgrps = f->mcgrps;
	family->n_mcgrps = f->n_mcgrps;
	return genl_register_family(family);
}

/* Last: the functions above take the real struct genl_family. */
#ifdef ERDEV_NETLINK_GEN
extern struct genl_family erdev_nl_family;
struct genl_family erdev_nl_family __ro_after_init;
#define genl_family erdev_split_family
#define erdev_nl_family erdev_nl_split_family
#endif
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

/*
 * 6.0 holds a net_device with netdev_hold() and a reference tracker (the
 * trackers came in 5.17, with dev_hold_track()). Before, dev_hold() and
 * nothing to track: erdev's trackers are then empty.
 */
#ifndef ERDEV_HAVE_NETDEV_HOLD
struct erdev_no_tracker {};
#define netdevice_tracker struct erdev_no_tracker

static inline void netdev_hold(struct net_device *dev,
			       struct erdev_no_tracker *tracker, gfp_t gfp)
{
	dev_hold(dev);
}

static inline void netdev_put(struct net_device *dev,
			      struct erdev_no_tracker *tracker)
{
	dev_put(dev);
}
#endif

/*
 * 5.19: a stacked device takes its lower device's TSO limits with
 * netif_inherit_tso_max(). Before, the GSO limits, as 8021q does.
 */
#ifndef ERDEV_HAVE_INHERIT_TSO_MAX
static inline void netif_inherit_tso_max(struct net_device *to,
					 const struct net_device *from)
{
	netif_set_gso_max_size(to, from->gso_max_size);
	to->gso_max_segs = from->gso_max_segs;
}
#endif

/* 5.11 added the per-CPU tstats helpers that 5.10 lacks. */
#ifndef ERDEV_HAVE_SW_NETSTATS_TX_ADD
static inline void dev_sw_netstats_tx_add(struct net_device *dev,
					  unsigned int packets,
					  unsigned int len)
{
	struct pcpu_sw_netstats *tstats = this_cpu_ptr(dev->tstats);

	u64_stats_update_begin(&tstats->syncp);
	tstats->tx_bytes += len;
	tstats->tx_packets += packets;
	u64_stats_update_end(&tstats->syncp);
}
#endif

#ifndef ERDEV_HAVE_GET_TSTATS64
static inline void dev_get_tstats64(struct net_device *dev,
				    struct rtnl_link_stats64 *s)
{
	netdev_stats_to_stats64(s, &dev->stats);
	dev_fetch_sw_netstats(s, dev->tstats);
}
#endif

/* 5.11 renamed nla_strlcpy() to nla_strscpy(), returning -E2BIG. */
#ifndef ERDEV_HAVE_NLA_STRSCPY
static inline ssize_t nla_strscpy(char *dst, const struct nlattr *nla,
				  size_t dstsize)
{
	size_t len = nla_strlcpy(dst, nla, dstsize);

	return len >= dstsize ? -E2BIG : len;
}
#endif

/*
 * 6.0 reports a missing attribute in the extack (NLMSGERR_ATTR_MISS_TYPE).
 * Before, the message alone says which.
 */
#ifndef NL_SET_ERR_ATTR_MISS
#define NL_SET_ERR_ATTR_MISS(extack, nest, type) do {			\
	(void)(extack);							\
	(void)(nest);							\
	(void)(type);							\
} while (0)
#endif

/*
 * 7.x kernels (7.3 at least) have typed allocators, kvzalloc_obj() and its
 * kin, which their checkpatch asks for. Elsewhere, the same from kvzalloc().
 */
#ifndef kvzalloc_obj
#define kvzalloc_obj(P, gfp) kvzalloc(sizeof(P), gfp)
#endif

#endif /* _ERDEV_COMPAT_H */
