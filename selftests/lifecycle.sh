#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifecycle under traffic.
#
#  - a NIC removed while flood pings run over all its interfaces: every
#    circuit on it goes, with both links' interfaces; the circuit on the
#    other NIC keeps passing traffic, and the removed circuit's S-tag is
#    free there again;
#  - rmmod while traffic flows: every erdev interface goes, the NICs are
#    free (they can join a bridge); insmod again and it all works again;
#  - circuits and peerings created and deleted in a loop while traffic
#    flows over another circuit on the same NICs and ercfg reads the
#    counters in parallel: every command and every read succeeds, the
#    traffic goes on, and the end state is the start state; sysfs reads
#    of the churned interfaces run beside it (20 rounds on the 6.12 lane,
#    5 on the others: full_depth_lane).
# The debug kernel (KASAN, lockdep, kmemleak) is where this pays off.
# timeout: 420

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

# c1: eth0 + eth1, private and microsoft; c2: eth1 only, private (made
# unless it exists). The MSEE VLANs, the edge interfaces up.
setup()
{
	erdev_c1 || return 1
	if ! er show c2 >/dev/null 2>&1; then
		er circuit add c2 stag 101 primary eth1 &&
			er peering add c2 private ctag 200 || return 1
	fi
	msee_del "$MSEE0" && msee_del "$MSEE1" || return 1
	msee_vlans "$MSEE0" <<-EOF || return 1
		0x8100 100 200 10.1.0.2
		0x8100 100 300 10.1.2.2
	EOF
	msee_vlans "$MSEE1" <<-EOF || return 1
		0x8100 100 200 10.1.1.2
		0x8100 101 200 10.2.1.2
	EOF
	edge_ups <<-EOF
		c1.p0 10.1.0.1
		c1.p1 10.1.1.1
		c1.m0 10.1.2.1
		c2.p0 10.2.1.1
	EOF
}

# flood ADDR...: a flood ping to each address, in the background, at most
# 300 s (with PING_ARGS="-i 0.02": 50 a second instead of a flood). Their
# pids go to FLOOD_PIDS.
FLOOD_PIDS=()
flood()
{
	local a

	for a in "$@"; do
		# shellcheck disable=SC2086
		nsenter --net="$NETNS_RUN_DIR/$EDGE" ping ${PING_ARGS:--f} -q -w 300 "$a" \
			>/dev/null 2>&1 &
		FLOOD_PIDS+=($!)
	done
}

flood_stop()
{
	stop_pids "${FLOOD_PIDS[@]}"
	FLOOD_PIDS=()
}

# tx_over DEV N: DEV has sent more than N frames.
tx_over()
{
	[ "$(if_stat "$EDGE" "$1" tx packets)" -gt "$2" ]
}

stag_free_on_eth1()
{
	er circuit add c3 stag 100 primary eth1 && er circuit del c3
}

# free_nic NS DEV: DEV has no rx_handler: it can join a bridge (and leave).
free_nic()
{
	ip -n "$1" link add brx type bridge &&
		ip -n "$1" link set "$2" master brx &&
		ip -n "$1" link del brx
}

# churn N: circuit c9 and its peerings made and deleted N times, and c1's
# microsoft peering deleted and added back; the number of failed commands.
churn()
{
	local i fails=0

	for ((i = 0; i < $1; i++)); do
		er circuit add c9 stag 109 primary eth0 secondary eth1 \
			bandwidth 100mbit || fails=$((fails + 1))
		er peering add c9 private ctag 200 || fails=$((fails + 1))
		er peering add c9 microsoft ctag 300 || fails=$((fails + 1))
		ip -n "$EDGE" link set c9.p0 up || fails=$((fails + 1))
		ip -n "$EDGE" link set c9.m1 up || fails=$((fails + 1))
		er peering del c9 private || fails=$((fails + 1))
		er circuit del c9 || fails=$((fails + 1))
		er peering del c1 microsoft || fails=$((fails + 1))
		er peering add c1 microsoft ctag 300 || fails=$((fails + 1))
	done
	echo "$fails"
}

# reader FILE: ercfg -j stats and show in a loop until FILE exists; prints
# "reads N failures M".
reader()
{
	local n=0 fails=0

	while [ ! -e "$1" ]; do
		er -j stats >/dev/null || fails=$((fails + 1))
		er show >/dev/null || fails=$((fails + 1))
		n=$((n + 2))
	done
	echo "reads $n failures $fails"
}

# sysfs_reader FILE: every erdev sysfs attribute of c9's interfaces, read
# in a loop while the churn deletes and re-creates them, until FILE
# exists. The reads may fail (the interface is gone); the kernel must not
# (KASAN and lockdep watch the show functions against the deletion).
sysfs_reader()
{
	while [ ! -e "$1" ]; do
		ip netns exec "$EDGE" sh -c 'cat /sys/class/net/c9.*/erdev/* /sys/class/net/c9.*/statistics/rx_packets' \
			>/dev/null 2>&1
	done
}

