#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every rule of the model, refused with its exact message, and the kernel's
# state (ercfg -j show and ip -o link of the namespace) unchanged after
# each refusal: nothing half created, no stray interface, no port left on a
# NIC. ercfg's own checks (IDs 0 and 4095, names, missing NIC) and the
# kernel's (through raw generic netlink requests that bypass ercfg) both.
# Each refused circuit or peering add is tried through "ercfg apply -" too,
# as the one new line of a FILE that is otherwise what the kernel has:
# refused with the same message (or apply's own check across FILE's lines,
# which comes first), the same status, nothing changed. Not on the debug
# kernel (skipped there): what apply adds is ercfg's own reporting, and
# the kernel's refusal under it is the command line's, just checked.
#
# NICs are dummy devices in one namespace:
#   eth0, eth1  circuit c1: qinq, TPID 0x8100, S-tag 100, private C-tag 200
#   eth2        dot1q circuits d1 (private VLAN 200) and d2 (no peering)
#   eth3        bridge port, eth4 bond slave, eth5 macvlan lower
#   eth6..eth8  free
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

setup()
{
	ip -n "$EDGE" -batch - <<-EOF || return 1
		link add eth0 type dummy
		link add eth1 type dummy
		link add eth2 type dummy
		link add eth3 type dummy
		link add eth4 type dummy
		link add eth5 type dummy
		link add eth6 type dummy
		link add eth7 type dummy
		link add eth8 type dummy
		link add br0 type bridge
		link set eth3 master br0
		link add bond0 type bond mode active-backup
		link set eth4 master bond0
		link add mv0 link eth5 type macvlan
	EOF
	er circuit add c1 stag 100 primary eth0 secondary eth1 &&
		er peering add c1 private ctag 200 &&
		er circuit add d1 encap dot1q primary eth2 &&
		er peering add d1 private ctag 200 &&
		er circuit add d2 encap dot1q primary eth2
}

# The limits themselves are good: S-tag and C-tag 1 and 4094, a 12
# character name.
boundaries()
{
	er circuit add abcdefghijkl stag 4094 primary eth6 &&
		er peering add abcdefghijkl private ctag 1 &&
		er peering add abcdefghijkl microsoft ctag 4094 &&
		er circuit add Z-_9 stag 1 primary eth7 &&
		[ "$(erdev_ifaces "$EDGE")" = "abcdefghijkl.m0 abcdefghijkl.p0 c1.p0 c1.p1 d1.p0" ] &&
		er circuit del abcdefghijkl && er circuit del Z-_9
}

# raw_batch: requests through erdev_tool (not ercfg), one answer per line,
# on stderr like ercfg's errors.
raw_batch()
{
	erdev_tool "$EDGE" genl - >&2
}

# no_port_on DEV: DEV has no rx_handler left: it can join a bridge.
no_port_on()
{
	ip -n "$EDGE" link set "$1" master br0 && ip -n "$EDGE" link set "$1" nomaster
}

# apply_refused DESC EXPECTED LINE: LINE as the last line of apply's FILE,
# after the kernel's circuits as ercfg dump writes them, so that LINE is
# the one change: "ercfg apply -" refuses it (check_refused: EXPECTED,
# status 1 or $REFUSED_RC, nothing changed). @N in EXPECTED: LINE's number.
apply_refused()
{
	local desc=$1 want=$2 n

	if is_debug_kernel; then
		ktap_test_skip "$desc" "apply's reporting: the stock kernels"
		return 0
	fi
	erdev_tmpdir || return 1
	{ er dump && printf '%s\n' "$3"; } >"$ERDEV_TMP/apply.conf"
	n=$(wc -l <"$ERDEV_TMP/apply.conf")
	check_refused "$desc" "${want//@N/$n}" apply_conf
}

apply_conf()
{
	er apply - <"$ERDEV_TMP/apply.conf"
}

