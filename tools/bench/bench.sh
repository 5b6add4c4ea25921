#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# erdev benchmark: erdev against stacked 8021q devices and the raw veth.
# Runs as root on the kernel under test (in the test VM through
# tools/bench/run.sh, `make bench`; or directly with KERNELS=host).
# Prints the table on stdout between the lines "=== erdev bench" and
# "=== end", and one line per figure to $BENCH_TSV if set:
#   ROW<TAB>UNIT<TAB>MEDIAN<TAB>MIN<TAB>MAX<TAB>ANCHOR<TAB>RATIO
#
# Every packet row uses the kernel's pktgen as the traffic source:
#   TX   pktgen sends on the edge device (erdev interface, the inner device
#        of a stacked 8021q QinQ pair, or the veth itself) to the far side;
#        and, for reference, on a macvlan: a stacked device that adds no
#        tag, so the cost of the lower device's dev_queue_xmit() alone;
#   RX   pktgen on the far side sends frames with the C-tag and then the
#        S-tag (TPID 0x8100 both), or untagged ones for the raw veth; the
#        figure is what the erdev interface, the stacked vlan device or the
#        veth counted, per second of the pktgen run; and, for reference,
#        the pps of QinQ frames to a veth with no device on it (what the
#        core's own untagging costs before any rx_handler runs);
# for 64 and 1500 byte frames, with the veths' VLAN offloads on and off.
# pktgen is told not to keep a reference to the skbs it sends ("flag
# !SHARED", 6.10 and later): a NIC never hands the stack a shared skb, and
# a shared one makes the core's skb_vlan_untag() clone and copy every
# tagged frame, a cost of the benchmark, not of the path measured.
# Scale rows: create and delete 1,000 peerings (500 circuits x 2) with
# ercfg against 2,000 8021q devices (1,000 QinQ pairs) with ip -batch;
# RX with 1 against 4,000 interfaces on a NIC; slab and per-CPU memory per
# interface against a vlan device.
# Teardown rows: remove a veth NIC carrying 2,000 circuits of one peering
# each (ip link del: every circuit and interface goes with it) against the
# same veth carrying 2,000 stacked 8021q QinQ pairs (4,000 devices: an S
# device and a C device on it per circuit); and delete a namespace holding
# either, with its NIC (until the NIC's peer is gone from the far side and
# the RTNL is free again).
#
# Environment:
#   QUICK=1     a few thousand packets per row, small scale (for selftests)
#   RUNS        runs per figure (default 5, never fewer; QUICK: 2, as it
#               only checks that every row produces a figure)
#   SIZES       frame sizes of the tx/rx rows (default "64 1500")
#   COUNT       packets per pktgen run (default 20000; QUICK 2000)
#   CIRCUITS    circuits for the create/delete rows (default 500; QUICK 10)
#   MANY        interfaces on the NIC for the scale RX row (4000; QUICK 40)
#   TEARDOWN    circuits on the NIC for the teardown rows (2000; QUICK 10)
#   RCU_NORMAL=1  the teardown rows with /sys/kernel/rcu_normal set: every
#               grace period a normal one, not an expedited one (see
#               Documentation/performance.rst); restored afterwards
#   ONLY        regex: run only the groups it matches (tx rx scale mem
#               teardown)
#   ERDEV_KO    load this module if erdev is not loaded
#   ERCFG       ercfg binary (default: tools/ercfg/ercfg of this tree)
#   BENCH_TSV   also write the figures here
#   --list      print the row names this configuration produces, and exit
#   --table LOG print the table of the figures in LOG (the stderr of a run)
# timeout: 3600
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ERCFG=${ERCFG:-$REPO/tools/ercfg/ercfg}
ERTOOL=$REPO/selftests/erdev_tool.py
QUICK=${QUICK:-}
if [ -n "$QUICK" ]; then
	RUNS=${RUNS:-2}
else
	RUNS=${RUNS:-5}
	[ "$RUNS" -ge 5 ] 2>/dev/null || RUNS=5