# c1's configuration, without counters and operational states.
c1_config()
{
	er -j show c1 | jq -c '.[0] | del(.peerings[].links[].ifindex, .peerings[].links[].operstate)'
}

ktap_print_header
erdev_require ping ethtool
ktap_set_plan 22
erdev_tmpdir
modprobe -q bridge 2>/dev/null

# Churn rounds: 20 on the 6.12 lane, 5 on the others (full_depth_lane).
ITER=5
full_depth_lane && ITER=20
# How long a flood may take to get going: the debug kernel under TCG is slow.
FLOOD_MS=20000
is_debug_kernel && FLOOD_MS=120000

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "circuits c1 (eth0, eth1) and c2 (eth1), MSEE VLANs" setup
check_ok "ping over c1.p0, c1.p1, c1.m0 and c2.p0" eval \
	'erdev_ping "$EDGE" 10.1.0.2 && erdev_ping "$EDGE" 10.1.1.2 &&
	 erdev_ping "$EDGE" 10.1.2.2 && erdev_ping "$EDGE" 10.2.1.2'

# Remove eth0 under a flood.
flood 10.1.0.2 10.1.1.2 10.1.2.2 10.2.1.2
check_ok "flood pings running over c1.p0 and c2.p0" eval \
	'busywait $FLOOD_MS tx_over c1.p0 100 && busywait $FLOOD_MS tx_over c2.p0 100'
check_ok "eth0 deleted under the flood" ip -n "$EDGE" link del eth0
flood_stop
check_refused "circuit c1 is gone with eth0" "Error: erdev: no circuit c1" \
	er show c1
check_eq "c1's interfaces on eth1 are gone too, c2.p0 remains" "c2.p0" \
	"$(erdev_ifaces "$EDGE")"
check_ok "c2.p0 still passes traffic" erdev_ping "$EDGE" 10.2.1.2
check_ok "S-tag 100 is free on eth1 again" stag_free_on_eth1

# A new eth0, the circuit again.
veth_pair "$EDGE" eth0 $EDGE_MAC0 "$MSEE0" eth0 $MSEE_MAC0
check_ok "c1 again, on a new eth0" setup
check_ok "ping over c1.p0 and c2.p0" eval \
	'erdev_ping "$EDGE" 10.1.0.2 && erdev_ping "$EDGE" 10.2.1.2'

# rmmod under a flood.
flood 10.1.0.2 10.1.1.2 10.2.1.2
check_ok "flood pings running" busywait "$FLOOD_MS" tx_over c2.p0 100
check_ok "rmmod erdev under the flood" rmmod erdev
flood_stop
check_eq "no erdev interface left" "" "$(erdev_ifaces "$EDGE")"
check_ok "eth0 and eth1 are free (they can join a bridge)" eval \
	'free_nic "$EDGE" eth0 && free_nic "$EDGE" eth1'
check_ok "insmod erdev again" insmod "$ERDEV_KO"
check_eq "no circuits after the reload" "[]" "$(er -j show)"
check_ok "the circuits again, ping over c1.p0 and c2.p0" eval \
	'setup && erdev_ping "$EDGE" 10.1.0.2 && erdev_ping "$EDGE" 10.2.1.2'

# Churn while c1.p0 and c2.p0 carry traffic (50 pings a second each, not a
# flood: the loop must get the CPU too) and ercfg reads.
before=$(c1_config)
PING_ARGS="-i 0.02" flood 10.1.0.2 10.2.1.2
busywait "$FLOOD_MS" tx_over c1.p0 20 >/dev/null
tx0=$(if_stat "$EDGE" c1.p0 tx packets)
reader "$ERDEV_TMP/stop" >"$ERDEV_TMP/reader" &
rpid=$!
sysfs_reader "$ERDEV_TMP/stop" &
spid=$!
fails=$(churn "$ITER")
touch "$ERDEV_TMP/stop"
wait "$rpid" "$spid"
check_eq "$ITER rounds of circuit and peering add/del under traffic, no command failed" \
	0 "$fails"
check_eq "every ercfg read during the churn succeeded" "failures 0" \
	"$(grep -o 'failures [0-9]*' "$ERDEV_TMP/reader")"
ktap_print_msg "$(cat "$ERDEV_TMP/reader")"
check_ok "c1.p0's traffic went on during the churn" tx_over c1.p0 $((tx0 + 20))
flood_stop
check_eq "c1 is configured as before the churn" "$before" "$(c1_config)"
check_ok "ping over c1.p0, the new c1.m0 and c2.p0 after the churn" eval \
	'edge_up c1.m0 10.1.2.1 &&
	 erdev_ping "$EDGE" 10.1.0.2 && erdev_ping "$EDGE" 10.1.2.2 &&
	 erdev_ping "$EDGE" 10.2.1.2'

ktap_finished
