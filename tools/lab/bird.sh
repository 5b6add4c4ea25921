# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# BIRD 2 configurations of the lab (tools/lab/lab.sh, sourced), and how the
# lab starts, queries and reads them. One BIRD per namespace, each with its
# own config, control socket, pid file and log under $LAB_TMP.
#
# Routing policy, as ExpressRoute recommends for an active/passive pair:
#  - the edge prefers the primary link for what it learns (local-pref 200
#    on p0/m0, 100 on p1/m1);
#  - the edge prepends its AS twice on the secondary link, so Microsoft
#    prefers the primary for the way back;
#  - the MSEEs pass the customer's routes to "azure" over iBGP, and azure's
#    own prefixes to the customer: the VNet on private peering only, the
#    service prefix on Microsoft peering only.
# Timers are Microsoft's (keepalive 60 s, hold 180 s): without BFD a dead
# link takes three minutes to notice. BFD runs at 300 ms x 3 on all four
# customer sessions.

# bird_common ROUTER_ID: logging and the protocols every router has.
bird_common()
{
	cat <<EOF
log "$LAB_TMP/$NS.log" all;
timeformat log "%F %T.%3f";
timeformat protocol "%T.%3f";
timeformat route "%T.%3f";
debug protocols { states, events };
router id $1;

protocol device {
	scan time 10;
}

# BGP's choices go to the kernel: that is what forwards the traffic.
protocol kernel {
	ipv4 { import none; export where source = RTS_BGP; };
}
EOF
}

# bird_bfd IFACE_PATTERN: BFD at 300 ms x 3 (nothing with LAB_BREAK=bfd).
bird_bfd()
{
	[ "$LAB_BREAK" = bfd ] && return 0
	cat <<EOF

protocol bfd {
	interface "$1" {
		min rx interval 300 ms;
		min tx interval 300 ms;
		multiplier 3;
	};
}
EOF
}

bird_bfd_on()
{
	if [ "$LAB_BREAK" = bfd ]; then
		echo "	bfd off;		# LAB_BREAK=bfd"
	else
		echo "	bfd on;"
	fi
}

# The customer sessions' timers, on both sides.
bird_session_timers()
{
	cat <<EOF
	hold time 180;			# Microsoft's BGP timers
	keepalive time 60;
	connect delay time 1;		# quick (re)connects for the lab
	connect retry time 2;
	error wait time 1, 4;
	error forget time 10;
	graceful restart off;
EOF
}

# bird_edge_peer NAME ADDR PREFS PEERING_DESC LEARN ADVERTISE PREPEND
bird_edge_peer()
{
	local name=$1 addr=$2 pref=$3 desc=$4 learn=$5 adv=$6 prepend=$7 p=""

	[ "$prepend" = 1 ] && p="bgp_path.prepend($EDGE_AS); bgp_path.prepend($EDGE_AS); "
	cat <<EOF

protocol bgp $name from msee {
	description "$desc";
	neighbor $addr as $MS_AS;
	ipv4 {
		import filter { if net = $learn then { bgp_local_pref = $pref; accept; } reject; };
		export filter { if net = $adv then { ${p}accept; } reject; };
	};
}
EOF
}

bird_edge_conf()
{
	local NS=edge

	bird_common 172.16.0.1
	cat <<EOF

# The customer's own prefixes, on lan0: on-premises and its public range.
protocol direct {
	ipv4;
	interface "lan0";
}
EOF
	bird_bfd "$CIRCUIT.*"
	cat <<EOF

template bgp msee {
	local as $EDGE_AS;
$(bird_session_timers)
	# Carrier is not trusted: with a provider between the edge and the
	# MSEE the edge's port stays up when the far end dies. BFD finds out.
	check link off;
$(bird_bfd_on)
}
EOF
	bird_edge_peer p0 "$PRIV_P_MS" 200 "private peering, primary link ($CIRCUIT.p0)" "$VNET" "$ONPREM" 0
	bird_edge_peer p1 "$PRIV_S_MS" 100 "private peering, secondary link ($CIRCUIT.p1)" "$VNET" "$ONPREM" 1
	bird_edge_peer m0 "$MSFT_P_MS" 200 "microsoft peering, primary link ($CIRCUIT.m0)" "$SERVICE" "$PUBLIC" 0
	bird_edge_peer m1 "$MSFT_S_MS" 100 "microsoft peering, secondary link ($CIRCUIT.m1)" "$SERVICE" "$PUBLIC" 1
}

