#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Network namespaces.
#
#  - circuits live in the namespace that made them: the same name and S-tag
#    in two namespaces, neither sees nor deletes the other's;
#  - an interface moved to another namespace keeps passing traffic, with
#    exact counters and its sysfs; deleting that namespace deletes the
#    interface, and its circuit shows the link as gone;
#  - a NIC moved to another namespace keeps its circuit (as 8021q keeps its
#    VLANs), and refusals there do not name that circuit; deleting that
#    namespace deletes the NIC and the circuit;
#  - deleting a namespace with live circuits (one of them on a NIC that was
#    moved out) deletes them and frees their NICs; the other namespaces'
#    circuits stay; the module then unloads and loads again.
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

# A: c1 (private, microsoft) and c2 on eth0, a veth to MS; c4 on y0, a
# dummy. B: c1 on a dummy eth0, c3 on x0 (veth x0 - x1, both in B).
setup()
{
	ns_quiet "$A" "$B" "$C" "$MS" &&
		veth_pair "$A" eth0 $EDGE_MAC0 "$MS" eth0 $MSEE_MAC0 &&
		ip -n "$A" link add y0 type dummy &&
		ip -n "$B" link add eth0 type dummy &&
		veth_pair "$B" x0 02:ed:00:00:00:20 "$B" x1 02:ed:00:00:00:21 &&
		er_ns "$A" circuit add c1 stag 100 primary eth0 &&
		er_ns "$A" peering add c1 private ctag 200 &&
		er_ns "$A" peering add c1 microsoft ctag 300 &&
		er_ns "$A" circuit add c2 stag 101 primary eth0 &&
		er_ns "$A" peering add c2 private ctag 200 &&
		er_ns "$A" circuit add c4 stag 400 primary y0 &&
		er_ns "$A" peering add c4 private ctag 200 &&
		msee_qinq "$MS" 0x8100 100 200 10.1.0.2 &&
		msee_qinq "$MS" 0x8100 100 300 10.1.2.2 &&
		edge_up_in "$A" c1.m0 10.1.2.1 &&
		ip -n "$A" link set c2.p0 up &&
		ip -n "$A" link set c4.p0 up
}

edge_up_in()
{
	ip -n "$1" link set "$2" up && ip -n "$1" addr add "$3/30" dev "$2"
}

names()
{
	er_ns "$1" -j show | jq -c '[.[].name]'
}

# The moved c1.p0 in C: address, static neighbours both ways.
moved_setup()
{
	edge_up_in "$C" c1.p0 10.1.0.1 &&
		static_neigh "$C" c1.p0 10.1.0.2 $MSEE_MAC0 &&
		static_neigh "$MS" s100.200 10.1.0.1 $EDGE_MAC0
}

sysfs_in()
{
	local ns=$1 dev=$2 a

	shift 2
	for a in "$@"; do
		ip netns exec "$ns" cat "/sys/class/net/$dev/erdev/$a"
	done | paste -sd' '
}

private_links()
{
	er_ns "$A" -j show c1 | jq -c '[.[0].peerings[] | select(.type == "private") | .links[].ifname]'
}

no_private_links()
{
	[ "$(private_links)" = "[]" ]
}

ktap_print_header
erdev_require ping ethtool
ktap_set_plan 26

# A deleted namespace is cleaned up by a workqueue, later: the debug
# kernel under load may take a while.
NS_GONE_MS=20000
is_debug_kernel && NS_GONE_MS=120000

modprobe -q dummy 2>/dev/null
modprobe -q bridge 2>/dev/null
setup_ns A B C D E MS || exit "$KSFT_FAIL"
check_ok "namespaces A and B with their circuits" setup
check_ok "circuit c1 with S-tag 100 in B too" \
	er_ns "$B" circuit add c1 stag 100 primary eth0
check_ok "circuit c3 on x0 in B" er_ns "$B" circuit add c3 stag 300 primary x0

check_eq "A sees its own circuits" '["c1","c2","c4"]' "$(names "$A")"
check_eq "B sees its own circuits" '["c1","c3"]' "$(names "$B")"
check_eq "B's c1 is on B's eth0, without peerings" \
	"$(ip -n "$B" -j link show eth0 | jq '.[0].ifindex') 0" \
	"$(er_ns "$B" -j show c1 | jq -r '.[0] | "\(.primary_ifindex) \(.peerings | length)"')"
STATE_NS=$B check_refused "B cannot see A's c2" "Error: erdev: no circuit c2" \
	er_ns "$B" show c2
STATE_NS=$B check_refused "B cannot delete A's c2" "Error: erdev: no circuit c2" \
	er_ns "$B" circuit del c2
check_eq "A's circuits are all there" '["c1","c2","c4"]' "$(names "$A")"

# An interface in another namespace.
check_ok "c1.p0 moved from A to C" ip -n "$A" link set c1.p0 netns "$C"
check_ok "c1.p0 in C: address and static neighbours" moved_setup
check_ok "ping over c1.p0 from C" erdev_ping "$C" 10.1.0.2
check_eq "c1.p0 in C counted 3 rx and 3 tx" "3 294 3 294" "$(if_stats "$C" c1.p0)"
check_eq "c1.p0's sysfs in C" "c1 private primary 100 200" \
	"$(sysfs_in "$C" c1.p0 circuit peering link stag ctag)"
check_eq "A's c1 still lists c1.p0" '["c1.p0"]' "$(private_links)"
cleanup_ns "$C"
check_ok "C deleted: c1.p0 is gone, c1's private peering has no link" \
	busywait "$NS_GONE_MS" no_private_links
check_ok "c1.m0 in A still works" erdev_ping "$A" 10.1.2.2

# A NIC in another namespace.
ip -n "$B" link set x0 netns "$D"
check_eq "x0 moved from B to D: c3 stays, its NIC has no name in B" \
	'["c3",null]' "$(er_ns "$B" -j show c3 | jq -c '.[0] | [.name, .primary]')"
STATE_NS=$D check_refused "D is not told the name of B's circuit on x0 (S-tag)" \
	"Error: erdev: S-tag 300 is used by a circuit of another namespace on x0" \
	er_ns "$D" circuit add c5 stag 300 primary x0
STATE_NS=$D check_refused "D is not told the name of B's circuit on x0 (encap)" \
	"Error: erdev: x0 carries a circuit of another namespace with encap qinq" \
	er_ns "$D" circuit add c5 encap dot1q primary x0
cleanup_ns "$D"
check_ok "D deleted with x0: circuit c3 is gone from B" \
	busywait "$NS_GONE_MS" eval '! er_ns "$B" show c3 >/dev/null 2>&1'

# Deleting a namespace with live circuits.
ip -n "$A" link set y0 netns "$E"
cleanup_ns "$A"
check_ok "A deleted: MS's end of A's eth0 goes away" \
	busywait "$NS_GONE_MS" eval '! ip -n "$MS" link show eth0 >/dev/null 2>&1'
check_ok "A deleted: y0, moved to E, is free again (it can join a bridge)" \
	busywait "$NS_GONE_MS" eval 'ip -n "$E" link add br0 type bridge 2>/dev/null; ip -n "$E" link set y0 master br0 2>/dev/null'
check_eq "B's circuits are still there" '["c1"]' "$(names "$B")"
check_ok "rmmod erdev with circuits in B, then insmod" erdev_reload
check_eq "B has no circuits after the reload" '[]' "$(names "$B")"

ktap_finished
