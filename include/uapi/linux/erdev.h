/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/erdev.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_ERDEV_H
#define _UAPI_LINUX_ERDEV_H

#define ERDEV_FAMILY_NAME	"erdev"
#define ERDEV_FAMILY_VERSION	1

#define ERDEV_CIRCUIT_NAME_LEN	12

/**
 * enum erdev_encap - How a circuit's frames are tagged on the wire.
 * @ERDEV_ENCAP_QINQ: Outer S-tag with the port's TPID, then an inner 0x8100
 *   C-tag.
 * @ERDEV_ENCAP_DOT1Q: One tag, the peering's VLAN ID, with the port's TPID.
 */
enum erdev_encap {
	ERDEV_ENCAP_QINQ,
	ERDEV_ENCAP_DOT1Q,
};

/*
 * Circuit tier.
 */
enum erdev_sku {
	ERDEV_SKU_LOCAL,
	ERDEV_SKU_STANDARD,
	ERDEV_SKU_PREMIUM,
};

/*
 * Circuit billing model.
 */
enum erdev_billing {
	ERDEV_BILLING_METERED,
	ERDEV_BILLING_UNLIMITED,
};

/**
 * enum erdev_peering_type - Routing domain of a peering.
 * @ERDEV_PEERING_TYPE_PRIVATE: Azure private peering, to virtual networks.
 *   Interfaces .p0/.p1.
 * @ERDEV_PEERING_TYPE_MICROSOFT: Microsoft peering, to public services.
 *   Interfaces .m0/.m1.
 */
enum erdev_peering_type {
	ERDEV_PEERING_TYPE_PRIVATE,
	ERDEV_PEERING_TYPE_MICROSOFT,
};

/**
 * enum erdev_link_role - Which link of the circuit an interface or NIC belongs
 *   to.
 * @ERDEV_LINK_ROLE_PRIMARY: The primary link. Interface suffix 0.
 * @ERDEV_LINK_ROLE_SECONDARY: The secondary link. Interface suffix 1.
 */
enum erdev_link_role {
	ERDEV_LINK_ROLE_PRIMARY,
	ERDEV_LINK_ROLE_SECONDARY,
};

/**
 * enum erdev_dscp - What a peering's interfaces do with the DSCP of the IPv4
 *   and IPv6 frames they send.
 * @ERDEV_DSCP_KEEP: Unchanged. The private peering's default and only setting.
 * @ERDEV_DSCP_CONFORM: Microsoft peering honours only DSCP 46 (EF), 34 (AF41),
 *   18 (AF21), 10 (AF11) and 0: any other value leaves as 0, the ECN bits kept
 *   and the IPv4 header checksum updated. The microsoft peering's default.
 */
enum erdev_dscp {
	ERDEV_DSCP_KEEP,
	ERDEV_DSCP_CONFORM,
};

enum {
	ERDEV_A_STATS_PAD = 1,
	ERDEV_A_STATS_RX_PACKETS,
	ERDEV_A_STATS_RX_BYTES,
	ERDEV_A_STATS_TX_PACKETS,
	ERDEV_A_STATS_TX_BYTES,
	ERDEV_A_STATS_RX_DROPPED,
	ERDEV_A_STATS_TX_DROPPED,
	ERDEV_A_STATS_RX_UNKNOWN_STAG,
	ERDEV_A_STATS_RX_UNKNOWN_CTAG,
	ERDEV_A_STATS_RX_UNTAGGED,
	ERDEV_A_STATS_RX_BAD_TPID,
	ERDEV_A_STATS_RX_MALFORMED,
	ERDEV_A_STATS_TX_DSCP_REWRITTEN,

	__ERDEV_A_STATS_MAX,
	ERDEV_A_STATS_MAX = (__ERDEV_A_STATS_MAX - 1)
};

enum {
	ERDEV_A_SUBNET_ADDR = 1,
	ERDEV_A_SUBNET_PREFIXLEN,

	__ERDEV_A_SUBNET_MAX,
	ERDEV_A_SUBNET_MAX = (__ERDEV_A_SUBNET_MAX - 1)
};