fi
if [ -n "$QUICK" ]; then
	COUNT=${COUNT:-2000} CIRCUITS=${CIRCUITS:-10} MANY=${MANY:-40}
	TEARDOWN=${TEARDOWN:-10}
else
	COUNT=${COUNT:-20000} CIRCUITS=${CIRCUITS:-500} MANY=${MANY:-4000}
	TEARDOWN=${TEARDOWN:-2000}
fi
ONLY=${ONLY:-.}
SIZES=${SIZES:-"64 1500"}
OFFLOADS="on off"
# Tags of the three paths (S-tag, C-tag).
E_S=100 E_C=200		# erdev
V_S=300 V_C=400		# stacked 8021q
M_S=4001 M_C=17		# the measured interface among MANY
DST_MAC=02:00:00:00:00:99	# nobody's: every receiver drops it in ip_rcv

want() { [[ $1 =~ $ONLY ]]; }

# The rows, in print order: "group row-id anchor-id title".
rows() {
	local sz off
	if want tx; then
		for sz in $SIZES; do
			for off in $OFFLOADS; do
				echo "tx tx-$sz-$off-veth - TX ${sz}B offloads $off: raw veth"
				echo "tx tx-$sz-$off-vlan tx-$sz-$off-veth TX ${sz}B offloads $off: stacked 8021q QinQ"
				echo "tx tx-$sz-$off-erdev tx-$sz-$off-veth TX ${sz}B offloads $off: erdev"
				echo "tx tx-$sz-$off-erdev tx-$sz-$off-vlan TX ${sz}B offloads $off: erdev / stacked 8021q"
				echo "tx tx-$sz-$off-macvlan tx-$sz-$off-veth TX ${sz}B offloads $off: reference: macvlan, no tag"
			done
		done
	fi
	if want rx; then
		for sz in $SIZES; do
			for off in $OFFLOADS; do
				echo "rx rx-$sz-$off-veth - RX ${sz}B offloads $off: untagged to raw veth"
				echo "rx rx-$sz-$off-vlan rx-$sz-$off-veth RX ${sz}B offloads $off: QinQ to stacked 8021q"
				echo "rx rx-$sz-$off-erdev rx-$sz-$off-veth RX ${sz}B offloads $off: QinQ to erdev"
				echo "rx rx-$sz-$off-erdev rx-$sz-$off-vlan RX ${sz}B offloads $off: erdev / stacked 8021q"
				echo "rx rx-$sz-$off-bare rx-$sz-$off-veth RX ${sz}B offloads $off: reference: QinQ to a bare veth"
			done
		done
	fi
	if want scale; then
		echo "scale rx-one - RX 64B: erdev, 1 interface on the NIC"
		echo "scale rx-many rx-one RX 64B: erdev, $MANY interfaces on the NIC"
		echo "scale create-vlan - create $((CIRCUITS * 4)) 8021q devices (ip -batch)"
		echo "scale create-ercfg create-vlan create $((CIRCUITS * 2)) peerings (ercfg)"
		echo "scale create-genl create-vlan create $((CIRCUITS * 2)) peerings (one netlink socket)"
		if ercfg_has_apply; then
			echo "scale create-apply create-vlan create $((CIRCUITS * 2)) peerings (ercfg apply)"
		fi
		echo "scale delete-vlan - delete $((CIRCUITS * 4)) 8021q devices (ip -batch)"
		echo "scale delete-ercfg delete-vlan delete $((CIRCUITS * 2)) peerings (ercfg)"
		echo "scale delete-genl delete-vlan delete $((CIRCUITS * 2)) peerings (one netlink socket)"
		if ercfg_has_apply; then
			echo "scale delete-apply delete-vlan delete $((CIRCUITS * 2)) peerings (ercfg apply)"
		fi
	fi
	if want mem; then
		echo "mem mem-vlan - kernel memory per 8021q device"
		echo "mem mem-erdev mem-vlan kernel memory per erdev interface"
	fi
	if want teardown; then
		echo "teardown teardown-nic-vlan - remove a NIC with $((TEARDOWN * 2)) 8021q devices (ip link del)"
		echo "teardown teardown-nic-erdev teardown-nic-vlan remove a NIC with $TEARDOWN circuits, 1 peering each"
		echo "teardown teardown-netns-vlan - delete a netns: a NIC, $((TEARDOWN * 2)) 8021q devices"
		echo "teardown teardown-netns-erdev teardown-netns-vlan delete a netns: a NIC, $TEARDOWN circuits, 1 peering each"
	fi
}

