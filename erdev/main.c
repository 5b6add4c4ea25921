// SPDX-License-Identifier: GPL-2.0
/*
 * erdev: Azure ExpressRoute circuit interfaces.
 *
 * Module glue: per-namespace state, and the order in which the pieces come
 * up and go down.
 */
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "main.h"

unsigned int erdev_net_id __read_mostly;

static int __net_init erdev_net_init(struct net *net)
{
	struct erdev_net *en = erdev_pernet(net);

	INIT_LIST_HEAD(&en->circuits);
	en->gen = 1;
	return 0;
}

/*
 * On a namespace exit the namespace's devices are gone by now (moved out
 * or deleted), and with them most circuits; on rmmod every circuit and
 * interface is still there. Either way, take down what is left of all the
 * namespaces of the batch with one RTNL hold and one unregister batch.
 */
static void __net_exit erdev_net_exit_batch(struct list_head *net_list)
{
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		erdev_net_flush(net, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations erdev_net_ops = {
	.init = erdev_net_init,
	.exit_batch = erdev_net_exit_batch,
	.id   = &erdev_net_id,
	.size = sizeof(struct erdev_net),
};

static int __init erdev_module_init(void)
{
	int err;

	/*
	 * The soft dependency below covers modprobe, not insmod: ask for
	 * 8021q here too (no RTNL held yet; 8021q's init takes it). Without
	 * it, a NIC's VLAN filter switched off and on again would come back
	 * without the circuits' IDs. Not fatal: a kernel without 8021q
	 * (CONFIG_VLAN_8021Q=n) still passes tagged frames to erdev.
	 */
	if (IS_MODULE(CONFIG_VLAN_8021Q))
		request_module("8021q");

	err = register_pernet_subsys(&erdev_net_ops);
	if (err)
		return err;
	err = erdev_notifier_init();
	if (err)
		goto unregister_pernet;
	err = rtnl_link_register(&erdev_link_ops);
	if (err)
		goto unregister_notifier;
	/* Last: once the family is visible, requests can come in. */
	err = erdev_nl_init();
	if (err)
		goto unregister_link;
	return 0;

unregister_link:
	rtnl_link_unregister(&erdev_link_ops);
unregister_notifier:
	erdev_notifier_exit();
unregister_pernet:
	unregister_pernet_subsys(&erdev_net_ops);
	return err;
}

static void __exit erdev_module_exit(void)
{
	erdev_nl_exit();
	/* Deletes every circuit, in every namespace, with its interfaces. */
	unregister_pernet_subsys(&erdev_net_ops);
	rtnl_link_unregister(&erdev_link_ops);
	erdev_notifier_exit();
}

module_init(erdev_module_init);
module_exit(erdev_module_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(ERDEV_VERSION);
MODULE_DESCRIPTION("Azure ExpressRoute circuit interfaces");
MODULE_ALIAS_GENL_FAMILY(ERDEV_FAMILY_NAME);
MODULE_ALIAS_RTNL_LINK("erdev");
/*
 * erdev's VLAN IDs sit in the NIC's vlan_info (vlan_vid_add()), and it is
 * 8021q's notifier that hands them to the NIC's filter again when the
 * filter is switched back on, as it does for bridge, bond and DSA ports.
 * Pushing them from here as well would give a stacked NIC (a bond
 * refcounts its slaves' IDs) every ID twice. erdev_module_init() asks for
 * 8021q too.
 */
MODULE_SOFTDEP("pre: 8021q");
