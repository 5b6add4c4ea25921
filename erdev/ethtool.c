// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: driver info, the circuit's bandwidth as link speed, and the
 * interface's counters next to its port's.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "main.h"

static const char erdev_gstrings[][ETH_GSTRING_LEN] = {
	"rx_packets",
	"rx_bytes",
	"rx_dropped",
	"tx_packets",
	"tx_bytes",
	"tx_dropped",
	"tx_dscp_rewritten",
	"port_rx_unknown_stag",
	"port_rx_unknown_ctag",
	"port_rx_untagged",
	"port_rx_bad_tpid",
	"port_rx_malformed",
};

static void erdev_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	struct erdev_dev *priv = netdev_priv(dev);

	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, ERDEV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, priv->lower->name, sizeof(info->bus_info));
}

static int erdev_get_link_ksettings(struct net_device *dev,
				    struct ethtool_link_ksettings *cmd)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct erdev_peering *peering = erdev_dev_peering(priv);
	u32 bandwidth = peering ? READ_ONCE(peering->circuit->bandwidth) : 0;

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.speed = bandwidth ? bandwidth : SPEED_UNKNOWN;
	cmd->base.duplex = DUPLEX_FULL;
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

static int erdev_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(erdev_gstrings) : -EOPNOTSUPP;
}

static void erdev_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, erdev_gstrings, sizeof(erdev_gstrings));
}

static void erdev_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct erdev_dev *priv = netdev_priv(dev);
	struct erdev_port_counters pc;
	struct rtnl_link_stats64 s;

	BUILD_BUG_ON(ARRAY_SIZE(erdev_gstrings) != 7 + ERDEV_PORT_NCOUNTERS);

	dev_get_stats(dev, &s);
	erdev_port_read_stats(priv->port, &pc);

	*data++ = s.rx_packets;
	*data++ = s.rx_bytes;
	*data++ = s.rx_dropped;
	*data++ = s.tx_packets;
	*data++ = s.tx_bytes;
	*data++ = s.tx_dropped;
	*data++ = erdev_dev_dscp_rewritten(priv);
	memcpy(data, pc.cnt, sizeof(pc.cnt));
}

const struct ethtool_ops erdev_ethtool_ops = {
	.get_drvinfo		= erdev_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= erdev_get_link_ksettings,
	.get_sset_count		= erdev_get_sset_count,
	.get_strings		= erdev_get_strings,
	.get_ethtool_stats	= erdev_get_ethtool_stats,
};