# `ercfg apply` (the operations issue) is measured once ercfg has it.
ercfg_has_apply() {
	"$ERCFG" --help 2>&1 | grep -q '^ercfg apply'
}

stats() {	# "median min max" of the numbers in $1
	tr ' ' '\n' <<<"$1" | grep . | sort -n |
		awk '{ v[NR] = $1 } END { if (!NR) exit 1;
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%d %d %d\n", m, v[1], v[NR] }'
}
unit() {
	case $1 in
	tx-* | rx-*) echo pps ;;
	create-* | delete-* | teardown-*) echo ms ;;
	mem-*) echo bytes ;;
	esac
}
# Targets: "row/anchor op value" (ratio of medians; for times lower is better).
declare -A TARGET=(
	[tx-erdev/veth]=">= 0.90" [tx-erdev/vlan]=">= 1.25"
	[rx-erdev/veth]=">= 0.90" [rx-erdev/vlan]=">= 1.15"
	[rx-many/rx-one]=">= 0.95" [create-apply/create-vlan]="<= 1.00"
	[mem-erdev/mem-vlan]="<= 1.00"
)
# No target for create-ercfg: one process per command against one ip -batch
# process counts process starts; ercfg apply is the batch tool. None for the
# deletions and teardowns either.
target_of() {	# ROW ANCHOR
	local k
	case $1 in
	tx-*-erdev | rx-*-erdev) k="${1%%-*}-erdev/${2##*-}" ;;
	*) k="$1/$2" ;;
	esac
	echo "${TARGET[$k]:-}"
}

fmt() {	# NUMBER UNIT
	case $2 in
	pps) awk -v v="$1" 'BEGIN { printf "%.1fk", v / 1000 }' ;;
	ms) awk -v v="$1" 'BEGIN { printf "%.2fs", v / 1000 }' ;;
	*) echo "$1" ;;
	esac
}

# print_table: the table of FIG, with the header about this machine.
print_table() {
	local rc=0 grp id anchor title u med min max amed ratio tgt ok
	echo "=== erdev bench"
	if [ -n "${TABLE_FROM:-}" ]; then
		echo "figures from $TABLE_FROM (sizes below: this shell's defaults)"
	else
		echo "kernel: $(uname -r); erdev $(cat /sys/module/erdev/version 2>/dev/null || echo '?')"
		echo "cpu: $(nproc) x $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo); memory $(awk '/^MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo)"
	fi
	echo "pktgen skbs: ${PG_SHARED:-?}"
	echo "runs per figure: $RUNS (median [min..max]); $COUNT packets per pktgen run; $CIRCUITS circuits; $MANY interfaces; $TEARDOWN circuits torn down${RCU_NORMAL:+ (rcu_normal)}; ${QUICK:+QUICK; }took ${secs} s"
	echo
	printf '%-58s %10s %10s %10s %7s  %s\n' "row" "median" "min" "max" "ratio" "target"
	while read -r grp id anchor title; do
		u=$(unit "$id")
		if ! read -r med min max < <(stats "${FIG[$id]:-}"); then
			printf '%-58s %10s\n' "$title" "NO FIGURE"
			rc=1
			continue
		fi
		ratio=- tgt='' ok=''
		if [ "$anchor" = - ]; then
			ratio=1.00
		elif read -r amed _ < <(stats "${FIG[$anchor]:-}") && [ "$amed" -gt 0 ]; then
			ratio=$(awk -v a="$med" -v b="$amed" 'BEGIN { printf "%.2f", a / b }')
			tgt=$(target_of "$id" "$anchor")
			if [ -n "$tgt" ]; then
				if awk -v r="$ratio" -v op="${tgt% *}" -v t="${tgt#* }" \
					'BEGIN { exit !((op == ">=") ? r >= t : r <= t) }'; then
					ok="$tgt met"
				else
					ok="$tgt MISSED"
				fi
			fi
		fi
		if [[ $title == *" / "* ]]; then
			printf '%-58s %10s %10s %10s %7s  %s\n' "$title" "" "" "" "$ratio" "$ok"
		else
			printf '%-58s %10s %10s %10s %7s  %s\n' "$title" "$(fmt "$med" "$u")" \
				"$(fmt "$min" "$u")" "$(fmt "$max" "$u")" "$ratio" "$ok"
		fi
		[ -n "${BENCH_TSV:-}" ] &&
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$u" "$med" "$min" "$max" "$anchor" "$ratio" >>"$BENCH_TSV"
		: "$grp"
	done < <(rows)
	echo "=== end"
	return $rc
}

