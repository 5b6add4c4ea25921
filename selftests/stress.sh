#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Concurrency and teardown under load: a short run of what `make stress`
# runs long.
#
# The load, started first and kept running to the end:
#  - traffic both ways on four links of three circuits (t1..t3, qinq on
#    eth0 and eth1, both peerings, to the kernel's own 8021q devices in the
#    MSEE namespaces): ping floods from the edge and from the MSEEs;
#  - three writers: circuit add, set, del and peering add, del of w1..w3 on
#    eth2 (and eth3, a dummy, as secondary), and all three at once on one
#    shared circuit, so that they collide;
#  - readers: ercfg show, -j show, stats, monitor, every erdev sysfs file,
#    ethtool -S and ip -d -s link of every erdev interface;
#  - NIC events on eth2 (a veth to MSEE2): down and up, MTU, MAC address,
#    a move to another namespace and back, enslaving it to a bridge and to
#    a bond while it carries circuits, and its deletion and re-creation.
# STRESS_TIME seconds of that alone (default 20), then, still under it,
# STRESS_ROUNDS rounds (default 3 on the 6.12 lane, 1 on the other stock
# lanes (full_depth_lane) and on the debug kernel, where a round of each
# takes about 400 s; `make stress`: 100) of each teardown:
#  - NIC removal: "ip link del" of eth4, a veth carrying 4 circuits with
#    both peerings, with a flood on one of them from each side (in a
#    namespace of its own, NR, where one ercfg apply makes them; a reader
#    runs there too);
#  - namespace deletion: "ip netns del" of a second edge namespace with 4
#    circuits on its NIC, a flood into it and a writer in it;
#  - rmmod erdev, with t1..t3 under their floods and the writers, readers
#    and NIC events going; insmod and t1..t3 again.
# Each teardown must end within STRESS_BOUND seconds (default 60, where
# 6.1's namespace deletion under this load, its single-threaded TCG VM
# beside the debug one, was seen to take 35 s; 180 on the debug kernel,
# where one took 63 s with its VM alone on the machine; a reference held
# too long shows first, as "unregister_netdevice: waiting" after 10 s,
# a kernel report): "ip link del"
# and rmmod return, the namespace's NIC is gone from the other end of its
# cable. After it, no erdev interface and no circuit of what was torn
# down is left, ercfg and ip agree on every interface, and the kernel log
# has no report. Before the load stops, every loop of it has finished a
# round (a flood's takes 10 s). The figures are printed at the end
# (# stress: lines).
# timeout: 900

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

STRESS_TIME=${STRESS_TIME:-20}
STRESS_PAUSE=${STRESS_PAUSE:-0.5}
if is_debug_kernel; then
	STRESS_ROUNDS=${STRESS_ROUNDS:-1}
	STRESS_BOUND=${STRESS_BOUND:-180}
elif full_depth_lane; then
	STRESS_ROUNDS=${STRESS_ROUNDS:-3}
else
	STRESS_ROUNDS=${STRESS_ROUNDS:-1}
fi
STRESS_BOUND=${STRESS_BOUND:-60}
MSEE2_MAC=02:5e:00:00:00:02
PIDS=()
LOOPS=()

# The load's loops run until this file exists.
stopping()
{
	[ -e "$ERDEV_TMP/stop" ]
}

# loop NAME CMD...: run CMD again and again in the background until the
# load stops, counting the rounds in $ERDEV_TMP/NAME.n. Between rounds a
# pause of STRESS_PAUSE s (default 0.5): under TCG, eleven loops of
# fork and exec without one take all the CPU, and the teardowns under
# test would be starved, not raced.
loop()
{
	local name=$1

	shift
	LOOPS+=("$name")
	(
		n=0
		while ! stopping; do
			"$@" >/dev/null 2>&1
			n=$((n + 1))
			echo "$n" >"$ERDEV_TMP/$name.n"
			sleep "$STRESS_PAUSE"
		done
	) &
	PIDS+=($!)
}

rounds_of()
{
	cat "$ERDEV_TMP/$1.n" 2>/dev/null || echo 0
}

# flood NS ADDR: a ping flood, 200 echoes a second, for 10 s (the loop
# starts it again: an interface that vanished and came back under it is
# flooded again within 10 s).
flood()
{
	in_netns "$1" ping -f -i 0.005 -q -w 10 "$2"
}

