#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The erdev lab: an ExpressRoute circuit from a customer edge to two
# simulated Microsoft edge routers (MSEEs), with BGP, BFD and a failover.
# See tools/lab/README.md for the topology, the choices and how to read the
# output. `make lab` runs it in a VM; it runs as well as root on any
# machine where erdev is loaded.
#
# Environment:
#   ERCFG      ercfg binary (default: tools/ercfg/ercfg)
#   ERDEV_KO   loaded with insmod if erdev is not loaded yet
#   LAB_BREAK  break one thing on purpose; the lab must then fail:
#                ctag  MSEE 1 uses a wrong C-tag for private peering
#                bfd   no BFD anywhere
#              (in a VM: erdev_lab.break=X on the kernel command line)
#   LAB_KEEP   keep the lab's scratch directory (configs, logs)
#
# Output: narration, and one KTAP line per check. Exit status 0 when every
# check passed, 1 otherwise, 4 when a prerequisite is missing.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

set -uo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_DIR/../.." && pwd)
ERCFG=${ERCFG:-$REPO/tools/ercfg/ercfg}
IPROUTE2_PLUGINS=$REPO/tools/iproute2

# shellcheck source=tools/lab/lab_lib.sh
source "$LAB_DIR/lab_lib.sh"
# shellcheck source=tools/lab/bird.sh
source "$LAB_DIR/bird.sh"

LAB_BREAK=${LAB_BREAK:-$(sed -n 's/.*erdev_lab\.break=\([a-z]*\).*/\1/p' /proc/cmdline 2>/dev/null)}
case $LAB_BREAK in
"" | ctag | bfd) ;;
*) echo "lab: unknown LAB_BREAK \"$LAB_BREAK\" (ctag|bfd)" >&2; exit 1 ;;
esac

# The circuit, as the Azure portal would describe it.
CIRCUIT=c1
STAG=100
CTAG_PRIVATE=200
CTAG_MICROSOFT=300
SERVICE_KEY=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
EDGE_AS=65010			# a private ASN: the customer
MS_AS=12076			# Microsoft

# Peering subnets. Private peering: Microsoft's own example, a /29 split
# into two /30. Microsoft peering needs public space: RFC 5737 TEST-NET-3.
PRIV4=192.168.100.128/29
PRIV6=fd00:100::/125
MSFT4=203.0.113.0/29
MSFT6=2001:db8:300::/125
PRIV_P_CUST=192.168.100.129 PRIV_P_MS=192.168.100.130
PRIV_S_CUST=192.168.100.133 PRIV_S_MS=192.168.100.134
MSFT_P_CUST=203.0.113.1 MSFT_P_MS=203.0.113.2
MSFT_S_CUST=203.0.113.5 MSFT_S_MS=203.0.113.6

# What is routed: the customer's on-premises range and its public range
# (RFC 5737 TEST-NET-1), Azure's VNet and a "Microsoft service" prefix
# (RFC 5737 TEST-NET-2).
ONPREM=172.16.0.0/24	ONPREM_HOST=172.16.0.1
PUBLIC=192.0.2.0/24	PUBLIC_HOST=192.0.2.1
VNET=10.10.0.0/16	VNET_HOST=10.10.0.4
SERVICE=198.51.100.0/24	SERVICE_HOST=198.51.100.10

FAILOVER_LIMIT_MS=2000

skip_all()
{
	echo "KTAP version 1"
	echo "1..0 # SKIP $*"
	exit 4
}

prerequisites()
{
	local c

	[ "$(id -u)" = 0 ] || skip_all "the lab needs root"
	for c in ip bird birdc iperf3 ping jq awk sysctl; do
		command -v "$c" >/dev/null || skip_all "$c not found (make deps)"
	done
	[ -x "$ERCFG" ] || skip_all "no ercfg at $ERCFG (make -C tools/ercfg)"
	if ! grep -q '^erdev ' /proc/modules; then
		[ -n "${ERDEV_KO:-}" ] || skip_all "erdev is not loaded and ERDEV_KO is not set"
		insmod "$ERDEV_KO" || skip_all "insmod $ERDEV_KO failed"
	fi
	modprobe veth && modprobe 8021q && modprobe dummy ||
		skip_all "modprobe veth 8021q dummy failed"
}

er()
{
	inns edge "$ERCFG" "$@"
}

topology_text()
{
	local c=$CIRCUIT s=s$STAG

	# Boxes of fixed width, the values padded to fit.
	printf '%s\n' "   on-premises $ONPREM, public $PUBLIC (lan0)"
	printf '                         |\n'
	printf '+------------------------+------------------------+\n'
	printf '| %-47s |\n' "edge, AS $EDGE_AS: erdev circuit $c, S-tag $STAG" \
		"$c.p0 $c.m0 (primary)   $c.p1 $c.m1 (secondary)"
	printf '+-------eth0---------------------------eth1-------+\n'
	printf '        | %-29s|\n' "QinQ: S-tag $STAG, C-tags" \
		"$CTAG_PRIVATE private, $CTAG_MICROSOFT microsoft"
	printf '+-------eth0-------+           +-------eth0-------+\n'
	printf '| %-16s |           | %-16s |\n' \
		"msee1, AS $MS_AS" "msee2, AS $MS_AS" \
		"$s > $s.$CTAG_PRIVATE" "$s > $s.$CTAG_PRIVATE" \
		"     > $s.$CTAG_MICROSOFT" "     > $s.$CTAG_MICROSOFT"
	printf '+-------az0--------+           +-------az0--------+\n'
	printf '        | %-29s|\n' "iBGP                    iBGP "
	printf '+-------m1-----------------------------m2---------+\n'
	printf '| %-47s |\n' "azure: VNet $VNET (vnet0, $VNET_HOST)" \
		"Microsoft service $SERVICE (svc0)"
	printf '+-------------------------------------------------+\n'
}

