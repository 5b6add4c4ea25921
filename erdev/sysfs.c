// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/class/net/<if>/erdev/: what the interface is, read-only, for
 * scripts that would rather not speak netlink.
 */
#include <linux/netdevice.h>
#include <linux/sysfs.h>

#include "main.h"

static const char * const erdev_sku_names[] = {
	[ERDEV_SKU_LOCAL] = "local",
	[ERDEV_SKU_STANDARD] = "standard",
	[ERDEV_SKU_PREMIUM] = "premium",
};

static struct erdev_dev *to_erdev(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

/*
 * Readers do not take RTNL: the peering and its circuit are freed after an
 * RCU grace period, and the interface forgets its peering as soon as it is
 * queued for removal (-ENODEV from then on).
 */
static const struct erdev_peering *to_peering(struct device *d)
{
	return rcu_dereference(to_erdev(d)->peering);
}

static ssize_t circuit_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	const struct erdev_peering *peering;
	ssize_t ret = -ENODEV;

	rcu_read_lock();
	peering = to_peering(d);
	if (peering)
		ret = sysfs_emit(buf, "%s\n", peering->circuit->name);
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(circuit);

static ssize_t peering_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	const struct erdev_peering *peering;
	ssize_t ret = -ENODEV;

	rcu_read_lock();
	peering = to_peering(d);
	if (peering)
		ret = sysfs_emit(buf, "%s\n", erdev_peering_name(peering->type));
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(peering);

static ssize_t link_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  to_erdev(d)->role == ERDEV_LINK_ROLE_PRIMARY ?
			  "primary" : "secondary");
}
static DEVICE_ATTR_RO(link);

static ssize_t encap_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", erdev_encap_name(to_erdev(d)->encap));
}
static DEVICE_ATTR_RO(encap);

static ssize_t tpid_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", ntohs(to_erdev(d)->tpid));
}
static DEVICE_ATTR_RO(tpid);

static ssize_t stag_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", to_erdev(d)->stag);
}
static DEVICE_ATTR_RO(stag);

static ssize_t ctag_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%u\n", to_erdev(d)->ctag);
}
static DEVICE_ATTR_RO(ctag);

static ssize_t dscp_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(to_erdev(d)->dscp_conform) ?
			  "conform" : "keep");
}
static DEVICE_ATTR_RO(dscp);

static ssize_t bandwidth_mbps_show(struct device *d,
				   struct device_attribute *attr, char *buf)
{
	const struct erdev_peering *peering;
	ssize_t ret = -ENODEV;

	rcu_read_lock();
	peering = to_peering(d);
	if (peering)
		ret = sysfs_emit(buf, "%u\n",
				 READ_ONCE(peering->circuit->bandwidth));
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(bandwidth_mbps);

static ssize_t sku_show(struct device *d, struct device_attribute *attr,
			char *buf)
{
	const struct erdev_peering *peering;
	ssize_t ret = -ENODEV;

	rcu_read_lock();
	peering = to_peering(d);
	if (peering)
		ret = sysfs_emit(buf, "%s\n",
				 erdev_sku_names[READ_ONCE(peering->circuit->sku)]);
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_RO(sku);

/*
 * The service key authorises provisioning of the circuit: readable by the
 * owner only, that is root of the interface's network namespace (sysfs
 * gives net devices that namespace's owner).
 */
static ssize_t service_key_show(struct device *d,
				struct device_attribute *attr, char *buf)
{
	const struct erdev_peering *peering;
	const struct erdev_circuit *circuit;
	ssize_t ret = -ENODEV;

	rcu_read_lock();
	peering = to_peering(d);
	if (peering) {
		circuit = peering->circuit;
		if (circuit->has_service_key)
			ret = sysfs_emit(buf, "%pUb\n", circuit->service_key);
		else
			ret = sysfs_emit(buf, "\n");
	}
	rcu_read_unlock();
	return ret;
}
static DEVICE_ATTR_ADMIN_RO(service_key);

static struct attribute *erdev_attrs[] = {
	&dev_attr_circuit.attr,
	&dev_attr_peering.attr,
	&dev_attr_link.attr,
	&dev_attr_encap.attr,
	&dev_attr_tpid.attr,
	&dev_attr_stag.attr,
	&dev_attr_ctag.attr,
	&dev_attr_dscp.attr,
	&dev_attr_bandwidth_mbps.attr,
	&dev_attr_sku.attr,
	&dev_attr_service_key.attr,
	NULL,
};

const struct attribute_group erdev_attr_group = {
	.name = "erdev",
	.attrs = erdev_attrs,
};