# The three circuits under traffic, as circuit and peering commands (not
# apply: apply would remove the writers' circuits too).
t_circuits()
{
	local i

	for i in 1 2 3; do
		er circuit add "t$i" stag $((100 + i)) primary eth0 secondary eth1 &&
			er peering add "t$i" private ctag 200 &&
			er peering add "t$i" microsoft ctag 300 || return 1
	done
	for i in 1 2 3; do
		echo "t$i.p0 $(peer_addr $i p 0 1)"
		echo "t$i.p1 $(peer_addr $i p 1 1)"
		echo "t$i.m0 $(peer_addr $i m 0 1)"
		echo "t$i.m1 $(peer_addr $i m 1 1)"
	done | edge_ups
}

msee_t()
{
	local i p role ctag

	for role in 0 1; do
		for i in 1 2 3; do
			for p in p m; do
				ctag=200
				[ $p = m ] && ctag=300
				echo "0x8100 $((100 + i)) $ctag $(peer_addr $i $p $role 2)"
			done
		done | msee_vlans "$(msee_ns $role)" || return 1
	done
}

# eth2, a veth to MSEE2, in the edge namespace, and eth3, a dummy.
eth2_add()
{
	veth_pair "$EDGE" eth2 02:ed:00:00:00:02 "$MSEE2" eth0 $MSEE2_MAC
}

# writer I: one round of circuit wI's life, then the shared circuit's.
writer()
{
	local c=w$1

	er circuit add "$c" stag $((200 + $1)) primary eth2 secondary eth3
	er peering add "$c" private ctag 10
	er peering add "$c" microsoft ctag 11
	er circuit set "$c" bandwidth "$((50 * $1))mbit" sku premium
	er peering del "$c" private
	er peering add "$c" private ctag 12
	er circuit del "$c"
	er circuit add shared stag 250 primary eth2
	er peering add shared private ctag "$1"
	er peering del shared private
	er circuit del shared
}

# reader: one round of everything a user or a monitoring agent reads, in
# the edge namespace (one exec: ip netns exec mounts a sysfs each time).
READER='
for d in /sys/class/net/*/erdev; do
	cat "$d"/* >/dev/null 2>&1
done
"$ERCFG" show >/dev/null 2>&1
"$ERCFG" -j show >/dev/null 2>&1
"$ERCFG" stats >/dev/null 2>&1
for d in /sys/class/net/*/erdev; do
	i=${d%/erdev}
	ethtool -S "${i##*/}" >/dev/null 2>&1
	ethtool -i "${i##*/}" >/dev/null 2>&1
done
ip -d -s link show >/dev/null 2>&1
'

# reader NS
reader()
{
	ip netns exec "$1" env ERCFG="$ERCFG" bash -c \
		"$READER"
}

monitor()
{
	timeout 5 "$ERCFG" -n "$EDGE" monitor
}

# nic_events: one round of what happens to a NIC, to eth2 under w1..w3.
nic_events()
{
	local e=(ip -n "$EDGE")

	"${e[@]}" link set eth2 down
	"${e[@]}" link set eth2 up
	"${e[@]}" link set eth2 mtu 1400
	"${e[@]}" link set eth2 mtu 1508
	"${e[@]}" link set eth2 address 02:ed:00:00:00:22
	"${e[@]}" link set eth2 address 02:ed:00:00:00:02
	"${e[@]}" link set eth2 netns "$AWAY"
	ip -n "$AWAY" link set eth2 netns "$EDGE"
	"${e[@]}" link set eth2 up
	"${e[@]}" link set eth2 master sbr0
	"${e[@]}" link set eth2 nomaster
	"${e[@]}" link set eth2 master sbond0
	"${e[@]}" link set eth2 nomaster
	"${e[@]}" link set eth2 up
	"${e[@]}" link del eth2
	eth2_add
}

# load_start: traffic, writers, readers and NIC events.
load_start()
{
	rm -f "$ERDEV_TMP/stop"
	loop flood-e0 flood "$EDGE" "$(peer_addr 1 p 0 2)"
	loop flood-e1 flood "$EDGE" "$(peer_addr 2 m 1 2)"
	loop flood-m0 flood "$MSEE0" "$(peer_addr 3 p 0 1)"
	loop flood-m1 flood "$MSEE1" "$(peer_addr 1 m 1 1)"
	loop writer1 writer 1
	loop writer2 writer 2
	loop writer3 writer 3
	loop reader reader "$EDGE"
	loop reader-nr reader "$NR"
	loop monitor monitor
	loop nic-events nic_events
}

