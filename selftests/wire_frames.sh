#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile frames from the wire, every one accounted for.
#
# tools/fuzz/wirefuzz.py sends random frames from the MSEE side (runts,
# frames cut inside a tag, untagged and 802.3 length frames, the port's
# TPID and others, VLAN IDs of every value and the peerings', PCP and DEI
# bits, a third tag, jumbo frames past the edge NIC's MTU; the MSEE NIC
# has MTU 9000) and works out the fate of each: delivered to an interface,
# dropped for an interface that is down, one of the port counters, dropped
# by the core (too short to untag) or by veth (over the MTU). Every
# counter must then be exactly what it says:
#
#  - qinq, circuits c1 (S-tag 100: private 200 up, microsoft 300 down) and
#    c2 (S-tag 101: private 200 up) on eth0;
#  - dot1q, circuit d1 (private 200 up, microsoft 300 down) on eth1;
#  - then the same frames on eth0 while circuit c3 (S-tag 102) and its
#    peerings are created and deleted on eth0 over and over, and c2
#    changes: no report in the kernel log, and the port's accounting
#    exact again afterwards.
# WIRE_FRAMES (default 20000, 2500 on the debug kernel) frames per port
# and phase; WIRE_SEED replays a run.
# timeout: 600

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

WIREFUZZ=(python3 "$ERDEV_SELFTESTS/../tools/fuzz/wirefuzz.py")

setup()
{
	ip -n "$MSEE0" link set eth0 mtu 9000 &&
		ip -n "$MSEE1" link set eth0 mtu 9000 &&
		erdev_c1 primary eth0 &&
		er circuit add c2 stag 101 primary eth0 &&
		er peering add c2 private ctag 200 &&
		er circuit add d1 encap dot1q primary eth1 &&
		er peering add d1 private ctag 200 &&
		er peering add d1 microsoft ctag 300 &&
		ip -n "$EDGE" link set c1.p0 up &&
		ip -n "$EDGE" link set c2.p0 up &&
		ip -n "$EDGE" link set d1.p0 up
}

# counters: one JSON object of every counter the fates name, per port:
# {"eth0": {"rx": N, "rx_unknown_stag": N, ..., "c1.p0": N,
# "c1.m0/drop": N, ...}, "eth1": {...}}.
counters()
{
	{
		er -j stats
		ip -n "$EDGE" -s -j link show
	} | jq -s -c '
		(.[1] | map({(.ifname): .stats64.rx}) | add) as $rx
		| ([.[0][] | .ports[] | {(.ifname): (.stats + {rx: $rx[.ifname].packets})}]
		   | add) as $ports
		| [.[0][] | .peerings[].links[]
		   | {key: .lower, value: {(.ifname): $rx[.ifname].packets,
					   (.ifname + "/drop"): $rx[.ifname].dropped}}]
		| reduce .[] as $l ($ports; .[$l.key] += $l.value)'
}

# blast PORT ARGS...: wirefuzz.py from the MSEE of PORT (eth0: MSEE0,
# eth1: MSEE1) to the edge's PORT; its JSON report on stdout.
blast()
{
	local port=$1 ns mac

	shift
	if [ "$port" = eth0 ]; then ns=$MSEE0; else ns=$MSEE1; fi
	mac=$(if_mac "$EDGE" "$port")
	in_netns "$EDGE" "${WIREFUZZ[@]}" --tx-ns "$ns" --tx-dev eth0 \
		--dst "$mac" --mtu 1508 "$@"
}

QINQ=(--peering 100:200=c1.p0 --peering 100:300=c1.m0 --down c1.m0
	--peering 101:200=c2.p0)
DOT1Q=(--encap dot1q --peering 200=d1.p0 --peering 300=d1.m0 --down d1.m0)

