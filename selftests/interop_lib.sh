# SPDX-License-Identifier: GPL-2.0
# Interop with the kernel's own 8021q devices, shared by interop_*.sh:
#
#   interop_main ENCAP OFFLOADS
#
# ENCAP is qinq or dot1q, OFFLOADS on or off: the VLAN offloads of every
# veth end (off forces the in-band tagging paths on both sides). For each
# TPID (0x8100, 0x88a8) on the same NICs:
#
#   circuit 1 on eth0 (primary) and eth1 (secondary), private and
#   microsoft peering: four interfaces, c1.p0 c1.p1 c1.m0 c1.m1;
#   circuit 2 on eth0 only, private peering: c2.p0. In qinq it has its own
#   S-tag and the same C-tag as c1's private peering, in dot1q a VLAN of
#   its own.
#
# The MSEE side of each link is a namespace whose eth0 carries 8021q
# devices. Each of the five interfaces pings its MSEE, and a capture on the
# MSEE's eth0 must show each echo request with exactly the outer TPID and
# tag, then (qinq) 0x8100 and the C-tag; every frame the edge sent must be
# tagged so. The circuits are then deleted, leaving no erdev interface.

# S-tags and C-tags (qinq) or VLANs (dot1q) of the five interfaces:
# interface circuit peering role outer inner
INTEROP_QINQ="c1.p0 1 p 0 100 200
c1.p1 1 p 1 100 200
c1.m0 1 m 0 100 300
c1.m1 1 m 1 100 300
c2.p0 2 p 0 101 200"
INTEROP_DOT1Q="d1.p0 1 p 0 200 -
d1.p1 1 p 1 200 -
d1.m0 1 m 0 300 -
d1.m1 1 m 1 300 -
d2.p0 2 p 0 201 -"

interop_table()
{
	if [ "$1" = qinq ]; then echo "$INTEROP_QINQ"; else echo "$INTEROP_DOT1Q"; fi
}

# interop_setup ENCAP TPID: the circuits, their peerings, the MSEE ends.
interop_setup()
{
	local encap=$1 tpid=$2 ifc c p role outer inner m0= m1= e=

	if [ "$encap" = qinq ]; then
		erdev_c1 tpid "$tpid" primary eth0 secondary eth1 \
			bandwidth 1gbit &&
			er circuit add c2 tpid "$tpid" stag 101 primary eth0 &&
			er peering add c2 private ctag 200 || return 1
	else
		er circuit add d1 encap dot1q tpid "$tpid" primary eth0 \
			secondary eth1 &&
			er peering add d1 private ctag 200 &&
			er peering add d1 microsoft ctag 300 &&
			er circuit add d2 encap dot1q tpid "$tpid" primary eth0 &&
			er peering add d2 private ctag 201 || return 1
	fi
	while read -r -u 3 ifc c p role outer inner; do
		if [ "$role" = 0 ]; then
			m0+="$tpid $outer $inner $(peer_addr "$c" "$p" "$role" 2)"$'\n'
		else
			m1+="$tpid $outer $inner $(peer_addr "$c" "$p" "$role" 2)"$'\n'
		fi
		e+="$ifc $(peer_addr "$c" "$p" "$role" 1)"$'\n'
	done 3<<<"$(interop_table "$encap")"
	msee_vlans "$MSEE0" <<<"$m0" && msee_vlans "$MSEE1" <<<"$m1" &&
		edge_ups <<<"$e"
}

interop_teardown()
{
	local c

	for c in $(er -j show | jq -r '.[].name'); do
		er circuit del "$c" || return 1
	done
	msee_del "$MSEE0" && msee_del "$MSEE1" &&
		[ -z "$(erdev_ifaces "$EDGE")" ] && [ "$(er -j show)" = "[]" ]
}