load_stop()
{
	local pid

	touch "$ERDEV_TMP/stop"
	# Not waited for: a writer's round takes a minute on the debug kernel.
	# A command killed half-way is one a user could have interrupted too.
	for pid in "${PIDS[@]}"; do
		pkill -9 -P "$pid" 2>/dev/null
		kill -9 "$pid" 2>/dev/null
	done
	pkill -9 -f "$ERCFG" 2>/dev/null
	# A loop that SIGKILL has not ended in STRESS_BOUND s is stuck in the
	# kernel: say where (its stack, every process's state) instead of
	# waiting for the test's timeout, and fail the check that follows.
	for pid in "${PIDS[@]}"; do
		slowwait "$STRESS_BOUND" gone_or_zombie "$pid" && continue
		LOAD_STUCK+=" $pid"
		ktap_print_msg "stress: loop $pid still runs $STRESS_BOUND s after SIGKILL:"
		cat "/proc/$pid/stack" 2>&1 | sed 's/^/#   /'
		ps -eo pid,ppid,stat,wchan:32,etime,args 2>&1 | sed 's/^/#   /'
	done
	for pid in "${PIDS[@]}"; do
		case " $LOAD_STUCK " in *" $pid "*) continue ;; esac
		wait "$pid" 2>/dev/null
	done
	PIDS=()
}

LOAD_STUCK=

# gone_or_zombie PID: PID has exited (reaped or not).
gone_or_zombie()
{
	local stat

	stat=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$stat" ] || [ "$stat" = Z ]
}

# rx_of NS DEV: rx packets of DEV.
rx_of()
{
	if_stat "$1" "$2" rx packets 2>/dev/null || echo 0
}

# Traffic flowed both ways: each flooded link received on both sides.
traffic_both_ways()
{
	local a b

	a=$(rx_of "$EDGE" t1.p0) b=$(rx_of "$MSEE0" s101.200)
	[ "$a" -gt 100 ] && [ "$b" -gt 100 ] || return 1
	a=$(rx_of "$EDGE" t3.p0) b=$(rx_of "$MSEE0" s103.200)
	[ "$a" -gt 100 ] && [ "$b" -gt 100 ] || return 1
	a=$(rx_of "$EDGE" t1.m1) b=$(rx_of "$MSEE1" s101.300)
	[ "$a" -gt 100 ] && [ "$b" -gt 100 ]
}

# every_loop_ran: each loop of the load finished a round.
every_loop_ran()
{
	local n

	for n in "${LOOPS[@]}"; do
		[ "$(rounds_of $n)" -gt 0 ] || { echo "$n never ran"; return 1; }
	done
}

# agree NS: the links ercfg shows are the erdev interfaces ip shows.
agree()
{
	local shown

	shown=$(er_ns "$1" -j show |
		jq -r '[.[].peerings[].links[].ifname] | sort | join(" ")') || return 1
	[ "$shown" = "$(erdev_ifaces "$1")" ] ||
		{ echo "ercfg: '$shown' ip: '$(erdev_ifaces "$1")'"; return 1; }
}

# timed_add KIND MS: a teardown of KIND took MS ms, added to the figures;
# fails when that is more than STRESS_BOUND s.
declare -A T_MAX=() T_SUM=() T_N=()
timed_add()
{
	local kind=$1 ms=$2

	T_N[$kind]=$((${T_N[$kind]:-0} + 1))
	T_SUM[$kind]=$((${T_SUM[$kind]:-0} + ms))
	((ms > ${T_MAX[$kind]:-0})) && T_MAX[$kind]=$ms
	if ((ms > STRESS_BOUND * 1000)); then
		echo "$kind took $ms ms, more than $STRESS_BOUND s"
		return 1
	fi
}

# round_circuits NS NIC MIF STAG NET: a veth NIC in NS to MIF in MSEE2,
# circuits STAG..STAG+3 on it with both peerings (one ercfg apply, in a
# namespace of the round's own), the first private one up with NET.1/30 and
# its MSEE end NET.2/30 (one ip batch each).
round_circuits()
{
	local ns=$1 nic=$2 mif=$3 stag=$4 net=$5 i conf=$ERDEV_TMP/round.conf

	for ((i = stag; i < stag + 4; i++)); do
		echo "circuit r$i stag $i primary $nic"
		echo "peering r$i private ctag 20"
		echo "peering r$i microsoft ctag 30"
	done >"$conf"
	ip link add "$nic" netns "$ns" mtu 1508 type veth \
		peer name "$mif" netns "$MSEE2" mtu 1508 &&
		ip -n "$ns" link set "$nic" up &&
		er_ns "$ns" apply "$conf" &&
		ip -n "$ns" -batch - <<-EOF &&
			link set r$stag.p0 up
			addr add $net.1/30 dev r$stag.p0
		EOF
		ip -n "$MSEE2" -batch - <<-EOF
			link set $mif up
			link add link $mif name r$stag type vlan id $stag
			link set r$stag up
			link add link r$stag name r$stag.20 type vlan id 20
			link set r$stag.20 up
			addr add $net.2/30 dev r$stag.20
		EOF
}

