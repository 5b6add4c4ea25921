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
#    gets its address as a secondary unicast address).
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
		er circuit add c1 stag 100 primary eth0 secondary eth1 &&
		er peering add c1 private ctag 200 &&
		er peering add c1 microsoft ctag 300 &&
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

ktap_print_header
erdev_require ping
ktap_set_plan 21
modprobe -q dummy 2>/dev/null

if ! erdev_topo; then
	ktap_print_msg "cannot set up the namespaces"
	exit "$KSFT_FAIL"
fi
check_ok "circuits c1 (eth0 MTU 1508), d1 (dot1q, eth2 MTU 1500), q1 (eth3 MTU 1500)" setup

# MTU
check_eq "default MTUs" "c1.p0 1500 c1.p1 1500 d1.p0 1496 q1.p0 1492 " \
	"$(mtus c1.p0 c1.p1 d1.p0 q1.p0)"
check_ok "an MTU above NIC MTU - tags is refused" mtu_refused
check_eq "MTUs unchanged by the refusals" "c1.p0 1500 d1.p0 1496 q1.p0 1492 " \
	"$(mtus c1.p0 d1.p0 q1.p0)"
check_ok "1500-byte packets through c1.p0 (1508-byte frames on eth0)" \
	ip netns exec "$EDGE" ping -q -c 2 -i 0.2 -w 15 -M do -s 1472 10.1.0.2
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

ktap_finished
