#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Counters, exactly.
#
# Circuit c1 (qinq, TPID 0x8100, S-tag 100) on eth0 and eth1, private
# peering C-tag 200, microsoft C-tag 300. Neighbours are static and IPv6 is
# off, so the only frames are the test's own:
#
#  - N pings over one interface give exactly N rx and N tx packets of 98
#    bytes (Ethernet header counted, tags not) on that interface, in ip -s,
#    ethtool -S and ercfg -j stats, and nothing on the three others;
#  - frames crafted on the MSEE side: the interface's own tags with PCP and
#    DEI bits set are delivered to it with both tags removed; an unknown
#    S-tag, an unknown C-tag, a known S-tag without inner tag, no tag at all
#    and the wrong outer TPID each raise exactly their port counter and
#    are passed on to eth0's own stack (a packet socket on eth0 gets them,
#    inner tag intact); a frame too short for its inner tag raises
#    port_rx_malformed and is dropped;
#  - plain IP and an 8021q device on eth0 keep working next to erdev;
#  - frames for an interface that is down count as its rx_dropped;
#  - ercfg stats --watch: rates from the second round on, 0 for an idle
#    interface, status 0 on SIGINT;
#  - a dot1q port: its VLANs, unknown VLANs, the wrong TPID, untagged.
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

setup()
{
	erdev_c1 || return 1
	msee_vlans "$MSEE0" <<-EOF || return 1
		0x8100 100 200 10.1.0.2
		0x8100 100 300 10.1.2.2
	EOF
	msee_vlans "$MSEE1" <<-EOF || return 1
		0x8100 100 200 10.1.1.2
		0x8100 100 300 10.1.3.2
	EOF
	edge_ups <<-EOF || return 1
		c1.p0 10.1.0.1
		c1.p1 10.1.1.1
		c1.m0 10.1.2.1
		c1.m1 10.1.3.1
	EOF
	# Static neighbours: no ARP frame will disturb a counter.
	ip -n "$EDGE" -batch - <<-EOF || return 1
		neigh replace 10.1.0.2 lladdr $MSEE_MAC0 dev c1.p0 nud permanent
		neigh replace 10.1.1.2 lladdr $MSEE_MAC1 dev c1.p1 nud permanent
		neigh replace 10.1.2.2 lladdr $MSEE_MAC0 dev c1.m0 nud permanent
		neigh replace 10.1.3.2 lladdr $MSEE_MAC1 dev c1.m1 nud permanent
	EOF
	ip -n "$MSEE0" -batch - <<-EOF || return 1
		neigh replace 10.1.0.1 lladdr $EDGE_MAC0 dev s100.200 nud permanent
		neigh replace 10.1.2.1 lladdr $EDGE_MAC0 dev s100.300 nud permanent
	EOF
	ip -n "$MSEE1" -batch - <<-EOF
		neigh replace 10.1.1.1 lladdr $EDGE_MAC1 dev s100.200 nud permanent
		neigh replace 10.1.3.1 lladdr $EDGE_MAC1 dev s100.300 nud permanent
	EOF
}

# all_stats: "IF rx_packets rx_bytes tx_packets tx_bytes; " of the four.
all_stats()
{
	ip -n "$EDGE" -s -j link show type erdev | jq -j '
		. as $l
		| ["c1.p0", "c1.p1", "c1.m0", "c1.m1"][] as $n
		| $l[] | select(.ifname == $n) | .stats64
		| "\($n) \(.rx.packets) \(.rx.bytes) \(.tx.packets) \(.tx.bytes); "'
	echo
}

# exited PID: the process has ended (a zombie until it is waited for).
exited()
{
	local st

	st=$(ps -o stat= -p "$1") || return 0
	[[ $st == Z* ]]
}