# rx_over NS DEV...: DEV in NS, and each further NS DEV pair, received
# more than 20 packets.
rx_over()
{
	while (($#)); do
		[ "$(rx_of "$1" "$2")" -gt 20 ] || return 1
		shift 2
	done
}

# flowing NS DEV...: rx_over within STRESS_BOUND s (a round's floods start
# under the load, and on the debug kernel their first 20 echoes were seen
# to take more than 20 s). If not, each DEV as ip shows it, to tell a slow
# start from a link that carries nothing.
flowing()
{
	slowwait "$STRESS_BOUND" rx_over "$@" && return 0
	while (($#)); do
		echo "no traffic on $2 in ${1%%-*}:"
		ip -n "$1" -d -s link show "$2"
		shift 2
	done
	return 1
}

# Round 1: a NIC with 4 circuits and a flood each way on one goes.
nic_round()
{
	local t0 t1

	round_circuits "$NR" eth4 eth4 11 10.40.0 || return 1
	round_bg nsenter --net="$NETNS_RUN_DIR/$NR" ping -f -i 0.005 -q -w 60 10.40.0.2
	round_bg nsenter --net="$NETNS_RUN_DIR/$MSEE2" ping -f -i 0.005 -q -w 60 10.40.0.1
	flowing "$NR" r11.p0 "$MSEE2" r11.20 || return 1
	t0=$(timestamp_ms)
	ip -n "$NR" link del eth4 || return 1
	t1=$(timestamp_ms)
	round_end
	timed_add "NIC removal" $((t1 - t0)) || return 1
	[ "$(er_ns "$NR" -j show | jq -c .) $(erdev_ifaces "$NR")" = "[] " ] ||
		{ echo "left: $(er_ns "$NR" -j show | jq -c '[.[].name]') $(erdev_ifaces "$NR")"; return 1; }
}

# round_bg CMD...: CMD in the background for this round only.
ROUND_PIDS=()
round_bg()
{
	"$@" >/dev/null 2>&1 &
	ROUND_PIDS+=($!)
}

# round_end: what round_bg started is stopped (a flood outlives the
# interface it was sent through: its echoes just go unanswered).
round_end()
{
	stop_pids "${ROUND_PIDS[@]}"
	ROUND_PIDS=()
}

# Round 2: a namespace with 4 circuits, a flood into it and a writer in
# it goes.
netns_round()
{
	local ns t0 t1

	setup_ns E2 || return 1
	ns=$E2
	round_circuits "$ns" eth0 eth5 31 10.41.0 || return 1
	round_bg nsenter --net="$NETNS_RUN_DIR/$MSEE2" ping -f -i 0.005 -q -w 60 10.41.0.1
	round_bg bash -c 'while "$0" -n "$1" circuit add x stag 99 primary eth0 &&
		"$0" -n "$1" circuit del x; do :; done' "$ERCFG" "$ns"
	flowing "$ns" r31.p0 || return 1
	t0=$(timestamp_ms)
	ip netns del "$ns" || return 1
	__ns_forget "$ns"
	E2=
	slowwait "$((STRESS_BOUND * 2))" eval \
		'! ip -n "$MSEE2" link show eth5 &>/dev/null' || true
	t1=$(timestamp_ms)
	round_end
	timed_add "namespace deletion" $((t1 - t0))
}

# Round 3: rmmod erdev under everything; insmod, t1..t3 again.
rmmod_round()
{
	local t0 t1 out

	flowing "$EDGE" t1.p0 || return 1
	t0=$(timestamp_ms)
	# A dump in progress holds the module: rmmod says "in use"; try again.
	while ! out=$(rmmod erdev 2>&1); do
		[[ $out == *"in use"* ]] || { echo "$out"; return 1; }
		(($(timestamp_ms) - t0 > STRESS_BOUND * 1000)) && break
		sleep 0.05
	done
	t1=$(timestamp_ms)
	timed_add "rmmod" $((t1 - t0)) || return 1
	[ -z "$(erdev_ifaces "$EDGE")" ] ||
		{ echo "interfaces left: $(erdev_ifaces "$EDGE")"; return 1; }
	insmod "$ERDEV_KO" && t_circuits
}

# rounds KIND FUNC: STRESS_ROUNDS rounds of FUNC, one check for all of
# them; the kernel log is read at the end of each round.
rounds()
{
	local kind=$1 fn=$2 r out t0=$SECONDS

	for ((r = 1; r <= STRESS_ROUNDS; r++)); do
		klog_mark
		if ! "$fn" >"$ERDEV_TMP/round.out" 2>&1 </dev/null; then
			round_end
			ktap_test_fail "$kind, round $r of $STRESS_ROUNDS"
			sed 's/^/# /' "$ERDEV_TMP/round.out"
			return 1
		fi
		if ! out=$(klog_reports); then
			ktap_test_fail "$kind, round $r of $STRESS_ROUNDS: kernel report"
			printf '# %s\n' "$out"
			return 1
		fi
	done
	ktap_test_pass "$kind: $STRESS_ROUNDS rounds under load, each in $STRESS_BOUND s"
	ktap_print_msg "stress: $kind: the rounds took $((SECONDS - t0)) s"
}

ktap_print_header
erdev_require ping ethtool timeout pkill
ktap_set_plan 13
modprobe -q dummy 2>/dev/null
modprobe -q bridge 2>/dev/null
modprobe -q bonding 2>/dev/null
modprobe -q 8021q 2>/dev/null
erdev_tmpdir || exit "$KSFT_FAIL"

if ! erdev_topo || ! setup_ns MSEE2 AWAY NR ||
	! ns_quiet "$MSEE2" "$AWAY" "$NR"; then
	ktap_print_msg "cannot set up the namespaces"
	exit "$KSFT_FAIL"
fi
defer load_stop
klog_mark
check_ok "t1..t3 on eth0 and eth1, both peerings, and their MSEE ends" \
	eval 't_circuits && msee_t'
check_ok "eth2 (a veth to MSEE2), eth3 (a dummy), a bridge and a bond" \
	eval 'eth2_add && ip -n "$EDGE" link add eth3 type dummy &&
		ip -n "$EDGE" link set eth3 up &&
		ip -n "$EDGE" link add sbr0 type bridge &&
		ip -n "$EDGE" link add sbond0 type bond'

load_start
ktap_print_msg "stress: $SECONDS s in: the load runs"
sleep "$STRESS_TIME"
check_ok "traffic both ways on t1.p0, t3.p0, t1.m1 under the load" \
	slowwait 60 traffic_both_ways
check_ok "no kernel report under $STRESS_TIME s of load" klog_reports

rounds "NIC removal" nic_round
rounds "namespace deletion" netns_round
rounds "rmmod" rmmod_round

# With one round of each teardown the load may be younger than a round
# of its slowest loop: wait for that round, up to 60 s more.
check_ok "every writer, reader, NIC event and flood loop ran" \
	slowwait 60 every_loop_ran
t0=$SECONDS
load_stop
ktap_print_msg "stress: the load took $((SECONDS - t0)) s to stop"
check_eq "every loop of the load ended on SIGKILL" "" "$LOAD_STUCK"
check_ok "t1..t3 carry traffic after it all" \
	eval 'erdev_ping "$EDGE" "$(peer_addr 1 p 0 2)" &&
		erdev_ping "$EDGE" "$(peer_addr 3 m 1 2)"'
check_ok "ercfg and ip agree on every erdev interface" agree "$EDGE"

for k in "NIC removal" "namespace deletion" "rmmod"; do
	n=${T_N[$k]:-0}
	((n)) || continue
	ktap_print_msg "stress: $k: $n rounds, mean $((T_SUM[$k] / n)) ms, max ${T_MAX[$k]} ms (bound $STRESS_BOUND s)"
done
for n in "${LOOPS[@]}"; do
	f+=" $n $(rounds_of $n)"
done
ktap_print_msg "stress: loop rounds:$f"
ktap_print_msg "stress: packets received since the last rmmod: t1.p0 $(rx_of "$EDGE" t1.p0), s101.200 $(rx_of "$MSEE0" s101.200)"

check_ok "rmmod erdev with what is left" rmmod erdev
check_ok "no kernel report" klog_reports
ktap_finished