# refused DESC EXPECTED er circuit|peering add ARGS...: check_refused, then
# the same words as FILE's line through apply_refused, refused as apply
# says it: ercfg's own check (REFUSED_RC=2) at "<stdin>:N: ", the kernel's
# message followed by apply's report of the refused line.
refused()
{
	local desc=$1 want=$2 object=$4

	shift 2
	check_refused "$desc" "$want" "$@"
	shift 3
	if [ "${REFUSED_RC:-1}" = 2 ]; then
		want="ercfg: <stdin>:@N: ${want#ercfg: }"
	else
		want="$want
ercfg: <stdin>:@N: the kernel refused \"$object add $*\"; nothing changed"
	fi
	apply_refused "$desc (apply)" "$want" "$object $*"
}

ctag_again()
{
	er circuit add c2 stag 101 primary eth0 &&
		er peering add c2 private ctag 200
}

name_again()
{
	er circuit del c9 && er circuit add c9 stag 9 primary eth7
}

ktap_print_header
erdev_require
ktap_set_plan 105

modprobe -q dummy 2>/dev/null
modprobe -q bridge 2>/dev/null
modprobe -q bonding 2>/dev/null
modprobe -q macvlan 2>/dev/null
modprobe -q ipip 2>/dev/null
modprobe -q vrf 2>/dev/null

setup_ns EDGE || exit "$KSFT_FAIL"
check_ok "NICs, bridge, bond, macvlan, circuits c1 d1 d2" setup

# Model rules, refused by the kernel; ercfg prints its message.
check_refused "duplicate circuit name" \
	"Error: erdev: circuit c1 already exists" \
	er circuit add c1 stag 101 primary eth6
REFUSED_RC=2 apply_refused "duplicate circuit name (apply)" \
	'ercfg: <stdin>:@N: circuit "c1" is already on line 1' \
	"circuit c1 stag 101 primary eth6"
check_refused "S-tag already used on the primary NIC" \
	"Error: erdev: S-tag 100 is used by circuit c1 on eth0" \
	er circuit add c2 stag 100 primary eth0
REFUSED_RC=2 apply_refused "S-tag already used on the primary NIC (apply)" \
	'ercfg: <stdin>:@N: S-tag 100 on eth0 is taken by circuit "c1" (line 1)' \
	"circuit c2 stag 100 primary eth0"
check_refused "S-tag already used on the secondary NIC" \
	"Error: erdev: S-tag 100 is used by circuit c1 on eth1" \
	er circuit add c2 stag 100 primary eth6 secondary eth1
REFUSED_RC=2 apply_refused "S-tag already used on the secondary NIC (apply)" \
	'ercfg: <stdin>:@N: S-tag 100 on eth1 is taken by circuit "c1" (line 1)' \
	"circuit c2 stag 100 primary eth6 secondary eth1"
check_refused "dot1q circuit on a qinq NIC" \
	"Error: erdev: eth0 carries circuit c1 with encap qinq" \
	er circuit add c2 encap dot1q primary eth0
REFUSED_RC=2 apply_refused "dot1q circuit on a qinq NIC (apply)" \
	'ercfg: <stdin>:@N: eth0 carries circuit "c1" (line 1) with encap qinq tpid 0x8100' \
	"circuit c2 encap dot1q primary eth0"
check_refused "qinq circuit on a dot1q NIC (secondary)" \
	"Error: erdev: eth2 carries circuit d1 with encap dot1q" \
	er circuit add c2 stag 5 primary eth6 secondary eth2
REFUSED_RC=2 apply_refused "qinq circuit on a dot1q NIC (secondary) (apply)" \
	'ercfg: <stdin>:@N: eth2 carries circuit "d1" (line 4) with encap dot1q tpid 0x8100' \
	"circuit c2 stag 5 primary eth6 secondary eth2"
check_refused "TPID 0x88a8 on a NIC with 0x8100 circuits" \
	"Error: erdev: eth0 carries circuit c1 with TPID 0x8100" \
	er circuit add c2 tpid 0x88a8 stag 101 primary eth0
REFUSED_RC=2 apply_refused "TPID 0x88a8 on a NIC with 0x8100 circuits (apply)" \
	'ercfg: <stdin>:@N: eth0 carries circuit "c1" (line 1) with encap qinq tpid 0x8100' \
	"circuit c2 tpid 0x88a8 stag 101 primary eth0"
check_refused "TPID 0x88a8 on a NIC with 0x8100 circuits (secondary)" \
	"Error: erdev: eth1 carries circuit c1 with TPID 0x8100" \
	er circuit add c2 tpid 0x88a8 stag 101 primary eth6 secondary eth1