# interop_tpid ENCAP TPID: 14 results.
interop_tpid()
{
	local encap=$1 tpid=$2 ifc c p role outer inner re edge_mac msee_mac
	local outer_re len cap n

	case $tpid in
	0x8100) outer_re='802\.1Q \(0x8100\)' ;;
	0x88a8) outer_re='802\.1Q-QinQ \(0x88a8\)' ;;
	esac

	check_ok "$encap $tpid: circuits, peerings and MSEE VLANs set up" \
		interop_setup "$encap" "$tpid"

	cap_start "$MSEE0" eth0 msee0
	cap_start "$MSEE1" eth0 msee1

	while read -r -u 3 ifc c p role outer inner; do
		check_ok "$encap $tpid: ping over $ifc" \
			erdev_ping "$EDGE" "$(peer_addr "$c" "$p" "$role" 2)"
	done 3<<<"$(interop_table "$encap")"

	# Three interfaces on the primary link, two on the secondary.
	cap_wait msee0 $((3 * PING_COUNT)) "ICMP echo request"
	cap_wait msee1 $((2 * PING_COUNT)) "ICMP echo request"
	cap_stop msee0
	cap_stop msee1

	while read -r -u 3 ifc c p role outer inner; do
		if [ "$role" = 0 ]; then
			edge_mac=$EDGE_MAC0 msee_mac=$MSEE_MAC0 cap=msee0
		else
			edge_mac=$EDGE_MAC1 msee_mac=$MSEE_MAC1 cap=msee1
		fi
		# An ICMP echo with 56 data bytes is a 98-byte frame, plus tags.
		if [ "$encap" = qinq ]; then
			len=106
			re="vlan $outer, p 0, ethertype 802\.1Q \(0x8100\), vlan $inner, p 0, "
		else
			len=102
			re="vlan $outer, p 0, "
		fi
		re="^$edge_mac > $msee_mac, ethertype $outer_re, length $len: ${re}ethertype IPv4 \(0x0800\), $(peer_addr "$c" "$p" "$role" 1) > $(peer_addr "$c" "$p" "$role" 2): ICMP echo request"
		n=$(cap_count "$cap" "$re")
		check_eq "$encap $tpid: $ifc echo requests on the wire with their exact tags" \
			"$PING_COUNT" "$n"
		[ "$n" = "$PING_COUNT" ] || ktap_print_msg "${CAP_TEXT[$cap]}"
	done 3<<<"$(interop_table "$encap")"

	# Whatever the edge sent (ARP too) carries the circuit's tags.
	if [ "$encap" = qinq ]; then
		re="vlan 10[01], p 0, ethertype 802\.1Q \(0x8100\), vlan [23]00, p 0, "
	else
		re="vlan (200|201|300), p 0, "
	fi
	for cap in msee0 msee1; do
		edge_mac=$EDGE_MAC0
		[ $cap = msee1 ] && edge_mac=$EDGE_MAC1
		n=$(( $(cap_count "$cap" "^$edge_mac > ") -
		      $(cap_count "$cap" "^$edge_mac > [0-9a-f:]+, ethertype $outer_re, length [0-9]+: ${re}ethertype (IPv4|ARP) ") ))
		check_eq "$encap $tpid: every frame the edge sent to $cap is tagged" 0 "$n"
		[ "$n" = 0 ] || ktap_print_msg "${CAP_TEXT[$cap]}"
	done

	check_ok "$encap $tpid: circuits deleted, no erdev interface left" \
		interop_teardown
}

interop_main()
{
	local encap=$1 offloads=$2 ns want got

	ktap_print_header
	erdev_require tcpdump ping ethtool
	# The debug kernel runs one TPID per test: erdev's code paths are the
	# same for both (0x88a8 with the offloads on, 0x8100 without).
	if is_debug_kernel; then
		ktap_set_plan 15
	else
		ktap_set_plan 29
	fi
	erdev_tmpdir
	erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"

	got=
	for ns in "$EDGE eth0" "$EDGE eth1" "$MSEE0 eth0" "$MSEE1 eth0"; do
		# shellcheck disable=SC2086
		set_offloads $ns "$offloads"
		# shellcheck disable=SC2086
		got+="$(get_offloads $ns);"
	done
	want="$offloads $offloads $offloads $offloads;"
	check_eq "VLAN offloads $offloads on every veth end" \
		"$want$want$want$want" "$got"

	if ! is_debug_kernel; then
		interop_tpid "$encap" 0x8100
		interop_tpid "$encap" 0x88a8
	elif [ "$offloads" = on ]; then
		interop_tpid "$encap" 0x88a8
	else
		interop_tpid "$encap" 0x8100
	fi
	ktap_finished
}
