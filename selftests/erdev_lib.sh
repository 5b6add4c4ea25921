# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the erdev selftests. Source it after lib.sh.
#
# Topology (erdev_topo):
#
#   $EDGE (customer edge, where erdev runs)       $MSEE0 / $MSEE1 (Microsoft)
#     eth0 02:ed:00:00:00:00 ------ veth ------ $MSEE0 eth0 02:5e:00:00:00:00
#     eth1 02:ed:00:00:00:01 ------ veth ------ $MSEE1 eth0 02:5e:00:00:00:01
#
# Every NIC has MTU 1508, room for two tags under a 1500-byte interface.
# IPv6 is off in every namespace so that nothing but the tests' own frames
# is ever on the wire, and counters can be asserted exactly.
#
# Addresses: peering link N of circuit C is 10.C.N.0/30, the edge taking .1
# and the MSEE .2, with N = 2 * peering + role (private 0, microsoft 1;
# primary 0, secondary 1): c1.p0 10.1.0.1, c1.p1 10.1.1.1, c1.m0 10.1.2.1,
# c1.m1 10.1.3.1.

ERDEV_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ERCFG=${ERCFG:-$ERDEV_SELFTESTS/../tools/ercfg/ercfg}
ERDEV_TOOL=(python3 "$ERDEV_SELFTESTS/erdev_tool.py")
ERDEV_VERSION=$(cat "$ERDEV_SELFTESTS/../VERSION" 2>/dev/null)

EDGE_MAC0=02:ed:00:00:00:00
EDGE_MAC1=02:ed:00:00:00:01
MSEE_MAC0=02:5e:00:00:00:00
MSEE_MAC1=02:5e:00:00:00:01

# Ping: 3 echoes, all of which must come back within the deadline.
PING_COUNT=3

# erdev_require CMD...: skip the test unless ercfg, the module and CMDs exist.
erdev_require()
{
	local c

	for c in ip jq nsenter python3 "$@"; do
		require_cmd "$c"
	done
	if [ ! -x "$ERCFG" ]; then
		ktap_skip_all "no ercfg at $ERCFG"
		exit "$KSFT_SKIP"
	fi
	if ! grep -q '^erdev ' /proc/modules; then
		ktap_skip_all "erdev is not loaded"
		exit "$KSFT_SKIP"
	fi
	modprobe -q veth 2>/dev/null
	modprobe -q 8021q 2>/dev/null
	return 0
}

# erdev_tmpdir: a scratch directory, removed when the test exits.
erdev_tmpdir()
{
	if [ -z "${ERDEV_TMP:-}" ]; then
		ERDEV_TMP=$(mktemp -d "${TMPDIR:-/tmp}/erdev.XXXXXX") || return 1
		defer rm -rf "$ERDEV_TMP"
	fi
}

# ns_quiet NS...: no IPv6 (no DAD, RS, MLD), strict reverse path filter.
ns_quiet()
{
	local ns

	for ns in "$@"; do
		in_netns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 \
			net.ipv4.conf.all.rp_filter=1 \
			net.ipv4.conf.default.rp_filter=1 || return 1
	done
}

# veth_pair NS1 IF1 MAC1 NS2 IF2 MAC2: a veth pair, MTU 1508, both ends up.
veth_pair()
{
	ip link add "$2" netns "$1" address "$3" mtu 1508 type veth \
		peer name "$5" netns "$4" address "$6" mtu 1508 || return 1
	ip -n "$1" link set "$2" up && ip -n "$4" link set "$5" up
}

# erdev_topo: the namespaces and veth pairs drawn at the top of this file.
erdev_topo()
{
	setup_ns EDGE MSEE0 MSEE1 || return 1
	ns_quiet "$EDGE" "$MSEE0" "$MSEE1" || return 1
	veth_pair "$EDGE" eth0 $EDGE_MAC0 "$MSEE0" eth0 $MSEE_MAC0 &&
		veth_pair "$EDGE" eth1 $EDGE_MAC1 "$MSEE1" eth0 $MSEE_MAC1
}

# msee NS: the MSEE namespace of link ROLE (0 primary, 1 secondary).
msee_ns()
{
	if [ "$1" = 0 ]; then echo "$MSEE0"; else echo "$MSEE1"; fi
}