REFUSED_RC=2 apply_refused "TPID 0x88a8 on a NIC with 0x8100 circuits (secondary) (apply)" \
	'ercfg: <stdin>:@N: eth1 carries circuit "c1" (line 1) with encap qinq tpid 0x8100' \
	"circuit c2 tpid 0x88a8 stag 101 primary eth6 secondary eth1"
check_refused "TPID 0x88a8 on a NIC with 0x8100 dot1q circuits" \
	"Error: erdev: eth2 carries circuit d1 with TPID 0x8100" \
	er circuit add d3 encap dot1q tpid 0x88A8 primary eth2
REFUSED_RC=2 apply_refused "TPID 0x88a8 on a NIC with 0x8100 dot1q circuits (apply)" \
	'ercfg: <stdin>:@N: eth2 carries circuit "d1" (line 4) with encap dot1q tpid 0x8100' \
	"circuit d3 encap dot1q tpid 0x88A8 primary eth2"
check_refused "qinq C-tag already used by the circuit's other peering" \
	"Error: erdev: C-tag 200 is used by the private peering of c1" \
	er peering add c1 microsoft ctag 200
REFUSED_RC=2 apply_refused "qinq C-tag already used by the circuit's other peering (apply)" \
	'ercfg: <stdin>:@N: C-tag 200 is taken by peering "c1 private" (line 2)' \
	"peering c1 microsoft ctag 200"
check_refused "a second private peering" \
	"Error: erdev: circuit c1 already has a private peering" \
	er peering add c1 private ctag 201
REFUSED_RC=2 apply_refused "a second private peering (apply)" \
	'ercfg: <stdin>:@N: peering "c1 private" is already on line 2' \
	"peering c1 private ctag 201"
check_refused "dot1q VLAN already used by another circuit on the NIC" \
	"Error: erdev: VLAN 200 is used by circuit d1 on eth2" \
	er peering add d2 private ctag 200
REFUSED_RC=2 apply_refused "dot1q VLAN already used by another circuit on the NIC (apply)" \
	'ercfg: <stdin>:@N: C-tag 200 is taken by peering "d1 private" (line 5)' \
	"peering d2 private ctag 200"
check_refused "dot1q VLAN already used by the circuit's other peering" \
	"Error: erdev: VLAN 200 is used by circuit d1 on eth2" \
	er peering add d1 microsoft ctag 200
REFUSED_RC=2 apply_refused "dot1q VLAN already used by the circuit's other peering (apply)" \
	'ercfg: <stdin>:@N: C-tag 200 is taken by peering "d1 private" (line 5)' \
	"peering d1 microsoft ctag 200"
check_refused "circuit del of a missing circuit" \
	"Error: erdev: no circuit nope" er circuit del nope
check_refused "circuit set of a missing circuit" \
	"Error: erdev: no circuit nope" er circuit set nope sku premium
check_refused "peering add to a missing circuit" \
	"Error: erdev: no circuit nope" er peering add nope private ctag 5
REFUSED_RC=2 apply_refused "peering add to a missing circuit (apply)" \
	'ercfg: <stdin>:@N: no circuit "nope" in <stdin>' \
	"peering nope private ctag 5"
check_refused "peering del of a missing circuit" \
	"Error: erdev: no circuit nope" er peering del nope private
check_refused "show of a missing circuit" \
	"Error: erdev: no circuit nope" er show nope
check_refused "stats of a missing circuit" \
	"Error: erdev: no circuit nope" er stats nope
check_refused "peering del of a missing peering" \
	"Error: erdev: circuit c1 has no microsoft peering" \
	er peering del c1 microsoft
# A link subnet is one peering's only: 203.0.113.0/29 is c1's two /30s.
check_ok "c1's microsoft peering on 203.0.113.0/29 and 2001:db8:300::/125" \
	er peering add c1 microsoft ctag 300 ipv4 203.0.113.0/29 ipv6 2001:db8:300::/125
state_forget
check_refused "an IPv4 link subnet of another peering (its primary link's)" \
	"Error: erdev: ipv4-secondary 203.0.113.0/30 is used by the microsoft peering of c1" \
	er peering add d1 microsoft ctag 301 ipv4 203.0.113.8/30,203.0.113.0/30