# watch_rounds: ercfg -j stats c1 --watch 1 across 5 pings over c1.p0,
# until 4 rounds are out; then SIGINT, which must end it with status 0
# within 10 s. ercfg itself in the background, not the er function: $!
# must be its PID, and a background subshell ignores SIGINT.
watch_rounds()
{
	local pid rc

	"$ERCFG" -n "$EDGE" -j stats c1 --watch 1 >"$ERDEV_TMP/watch.json" \
		2>"$ERDEV_TMP/watch.err" &
	pid=$!
	busywait 20000 test -s "$ERDEV_TMP/watch.json" &&
		erdev_ping "$EDGE" 10.1.0.2 5 &&
		slowwait 20 eval '[ "$(wc -l <"$ERDEV_TMP/watch.json")" -ge 4 ]'
	rc=$?
	kill -INT "$pid"
	if ! slowwait 10 exited "$pid"; then
		ktap_print_msg "ercfg stats --watch still runs 10 s after SIGINT"
		kill -KILL "$pid"
		rc=1
	fi
	wait "$pid" || rc=1
	return $rc
}

# watch_rates ROUNDS JQ: "rx_bps tx_bps" of link JQ of c1's first peering
# in each of ROUNDS (a jq slice of the rounds), unique.
watch_rates()
{
	jq -s -c "[.$1[] | .[0].peerings[0].links[$2].stats |
		\"\\(.rx_bps) \\(.tx_bps)\"] | unique" "$ERDEV_TMP/watch.json"
}

d1_setup()
{
	er circuit add d1 encap dot1q primary eth0 &&
		er peering add d1 private ctag 200 &&
		ip -n "$EDGE" link set d1.p0 up
}

ktap_print_header
erdev_require ping ethtool
ktap_set_plan 37
erdev_tmpdir

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "circuit, peerings, MSEE VLANs, static neighbours" setup

check_eq "all interface counters are 0 at start" \
	"c1.p0 0 0 0 0; c1.p1 0 0 0 0; c1.m0 0 0 0 0; c1.m1 0 0 0 0; " \
	"$(all_stats)"

# Pings: 98-byte frames (14 + 20 + 8 + 56) both ways.
check_ok "5 pings over c1.p0" erdev_ping "$EDGE" 10.1.0.2 5
check_eq "ip -s link: 5 rx and 5 tx on c1.p0, 0 on the others" \
	"c1.p0 5 490 5 490; c1.p1 0 0 0 0; c1.m0 0 0 0 0; c1.m1 0 0 0 0; " \
	"$(all_stats)"
check_eq "ethtool -S c1.p0: rx/tx packets, bytes, dropped" \
	"5 490 0 5 490 0" \
	"$(ethtool_stats "$EDGE" c1.p0 rx_packets rx_bytes rx_dropped \
		tx_packets tx_bytes tx_dropped)"
check_eq "ercfg -j stats: c1.p0" \
	'{"rx_bytes":490,"rx_dropped":0,"rx_packets":5,"tx_bytes":490,"tx_dropped":0,"tx_dscp_rewritten":0,"tx_packets":5}' \
	"$(er -j stats c1 | jq -S -c '.[0].peerings[] | select(.type == "private") |
		.links[] | select(.role == "primary") | .stats')"

check_ok "4 pings over c1.m1" erdev_ping "$EDGE" 10.1.3.2 4
check_eq "ip -s link: 4 more on c1.m1, the others unchanged" \
	"c1.p0 5 490 5 490; c1.p1 0 0 0 0; c1.m0 0 0 0 0; c1.m1 4 392 4 392; " \
	"$(all_stats)"
check_eq "no port counter moved" "0 0 0 0 0; 0 0 0 0 0" \
	"$(port_counters "$EDGE" c1.p0); $(port_counters "$EDGE" c1.m1)"

