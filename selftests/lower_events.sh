#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The interfaces follow their NIC.
#
#  - MTU: min(1500, NIC MTU - 8) for qinq, - 4 for dot1q; more is refused;
#    a 1500-byte packet crosses a 1508-byte NIC; when the NIC's MTU shrinks
#    the interfaces above the new maximum shrink to it, the others keep
#    theirs, and nothing grows back when the NIC's MTU does;
#  - operational state: NIC down, NIC without carrier: lowerlayerdown (ip
#    and ercfg); back up: up;
#  - MAC address: a NIC's new address goes to its interfaces, except to
#    one whose address was set by hand; that one still receives (the NIC
#    gets its address as a secondary unicast address), and that entry of
#    the NIC's unicast filter follows the NIC's changes, never left behind;
#  - offloads: checksum offload and TSO go and come back with the NIC's;
#  - MTU below 68 on the NIC: the interfaces follow it down to 0, and a NIC
#    without room for 68 bytes takes no new interface;
#  - a bond under a circuit fails over: the interface sends a gratuitous
#    ARP (NETDEV_NOTIFY_PEERS is passed on, with BONDING_FAILOVER and
#    RESEND_IGMP);
#  - the bond's VLAN filter is switched off and on: the circuit's S-tag is
#    handed to it again, once (a kprobe on the bond's ndo_vlan_rx_add_vid).
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

# c1: qinq on eth0 (MTU 1508) + eth1, private 200 and microsoft 300.
# d1: dot1q on eth2 (a dummy, MTU 1500), q1: qinq on eth3 (a dummy, MTU 1500).
setup()
{
	ip -n "$EDGE" link add eth2 type dummy &&
		ip -n "$EDGE" link add eth3 type dummy &&
		erdev_c1 &&
		er circuit add d1 encap dot1q primary eth2 &&
		er peering add d1 private ctag 400 &&
		er circuit add q1 stag 5 primary eth3 &&
		er peering add q1 private ctag 5 &&
		msee_qinq "$MSEE0" 0x8100 100 200 10.1.0.2 &&
		msee_qinq "$MSEE0" 0x8100 100 300 10.1.2.2 &&
		edge_up c1.p0 10.1.0.1 && edge_up c1.m0 10.1.2.1
}

# mtus DEV...: "DEV MTU " for each.
mtus()
{
	ip -n "$EDGE" -j link show | jq -j --arg l "$*" '
		. as $all | ($l | split(" "))[] as $n
		| $all[] | select(.ifname == $n) | "\($n) \(.mtu) "'
	echo
}

mtu_refused()
{
	! ip -n "$EDGE" link set c1.p0 mtu 1501 2>/dev/null &&
		! ip -n "$EDGE" link set d1.p0 mtu 1497 2>/dev/null &&
		! ip -n "$EDGE" link set q1.p0 mtu 1493 2>/dev/null
}

# operstates: ip's operstate of c1.p0 and ercfg's.
operstates()
{
	echo "$(ip -n "$EDGE" -j link show c1.p0 | jq -r '.[0].operstate')" \
		"$(er -j show c1 | jq -r '.[0].peerings[0].links[0].operstate')"
}

is_operstate()
{
	[ "$(operstates)" = "$1" ]
}

macs()
{
	ip -n "$EDGE" -j link show | jq -j '
		.[] | select(.ifname == "c1.p0" or .ifname == "c1.m0")
		| "\(.ifname) \(.address) "'
	echo
}

# uc_list DEV: the unicast addresses in DEV's filter, one line.
uc_list()
{
	bridge -n "$EDGE" fdb show dev "$1" |
		awk '$2 == "self" && $3 == "permanent" && $1 !~ /^(33:33|01:)/ { print $1 }' |
		paste -sd' '
}

# offload_states DEV: "tx-checksumming tx-tcp-segmentation". Not
# ethtool's "tcp-segmentation-offload", which sums up every
# tx-tcp*-segmentation: from 6.18 that includes the AccECN one, which the
# core leaves on without checksum offload (on 8021q's devices too).
offload_states()
{
	ethtool_kv "$EDGE" "$1" -k | ethtool_pick tx-checksumming tx-tcp-segmentation
}

mtu_max()
{
	ip -n "$EDGE" -d -j link show "$1" | jq -r '.[0] | "\(.mtu) \(.max_mtu)"'
}

