/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * rtnetlink link info of erdev interfaces (IFLA_INFO_KIND "erdev").
 *
 * These attributes appear in IFLA_INFO_DATA of RTM_NEWLINK replies, so that
 * "ip -d link show" can describe an interface. They are read-only: erdev
 * interfaces are created and changed through the erdev generic netlink
 * family (see linux/erdev.h), never with RTM_NEWLINK.
 */
#ifndef _UAPI_LINUX_IF_ERDEV_H
#define _UAPI_LINUX_IF_ERDEV_H

enum {
	IFLA_ERDEV_UNSPEC,
	IFLA_ERDEV_CIRCUIT,	/* string: circuit name */
	IFLA_ERDEV_PEERING,	/* u32: enum erdev_peering_type */
	IFLA_ERDEV_LINK,	/* u32: enum erdev_link_role */
	IFLA_ERDEV_ENCAP,	/* u32: enum erdev_encap */
	IFLA_ERDEV_TPID,	/* be16: outer TPID */
	IFLA_ERDEV_STAG,	/* u16: outer VLAN ID, qinq only */
	IFLA_ERDEV_CTAG,	/* u16: peering VLAN ID */
	__IFLA_ERDEV_MAX,
};

#define IFLA_ERDEV_MAX (__IFLA_ERDEV_MAX - 1)

#endif /* _UAPI_LINUX_IF_ERDEV_H */