# Crafted frames, from MSEE0 to eth0 (and MSEE1 to eth1), all in one
# erdev_tool run. 68 bytes on the wire: 14 + two tags + 2 (EtherType
# 0x88b5) + 46; 60 once both tags are gone. Each kind of frame comes a
# different number of times, so that each counter tells who raised it.
# The answer per case: "sent N received M..." and the bytes 12..23 of the
# first frame each packet socket got.
ip -n "$EDGE" link set c1.p1 down
to0="--tx-ns $MSEE0 --tx-dev eth0 --dst $EDGE_MAC0"
to1="--tx-ns $MSEE1 --tx-dev eth0 --dst $EDGE_MAC1"
out=$(erdev_tool "$EDGE" frames - <<EOF
$to0 --tag 0x8100:0xa064 --tag 0x8100:0x30c8 --ethertype 0x88b5 --count 3 --rx c1.p0:0x88b5
$to0 --tag 0x8100:999 --ethertype 0x88b5 --count 1 --rx eth0:0x88b5
$to0 --tag 0x8100:100 --tag 0x8100:999 --ethertype 0x88b5 --count 2 --rx eth0:0x8100
$to0 --tag 0x8100:100 --ethertype 0x88b5 --count 3 --rx eth0:0x88b5
$to0 --ethertype 0x88b5 --count 4 --rx eth0:0x88b5
$to0 --tag 0x88a8:100 --tag 0x8100:200 --ethertype 0x88b5 --count 5 --rx eth0:0x8100
$to0 --tag 0x8100:100 --tag 0x8100:200 --len 0 --count 2 --rx eth0:0x8100 --rx c1.p0:0x0003
$to0 --tag 0x8100:100 --tag 0x8100:200 --ethertype 0x88b5 --len 0 --count 1 --rx eth0:0x8100 --rx c1.p0:0x0003
$to1 --tag 0x8100:100 --tag 0x8100:200 --ethertype 0x88b5 --count 2 --wait 0
EOF
)
mapfile -t got <<<"$out"
# The payload as the packet sockets see it: EtherType 0x88b5, 00 01 02...
P=88b500010203040506070809
check_eq "S-tag 100 with PCP 5, C-tag 200 with PCP 1 DEI 1: on c1.p0, tags removed" \
	"sent 3 received 3 $P" "${got[0]:-}"
check_eq "unknown S-tag 999: passed on to eth0's own stack" \
	"sent 1 received 1 $P" "${got[1]:-}"
check_eq "S-tag 100, unknown C-tag 999: passed on, inner tag intact" \
	"sent 2 received 2 810003e7${P:0:16}" "${got[2]:-}"
check_eq "S-tag 100 without inner tag: passed on" \
	"sent 3 received 3 $P" "${got[3]:-}"
check_eq "untagged: passed on" "sent 4 received 4 $P" "${got[4]:-}"
check_eq "outer TPID 0x88a8 on a 0x8100 port: passed on, inner tag intact" \
	"sent 5 received 5 810000c8${P:0:16}" "${got[5]:-}"
check_eq "S-tag 100, then 0x8100 and only a TCI: dropped" \
	"sent 2 received 0 0 - -" "${got[6]:-}"
check_eq "S-tag 100, then a C-tag and no payload: dropped" \
	"sent 1 received 0 0 - -" "${got[7]:-}"
check_eq "port counters of eth0: unknown S-tag 1, C-tag 2 + 3, untagged 4, bad TPID 5, malformed 2 + 1" \
	"1 5 4 5 3" "$(port_counters "$EDGE" c1.p0)"
check_eq "interfaces: 3 more frames of 60 bytes on c1.p0, none elsewhere" \
	"c1.p0 8 670 5 490; c1.p1 0 0 0 0; c1.m0 0 0 0 0; c1.m1 4 392 4 392; " \
	"$(all_stats)"
check_eq "frames for c1.p1 while it is down: rx_dropped 2, rx_packets 0" \
	"2 0" "$(ethtool_stats "$EDGE" c1.p1 rx_dropped rx_packets)"
check_eq "ercfg -j stats: the port counters of eth0 and eth1" \
	'eth0 {"rx_bad_tpid":5,"rx_malformed":3,"rx_unknown_ctag":5,"rx_unknown_stag":1,"rx_untagged":4}
eth1 {"rx_bad_tpid":0,"rx_malformed":0,"rx_unknown_ctag":0,"rx_unknown_stag":0,"rx_untagged":0}' \
	"$(er -j stats c1 | jq -r '.[0].ports[] | "\(.ifname) \(.stats | to_entries | sort_by(.key) | from_entries | tojson)"')"