# veth NS1 IF1 NS2 IF2 [MTU]
veth()
{
	ip link add "$2" netns "$1" mtu "${5:-1500}" type veth \
		peer name "$4" netns "$3" mtu "${5:-1500}" &&
		inns "$1" ip link set "$2" up && inns "$3" ip link set "$4" up
}

# dummy NS IF ADDR...
dummy()
{
	local ns=$1 dev=$2 a

	shift 2
	inns "$ns" ip link add "$dev" type dummy && inns "$ns" ip link set "$dev" up || return 1
	for a in "$@"; do
		inns "$ns" ip addr add "$a" dev "$dev" || return 1
	done
}

# msee_peering NS CTAG ADDR4 ADDR6: the MSEE's end of one peering, made of
# the kernel's own 8021q devices: s<STAG>.<CTAG> on s<STAG> on eth0.
msee_peering()
{
	local ns=$1 dev=s$STAG.$2

	inns "$ns" ip link add link "s$STAG" name "$dev" mtu 1500 type vlan \
		proto 802.1Q id "$2" &&
		inns "$ns" ip link set "$dev" up &&
		inns "$ns" ip addr add "$3/30" dev "$dev" &&
		inns "$ns" ip addr add "$4/126" dev "$dev"
}

# msee_setup N: MSEE N's side of its link, and its link to azure.
msee_setup()
{
	local n=$1 ns=msee$1 ctag_priv=$CTAG_PRIVATE p4 m4 p6 m6

	if [ "$n" = 1 ]; then
		p4=$PRIV_P_MS m4=$MSFT_P_MS p6=fd00:100::2 m6=2001:db8:300::2
		[ "$LAB_BREAK" = ctag ] && ctag_priv=$((CTAG_PRIVATE + 1))
	else
		p4=$PRIV_S_MS m4=$MSFT_S_MS p6=fd00:100::6 m6=2001:db8:300::6
	fi
	inns "$ns" ip link add link eth0 name "s$STAG" mtu 1504 type vlan \
		proto 802.1Q id "$STAG" &&
		inns "$ns" ip link set "s$STAG" up &&
		msee_peering "$ns" "$ctag_priv" "$p4" "$p6" &&
		msee_peering "$ns" "$CTAG_MICROSOFT" "$m4" "$m6" &&
		veth "$ns" az0 azure "m$n" &&
		inns "$ns" ip addr add "10.255.$n.1/30" dev az0 &&
		inns azure ip addr add "10.255.$n.2/30" dev "m$n"
}

setup_topology()
{
	step "Topology"
	say "Four network namespaces: the customer edge, two Microsoft edge routers"
	say "(MSEEs, kernel 8021q devices only: outer tag 0x8100 with the S-tag, inner"
	say "tag with the C-tag) and \"azure\" behind them. Every link is a veth pair;"
	say "the edge's NICs have MTU 1508, room for two tags under 1500 bytes."
	[ -n "$LAB_BREAK" ] && say "LAB_BREAK=$LAB_BREAK: something is broken on purpose; the lab must fail."
	echo
	topology_text | indent
	lab_setup_namespaces
	veth edge eth0 msee1 eth0 1508 && veth edge eth1 msee2 eth0 1508 &&
		dummy edge lan0 "$ONPREM_HOST/24" "$PUBLIC_HOST/24" &&
		dummy azure vnet0 "$VNET_HOST/16" &&
		dummy azure svc0 "$SERVICE_HOST/24" &&
		msee_setup 1 && msee_setup 2 || bail_out "cannot build the topology"
	if [ "$LAB_BREAK" = ctag ]; then
		say "msee1 uses C-tag $((CTAG_PRIVATE + 1)) for private peering instead of $CTAG_PRIVATE (LAB_BREAK=ctag)."
	fi
	pass "namespaces edge, msee1, msee2, azure and their links"
}

configure_circuit()
{
	step "The circuit on the edge, with ercfg"
	say "The S-tag comes from Microsoft; the C-tags and the subnets are ours. ercfg"
	say "splits each /29 (/125) in two, primary first, and puts the first usable"
	say "address of each half on the peering's interface."
	show edge "$ERCFG" circuit add "$CIRCUIT" stag "$STAG" primary eth0 \
		secondary eth1 bandwidth 1gbit service-key "$SERVICE_KEY" &&
		show edge "$ERCFG" peering add "$CIRCUIT" private ctag "$CTAG_PRIVATE" \
			ipv4 "$PRIV4" ipv6 "$PRIV6" &&
		show edge "$ERCFG" peering add "$CIRCUIT" microsoft ctag "$CTAG_MICROSOFT" \
			ipv4 "$MSFT4" ipv6 "$MSFT6" ||
		bail_out "ercfg could not configure the circuit"
	# The port counters from here on: the MSEEs' 8021q devices are up
	# already, and a frame of microsoft peering's C-tag that arrives
	# before the second "peering add" is rightly counted as unknown.
	snapshot SP
	local i
	for i in p0 p1 m0 m1; do
		inns edge ip link set "$CIRCUIT.$i" up || bail_out "ip link set $CIRCUIT.$i up"
	done
	pass "circuit $CIRCUIT with private and microsoft peering, four interfaces up"

	say "Microsoft peering takes public space only; ercfg refuses the rest itself:"
	if show edge "$ERCFG" peering add "$CIRCUIT" microsoft ctag 301 ipv4 10.0.0.0/29; then
		fail "ercfg refuses private space on microsoft peering"
	else
		pass "ercfg refuses private space on microsoft peering"
	fi
}