declare -A FIG

# --table LOG: the table of the "bench: ROW FIGURE" lines of a run's log
# (stderr), e.g. of a run that did not finish.
if [ "${1:-}" = --table ]; then
	while read -r tag id v; do
		[ "$tag" = bench: ] && [[ $v =~ ^-?[0-9]+$ ]] && FIG[$id]="${FIG[$id]:-} $v"
	done <"${2:?usage: bench.sh --table LOG}"
	TABLE_FROM=$2 secs='?'
	print_table
	exit
fi

if [ "${1:-}" = --list ]; then
	rows | awk '{ print $2 (($3 == "-") ? "" : "/" $3) }'
	exit 0
fi

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root"
for c in ip ethtool "$ERCFG" python3; do
	command -v "$c" >/dev/null || die "needs $c"
done
modprobe pktgen || die "no pktgen module"
modprobe 8021q || die "no 8021q module"
modprobe veth || die "no veth module"
modprobe dummy numdummies=0 || die "no dummy module"
modprobe macvlan || die "no macvlan module"
if ! grep -q '^erdev ' /proc/modules; then
	[ -n "${ERDEV_KO:-}" ] || die "erdev is not loaded and ERDEV_KO is not set"
	insmod "$ERDEV_KO" || die "cannot load $ERDEV_KO"
fi