REFUSED_RC=2 apply_refused "an IPv4 link subnet of another peering (its primary link's) (apply)" \
	'ercfg: <stdin>:@N: IPv4 subnet 203.0.113.0/30 is taken by peering "c1 microsoft" (line 3)' \
	"peering d1 microsoft ctag 301 ipv4 203.0.113.8/30,203.0.113.0/30"
check_refused "an IPv6 link subnet of another peering (its secondary link's)" \
	"Error: erdev: ipv6-primary 2001:db8:300::4/126 is used by the microsoft peering of c1" \
	er peering add d1 microsoft ctag 301 ipv6 2001:db8:300::4/126,2001:db8:400::/126
REFUSED_RC=2 apply_refused "an IPv6 link subnet of another peering (its secondary link's) (apply)" \
	'ercfg: <stdin>:@N: IPv6 subnet 2001:db8:300::4/126 is taken by peering "c1 microsoft" (line 3)' \
	"peering d1 microsoft ctag 301 ipv6 2001:db8:300::4/126,2001:db8:400::/126"
check_ok "c1's microsoft peering deleted" er peering del c1 microsoft
state_forget
refused "a bridge port as NIC" \
	"Error: erdev: eth3 is busy: bridge port, bond slave or other rx_handler" \
	er circuit add c2 stag 5 primary eth3
refused "a bond slave as NIC" \
	"Error: erdev: eth4 is busy: bridge port, bond slave or other rx_handler" \
	er circuit add c2 stag 5 primary eth4
refused "a macvlan lower device as NIC" \
	"Error: erdev: eth5 is busy: bridge port, bond slave or other rx_handler" \
	er circuit add c2 stag 5 primary eth5
refused "a busy secondary NIC" \
	"Error: erdev: eth3 is busy: bridge port, bond slave or other rx_handler" \
	er circuit add c2 stag 5 primary eth6 secondary eth3
check_ok "the refused circuit left no port on its primary NIC" no_port_on eth6
state_forget
check_fail "a NIC with circuits cannot become a bridge port" \
	ip -n "$EDGE" link set eth0 master br0
refused "loopback as NIC" \
	"Error: erdev: lo is not an Ethernet device" \
	er circuit add c2 stag 5 primary lo
state_forget
if ip -n "$EDGE" link add ipip0 type ipip local 10.0.0.1 remote 10.0.0.2 2>/dev/null; then
	refused "an IPIP tunnel as NIC" \
		"Error: erdev: ipip0 is not an Ethernet device" \
		er circuit add c2 stag 5 primary ipip0
else
	ktap_test_skip "an IPIP tunnel as NIC (no ipip module)"
	ktap_test_skip "an IPIP tunnel as NIC (apply)" "no ipip module"
fi
refused "an erdev interface as NIC" \
	"Error: erdev: c1.p0 is an erdev interface" \
	er circuit add c2 stag 5 primary c1.p0
check_refused "the same NIC as primary and secondary" \
	"Error: erdev: primary and secondary are the same device" \
	er circuit add c2 stag 5 primary eth6 secondary eth6
REFUSED_RC=2 apply_refused "the same NIC as primary and secondary (apply)" \
	'ercfg: <stdin>:@N: primary and secondary are the same device "eth6"' \
	"circuit c2 stag 5 primary eth6 secondary eth6"
ip -n "$EDGE" link add c9.p1 type dummy
check_ok "circuit c9 on eth7 and eth8, next to a device named c9.p1" \
	er circuit add c9 stag 9 primary eth7 secondary eth8
state_forget
refused "a peering whose interface name is taken (no c9.p0 left behind)" \
	"Error: erdev: interface c9.p1 already exists" \
	er peering add c9 private ctag 5
REFUSED_RC=2 check_refused "ip link add type erdev" \
	'Error: erdev: erdev interfaces are created with "ercfg peering add".' \
	ip -n "$EDGE" link add foo link eth6 type erdev

# ercfg's own checks: the kernel is never asked (status 2, ercfg(8)).
REFUSED_RC=2
refused "missing primary NIC" 'ercfg: cannot find device "nosuch"' \
	er circuit add c2 stag 5 primary nosuch