# bird_msee_conf N: MSEE N (1 primary, 2 secondary).
bird_msee_conf()
{
	local n=$1 NS=msee$1 priv_me priv_cust msft_cust

	if [ "$n" = 1 ]; then
		priv_cust=$PRIV_P_CUST msft_cust=$MSFT_P_CUST
	else
		priv_cust=$PRIV_S_CUST msft_cust=$MSFT_S_CUST
	fi
	priv_me=$n
	bird_common "10.255.$n.1"
	bird_bfd "s$STAG.*"
	cat <<EOF

template bgp customer {
	local as $MS_AS;
$(bird_session_timers)
$(bird_bfd_on)
}

protocol bgp ${CIRCUIT}_private from customer {
	description "private peering of $CIRCUIT, MSEE $priv_me";
	neighbor $priv_cust as $EDGE_AS;
	ipv4 {
		import where net ~ [ 172.16.0.0/12+ ];
		export where net = $VNET;
	};
}

protocol bgp ${CIRCUIT}_microsoft from customer {
	description "microsoft peering of $CIRCUIT, MSEE $priv_me";
	neighbor $msft_cust as $EDGE_AS;
	ipv4 {
		import where net = $PUBLIC;
		export where net = $SERVICE;
	};
}

# The rest of Microsoft's network, here one router: iBGP.
protocol bgp azure {
	description "azure backbone";
	local 10.255.$n.1 as $MS_AS;
	neighbor 10.255.$n.2 as $MS_AS;
	direct;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 4;
	ipv4 {
		next hop self;
		import all;
		export where net ~ [ 172.16.0.0/12+, $PUBLIC ];
	};
}
EOF
}

bird_azure_conf()
{
	local NS=azure n

	bird_common 10.255.0.1
	cat <<EOF

# The VNet and the Microsoft service prefix.
protocol direct {
	ipv4;
	interface "vnet0", "svc0";
}
EOF
	for n in 1 2; do
		cat <<EOF

protocol bgp msee$n {
	description "MSEE $n";
	local 10.255.$n.2 as $MS_AS;
	neighbor 10.255.$n.1 as $MS_AS;
	direct;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 4;
	ipv4 {
		import all;
		export where source = RTS_DEVICE;
	};
}
EOF
	done
}

# bird_start NS: write NS's config and start its BIRD.
bird_start()
{
	local ns=$1 conf=$LAB_TMP/$1.conf

	case $ns in
	edge) bird_edge_conf ;;
	msee1) bird_msee_conf 1 ;;
	msee2) bird_msee_conf 2 ;;
	azure) bird_azure_conf ;;
	esac >"$conf" || return 1
	# Real-time priority: BFD's 300 ms must not wait behind iperf3 in a
	# small VM.
	inns "$ns" chrt -f 10 bird -c "$conf" -s "$LAB_TMP/$ns.ctl" -P "$LAB_TMP/$ns.pid"
}

# birdc NS ARGS...: the BIRD of namespace NS.
birdc_ns()
{
	local ns=$1

	shift
	inns "$ns" birdc -s "$LAB_TMP/$ns.ctl" "$@"
}

# bgp_state NS PROTO: "up Established", "start Active", ...
bgp_state()
{
	birdc_ns "$1" show protocols "$2" 2>/dev/null |
		awk -v p="$2" '$1 == p { print $4, $6 }'
}

bgp_established()
{
	[ "$(bgp_state "$1" "$2")" = "up Established" ]
}

# bfd_state NS ADDR: Up, Down, Init, AdminDown, or nothing.
bfd_state()
{
	birdc_ns "$1" show bfd sessions 2>/dev/null |
		awk -v a="$2" '$1 == a { print $3 }'
}

# bird_log_after NS PATTERN T0: ms from T0 to the first line of NS's BIRD
# log after T0 that matches PATTERN, and the line; nothing if none does.
bird_log_after()
{
	local d0 sod0

	read -r d0 sod0 <<<"$(t0_local "$3")"
	awk -v pat="$2" -v d0="$d0" -v sod0="$sod0" "$LAB_AWK_REL_MS"'
	$0 ~ pat {
		ms = rel_ms($1, $2)
		if (ms >= 0) {
			print ms, $0
			exit
		}
	}' "$LAB_TMP/$1.log" 2>/dev/null
}

# bird_log_since NS PATTERN T0: the lines of NS's BIRD log from T0 on that
# match PATTERN, each after "+MS ms".
bird_log_since()
{
	local d0 sod0

	read -r d0 sod0 <<<"$(t0_local "$3")"
	awk -v pat="$2" -v d0="$d0" -v sod0="$sod0" "$LAB_AWK_REL_MS"'
	$0 ~ pat {
		ms = rel_ms($1, $2)
		if (ms >= 0)
			printf "+%5d ms  %s\n", ms, $0
	}' "$LAB_TMP/$1.log" 2>/dev/null
}

# bfd_downs_since NS T0 [ADDR_REGEX]: how many BFD sessions (to addresses
# matching ADDR_REGEX) went from Up to Down since T0.
bfd_downs_since()
{
	bird_log_since "$1" "bfd1: Session to (${3:-.*}) changed state from Up to Down" "$2" |
		grep -c .
}