# er ARGS...: ercfg in the edge namespace. ercfg -n joins the namespace
# itself: one exec, where "ip netns exec" costs two and a sysfs mount
# (seconds apiece on the debug kernel under TCG).
er()
{
	"$ERCFG" -n "$EDGE" "$@"
}

# er_ns NS ARGS...: ercfg in namespace NS.
er_ns()
{
	local ns=$1

	shift
	"$ERCFG" -n "$ns" "$@"
}

# erdev_tool NS ARGS...: erdev_tool.py in namespace NS.
erdev_tool()
{
	local ns=$1

	shift
	in_netns "$ns" "${ERDEV_TOOL[@]}" "$@"
}

# vlan_proto TPID: the "proto" of ip-link's vlan type for a TPID.
vlan_proto()
{
	case $1 in
	0x8100) echo 802.1Q ;;
	0x88a8) echo 802.1ad ;;
	esac
}

# peer_addr C PEERING ROLE SIDE: address of one end of a peering link (see
# the top). PEERING is p or m, ROLE 0 or 1, SIDE 1 (edge) or 2 (MSEE).
peer_addr()
{
	local n=$3

	[ "$2" = m ] && n=$((n + 2))
	echo "10.$1.$n.$4"
}

# msee_qinq NS TPID STAG CTAG ADDR: the Microsoft end of one peering link,
# made of the kernel's own 8021q devices: eth0 -> sSTAG (outer tag, TPID)
# -> sSTAG.CTAG (inner 802.1Q tag), with ADDR/30.
msee_qinq()
{
	local ns=$1 tpid=$2 stag=$3 ctag=$4 addr=$5

	if ! ip -n "$ns" link show "s$stag" &>/dev/null; then
		ip -n "$ns" link add link eth0 name "s$stag" type vlan \
			proto "$(vlan_proto "$tpid")" id "$stag" || return 1
		ip -n "$ns" link set "s$stag" up || return 1
	fi
	ip -n "$ns" link add link "s$stag" name "s$stag.$ctag" type vlan \
		proto 802.1Q id "$ctag" || return 1
	ip -n "$ns" link set "s$stag.$ctag" up &&
		ip -n "$ns" addr add "$addr/30" dev "s$stag.$ctag"
}

# msee_dot1q NS TPID VID ADDR: the Microsoft end of a dot1q peering link:
# eth0 -> vVID (TPID), with ADDR/30.
msee_dot1q()
{
	local ns=$1 tpid=$2 vid=$3 addr=$4

	ip -n "$ns" link add link eth0 name "v$vid" type vlan \
		proto "$(vlan_proto "$tpid")" id "$vid" || return 1
	ip -n "$ns" link set "v$vid" up &&
		ip -n "$ns" addr add "$addr/30" dev "v$vid"
}

# msee_vlans NS: the MSEE ends of several peering links at once (one ip
# process), from lines "TPID OUTER INNER ADDR" on standard input: qinq as
# msee_qinq does, or dot1q (INNER "-") as msee_dot1q does.
msee_vlans()
{
	local ns=$1 tpid outer inner addr dev
	local -A seen=()

	while read -r tpid outer inner addr; do
		[ -n "$tpid" ] || continue
		if [ "$inner" = - ]; then
			dev=v$outer
			echo "link add link eth0 name $dev type vlan proto $(vlan_proto "$tpid") id $outer"
		else
			if [ -z "${seen[$outer]:-}" ]; then
				echo "link add link eth0 name s$outer type vlan proto $(vlan_proto "$tpid") id $outer"
				echo "link set s$outer up"
				seen[$outer]=1
			fi
			dev=s$outer.$inner
			echo "link add link s$outer name $dev type vlan proto 802.1Q id $inner"
		fi
		echo "link set $dev up"
		echo "addr add $addr/30 dev $dev"
	done | ip -n "$ns" -batch -
}

# msee_del NS: remove the MSEE's VLAN devices (not its eth0).
msee_del()
{
	ip -n "$1" -j link show type vlan |
		jq -r '.[] | select(.link == "eth0") | "link del \(.ifname)"' |
		ip -n "$1" -force -batch - 2>/dev/null
	return 0
}