refused "missing secondary NIC" 'ercfg: cannot find device "nosuch"' \
	er circuit add c2 stag 5 primary eth6 secondary nosuch
refused "S-tag 0" 'ercfg: invalid S-tag "0" (1..4094)' \
	er circuit add c2 stag 0 primary eth6
refused "S-tag 4095" 'ercfg: invalid S-tag "4095" (1..4094)' \
	er circuit add c2 stag 4095 primary eth6
refused "C-tag 0" 'ercfg: invalid C-tag "0" (1..4094)' \
	er peering add c1 microsoft ctag 0
refused "C-tag 4095" 'ercfg: invalid C-tag "4095" (1..4094)' \
	er peering add c1 microsoft ctag 4095
refused "qinq without S-tag" 'ercfg: "stag" is required for qinq' \
	er circuit add c2 primary eth6
refused "dot1q with an S-tag" 'ercfg: dot1q takes no "stag"' \
	er circuit add c2 encap dot1q stag 5 primary eth6
refused "a name starting with a digit" 'ercfg: invalid circuit name "1c"' \
	er circuit add 1c stag 5 primary eth6
refused "a 13-character name" 'ercfg: invalid circuit name "abcdefghijklm"' \
	er circuit add abcdefghijklm stag 5 primary eth6
refused "a name with a dot" 'ercfg: invalid circuit name "c.1"' \
	er circuit add c.1 stag 5 primary eth6
refused "TPID 0x9100" 'ercfg: invalid TPID "0x9100" (0x8100|0x88a8)' \
	er circuit add c2 tpid 0x9100 stag 5 primary eth6
REFUSED_RC=
check_ok "S-tag and C-tag 1 and 4094, 12-character name: accepted" boundaries
state_forget

# The kernel's own checks, without ercfg in front.
check_refused "kernel policy: IDs 0 and 4095, a 13-character name" \
	"$(printf 'Error: %s\n' "integer out of range" "integer out of range" \
		"integer out of range" "integer out of range" \
		"Attribute failed policy validation")" \
	raw_batch <<EOF
circuit-new name=k1 stag=0 primary=eth6
circuit-new name=k1 stag=4095 primary=eth6
peering-new circuit=c1 type=microsoft ctag=0
peering-new circuit=c1 type=microsoft ctag=4095
circuit-new name=abcdefghijklm stag=5 primary=eth6
EOF
check_refused "kernel rules of circuit-new" \
	"$(printf 'Error: erdev: %s\n' "missing S-tag, required for qinq" \
		"dot1q circuit takes no S-tag" \
		"circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter" \
		"circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter" \
		"TPID must be 0x8100 or 0x88a8" \
		"no device with ifindex 9999" \
		"circuit c1 already exists" \
		"S-tag 100 is used by circuit c1 on eth0")" \
	raw_batch <<EOF
circuit-new name=k1 primary=eth6
circuit-new name=k1 encap=dot1q stag=5 primary=eth6
circuit-new name=1k stag=5 primary=eth6
circuit-new name=k.1 stag=5 primary=eth6
circuit-new name=k1 stag=5 tpid=0x1234 primary=eth6
circuit-new name=k1 stag=5 primary=9999
circuit-new name=c1 stag=5 primary=eth6
circuit-new name=k1 stag=100 primary=eth0
EOF
check_refused "kernel: what circuit-set cannot change" \
	"$(printf 'Error: erdev: %s cannot be changed: delete and re-create the circuit\n' \
		encap tpid stag primary secondary service-key)" \
	raw_batch <<EOF
circuit-set name=c1 encap=dot1q
circuit-set name=c1 tpid=0x88a8
circuit-set name=c1 stag=101
circuit-set name=c1 primary=eth6
circuit-set name=c1 secondary=eth7
circuit-set name=c1 service-key=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
EOF
check_refused "kernel: circuit-set with a bandwidth and a fixed attribute changes nothing" \
	"Error: erdev: stag cannot be changed: delete and re-create the circuit" \
	raw_batch <<EOF
circuit-set name=c1 bandwidth=5000 stag=101
EOF

