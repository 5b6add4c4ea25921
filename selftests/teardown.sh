#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Teardown in every order the kernel can choose, and in one batch.
#
#  - "ip link del group N" with the NIC and c1.p0 in group N: the NIC comes
#    first in the unregister batch and takes the circuit with it before
#    c1.p0's turn. Every interface goes, the other NIC is free again, no
#    kernel report (it was a use-after-free of the port, and a WARN for an
#    upper device left on the NIC);
#  - "ip netns del" after the NIC was moved out of the namespace and back
#    (the NIC is then the last device of the namespace, and the first one
#    the namespace's cleanup removes): the same;
#  - removing a NIC that carries 20 circuits (40 interfaces) is one
#    unregister batch of them, not one per peering: counted with a kprobe
#    on the kernel's unregister_netdevice_many, non-empty lists only (2 by
#    "ip": the veth's own and erdev's);
#  - rmmod with 20 circuits in two namespaces: one batch for all; the
#    module loads again and works.
# timeout: 420

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

N=20

# c1 on eth0 + eth1 with both peerings, eth0 and c1.p0 in group 5.
group_setup()
{
	erdev_c1 &&
		ip -n "$EDGE" link set c1.p0 up &&
		ip -n "$EDGE" link set eth0 group 5 &&
		ip -n "$EDGE" link set c1.p0 group 5
}

# free_nic NS DEV: DEV has no rx_handler left: it can join a bridge.
free_nic()
{
	ip -n "$1" link add br-free type bridge &&
		ip -n "$1" link set "$2" master br-free &&
		ip -n "$1" link del br-free
}

# many NS DEV FIRST: circuits FIRST .. FIRST+N-1 on DEV, both peerings, in
# one ercfg apply.
many()
{
	local ns=$1 dev=$2 first=$3 i

	erdev_tmpdir || return 1
	for ((i = first; i < first + N; i++)); do
		echo "circuit m$i stag $i primary $dev"
		echo "peering m$i private ctag 200"
		echo "peering m$i microsoft ctag 300"
	done >"$ERDEV_TMP/many-$ns.conf"
	er_ns "$ns" apply "$ERDEV_TMP/many-$ns.conf" >/dev/null
}

count_ifaces()
{
	erdev_ifaces "$1" | wc -w
}

ktap_print_header
erdev_require
ktap_set_plan 19
modprobe -q bridge 2>/dev/null

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"

# 1. ip link del group N, the NIC first.
klog_mark
check_ok "c1 on eth0 and eth1, both peerings; eth0 and c1.p0 in group 5" \
	group_setup
check_ok "ip link del group 5" ip -n "$EDGE" link del group 5
check_eq "every interface and the circuit are gone" "'' []" \
	"'$(erdev_ifaces "$EDGE")' $(er -j show | jq -c .)"
check_ok "eth1 has no rx_handler left" free_nic "$EDGE" eth1
check_ok "no kernel report" klog_reports

# 2. ip netns del after the NIC moved out and back.
setup_ns E2 X2 P2 || exit "$KSFT_FAIL"
ns_quiet "$E2" "$X2" "$P2"
klog_mark
check_ok "c2 on eth0 of a second edge, eth0 moved out and back" \
	eval 'veth_pair "$E2" eth0 $EDGE_MAC0 "$P2" eth0 $MSEE_MAC0 &&
		er_ns "$E2" circuit add c2 stag 100 primary eth0 &&
		er_ns "$E2" peering add c2 private ctag 200 &&
		er_ns "$E2" peering add c2 microsoft ctag 300 &&
		ip -n "$E2" link set eth0 netns "$X2" &&
		ip -n "$X2" link set eth0 netns "$E2" &&
		[ "$(erdev_ifaces "$E2")" = "c2.m0 c2.p0" ]'
cleanup_ns "$E2"
check_ok "ip netns del: the namespace's cleanup took eth0 and its peer" \
	slowwait 120 eval '! ip -n "$P2" link show eth0 &>/dev/null'
check_ok "no kernel report" klog_reports

# 3. A NIC with 20 circuits goes in one batch.
setup_ns E3 P3 || exit "$KSFT_FAIL"
ns_quiet "$E3" "$P3"
check_ok "$N circuits with both peerings on eth0 of a third edge" \
	eval 'veth_pair "$E3" eth0 $EDGE_MAC0 "$P3" eth0 $MSEE_MAC0 &&
		many "$E3" eth0 100 &&
		[ "$(count_ifaces "$E3")" = $((2 * N)) ]'
if batches_start; then
	klog_mark
	check_ok "ip link del eth0" ip -n "$E3" link del eth0
	check_eq "2 unregister batches: the veth's and erdev's" 2 \
		"$(batches_count ip)"
	kprobe_stop
else
	check_ok "ip link del eth0" ip -n "$E3" link del eth0
	ktap_test_skip "2 unregister batches: the veth's and erdev's" \
		"no kprobe events"
fi
check_eq "no circuit, no interface left" "0 []" \
	"$(count_ifaces "$E3") $(er_ns "$E3" -j show | jq -c .)"
check_ok "no kernel report" klog_reports

# 4. rmmod with circuits in two namespaces: one batch.
setup_ns E4 E5 || exit "$KSFT_FAIL"
check_ok "$N circuits on a dummy in each of two namespaces" \
	eval 'ip -n "$E4" link add eth0 type dummy &&
		ip -n "$E5" link add eth0 type dummy &&
		many "$E4" eth0 100 && many "$E5" eth0 200'
klog_mark
if batches_start; then
	check_ok "rmmod erdev with $((4 * N)) interfaces" rmmod erdev
	check_eq "1 unregister batch for all of them" 1 \
		"$(batches_count rmmod)"
	kprobe_stop
else
	check_ok "rmmod erdev with $((4 * N)) interfaces" rmmod erdev
	ktap_test_skip "1 unregister batch for all of them" \
		"no kprobe events"
fi
check_eq "no erdev interface left" "0 0" \
	"$(count_ifaces "$E4") $(count_ifaces "$E5")"
check_ok "insmod, and a circuit again" \
	eval 'insmod "$ERDEV_KO" && er_ns "$E4" circuit add c1 stag 5 primary eth0 &&
		er_ns "$E4" peering add c1 private ctag 6 &&
		[ "$(erdev_ifaces "$E4")" = c1.p0 ]'
check_ok "no kernel report" klog_reports

ktap_finished
