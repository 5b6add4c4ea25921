# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab (tools/lab/lab.sh, sourced): traffic through both peerings, and
# erdev's counters (ercfg stats) against it, the MSEEs' own and iperf3's.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

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