# Names with bytes that the kernel's Latin-1 isalpha() took.
check_refused "kernel: names with bytes 0xC0-0xFF" \
	"$(printf 'Error: erdev: %s\n' \
		"circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter" \
		"circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter" \
		"circuit name: 1 to 12 of [A-Za-z0-9_-], starting with a letter")" \
	raw_batch <<'EOF'
circuit-new name=k\xe9 stag=5 primary=eth6
circuit-new name=\xc0k stag=5 primary=eth6
circuit-new name=\xff stag=5 primary=eth6
EOF

# 8021q devices: vlan_do_receive() runs before erdev's rx_handler, so an
# 8021q device on a circuit's VLAN ID would take its frames. Both orders
# are refused; the other TPID, or another VLAN ID, is fine.
ip -n "$EDGE" link add link eth6 name eth6.7 type vlan id 7
ip -n "$EDGE" link add link eth2 name eth2.201 type vlan id 201
state_forget
refused "a circuit on the S-tag of an 8021q device" \
	"Error: erdev: VLAN 7 (TPID 0x8100) on eth6 is taken by 8021q device eth6.7" \
	er circuit add c3 stag 7 primary eth6
refused "a dot1q peering on the VLAN of an 8021q device" \
	"Error: erdev: VLAN 201 (TPID 0x8100) on eth2 is taken by 8021q device eth2.201" \
	er peering add d2 private ctag 201
REFUSED_RC=2 check_refused "an 8021q device on a circuit's S-tag" \
	"Error: erdev: VLAN 100 (TPID 0x8100) on eth0 is used by an ExpressRoute circuit." \
	ip -n "$EDGE" link add link eth0 name eth0.100 type vlan id 100
REFUSED_RC=2 check_refused "an 8021q device on a dot1q peering's VLAN" \
	"Error: erdev: VLAN 200 (TPID 0x8100) on eth2 is used by an ExpressRoute circuit." \
	ip -n "$EDGE" link add link eth2 name eth2.200 type vlan id 200
check_ok "802.1ad VLAN 100 and 802.1Q VLAN 200 (a C-tag) on eth0 are fine" \
	eval 'ip -n "$EDGE" link add link eth0 name eth0.s100 type vlan proto 802.1ad id 100 &&
		ip -n "$EDGE" link add link eth0 name eth0.200 type vlan id 200 &&
		ip -n "$EDGE" link del eth0.s100 && ip -n "$EDGE" link del eth0.200'
ip -n "$EDGE" link del eth6.7
ip -n "$EDGE" link del eth2.201
state_forget
if ip -n "$EDGE" link add vrf0 type vrf table 10 2>/dev/null; then
	state_forget
	refused "a VLAN-challenged NIC (a VRF device)" \
		"Error: erdev: vrf0 cannot carry VLANs" \
		er circuit add c3 stag 7 primary vrf0
	ip -n "$EDGE" link del vrf0
else
	ktap_test_skip "a VLAN-challenged NIC (a VRF device)" "no vrf module"
	ktap_test_skip "a VLAN-challenged NIC (a VRF device) (apply)" "no vrf module"
fi
state_forget

# ifindex 0 for a NIC: the module before the review made a circuit without
# a primary link and oopsed on the next dump, with RTNL held. Last, so that
# the checks above still run on such a module.
check_refused "kernel: ifindex 0 for a NIC" \
	"$(printf 'Error: %s\n' "integer out of range" "integer out of range" \
		"integer out of range")" \
	raw_batch <<EOF
circuit-new name=k1 stag=5 primary=0 secondary=eth6
circuit-new name=k1 stag=5 primary=0
circuit-new name=k1 stag=5 primary=eth6 secondary=0
EOF

# What can change does.
check_ok "circuit set c1 bandwidth 2gbit sku premium billing unlimited" \
	er circuit set c1 bandwidth 2gbit sku premium billing unlimited
check_eq "c1 shows the new bandwidth, sku and billing" \
	'[2000,"premium","unlimited"]' \
	"$(er -j show c1 | jq -c '.[0] | [.bandwidth_mbps, .sku, .billing]')"
check_ok "C-tag 200 again on another qinq circuit" ctag_again
check_ok "the deleted circuit's name can be used again" name_again

ktap_finished