# account PORT BEFORE AFTER REPORT: every counter of PORT moved by exactly
# the frames of its fate; NIC rx by all but veth's MTU drops. Prints
# "COUNTER expected got" for each that did not, nothing when all did.
account()
{
	jq -n -r --argjson b "$2" --argjson a "$3" --argjson r "$4" --arg p "$1" '
		($r.fates) as $f
		| ($f | to_entries | map(select(.key != "mtu" and .key != "lost"))
		   | map(.value) | add) as $rx
		| ([$a[$p] | keys[] | select(. != "rx")] + ($f | keys)
		   | unique | map(select(. != "mtu" and . != "core" and . != "lost"))) as $names
		| ([{k: "rx", e: $rx}] + [$names[] | {k: ., e: ($f[.] // 0)}])[]
		| .k as $k | (($a[$p][$k] // 0) - ($b[$p][$k] // 0)) as $got
		| select($got != .e) | "\($k) \(.e) \($got)"'
}

# settle PORT EXPECTED_RX BEFORE: wait until NIC rx has moved by that much
# (veth delivers through the backlog).
settle()
{
	local i got

	[ -n "$2" ] || return 1
	for i in $(seq 100); do
		got=$(ip -n "$EDGE" -s -j link show "$1" | jq '.[0].stats64.rx.packets')
		[ $((got - $3)) -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# phase NAME PORT SEED ARGS...: one blast on PORT, accounted.
phase()
{
	local name=$1 port=$2 seed=$3 before after report rx0 diff

	shift 3
	before=$(counters)
	rx0=$(jq ".$port.rx" <<<"$before")
	report=$(blast "$port" --count "$FRAMES" --seed "$seed" "$@") || {
		ktap_test_fail "$name: wirefuzz.py failed"
		return
	}
	settle "$port" "$(jq '[.fates | to_entries[] | select(.key != "mtu" and .key != "lost") | .value] | add' <<<"$report")" "$rx0"
	after=$(counters)
	diff=$(account "$port" "$before" "$after" "$report")
	ktap_print_msg "$name: $(jq -c .fates <<<"$report")"
	check_eq "$name: $FRAMES frames (seed $seed), every counter exact" "" "$diff"
}

# churn: c3 and its peerings made and deleted on eth0, c2 changed, until
# $ERDEV_TMP/stop exists.
churn()
{
	local n=0

	while [ ! -e "$ERDEV_TMP/stop" ]; do
		er circuit add c3 stag 102 primary eth0 &&
			er peering add c3 private ctag 200 &&
			ip -n "$EDGE" link set c3.p0 up &&
			er peering add c3 microsoft ctag 100 &&
			er circuit set c2 bandwidth $(((n % 10 + 1) * 100))mbit &&
			er peering del c3 private &&
			er circuit del c3 || return 1
		n=$((n + 1))
	done
	echo "$n"
}

ktap_print_header
erdev_require
ktap_set_plan 7
erdev_tmpdir

if is_debug_kernel; then
	FRAMES=${WIRE_FRAMES:-2500}
else
	FRAMES=${WIRE_FRAMES:-20000}
fi
seed=${WIRE_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "c1 and c2 (qinq) on eth0, d1 (dot1q) on eth1, MSEE MTU 9000" setup
klog_mark

phase "qinq port" eth0 "$seed" "${QINQ[@]}"
phase "dot1q port" eth1 $((seed + 1)) "${DOT1Q[@]}"

# The same while circuits come and go: no exactness for eth0 then (c3's
# frames are counted where c3 happens to be), only after.
churn >"$ERDEV_TMP/churn" 2>&1 &
pid=$!
blast eth0 --count "$FRAMES" --seed $((seed + 2)) "${QINQ[@]}" >/dev/null
rc=$?
touch "$ERDEV_TMP/stop"
wait $pid
check_eq "frames on eth0 while c3 was made and deleted $(cat "$ERDEV_TMP/churn") times" \
	"0 0" "$rc $?"
check_eq "c3 is gone, c1, c2, d1 stay" "c1.m0 c1.p0 c2.p0 d1.m0 d1.p0" \
	"$(erdev_ifaces "$EDGE")"
phase "qinq port, after the churn" eth0 $((seed + 4)) "${QINQ[@]}"
check_eq "the kernel log has no report" "" "$(klog_reports)"

ktap_finished