enum {
	ERDEV_A_LINK_ROLE = 1,
	ERDEV_A_LINK_IFINDEX,
	ERDEV_A_LINK_IFNAME,
	ERDEV_A_LINK_LOWER_IFINDEX,
	ERDEV_A_LINK_OPERSTATE,
	ERDEV_A_LINK_STATS,

	__ERDEV_A_LINK_MAX,
	ERDEV_A_LINK_MAX = (__ERDEV_A_LINK_MAX - 1)
};

enum {
	ERDEV_A_PORT_IFINDEX = 1,
	ERDEV_A_PORT_IFNAME,
	ERDEV_A_PORT_ENCAP,
	ERDEV_A_PORT_TPID,
	ERDEV_A_PORT_STATS,

	__ERDEV_A_PORT_MAX,
	ERDEV_A_PORT_MAX = (__ERDEV_A_PORT_MAX - 1)
};

enum {
	ERDEV_A_PEERING_CIRCUIT = 1,
	ERDEV_A_PEERING_TYPE,
	ERDEV_A_PEERING_CTAG,
	ERDEV_A_PEERING_LINK,
	ERDEV_A_PEERING_IPV4_PRIMARY,
	ERDEV_A_PEERING_IPV4_SECONDARY,
	ERDEV_A_PEERING_IPV6_PRIMARY,
	ERDEV_A_PEERING_IPV6_SECONDARY,
	ERDEV_A_PEERING_DSCP,

	__ERDEV_A_PEERING_MAX,
	ERDEV_A_PEERING_MAX = (__ERDEV_A_PEERING_MAX - 1)
};

enum {
	ERDEV_A_CIRCUIT_NAME = 1,
	ERDEV_A_CIRCUIT_ENCAP,
	ERDEV_A_CIRCUIT_TPID,
	ERDEV_A_CIRCUIT_STAG,
	ERDEV_A_CIRCUIT_PRIMARY_IFINDEX,
	ERDEV_A_CIRCUIT_SECONDARY_IFINDEX,
	ERDEV_A_CIRCUIT_BANDWIDTH,
	ERDEV_A_CIRCUIT_SKU,
	ERDEV_A_CIRCUIT_BILLING,
	ERDEV_A_CIRCUIT_SERVICE_KEY,
	ERDEV_A_CIRCUIT_PEERING,

	__ERDEV_A_CIRCUIT_MAX,
	ERDEV_A_CIRCUIT_MAX = (__ERDEV_A_CIRCUIT_MAX - 1)
};

enum {
	ERDEV_A_CIRCUIT = 1,
	ERDEV_A_PEERING,
	ERDEV_A_PORT,

	__ERDEV_A_MAX,
	ERDEV_A_MAX = (__ERDEV_A_MAX - 1)
};

enum {
	ERDEV_CMD_CIRCUIT_NEW = 1,
	ERDEV_CMD_CIRCUIT_GET,
	ERDEV_CMD_CIRCUIT_SET,
	ERDEV_CMD_CIRCUIT_DEL,
	ERDEV_CMD_PEERING_NEW,
	ERDEV_CMD_PEERING_GET,
	ERDEV_CMD_PEERING_DEL,
	ERDEV_CMD_STATS_GET,
	ERDEV_CMD_CIRCUIT_ADD_NTF,
	ERDEV_CMD_CIRCUIT_CHANGE_NTF,
	ERDEV_CMD_CIRCUIT_DEL_NTF,
	ERDEV_CMD_PEERING_ADD_NTF,
	ERDEV_CMD_PEERING_DEL_NTF,
	ERDEV_CMD_LINK_CHANGE_NTF,
	ERDEV_CMD_PEERING_SET,
	ERDEV_CMD_PEERING_CHANGE_NTF,

	__ERDEV_CMD_MAX,
	ERDEV_CMD_MAX = (__ERDEV_CMD_MAX - 1)
};

#define ERDEV_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_ERDEV_H */