start_routing()
{
	local ns

	step "BGP and BFD (BIRD 2)"
	say "One BIRD per namespace. The edge (AS $EDGE_AS) has four eBGP sessions to"
	say "AS $MS_AS: p0/m0 to msee1 (primary), p1/m1 to msee2 (secondary), each with"
	if [ "$LAB_BREAK" = bfd ]; then
		say "BFD switched off (LAB_BREAK=bfd)."
	else
		say "BFD at 300 ms x 3. The MSEEs talk iBGP to azure."
	fi
	for ns in azure msee1 msee2 edge; do
		bird_start "$ns" || bail_out "BIRD would not start in $ns (config: $LAB_TMP/$ns.conf)"
	done
	say "Waiting for the sessions..."
	local p desc t0
	t0=$(now)
	for ns in msee1 msee2; do
		wait_for 30 bgp_established azure "$ns"
	done
	# All four at once: one that never comes up costs the wait only once.
	wait_for 30 sessions_established p0 p1 m0 m1
	for p in p0:"private peering, primary" p1:"private peering, secondary" \
		m0:"microsoft peering, primary" m1:"microsoft peering, secondary"; do
		desc=${p#*:} p=${p%%:*}
		# Established, or back soon if BFD flapped it meanwhile.
		if bgp_established edge "$p" || wait_for 10 bgp_established edge "$p"; then
			LAB_UP_SESSIONS+=("$p")
			pass "BGP $p ($desc) established"
		else
			fail "BGP $p ($desc) established" "state: $(bgp_state edge "$p")"
			cause "BGP session $p ($desc) never came up"
		fi
	done
	say "(sessions up after $(ms_since "$t0") ms)"
	show edge birdc -s "$LAB_TMP/edge.ctl" show protocols
	show msee1 birdc -s "$LAB_TMP/msee1.ctl" show protocols
	show msee2 birdc -s "$LAB_TMP/msee2.ctl" show protocols

	local addr up=0 all="$PRIV_P_MS $PRIV_S_MS $MSFT_P_MS $MSFT_S_MS"
	# shellcheck disable=SC2086 # four addresses
	wait_for 10 bfd_all_up $all
	for addr in $all; do
		if bfd_all_up "$addr"; then
			up=$((up + 1))
			LAB_BFD_UP+=("$addr")
		fi
	done
	show edge birdc -s "$LAB_TMP/edge.ctl" show bfd sessions
	if [ $up = 4 ]; then
		pass "BFD up on all four sessions"
	else
		fail "BFD up on all four sessions" "$up of 4 BFD sessions up"
		if [ $up = 0 ]; then
			cause "BFD is not running: no BFD session on the edge came up"
		else
			cause "BFD is up on $up of the 4 sessions only"
		fi
	fi
}

# sessions_established PROTO...: the edge's BGP sessions PROTO... are all
# Established (one birdc call).
sessions_established()
{
	local p out

	out=$(birdc_ns edge show protocols 2>/dev/null) || return 1
	for p in "$@"; do
		awk -v p="$p" '$1 == p && $4 == "up" && $6 == "Established" { f = 1 }
			END { exit !f }' <<<"$out" || return 1
	done
}

# bfd_all_up ADDR...: the edge's BFD sessions to ADDR... are all Up.
bfd_all_up()
{
	local a out

	out=$(birdc_ns edge show bfd sessions 2>/dev/null) || return 1
	for a in "$@"; do
		awk -v a="$a" '$1 == a && $3 == "Up" { f = 1 } END { exit !f }' <<<"$out" || return 1
	done
}

# session_was_up PROTO: PROTO came up at the start.
session_was_up()
{
	[[ " ${LAB_UP_SESSIONS[*]} " == *" $1 "* ]]
}

# primary_routes: the routes that go via the primary link when it works,
# as far as its sessions came up at the start.
primary_routes()
{
	if session_was_up p0; then
		route_via edge "$VNET" "$CIRCUIT.p0" &&
			route_via azure "$ONPREM" 10.255.1.1 || return 1
	fi
	if session_was_up m0; then
		route_via edge "$SERVICE" "$CIRCUIT.m0" &&
			route_via azure "$PUBLIC" 10.255.1.1 || return 1
	fi
}

# route_via NS PREFIX DEV_OR_GW: the kernel routes PREFIX via DEV_OR_GW.
route_via()
{
	inns "$1" ip -4 route show "$2" | grep -qw -- "$3"
}

check_routes()
{
	step "Routes learned"
	say "The edge prefers the primary link (local-pref 200); Microsoft prefers it"
	say "too, because the edge prepends its AS on the secondary."
	wait_for 10 primary_routes
	show edge birdc -s "$LAB_TMP/edge.ctl" show route
	show edge ip route
	show azure ip route
	check "edge: VNet $VNET via private peering, primary ($CIRCUIT.p0)" \
		route_via edge "$VNET" "$CIRCUIT.p0"
	check "edge: service $SERVICE via microsoft peering, primary ($CIRCUIT.m0)" \
		route_via edge "$SERVICE" "$CIRCUIT.m0"
	check "azure: on-premises $ONPREM back via msee1" \
		route_via azure "$ONPREM" 10.255.1.1
	check "azure: public $PUBLIC back via msee1" \
		route_via azure "$PUBLIC" 10.255.1.1
}

# neigh_ok JSON_LINK_FAMILY: ARP/ND resolved.
neigh_states()
{
	er -j show "$CIRCUIT" | jq -r '.[0].peerings[].links[] |
		.ifname as $i | (.ipv4, .ipv6) | select(. != null) |
		"\($i) \(.microsoft) \(.neighbor)"'
}

show_circuit()
{
	step "The edge's view: ercfg show, ip -d link"
	say "Per link: our address, Microsoft's, and whether ARP (IPv4) or ND (IPv6)"
	say "resolved Microsoft's: the edge's side of Azure's \"ARP availability\"."
	say "One ping6 per link first, so that ND has something to show:"
	local a
	for a in fd00:100::2 fd00:100::6 2001:db8:300::2 2001:db8:300::6; do
		inns edge ping -6 -c 1 -W 2 "$a" >/dev/null 2>&1
	done
	show edge "$ERCFG" show
	local bad
	bad=$(neigh_states | awk '$3 !~ /^(reachable|stale|delay|probe|permanent)$/')
	if [ -z "$bad" ]; then
		pass "ARP and ND resolved Microsoft's address on all four links"
	else
		fail "ARP and ND resolved Microsoft's address on all four links" \
			"$(echo "$bad" | awk '{printf "%s %s: %s; ", $1, $2, $3}')"
		cause "no ARP/ND answer from Microsoft's address on $(echo "$bad" |
			awk '{ if (!s[$1]++) l = l (l ? ", " : "") $1 } END { print l }'): the frames do not reach the MSEE's interface of that peering"
	fi
	if [ -f "$IPROUTE2_PLUGINS/link_erdev.so" ]; then
		show edge env IP_LIB_DIR="$IPROUTE2_PLUGINS" ip -d link show "$CIRCUIT.p0"
	else
		show edge ip -d link show "$CIRCUIT.p0"
	fi
	show msee1 ip -d link show "s$STAG.$CTAG_PRIVATE" 2>/dev/null ||
		show msee1 ip -d link show type vlan
}

