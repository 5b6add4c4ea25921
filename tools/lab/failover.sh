# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab (tools/lab/lab.sh, sourced): the primary link dies, traffic
# moves to the secondary within FAILOVER_LIMIT_MS, and comes back.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

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

failover_and_restore()
{
	failover
	restore
}