# bond0: active-backup over veths ba (active, the first) and bb (their
# peers in $SW), circuit
# b1 on it with a private peering, b1.p0 up with 10.9.0.1.
bond_setup()
{
	setup_ns SW || return 1
	ip -n "$EDGE" link add bond0 type bond mode active-backup miimon 100 \
		num_grat_arp 1 || return 1
	ip -n "$EDGE" link add ba type veth peer name pa netns "$SW" &&
		ip -n "$EDGE" link add bb type veth peer name pb netns "$SW" &&
		ip -n "$SW" link set pa up && ip -n "$SW" link set pb up &&
		ip -n "$EDGE" link set ba master bond0 &&
		ip -n "$EDGE" link set bb master bond0 &&
		ip -n "$EDGE" link set bond0 up || return 1
	er circuit add b1 stag 110 primary bond0 &&
		er peering add b1 private ctag 210 &&
		edge_up b1.p0 10.9.0.1 &&
		busywait 10000 eval '[ "$(ip -n "$EDGE" -j link show b1.p0 | jq -r ".[0].operstate")" = UP ]'
}

ktap_print_header
erdev_require ping bridge tcpdump
ktap_set_plan 37
modprobe -q dummy 2>/dev/null
modprobe -q bonding 2>/dev/null

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "circuits c1 (eth0 MTU 1508), d1 (dot1q, eth2 MTU 1500), q1 (eth3 MTU 1500)" setup

# MTU
check_eq "default MTUs" "c1.p0 1500 c1.p1 1500 d1.p0 1496 q1.p0 1492 " \
	"$(mtus c1.p0 c1.p1 d1.p0 q1.p0)"
check_ok "an MTU above NIC MTU - tags is refused" mtu_refused
check_eq "MTUs unchanged by the refusals" "c1.p0 1500 d1.p0 1496 q1.p0 1492 " \
	"$(mtus c1.p0 d1.p0 q1.p0)"
check_ok "1500-byte packets through c1.p0 (1508-byte frames on eth0)" \
	in_netns "$EDGE" ping -q -c 2 -i 0.2 -w 15 -M do -s 1472 10.1.0.2
check_ok "c1.m0 MTU 1300" ip -n "$EDGE" link set c1.m0 mtu 1300
check_ok "eth0 MTU 1400" ip -n "$EDGE" link set eth0 mtu 1400
check_eq "c1.p0 shrinks to 1392, c1.m0 keeps 1300, c1.p1 (eth1) keeps 1500" \
	"c1.p0 1392 c1.m0 1300 c1.p1 1500 " "$(mtus c1.p0 c1.m0 c1.p1)"
check_ok "eth0 MTU 1508 again" ip -n "$EDGE" link set eth0 mtu 1508
check_eq "nothing grows back" "c1.p0 1392 c1.m0 1300 " "$(mtus c1.p0 c1.m0)"
check_ok "c1.p0 MTU 1500 again" ip -n "$EDGE" link set c1.p0 mtu 1500

# Operational state
check_ok "c1.p0 is up" busywait 10000 is_operstate "UP up"
ip -n "$EDGE" link set eth0 down
check_ok "eth0 down: c1.p0 lowerlayerdown" \
	busywait 10000 is_operstate "LOWERLAYERDOWN lowerlayerdown"
ip -n "$EDGE" link set eth0 up
check_ok "eth0 up: c1.p0 up" busywait 10000 is_operstate "UP up"
ip -n "$MSEE0" link set eth0 down
check_ok "no carrier on eth0: c1.p0 lowerlayerdown" \
	busywait 10000 is_operstate "LOWERLAYERDOWN lowerlayerdown"
ip -n "$MSEE0" link set eth0 up
check_ok "carrier back: c1.p0 up" busywait 10000 is_operstate "UP up"
check_ok "ping over c1.p0 after all that" erdev_ping "$EDGE" 10.1.0.2

# MAC address
check_ok "c1.m0 address set by hand" \
	ip -n "$EDGE" link set c1.m0 address 02:00:00:00:00:aa
check_ok "eth0 gets a new address" \
	ip -n "$EDGE" link set eth0 address 02:ed:00:00:00:99
check_eq "c1.p0 follows eth0, c1.m0 keeps its own" \
	"c1.p0 02:ed:00:00:00:99 c1.m0 02:00:00:00:00:aa " "$(macs)"
ip -n "$EDGE" neigh flush dev c1.m0
ip -n "$MSEE0" neigh flush dev s100.300
check_ok "ping over c1.m0 with its own address" erdev_ping "$EDGE" 10.1.2.2