# snapshot NAME: the circuit's counters from one "ercfg -j stats", into the
# associative array NAME: NAME[c1.p0.tx_packets], NAME[port.eth0.rx_malformed].
declare -gA S0=() S1=() SP=()
snapshot()
{
	local -n snap=$1
	local k v

	snap=()
	while read -r k v; do
		# shellcheck disable=SC2034 # a nameref
		[ -n "$k" ] && snap["$k"]=$v
	done <<<"$(er -j stats "$CIRCUIT" | jq -r '.[0] |
		(.peerings[].links[] | .ifname as $i | .stats | to_entries[] |
			"\($i).\(.key) \(.value)"),
		(.ports[] | .ifname as $p | .stats | to_entries[] |
			"port.\($p).\(.key) \(.value)")')"
}

# sdelta KEY: how much a counter grew from S0 to S1; nothing if unknown.
sdelta()
{
	local a=${S0[$1]:-} b=${S1[$1]:-}

	[[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] && echo $((b - a))
}

# msee_rx DEV: frames msee1's 8021q device DEV received, by the kernel's
# own count.
msee_rx()
{
	inns msee1 cat "/sys/class/net/$1/statistics/rx_packets" 2>/dev/null
}

# counters_ping NAME IF MSEE_DEV SRC DST: N echoes of 1000 bytes (frames of
# 1014 bytes without tags) through one peering. Checks erdev's counters of
# IF against the echoes and against the MSEE's 8021q counters.
counters_ping()
{
	local name=$1 ifc=$2 mdev=$3 src=$4 dst=$5 n=200 frame=1014
	local t0 secs slack out ma mb mc md lo="" hi=""
	local dtx dtxb drx drxb other

	# The MSEE's counter read around each snapshot of erdev's: what the
	# edge sent between its snapshots reached the MSEE between the outer
	# reads, and what reached the MSEE between the inner ones was sent
	# between the snapshots.
	ma=$(msee_rx "$mdev")
	snapshot S0
	mb=$(msee_rx "$mdev")
	t0=$(now)
	out=$(inns edge ping -q -c $n -i 0.01 -s 972 -W 2 -I "$src" "$dst" 2>&1)
	secs=$(( ($(ms_since "$t0") + 999) / 1000 ))
	mc=$(msee_rx "$mdev")
	snapshot S1
	md=$(msee_rx "$mdev")
	if [[ "$ma$mb$mc$md" =~ ^[0-9]+$ ]]; then
		lo=$((mc - mb - 1)) hi=$((md - ma + 1))
	fi
	echo "$out" | tail -n 2 | indent
	if grep -q " $n received" <<<"$out"; then
		pass "$name: $n echoes of 1000 bytes answered"
	else
		fail "$name: $n echoes of 1000 bytes answered" "$(grep received <<<"$out")"
	fi

	# Besides the echoes, the link carries BFD (3 to 4 frames a second),
	# BGP keepalives, ARP and ND: allow 10 frames a second of those.
	slack=$((secs * 10 + 5))
	dtx=$(sdelta "$ifc.tx_packets")
	drx=$(sdelta "$ifc.rx_packets")
	dtxb=$(sdelta "$ifc.tx_bytes")
	drxb=$(sdelta "$ifc.rx_bytes")
	say "$ifc during the echoes: tx $dtx frames $dtxb bytes, rx $drx frames $drxb bytes"
	check_range "$name: $ifc tx-packets counts the $n requests" "$dtx" $n $((n + slack))
	check_range "$name: $ifc rx-packets counts the $n replies" "$drx" $n $((n + slack))
	check_range "$name: $ifc tx-bytes counts $n x $frame bytes" "$dtxb" \
		$((n * frame)) $((n * frame + slack * 200))
	check_range "$name: $ifc rx-bytes counts $n x $frame bytes" "$drxb" \
		$((n * frame)) $((n * frame + slack * 200))
	if [ -n "$lo" ]; then
		check_range "$name: $ifc tx-packets agrees with msee1's own 8021q counter of $mdev" \
			"$dtx" "$lo" "$hi"
	else
		fail "$name: $ifc tx-packets agrees with msee1's own 8021q counter of $mdev" \
			"msee1 has no $mdev"
	fi
	other=${ifc%0}1
	check_range "$name: the secondary link $other carried none of it" \
		"$(sdelta "$other.tx_bytes")" 0 $((n * frame / 10))
}

# iperf_run NAME IF SRC DST: a short iperf3 run; erdev's byte counter of IF
# must cover what iperf3 sent.
iperf_run()
{
	local name=$1 ifc=$2 src=$3 dst=$4 json sent mbit dtxb

	snapshot S0
	json=$(inns edge nice -n 10 iperf3 -c "$dst" -B "$src" -t 2 -b 100M -J 2>&1)
	snapshot S1
	read -r sent mbit <<<"$(jq -r '[.end.sum_sent.bytes // 0,
		(.end.sum_received.bits_per_second // 0) / 1e6 | floor] | @tsv' \
		<<<"$json" 2>/dev/null)"
	if [ -z "$sent" ] || [ "$sent" = 0 ]; then
		fail "$name: iperf3 to $dst" "$(jq -r '.error // empty' <<<"$json" 2>/dev/null || echo "$json" | head -n 3)"
		return 1
	fi
	dtxb=$(sdelta "$ifc.tx_bytes")
	say "iperf3 $src -> $dst: $sent bytes of TCP payload in 2 s, $mbit Mbit/s received;"
	say "$ifc tx-bytes grew by $dtxb"
	pass "$name: iperf3 to $dst ($mbit Mbit/s)"
	# Payload plus TCP/IP/Ethernet headers (about 5 %) and retransmits.
	check_range "$name: $ifc tx-bytes covers the TCP stream" "$dtxb" "$sent" $((sent * 115 / 100 + 100000))
}

pings()
{
	local p name src dst

	step "Traffic through both peerings"
	say "From on-premises ($ONPREM_HOST) to a VM in the VNet ($VNET_HOST) over private"
	say "peering, and from the customer's public range ($PUBLIC_HOST) to the Microsoft"
	say "service ($SERVICE_HOST) over microsoft peering."
	for p in "private:$ONPREM_HOST:$VNET_HOST" "microsoft:$PUBLIC_HOST:$SERVICE_HOST"; do
		IFS=: read -r name src dst <<<"$p"
		if show edge ping -c 3 -i 0.2 -W 5 -I "$src" "$dst"; then
			pass "$name peering: ping $src -> $dst"
		else
			fail "$name peering: ping $src -> $dst"
		fi
	done
}

counters()
{
	step "Counters: ercfg stats against the traffic"
	say "200 echoes of 1000 bytes through each peering; erdev must count each frame"
	say "once, with the Ethernet header and without the tags, on the primary link,"
	say "and agree with the MSEE's own count of what arrived."
	counters_ping "private peering" "$CIRCUIT.p0" "s$STAG.$CTAG_PRIVATE" "$ONPREM_HOST" "$VNET_HOST"
	counters_ping "microsoft peering" "$CIRCUIT.m0" "s$STAG.$CTAG_MICROSOFT" "$PUBLIC_HOST" "$SERVICE_HOST"
}

iperf()
{
	step "iperf3 through both peerings"
	if [ ! -s "$LAB_TMP/iperf3.pid" ]; then
		inns azure nice -n 10 iperf3 -s -D -I "$LAB_TMP/iperf3.pid" \
			--logfile "$LAB_TMP/iperf3.log" || fail "iperf3 server in azure"
		wait_for 5 test -s "$LAB_TMP/iperf3.pid"
		sleep 0.3
	fi
	iperf_run "private peering" "$CIRCUIT.p0" "$ONPREM_HOST" "$VNET_HOST"
	iperf_run "microsoft peering" "$CIRCUIT.m0" "$PUBLIC_HOST" "$SERVICE_HOST"
	show edge "$ERCFG" stats "$CIRCUIT"
	snapshot S1
	check "port counters: no frame with an unknown S-tag or C-tag, bad TPID or malformed" \
		port_counters_clean || port_counters_cause
}

# port_counters_cause: the verdict's words for bad port counters in S1
# (check ran port_counters_clean in a subshell).
port_counters_cause()
{
	local port v

	for port in eth0 eth1; do
		v=$(pdelta "port.$port.rx_unknown_ctag")
		[ "${v:-0}" != 0 ] &&
			cause "erdev received $v frames on $port with a C-tag that no peering of circuit $CIRCUIT has (rx-unknown-ctag): the MSEE uses a different C-tag"
		v=$(pdelta "port.$port.rx_unknown_stag")
		[ "${v:-0}" != 0 ] &&
			cause "erdev received $v frames on $port with an S-tag that no circuit has (rx-unknown-stag)"
	done
	return 0
}

# pdelta KEY: how much a port counter grew from SP (the circuit just
# configured) to S1; nothing if unknown.
pdelta()
{
	local a=${SP[$1]:-} b=${S1[$1]:-}

	[[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] && echo $((b - a))
}

# port_counters_clean: the port counters did not grow from SP to S1.
port_counters_clean()
{
	local port f v bad=""

	for port in eth0 eth1; do
		for f in rx_unknown_stag rx_unknown_ctag rx_bad_tpid rx_malformed; do
			v=$(pdelta "port.$port.$f")
			v=${v:-?}
			[ "$v" = 0 ] || bad+="$port $f=$v "
		done
	done
	[ -z "$bad" ] && return 0
	if [[ $bad == *rx_unknown_ctag* ]]; then
		echo "${bad}(frames with a C-tag that no peering has: is the C-tag right on the MSEE side?)"
	else
		echo "$bad"
	fi
	return 1
}

# ping_log_times LOG T0: "recovery_ms lost gap_ms" of a ping -D -O log
# around a failure at T0: the time from T0 to the first answer after the
# first lost echo, the number of echoes lost, and the gap between the
# answers around the loss. "0 0 0" when nothing was lost.
ping_log_times()
{
	awk -v t0="$2" '
	/bytes from|no answer yet/ {
		ts = substr($1, 2, length($1) - 2)
		for (i = 1; i <= NF; i++)
			if ($i ~ /^icmp_seq=/) { split($i, a, "="); seq = a[2] + 0 }
		if (/bytes from/)
			got[seq] = ts
		if (seq > max) max = seq
	}
	END {
		first = 0
		for (s = 1; s <= max; s++)
			if (!(s in got)) { if (!first) first = s; lost++ }
		if (!first) { print "0 0 0"; exit }
		after = ""
		for (s = first + 1; s <= max; s++)
			if (s in got) { after = got[s]; break }
		if (after == "") { print "none " lost " none"; exit }
		before = (first - 1) in got ? got[first - 1] : t0
		printf "%d %d %d\n", (after - t0) * 1000 + 0.5, lost, (after - before) * 1000 + 0.5
	}' "$1"
}

# ping_log_around LOG T0: the answers just before and after the first
# lost echo of a ping -D -O log, with their time relative to T0.
ping_log_around()
{
	awk -v t0="$2" '
	/bytes from|no answer yet/ {
		ts = substr($1, 2, length($1) - 2)
		for (i = 1; i <= NF; i++)
			if ($i ~ /^icmp_seq=/) { split($i, a, "="); seq = a[2] + 0 }
		if (/bytes from/)
			got[seq] = ts
		if (seq > max) max = seq
	}
	END {
		for (s = 1; s <= max; s++)
			if (!(s in got)) { first = s; break }
		if (!first) { print "(none lost)"; exit }
		for (s = first - 3; s < first; s++)
			if (s in got)
				printf "icmp_seq=%d answered at %+d ms\n", s, (got[s] - t0) * 1000
		for (s = first + 1; s <= max && !(s in got); s++)
			;
		printf "icmp_seq=%d to %d unanswered (%d echoes)\n", first, s - 1, s - first
		if (s in got)
			printf "icmp_seq=%d answered at %+d ms\n", s, (got[s] - t0) * 1000
	}' "$1"
}

# monitor_since LOG REGEX T0: the events of an "ip -ts monitor" log about
# REGEX from T0 on, each after "+MS ms".
monitor_since()
{
	local d0 sod0

	read -r d0 sod0 <<<"$(t0_local "$3")"
	awk -v p="$2" -v d0="$d0" -v sod0="$sod0" "$LAB_AWK_REL_MS"'
	$0 ~ ("] (Deleted )?" p "[ @:]") {
		split(substr($1, 2, length($1) - 2), a, "T")
		ms = rel_ms(a[1], a[2])
		if (ms >= 0) {
			$1 = ""
			printf "+%5d ms %s\n", ms, $0
		}
	}' "$1"
}

# monitor_after LOG REGEX T0: ms from T0 to the first event of an
# "ip -ts monitor" log about REGEX (a route's prefix, "[0-9]*: eth0"),
# and the line.
monitor_after()
{
	local d0 sod0

	read -r d0 sod0 <<<"$(t0_local "$3")"
	awk -v p="$2" -v d0="$d0" -v sod0="$sod0" "$LAB_AWK_REL_MS"'
	$0 ~ ("] (Deleted )?" p "[ @:]") {
		split(substr($1, 2, length($1) - 2), a, "T")
		ms = rel_ms(a[1], a[2])
		if (ms >= 0) {
			print ms, $0
			exit
		}
	}' "$1"
}

# recovery_text LOST MS GAP WATCHED: one peering's failover, in words.
recovery_text()
{
	if [ "$2" = none ]; then
		echo "$1 echoes lost, no answer in the $4 ms after the failure"
	else
		echo "$1 echoes lost, traffic back $2 ms after the failure (gap $3 ms)"
	fi
}

# recovered NAME MS WATCHED: traffic came back within the limit.
recovered()
{
	local what="$1: traffic recovered on the secondary link"

	if [ "$2" = none ] || [ -z "$2" ]; then
		fail "$what" "no answer in the $3 ms after the failure that the pings ran"
		cause "$1: traffic did not come back after the primary link died"
	elif ! check_le "$what" "$2" $FAILOVER_LIMIT_MS " ms"; then
		cause "$1: the failover took $2 ms, more than $FAILOVER_LIMIT_MS ms"
	fi
}

failover()
{
	local t0 pp pm mon res watched
	local priv_ms priv_lost priv_gap msft_ms msft_lost msft_gap

	step "Failover: the primary link dies"
	inns msee1 ip link set eth0 up		# after a try that did not count
	settle
	say "Pings every 50 ms through both peerings, from Azure's side: the VM in the"
	say "VNet to on-premises, the Microsoft service to the customer's public range"
	say "(the edge's own ping would slow down while its sends fail, and blur the"
	say "measure). Then msee1 drops its end of the primary link (ip link set eth0 down"
	say "in msee1: carrier off). The edge does not go by carrier (a provider's switch"
	say "would hide it): BFD must notice within 900 ms, BGP withdraw the primary's"
	say "routes, and the edge's answers take the secondary link."
	bg_start "$LAB_TMP/ping-private.log" ip netns exec azure \
		ping -D -O -i 0.05 -W 1 -I "$VNET_HOST" "$ONPREM_HOST"
	pp=$BG_PID
	bg_start "$LAB_TMP/ping-microsoft.log" ip netns exec azure \
		ping -D -O -i 0.05 -W 1 -I "$SERVICE_HOST" "$PUBLIC_HOST"
	pm=$BG_PID
	bg_start "$LAB_TMP/monitor.log" ip netns exec edge ip -ts monitor link route
	mon=$BG_PID
	# The failure goes through an "ip -batch" already running in msee1:
	# starting a process takes long enough in an emulated VM to make t=0
	# late otherwise.
	rm -f "$LAB_TMP/msee1.cmd"
	mkfifo "$LAB_TMP/msee1.cmd"
	bg_start "$LAB_TMP/msee1-batch.log" ip netns exec msee1 ip -batch "$LAB_TMP/msee1.cmd"
	exec 4>"$LAB_TMP/msee1.cmd"
	sleep 1.5
	snapshot S0
	echo "[msee1]# ip link set eth0 down"
	t0=$EPOCHREALTIME
	echo "link set eth0 down" >&4
	exec 4>&-
	say "t=0: primary link down at $(date -d "@$t0" +%T.%3N)"

	local switched=1
	wait_for 6 route_via edge "$VNET" "$CIRCUIT.p1" || switched=0
	wait_for 2 route_via edge "$SERVICE" "$CIRCUIT.m1" || switched=0
	# Traffic on the secondary for a while, then stop.
	sleep 1.5
	bg_stop "$pp" INT
	bg_stop "$pm" INT
	watched=$(ms_since "$t0")
	bg_stop "$mon"
	snapshot S1

	say "What the edge's BIRD logged:"
	bird_log_since edge ' (p0|m0|bfd1): ' "$t0" | head -n 14 | indent
	show edge birdc -s "$LAB_TMP/edge.ctl" show bfd sessions
	show edge birdc -s "$LAB_TMP/edge.ctl" show protocols
	show edge ip route show "$VNET"
	show edge ip route show "$SERVICE"
	show azure ip route show "$ONPREM"

	res=$(bird_log_after edge 'p0: BFD session down' "$t0")
	if [ -n "$res" ]; then
		pass "BFD detected the dead primary link after ${res%% *} ms"
	elif ! session_was_up p0; then
		fail "BFD detected the dead primary link" "p0 never came up: no session to lose"
	else
		fail "BFD detected the dead primary link" "no BFD session-down for p0 in the edge's BIRD log"
		cause "BFD did not detect the dead primary link: BGP alone waits for its 180 s hold time"
	fi
	if [ $switched = 1 ]; then
		res=$(monitor_after "$LAB_TMP/monitor.log" "$VNET" "$t0")
		pass "BGP withdrew the primary's routes: VNet via $CIRCUIT.p1, service via $CIRCUIT.m1 (route changed after ${res%% *} ms)"
	else
		fail "BGP withdrew the primary's routes" "$(inns edge ip route show "$VNET")"
	fi
	check "azure sends on-premises traffic back via msee2" route_via azure "$ONPREM" 10.255.2.1

	res=$(monitor_after "$LAB_TMP/monitor.log" "[0-9]*: eth0" "$t0")
	[ -n "$res" ] && say "The edge saw eth0 lose its carrier after ${res%% *} ms (the kernel knows; BIRD is told not to care)."
	say "The edge's kernel routes to the VNet and the service, as they changed:"
	monitor_since "$LAB_TMP/monitor.log" "($VNET|$SERVICE)" "$t0" | head -n 6 | indent
	say "Echoes through private peering around the failure (ms after t=0):"
	ping_log_around "$LAB_TMP/ping-private.log" "$t0" | indent
	read -r priv_ms priv_lost priv_gap <<<"$(ping_log_times "$LAB_TMP/ping-private.log" "$t0")"
	read -r msft_ms msft_lost msft_gap <<<"$(ping_log_times "$LAB_TMP/ping-microsoft.log" "$t0")"
	say "private peering:   $(recovery_text "$priv_lost" "$priv_ms" "$priv_gap" "$watched")"
	say "microsoft peering: $(recovery_text "$msft_lost" "$msft_ms" "$msft_gap" "$watched")"
	FAILOVER_MS="$priv_ms/$msft_ms"
	recovered "private peering" "$priv_ms" "$watched"
	recovered "microsoft peering" "$msft_ms" "$watched"
	check_range "ercfg stats: $CIRCUIT.p1 carried the echoes after the failover" \
		"$(sdelta "$CIRCUIT.p1.tx_packets")" 10 1000000
	show edge "$ERCFG" show "$CIRCUIT"
}

restore()
{
	local t0 ok=1 p

	step "Restore: the primary link comes back"
	t0=$(now)
	show msee1 ip link set eth0 up
	for p in p0 m0; do
		if ! session_was_up "$p"; then
			fail "BGP $p established again" "it was never up"
			ok=0
		elif wait_for 40 bgp_established edge "$p"; then
			pass "BGP $p established again after $(ms_since "$t0") ms"
		else
			fail "BGP $p established again" "state: $(bgp_state edge "$p")"
			ok=0
		fi
	done
	wait_for 10 primary_routes
	check "traffic back on the primary: VNet via $CIRCUIT.p0, service via $CIRCUIT.m0, azure via msee1" \
		eval "route_via edge $VNET $CIRCUIT.p0 && route_via edge $SERVICE $CIRCUIT.m0 && route_via azure $ONPREM 10.255.1.1"
	# The primary's BFD sessions that were up at the start.
	local a bfd=()
	for a in "${LAB_BFD_UP[@]}"; do
		[ "$a" = "$PRIV_P_MS" ] || [ "$a" = "$MSFT_P_MS" ] && bfd+=("$a")
	done
	[ ${#bfd[@]} -gt 0 ] && wait_for 10 bfd_all_up "${bfd[@]}"
	show edge birdc -s "$LAB_TMP/edge.ctl" show protocols
	show edge birdc -s "$LAB_TMP/edge.ctl" show bfd sessions
	check "both peerings answer again" eval \
		"inns edge ping -c 3 -i 0.2 -W 5 -I $ONPREM_HOST $VNET_HOST && inns edge ping -c 3 -i 0.2 -W 5 -I $PUBLIC_HOST $SERVICE_HOST"
	[ $ok = 1 ]
}

# The sessions that came up at the start (LAB_BREAK=ctag keeps p0 down),
# and the BFD sessions (addresses; none with LAB_BREAK=bfd).
LAB_UP_SESSIONS=()
LAB_BFD_UP=()

# settle: all sessions that were up are up again, BFD included, and have
# been for a moment.
settle()
{
	local p

	for p in "${LAB_UP_SESSIONS[@]}"; do
		wait_for 40 bgp_established edge "$p"
	done
	sleep 2
}

# bfd_flapped T0: a BFD session went down since T0 that no step took down
# on purpose ($LAB_FLAP_ADDRS: the sessions to watch, default all).
bfd_flapped()
{
	[ "$(bfd_downs_since edge "$1" "${LAB_FLAP_ADDRS:-.*}")" -gt 0 ]
}

failover_and_restore()
{
	failover
	restore
}

verdict()
{
	local secs=$1 i

	step "Verdict"
	say "Longest stall of the VM during the run: $(max_stall) ms (BFD gives up after 900)."
	if [ ${#LAB_RETRIES[@]} -gt 0 ]; then
		say "Steps tried again because the VM stood still (BFD flapped or a long stall):" \
			"$(printf '%s; ' "${LAB_RETRIES[@]}" | sed 's/; $//')."
	fi
	echo "1..$LAB_N"
	if [ ${#LAB_FAILED[@]} = 0 ]; then
		echo "# Totals: pass:$LAB_N fail:0 xfail:0 xpass:0 skip:0 error:0"
		say "PASS: all $LAB_N checks passed in $secs s: sessions established, routes"
		say "learned, pings answered, counters consistent, failover in ${FAILOVER_MS:-?} ms"
		say "(private/microsoft) with BFD, and back."
		return 0
	fi
	echo "# Totals: pass:$((LAB_N - ${#LAB_FAILED[@]})) fail:${#LAB_FAILED[@]} xfail:0 xpass:0 skip:0 error:0"
	say "FAIL: ${#LAB_FAILED[@]} of $LAB_N checks failed${LAB_BREAK:+ (LAB_BREAK=$LAB_BREAK)}."
	if [ ${#LAB_CAUSES[@]} -gt 0 ]; then
		say "What went wrong:"
		for i in "${LAB_CAUSES[@]}"; do
			say "  * $i"
		done
	fi
	say "The checks that failed:"
	for i in "${LAB_FAILED[@]}"; do
		say "  - $i"
	done
	return 1
}

main()
{
	local t0

	prerequisites
	t0=$(now)
	LAB_T0=${t0%.*}
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/erdev-lab.XXXXXX") || exit 1
	trap 'lab_cleanup' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	echo "KTAP version 1"
	say "# erdev lab: an ExpressRoute circuit to a simulated Microsoft edge"
	say "kernel $(uname -r), erdev $(cat /sys/module/erdev/version 2>/dev/null), $("$ERCFG" -V), $(bird --version 2>&1)"
	stall_start
	setup_topology
	configure_circuit
	start_routing
	guarded "routes" check_routes
	guarded "the edge's view" show_circuit
	guarded "traffic" pings
	guarded "counters" counters
	guarded "iperf3" iperf
	# Only the secondary's sessions must stay up while the primary dies.
	LAB_FLAP_ADDRS="${PRIV_S_MS//./\\.}|${MSFT_S_MS//./\\.}" \
		guarded "failover" failover_and_restore
	verdict "$(( $(ms_since "$t0") / 1000 ))"
}

main "$@"
