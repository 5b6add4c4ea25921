# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab (tools/lab/lab.sh, sourced): BGP and BFD up, the routes they
# learn, the edge's view of its links, and the sessions a retried step
# waits for (settle, bfd_flapped: see guarded in lab_lib.sh).

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

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