# The unicast filter when the NIC's address changes under an interface
# with an address of its own (c1.m0, 02:00:00:00:00:aa), as 8021q's
# vlan_sync_address(): no entry while the NIC has that very address, and
# none left behind when c1.m0 goes down.
check_eq "eth0's unicast filter holds c1.m0's address" "02:00:00:00:00:aa" \
	"$(uc_list eth0)"
ip -n "$EDGE" link set eth0 address 02:00:00:00:00:aa
check_eq "eth0 takes c1.m0's address: the filter entry goes" "" "$(uc_list eth0)"
ip -n "$EDGE" link set c1.m0 down
check_eq "c1.m0 down: nothing left in eth0's filter" "" "$(uc_list eth0)"
ip -n "$EDGE" link set c1.m0 up
ip -n "$EDGE" link set eth0 address "$EDGE_MAC0"
check_eq "eth0 back to its own address: the entry is back" "02:00:00:00:00:aa" \
	"$(uc_list eth0)"
ip -n "$EDGE" link set c1.m0 down
check_eq "c1.m0 down again: the entry goes" "" "$(uc_list eth0)"

# Offloads follow the NIC both ways.
in_netns "$EDGE" ethtool -K eth0 tx off >/dev/null
check_eq "eth0 tx off: c1.p0 has no checksum offload and no TSO" "off off" \
	"$(offload_states c1.p0)"
in_netns "$EDGE" ethtool -K eth0 tx on >/dev/null
check_eq "eth0 tx on: both are back on c1.p0" "on on" "$(offload_states c1.p0)"

# MTU below what IPv4 needs: the interfaces follow the NIC down (to 0, as
# 8021q's do), max_mtu never below mtu; a NIC without room for 68 bytes
# takes no new interface.
ip -n "$EDGE" link set eth3 mtu 70
check_eq "eth3 MTU 70: q1.p0 MTU 62, maxmtu 62" "62 62" "$(mtu_max q1.p0)"
ip -n "$EDGE" link set eth3 mtu 4
check_eq "eth3 MTU 4: q1.p0 MTU 0, maxmtu 0" "0 0" "$(mtu_max q1.p0)"
ip -n "$EDGE" link set eth3 mtu 1500
check_ok "q1.p0 MTU 1492 again once eth3 has room" \
	ip -n "$EDGE" link set q1.p0 mtu 1492
ip -n "$EDGE" link add eth4 type dummy
ip -n "$EDGE" link set eth4 mtu 4
er circuit add z1 stag 9 primary eth4 >/dev/null
check_refused "a peering on a NIC with MTU 4" \
	"Error: erdev: MTU of eth4 is too small" \
	er peering add z1 private ctag 9

# A bond's failover under a circuit: the interface is told too
# (NETDEV_NOTIFY_PEERS: a gratuitous ARP out of c1.p0's bond twin).
check_ok "circuit b1 on bond0 (active-backup over ba, bb), b1.p0 10.9.0.1" \
	bond_setup
check_ok "capture on bond0" cap_start "$EDGE" bond0 bond
ip -n "$EDGE" link set bond0 type bond active_slave bb
check_ok "failover to bb: b1.p0 sends a gratuitous ARP" \
	cap_wait bond 1 'vlan 110.*vlan 210.*ARP.*who-has 10\.9\.0\.1 .*tell 10\.9\.0\.1'
cap_stop bond

# The bond's VLAN filter switched off and on again (a bond passes its VLAN
# IDs on to its slaves' filters, refcounted): b1's S-tag is handed back to
# bond0 exactly once (by 8021q's notifier; twice would leak the slaves'
# entries, kmemleak says so on the debug kernel).
check_ok "bond0 rx-vlan-filter off" \
	in_netns "$EDGE" ethtool -K bond0 rx-vlan-filter off
if kprobe_start bond_vlan_rx_add_vid "vid=%dx:u16"; then
	in_netns "$EDGE" ethtool -K bond0 rx-vlan-filter on
	check_eq "bond0 rx-vlan-filter on: S-tag 110 is pushed to bond0 once" 1 \
		"$(kprobe_lines ethtool | grep -c 'vid=110$')"
	kprobe_stop
else
	in_netns "$EDGE" ethtool -K bond0 rx-vlan-filter on
	ktap_test_skip "bond0 rx-vlan-filter on: S-tag 110 is pushed to bond0 once" \
		"no kprobe events"
fi

ktap_finished