NA=erbench-a-$$ NB=erbench-b-$$ NT=erbench-t-$$
cleanup() {
	ip netns exec "$NA" bash -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0" 2>/dev/null
	ip netns exec "$NB" bash -c "echo rem_device_all >/proc/net/pktgen/kpktgend_0" 2>/dev/null
	ip netns exec "$NA" "$ERCFG" -j show 2>/dev/null |
		python3 -c 'import json,sys; [print(c["name"]) for c in json.load(sys.stdin)]' 2>/dev/null |
		while read -r c; do ip netns exec "$NA" "$ERCFG" circuit del "$c"; done
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	ip netns del "$NT" 2>/dev/null
	[ -z "${RCU_WAS:-}" ] || echo "$RCU_WAS" >/sys/kernel/rcu_normal
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NA" && ip netns add "$NB" || die "cannot make namespaces"
A() { ip netns exec "$NA" "$@"; }
B() { ip netns exec "$NB" "$@"; }
er() { A "$ERCFG" "$@" >/dev/null || die "ercfg $* failed"; }
ip -n "$NA" link set lo up
ip -n "$NB" link set lo up

# veth pairs aN (edge) - bN (far side): 0 raw, 1 stacked 8021q, 2 erdev,
# 3 erdev with MANY interfaces, 4 nothing on it (RX reference), 5 a
# macvlan on it (TX reference).
VETHS="0 1 2 3 4 5"
for i in $VETHS; do
	ip link add "a$i" netns "$NA" type veth peer "b$i" netns "$NB" || die "veth"
	ip -n "$NA" link set "a$i" up
	ip -n "$NB" link set "b$i" up
done
ip -n "$NA" link add link a1 name "q$V_S" type vlan proto 802.1Q id "$V_S" &&
	ip -n "$NA" link add link "q$V_S" name "q$V_S.$V_C" type vlan proto 802.1Q id "$V_C" &&
	ip -n "$NA" link set "q$V_S" up && ip -n "$NA" link set "q$V_S.$V_C" up ||
	die "stacked vlan devices"
A ip link add link a5 name mv5 type macvlan mode passthru &&
	A ip link set mv5 up || die "macvlan"
er circuit add bx stag "$E_S" primary a2
er peering add bx private ctag "$E_C"
A ip link set bx.p0 up

# Can this kernel's pktgen stop sharing its skbs (flag SHARED, 6.10+)?
PG_SHARED=$(A bash -c 'P=/proc/net/pktgen
	echo rem_device_all >$P/kpktgend_0 && echo "add_device a0" >$P/kpktgend_0 &&
		echo "flag !SHARED" >$P/a0 && grep -q "^Result: OK" $P/a0 &&
		echo "not shared (flag !SHARED)" ||
		echo "shared: this pktgen has no SHARED flag, every tagged frame is cloned on receive"
	echo rem_device_all >$P/kpktgend_0')

# The paths each packet group measures, the reference row's last.
declare -A PATHS=([tx]="veth vlan erdev macvlan" [rx]="veth vlan erdev bare")

# The edge device and the device that counts, per path.
declare -A TXDEV=([veth]=a0 [vlan]=q$V_S.$V_C [erdev]=bx.p0 [many]=m0.p0
	[bare]=a4 [macvlan]=mv5)
declare -A FARDEV=([veth]=b0 [vlan]=b1 [erdev]=b2 [many]=b3 [bare]=b4 [macvlan]=b5)
declare -A TAGS=([veth]="" [vlan]="$V_C $V_S" [erdev]="$E_C $E_S" [many]="$M_C $M_S"
	[bare]="$E_C $E_S" [macvlan]="")

offloads() {
	local st=$1 i
	for i in $VETHS; do
		A ethtool -K "a$i" rxvlan "$st" txvlan "$st" rx-vlan-stag-hw-parse "$st" \
			tx-vlan-stag-hw-insert "$st" >/dev/null 2>&1
		B ethtool -K "b$i" rxvlan "$st" txvlan "$st" rx-vlan-stag-hw-parse "$st" \
			tx-vlan-stag-hw-insert "$st" >/dev/null 2>&1
	done
}

# pktgen_run NSFUNC DEV SIZE [CTAG STAG]: send COUNT frames; prints
# "USEC SENT". One shell in the namespace does the whole run.
pktgen_run() {
	local ns=$1 dev=$2 size=$3 c=${4:-} s=${5:-}
	"$ns" bash -s "$dev" "$size" "$COUNT" "$DST_MAC" "$c" "$s" <<'PG' || die "pktgen on $dev failed"
set -e
dev=$1 size=$2 count=$3 mac=$4 c=$5 s=$6
P=/proc/net/pktgen
pg() { echo "$2" >"$P/$1"; }
pg kpktgend_0 rem_device_all
pg kpktgend_0 "add_device $dev"
for cmd in "count $count" "pkt_size $size" "clone_skb 0" "delay 0" \
	"dst_mac $mac" "dst 198.18.0.2" "src_min 198.18.0.1" \
	"src_max 198.18.0.1" "udp_dst_min 9" "udp_dst_max 9" \
	"flag NO_TIMESTAMP"; do
	pg "$dev" "$cmd"
done
if [ -n "$c" ]; then
	pg "$dev" "vlan_id $c"
	pg "$dev" "svlan_id $s"
fi
pg "$dev" "flag !SHARED"
pg pgctrl start
# Result: OK: 1234(c1200+d34) usec, 100000 (64byte,0frags)
sed -n 's/^Result: OK: \([0-9]*\)(.*usec, \([0-9]*\) (.*/\1 \2/p' "$P/$dev"
pg kpktgend_0 rem_device_all
PG
}

rx_packets() { A cat "/sys/class/net/$1/statistics/rx_packets"; }

# One figure per run, kept in FIG[row] as a space-separated list.

# measure_tx PATH SIZE: pps pktgen reached on the edge device.
measure_tx() {
	local p=$1 sz=$2 usec sent
	read -r usec sent < <(pktgen_run A "${TXDEV[$p]}" "$sz")
	[ -n "${usec:-}" ] && [ "$usec" -gt 0 ] || return 1
	echo $((sent * 1000000 / usec))
}

# measure_rx PATH SIZE: frames per second delivered on the counting device.
measure_rx() {
	local p=$1 sz=$2 usec sent r0 r1 dev=${TXDEV[$1]}
	r0=$(rx_packets "$dev")
	# shellcheck disable=SC2086
	read -r usec sent < <(pktgen_run B "${FARDEV[$p]}" "$sz" ${TAGS[$p]})
	r1=$(rx_packets "$dev")
	[ -n "${usec:-}" ] && [ "$usec" -gt 0 ] || return 1
	echo $(((r1 - r0) * 1000000 / usec))
}

add_fig() {
	FIG[$1]="${FIG[$1]:-} $2"
	echo "bench: $1 $2" >&2
}

# seconds since the epoch, in ms
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# kB of slab and per-CPU memory
kmem_kb() {
	awk '/^(Slab|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}
# Let RCU free what the last deletion left behind.
settle() {
	sleep "$([ -n "$QUICK" ] && echo 0.2 || echo 1)"
}

packet_group() {
	local dir=$1 r sz off p v
	for r in $(seq "$RUNS"); do
		for off in $OFFLOADS; do
			offloads "$off"
			for sz in $SIZES; do
				for p in ${PATHS[$dir]}; do
					v=$("measure_$dir" "$p" "$sz") || v=
					[ -n "$v" ] && add_fig "$dir-$sz-$off-$p" "$v"
				done
			done
		done
		echo "bench: $dir run $r of $RUNS done" >&2
	done
}

# The scale RX row: a second port with MANY interfaces, measured against
# the erdev port with one, interleaved.
scale_rx() {
	local n=$((MANY / 2)) i r v
	{
		for i in $(seq 0 $((n - 1))); do
			if [ "$i" = 0 ]; then
				echo "circuit-new name=m$i stag=$M_S primary=a3"
			else
				echo "circuit-new name=m$i stag=$i primary=a3"
			fi
			echo "peering-new circuit=m$i type=0 ctag=$M_C"
			echo "peering-new circuit=m$i type=1 ctag=$((M_C + 1))"
		done
	} | A python3 "$ERTOOL" genl - >/dev/null || die "cannot create $MANY interfaces"
	A ip link set m0.p0 up
	offloads on
	for r in $(seq "$RUNS"); do
		v=$(measure_rx erdev 64) && add_fig rx-one "$v"
		v=$(measure_rx many 64) && add_fig rx-many "$v"
	done
	echo "bench: scale rx done" >&2
	for i in $(seq 0 $((n - 1))); do
		echo "circuit-del name=m$i"
	done | A python3 "$ERTOOL" genl - >/dev/null || die "cannot delete the circuits"
}

# timed ROW CMD...: run CMD, and add how long it took (ms) to ROW.
timed() {
	local row=$1 t0 t1
	shift
	t0=$(now_ms)
	"$@" || return 1
	t1=$(now_ms)
	add_fig "$row" $((t1 - t0))
}

# The commands the scale rows time, for N circuits of P peerings (1 or 2,
# default 2), on NIC (default d1 for 8021q, d2 for genl) in namespace NS
# (default $NA): vlan_create N [P [NIC [NS]]], genl_create the same.
vlan_create() {		# one S device and one C device on it per peering
	local i n=$1 p=${2:-2} nic=${3:-d1} ns=${4:-$NA}
	for i in $(seq 1 $((p * n))); do
		echo "link add link $nic name s$i type vlan proto 802.1Q id $i"
		echo "link add link s$i name s$i.7 type vlan proto 802.1Q id 7"
	done | ip -n "$ns" -batch -
}
vlan_delete() {
	local i
	for i in $(seq 1 $((2 * $1))); do
		echo "link del s$i.7"
		echo "link del s$i"
	done | ip -n "$NA" -batch -
}
ercfg_create() {	# one process per command, as a user's script would
	A bash -c "for i in \$(seq 1 $1); do
		'$ERCFG' circuit add k\$i stag \$i primary d0 >/dev/null &&
		'$ERCFG' peering add k\$i private ctag 7 >/dev/null &&
		'$ERCFG' peering add k\$i microsoft ctag 8 >/dev/null || exit 1
	done"
}
ercfg_delete() {
	A bash -c "for i in \$(seq 1 $1); do
		'$ERCFG' circuit del k\$i >/dev/null || exit 1
	done"
}
genl_create() {		# one netlink socket: the kernel's share
	local i n=$1 p=${2:-2} nic=${3:-d2} ns=${4:-$NA}
	for i in $(seq 1 "$n"); do
		echo "circuit-new name=g$i stag=$i primary=$nic"
		echo "peering-new circuit=g$i type=0 ctag=7"
		[ "$p" = 1 ] || echo "peering-new circuit=g$i type=1 ctag=8"
	done | ip netns exec "$ns" python3 "$ERTOOL" genl - >/dev/null
}
genl_delete() {
	local i
	for i in $(seq 1 "$1"); do
		echo "circuit-del name=g$i"
	done | A python3 "$ERTOOL" genl - >/dev/null
}

# The create/delete rows on dummy NICs, interleaved per run; memory too.
scale_create() {
	local r m0 m1 i n=$CIRCUITS
	A ip link add d0 type dummy && A ip link add d1 type dummy &&
		A ip link add d2 type dummy || die "dummy devices"
	# Each NIC's own state (erdev's port, 8021q's vlan_info) exists before
	# the first measurement, so that only per-interface memory is counted.
	er circuit add k0 stag 4000 primary d0
	A ip link add link d1 name s0 type vlan proto 802.1Q id 4000 || die "vlan s0"
	for i in $(seq 1 "$((2 * n))"); do
		echo "link add link d1 name s$i type vlan proto 802.1Q id $i"
		echo "link add link s$i name s$i.7 type vlan proto 802.1Q id 7"
		echo "link del s$i"
	done | ip -n "$NA" -batch - || die "ip -batch warm-up"
	for r in $(seq "$RUNS"); do
		settle
		m0=$(kmem_kb)
		timed create-vlan vlan_create "$n" || die "ip -batch create"
		settle
		m1=$(kmem_kb)
		add_fig mem-vlan $(((m1 - m0) * 1024 / (4 * n)))
		timed delete-vlan vlan_delete "$n" || die "ip -batch delete"

		settle
		m0=$(kmem_kb)
		timed create-ercfg ercfg_create "$n" || die "ercfg create"
		settle
		m1=$(kmem_kb)
		add_fig mem-erdev $(((m1 - m0) * 1024 / (2 * n)))
		timed delete-ercfg ercfg_delete "$n" || die "ercfg delete"

		timed create-genl genl_create "$n" || die "genl create"
		timed delete-genl genl_delete "$n" || die "genl delete"

		if ercfg_has_apply; then
			scale_apply
		fi
		echo "bench: scale create/delete run $r of $RUNS done" >&2
	done
	er circuit del k0
	A ip link del d0
	A ip link del d1
	A ip link del d2
}

# `ercfg apply`: the same peerings as one configuration file, applied in
# one process. The file keeps what is already there ("ercfg dump"), so
# applying the dump again afterwards deletes exactly the new circuits.
scale_apply() {
	local i n=$CIRCUITS base=${TMPDIR:-/tmp}/bench-base.conf conf=${TMPDIR:-/tmp}/bench-apply.conf

	A "$ERCFG" dump >"$base" || die "ercfg dump"
	{
		cat "$base"
		for i in $(seq 1 "$n"); do
			echo "circuit a$i stag $i primary d2"
			echo "peering a$i private ctag 7"
			echo "peering a$i microsoft ctag 8"
		done
	} >"$conf"
	settle
	timed create-apply A "$ERCFG" apply "$conf" >/dev/null || die "ercfg apply create"
	timed delete-apply A "$ERCFG" apply "$base" >/dev/null || die "ercfg apply delete"
}

# The teardown rows. Each figure has its own namespace NT, built again
# before it: the veth t0 (its peer u0 in NB), up, and on it TEARDOWN
# circuits of one peering each, or as many 8021q QinQ pairs (an S device
# and a C device on it per circuit), all left down as created.
teardown_build() {	# PATH: vlan or erdev
	ip netns add "$NT" || die "teardown: cannot make the namespace"
	ip -n "$NT" link set lo up
	ip link add t0 netns "$NT" type veth peer u0 netns "$NB" || die "teardown: veth"
	ip -n "$NT" link set t0 up
	case $1 in
	vlan) vlan_create "$TEARDOWN" 1 t0 "$NT" ;;
	erdev) genl_create "$TEARDOWN" 1 t0 "$NT" ;;
	esac || die "teardown: cannot create $TEARDOWN circuits ($1)"
	settle
}

# Nothing but lo may be left in NT once its NIC is removed: no device,
# no circuit.
teardown_empty() {
	local left
	left=$(ip -n "$NT" -o link show | grep -vc ': lo:')
	[ "$left" = 0 ] || { echo "bench: $left devices left" >&2; return 1; }
	ip netns exec "$NT" "$ERCFG" -j show |
		python3 -c 'import json, sys; sys.exit(len(json.load(sys.stdin)))' ||
		{ echo "bench: circuits left" >&2; return 1; }
}

# Delete NT and wait for its devices to be gone: the namespace's cleanup
# is asynchronous. Its NIC's peer leaves NB in the batch that unregisters
# them all, and one RTNL request in NB then waits for that batch's end.
teardown_netns() {
	local deadline=$(($(now_ms) + 600000))
	ip netns del "$NT" || return 1
	while ip -n "$NB" link show u0 >/dev/null 2>&1; do
		[ "$(now_ms)" -lt "$deadline" ] || return 1
		sleep 0.01
	done
	ip -n "$NB" link set lo up
}

teardown() {
	local r p
	if [ -n "${RCU_NORMAL:-}" ]; then
		RCU_WAS=$(cat /sys/kernel/rcu_normal) || die "no /sys/kernel/rcu_normal"
		echo 1 >/sys/kernel/rcu_normal || die "cannot set rcu_normal"
	fi
	for r in $(seq "$RUNS"); do
		for p in vlan erdev; do
			teardown_build "$p"
			timed "teardown-nic-$p" ip -n "$NT" link del t0 ||
				die "teardown: ip link del t0 ($p)"
			teardown_empty || die "teardown: removing the NIC left something behind ($p)"
			ip netns del "$NT"
			settle
		done
		for p in vlan erdev; do
			teardown_build "$p"
			timed "teardown-netns-$p" teardown_netns ||
				die "teardown: the namespace did not go away ($p)"
			settle
		done
		echo "bench: teardown run $r of $RUNS done" >&2
	done
	if [ -n "${RCU_WAS:-}" ]; then
		echo "$RCU_WAS" >/sys/kernel/rcu_normal
		RCU_WAS=
	fi
}

start=$(date +%s)
want tx && packet_group tx
want rx && packet_group rx
want scale && scale_rx
{ want scale || want mem; } && scale_create
want teardown && teardown
secs=$(($(date +%s) - start))

print_table