# edge_up IF ADDR: bring an erdev interface up with ADDR/30.
edge_up()
{
	ip -n "$EDGE" link set "$1" up &&
		ip -n "$EDGE" addr replace "$2/30" dev "$1"
}

# edge_ups: edge_up for each line "IF ADDR" of standard input, in one ip.
edge_ups()
{
	local dev addr

	while read -r dev addr; do
		[ -n "$dev" ] || continue
		echo "link set $dev up"
		echo "addr replace $addr/30 dev $dev"
	done | ip -n "$EDGE" -batch -
}

# erdev_c1 [ARGS...]: the tests' circuit c1 in $EDGE: S-tag 100 on eth0
# (primary) and eth1 (secondary), private peering on C-tag 200 and
# microsoft peering on C-tag 300; its links c1.p0, c1.p1, c1.m0, c1.m1
# take the addresses drawn at the top of this file (edge_up). ARGS,
# when given, stand for "primary eth0 secondary eth1" in "circuit add"
# (e.g. "primary eth0" alone, or with bandwidth, sku...).
erdev_c1()
{
	[ $# -gt 0 ] || set -- primary eth0 secondary eth1
	er circuit add c1 stag 100 "$@" &&
		er peering add c1 private ctag 200 &&
		er peering add c1 microsoft ctag 300
}

# erdev_ping NS ADDR [COUNT]: every echo must come back.
erdev_ping()
{
	in_netns "$1" ping -q -c "${3:-$PING_COUNT}" -i 0.2 -w 15 "$2" \
		>/dev/null 2>&1
}

# static_neigh NS DEV ADDR MAC: a permanent neighbour entry, so that no ARP
# frame ever disturbs a counter.
static_neigh()
{
	ip -n "$1" neigh replace "$3" lladdr "$4" dev "$2" nud permanent
}

# if_mac NS DEV. (One program, not ip and jq: each program a test starts
# costs a debug guest about half a second; Documentation/testing.rst.)
if_mac()
{
	local _name _state mac

	read -r _name _state mac _ < <(ip -n "$1" -br link show dev "$2") &&
		[ -n "$mac" ] && echo "$mac"
}

# if_stats NS DEV: "rx_packets rx_bytes tx_packets tx_bytes", from ip -s.
if_stats()
{
	ip -n "$1" -s -j link show "$2" |
		jq -r '.[0].stats64 | "\(.rx.packets) \(.rx.bytes) \(.tx.packets) \(.tx.bytes)"'
}

# if_stat NS DEV rx|tx FIELD: one counter from ip -s.
if_stat()
{
	ip -n "$1" -s -j link show "$2" | jq -r ".[0].stats64.$3.$4"
}

# ethtool_kv NS DEV OPTION: "NAME VALUE" lines of ethtool OPTION DEV (-S,
# -k), parsed in the shell: read by ethtool_stat(s) and get_offloads.
ethtool_kv()
{
	local out k v

	out=$(in_netns "$1" ethtool "$3" "$2") || return 1
	while read -r k v; do
		[[ $k == *: ]] && echo "${k%:} ${v%% *}"
	done <<<"$out"
}

# ethtool_pick NAME...: the values of those names, in that order, on one
# line, from ethtool_kv's lines on stdin; a name that is not there is left
# out. Fails when none is there.
ethtool_pick()
{
	local -A val
	local k v n out=()

	while read -r k v; do
		val[$k]=$v
	done
	for n in "$@"; do
		[ -n "${val[$n]+x}" ] && out+=("${val[$n]}")
	done
	[ ${#out[@]} -gt 0 ] || return 1
	echo "${out[*]}"
}

# ethtool_stat NS DEV NAME: one ethtool -S counter.
ethtool_stat()
{
	ethtool_kv "$1" "$2" -S | ethtool_pick "$3"
}

# ethtool_stats NS DEV NAME...: several ethtool -S counters, on one line.
ethtool_stats()
{
	local ns=$1 dev=$2 kv

	shift 2
	kv=$(ethtool_kv "$ns" "$dev" -S) || return 1
	ethtool_pick "$@" <<<"$kv"
	return 0
}

# port_counters NS DEV: "stag ctag untagged bad_tpid malformed" of the port
# under erdev interface DEV, from ethtool -S.
port_counters()
{
	ethtool_stats "$1" "$2" port_rx_unknown_stag port_rx_unknown_ctag \
		port_rx_untagged port_rx_bad_tpid port_rx_malformed
}

# erdev_ifaces NS: the erdev interfaces of a namespace, sorted, one line.
erdev_ifaces()
{
	ip -n "$1" -d -j link show |
		jq -r '[.[] | select(.linkinfo.info_kind == "erdev") | .ifname] | sort | join(" ")'
}

# erdev_state NS: what must not change when a command is refused: the
# circuits (ercfg -j show) and the interfaces (ip -o link, without counters).
erdev_state()
{
	er_ns "$1" -j show
	ip -n "$1" -o link show
}

# check_refused DESC EXPECTED_STDERR CMD...: CMD fails with status 1 (or
# $REFUSED_RC), prints exactly EXPECTED_STDERR on stderr and nothing on
# stdout, and the state of namespace $EDGE (or $STATE_NS) is what it was.
# The state after one refusal is the state before the next: a test that
# changes anything in between calls state_forget.
ERDEV_STATE_NS=
ERDEV_STATE=

state_forget()
{
	ERDEV_STATE_NS=
}

check_refused()
{
	local desc=$1 want=$2 ns=${STATE_NS:-$EDGE} rc_want=${REFUSED_RC:-1}
	local before out err rc same=changed

	shift 2
	erdev_tmpdir || return 1
	if [ "$ERDEV_STATE_NS" = "$ns" ]; then
		before=$ERDEV_STATE
	else
		before=$(erdev_state "$ns" </dev/null)
	fi
	out=$("$@" 2>"$ERDEV_TMP/stderr")
	rc=$?
	err=$(<"$ERDEV_TMP/stderr")
	ERDEV_STATE=$(erdev_state "$ns" </dev/null)
	ERDEV_STATE_NS=$ns
	[ "$before" = "$ERDEV_STATE" ] && same=unchanged
	if [ "$same" != unchanged ]; then
		ktap_print_msg "state before: $before"
		ktap_print_msg "state after: $ERDEV_STATE"
	fi
	check_eq "$desc" \
		"status $rc_want, stdout '', stderr '$want', state unchanged" \
		"status $rc, stdout '$out', stderr '$err', state $same"
}

# Captures. cap_start NS DEV NAME: capture everything on DEV into
# $ERDEV_TMP/NAME.pcap, in the background. cap_wait NAME COUNT ERE: wait
# until COUNT frames match ERE. cap_stop NAME: stop, and keep the frames as
# "tcpdump -t -e -n" prints them in CAP_TEXT[NAME]. cap_count NAME ERE: the
# number of those lines that match ERE (no process spawned).
declare -A CAP_PID CAP_TEXT

cap_start()
{
	local f

	erdev_tmpdir || return 1
	f=$ERDEV_TMP/$3
	nsenter --net="$NETNS_RUN_DIR/$1" tcpdump -Z root --immediate-mode -U -n -i "$2" \
		-w "$f.pcap" 2>"$f.err" &
	CAP_PID[$3]=$!
	busywait 20000 grep -q "listening on" "$f.err"
}

cap_read()
{
	tcpdump -t -e -n -r "$ERDEV_TMP/$1.pcap" 2>/dev/null
}

__cap_has()
{
	[ "$(cap_read "$1" | grep -cE "$3")" -ge "$2" ]
}

cap_wait()
{
	busywait 20000 __cap_has "$@"
}

cap_stop()
{
	local pid=${CAP_PID[$1]:-}

	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		unset "CAP_PID[$1]"
	fi
	CAP_TEXT[$1]=$(cap_read "$1")
}

cap_count()
{
	local line n=0

	while IFS= read -r line; do
		[[ $line =~ $2 ]] && n=$((n + 1))
	done <<<"${CAP_TEXT[$1]}"
	echo "$n"
}

# set_offloads NS DEV on|off: the VLAN offloads of a veth, both TPIDs.
set_offloads()
{
	in_netns "$1" ethtool -K "$2" rxvlan "$3" txvlan "$3" \
		rx-vlan-stag-hw-parse "$3" tx-vlan-stag-hw-insert "$3" >/dev/null
}

# get_offloads NS DEV: the four VLAN offload states, "on on on on".
get_offloads()
{
	ethtool_kv "$1" "$2" -k | ethtool_pick rx-vlan-offload tx-vlan-offload \
		rx-vlan-stag-hw-parse tx-vlan-stag-hw-insert
}

# stop_pids PID...: kill the background jobs PID... and reap them.
stop_pids()
{
	local pid

	for pid in "$@"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}

# erdev_reload: unload and load the module again.
erdev_reload()
{
	rmmod erdev 2>/dev/null
	insmod "$ERDEV_KO"
}

# Kernel reports during a test. klog_mark: remember where the kernel log
# ends. klog_reports: print the report lines (as tools/vm/scan-kernel-log.awk
# counts them: BUG, WARNING, KASAN, Oops, refcount, lockdep, RCU, ...)
# logged since the mark; status 0 when there are none, so that a check
# fails on the step that made them.
KLOG_REPORT_ERE='BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|kernel BUG at|refcount_t:|unregister_netdevice: waiting|possible circular locking|suspicious RCU usage|inconsistent lock state|sleeping function called from invalid context|possible recursive locking|list_add corruption|list_del corruption|ODEBUG:|ref_tracker: '
KLOG_MARK=0

klog_mark()
{
	local lines

	mapfile -t lines < <(dmesg)
	KLOG_MARK=${#lines[@]}
}

klog_reports()
{
	local lines i rc=0

	mapfile -t lines < <(dmesg)
	for ((i = KLOG_MARK; i < ${#lines[@]}; i++)); do
		[[ ${lines[i]} =~ $KLOG_REPORT_ERE ]] || continue
		printf '%s\n' "${lines[i]}"
		rc=1
	done
	return $rc
}

# Kernel function calls, counted with a kprobe event by the name of the
# task that made them (so that the namespace cleanup of an earlier test,
# in a kworker, is not counted). kprobe_start FUNC [FETCHARG...]: returns
# 1 when kprobe events are not available. kprobe_lines COMM: the trace
# lines of the calls so far by tasks named COMM. kprobe_stop: remove the
# probe (also at exit).
KPROBE_DIR=
kprobe_tracefs()
{
	local d

	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		[ -w "$d/kprobe_events" ] && { echo "$d"; return 0; }
	done
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null &&
		[ -w /sys/kernel/tracing/kprobe_events ] &&
		echo /sys/kernel/tracing
}

kprobe_start()
{
	KPROBE_DIR=$(kprobe_tracefs) || return 1
	grep -qw "$1" /proc/kallsyms || return 1
	echo "p:erdev_selftest/call $*" >>"$KPROBE_DIR/kprobe_events" ||
		return 1
	defer kprobe_stop
	echo >"$KPROBE_DIR/trace"
	echo 1 >"$KPROBE_DIR/events/erdev_selftest/call/enable"
}

kprobe_lines()
{
	awk -v comm="$1" '
		/^#/ { next }
		{ task = $1; sub(/-[0-9]+$/, "", task) }
		task == comm' "$KPROBE_DIR/trace"
}

kprobe_stop()
{
	[ -n "$KPROBE_DIR" ] || return 0
	echo 0 >"$KPROBE_DIR/events/erdev_selftest/call/enable" 2>/dev/null
	echo "-:erdev_selftest/call" >>"$KPROBE_DIR/kprobe_events" 2>/dev/null
	echo >"$KPROBE_DIR/trace"
	KPROBE_DIR=
}

# Unregister batches: calls of the kernel's unregister_netdevice_many with
# a non-empty list (8021q and rtnl_link_unregister() make empty ones).
# batches_start, then batches_count COMM.
batches_start()
{
	local func=unregister_netdevice_many

	grep -qw unregister_netdevice_many_notify /proc/kallsyms &&
		func=unregister_netdevice_many_notify
	# The list head (x86-64: first argument in %di) and its first entry.
	kprobe_start "$func" head=%di:x64 "next=+0(%di):x64"
}

batches_count()
{
	kprobe_lines "$1" | awk '
		{
			h = $0; sub(/.*head=/, "", h); sub(/ .*/, "", h)
			x = $0; sub(/.*next=/, "", x); sub(/ .*/, "", x)
			if (h != x) n++
		}
		END { print n + 0 }'
}
