# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab (tools/lab/lab.sh, sourced): the topology (four namespaces, the
# MSEEs' 8021q devices, their links) and the circuit on the edge.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

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