check_eq "ethtool -S c1.p1 shows eth1's port counters" "0 0 0 0 0" \
	"$(port_counters "$EDGE" c1.p1)"

# The NIC's other traffic: plain IP, and an 8021q device, on eth0.
ip -n "$EDGE" addr add 10.9.0.1/24 dev eth0
ip -n "$MSEE0" addr add 10.9.0.2/24 dev eth0
static_neigh "$EDGE" eth0 10.9.0.2 $MSEE_MAC0
static_neigh "$MSEE0" eth0 10.9.0.1 $EDGE_MAC0
check_ok "plain IP on eth0 works next to erdev" erdev_ping "$MSEE0" 10.9.0.1
check_eq "3 untagged echo requests: port_rx_untagged 3 more" "1 5 7 5 3" \
	"$(port_counters "$EDGE" c1.p0)"

ip -n "$EDGE" link add link eth0 name eth0.50 type vlan id 50
ip -n "$EDGE" link set eth0.50 up
ip -n "$EDGE" addr add 10.50.0.1/24 dev eth0.50
ip -n "$MSEE0" link add link eth0 name v50 type vlan id 50
ip -n "$MSEE0" link set v50 up
ip -n "$MSEE0" addr add 10.50.0.2/24 dev v50
static_neigh "$EDGE" eth0.50 10.50.0.2 $MSEE_MAC0
static_neigh "$MSEE0" v50 10.50.0.1 $EDGE_MAC0
check_ok "an 8021q device (VLAN 50) on eth0 works next to erdev" \
	erdev_ping "$EDGE" 10.50.0.2
check_eq "VLAN 50 frames went to the 8021q device before erdev saw them" \
	"1 5 7 5 3" "$(port_counters "$EDGE" c1.p0)"

# stats --watch: a round a second with the bit rates since the last.
check_ok "ercfg -j stats c1 --watch 1: 4 rounds, SIGINT ends it with status 0" \
	watch_rounds
check_eq "first round: no rates yet" '["null null"]' "$(watch_rates '[0:1]' 0)"
check_eq "c1.p0 sent the pings: a round with tx_bps above 0" true \
	"$(jq -s '[.[1:][] | .[0].peerings[0].links[0].stats.tx_bps > 0] | any' \
		"$ERDEV_TMP/watch.json")"
check_eq "c1.p1, idle: exactly 0 bit/s in every later round" '["0 0"]' \
	"$(watch_rates '[1:]' 1)"

# A dot1q port on eth0 (the qinq port goes away with c1).
check_ok "circuit c1 deleted" er circuit del c1
check_ok "dot1q circuit d1 on eth0, private VLAN 200" d1_setup
check_eq "a new port starts with zero counters" "0 0 0 0 0" \
	"$(port_counters "$EDGE" d1.p0)"
out=$(erdev_tool "$EDGE" frames - <<EOF
$to0 --tag 0x8100:0xe0c8 --ethertype 0x88b5 --count 2 --rx d1.p0:0x88b5
$to0 --tag 0x8100:999 --ethertype 0x88b5 --count 1 --rx eth0:0x88b5
$to0 --tag 0x88a8:200 --ethertype 0x88b5 --count 3 --rx eth0:0x88b5
$to0 --ethertype 0x88b5 --count 4 --wait 0
EOF
)
mapfile -t got <<<"$out"
check_eq "dot1q: VLAN 200 with PCP 7 on d1.p0, tag removed" \
	"sent 2 received 2 $P" "${got[0]:-}"
check_eq "dot1q: unknown VLAN 999 passed on" "sent 1 received 1 $P" "${got[1]:-}"
check_eq "dot1q: VLAN 200 with TPID 0x88a8 passed on" "sent 3 received 3 $P" "${got[2]:-}"
check_eq "dot1q port counters: unknown VLAN 1, untagged 4, bad TPID 3; d1.p0 rx 2 of 60 bytes" \
	"0 1 4 3 0; 2 120" \
	"$(port_counters "$EDGE" d1.p0); $(ethtool_stats "$EDGE" d1.p0 rx_packets rx_bytes)"

ktap_finished
