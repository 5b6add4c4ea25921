#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Profile one path of the benchmark with perf on a software event
# (cpu-clock: the only kind TCG offers). Run by `make bench SCRIPT=profile`
# in the test VM, or as root on a host. Prints the hottest symbols of the
# whole system while pktgen pushes frames through the path.
#
# Environment:
#   PATHS   which paths, any of: tx-erdev tx-vlan tx-veth rx-erdev rx-vlan
#           rx-veth (default: tx-erdev rx-erdev)
#   SIZE    frame size (default 64)
#   COUNT   frames per path (default 200000)
#   OFFLOADS  on or off (default on)
#   ERCFG, ERDEV_KO  as for bench.sh
# timeout: 1200
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ERCFG=${ERCFG:-$REPO/tools/ercfg/ercfg}
PATHS=${PATHS:-tx-erdev rx-erdev}
SIZE=${SIZE:-64}
COUNT=${COUNT:-200000}
OFFLOADS=${OFFLOADS:-on}

die() { echo "profile: $*" >&2; exit 1; }
command -v perf >/dev/null || die "needs perf"
modprobe pktgen && modprobe 8021q && modprobe veth || die "modules"
if ! grep -q '^erdev ' /proc/modules; then
	insmod "${ERDEV_KO:?erdev is not loaded and ERDEV_KO is not set}" || die "insmod"
fi
NA=erprof-a-$$ NB=erprof-b-$$
cleanup() {
	ip netns exec "$NA" "$ERCFG" circuit del bx >/dev/null 2>&1
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$NA" && ip netns add "$NB" || die "netns"
A() { ip netns exec "$NA" "$@"; }
B() { ip netns exec "$NB" "$@"; }
for i in 0 1 2; do
	ip link add "a$i" netns "$NA" type veth peer "b$i" netns "$NB" || die veth
	ip -n "$NA" link set "a$i" up
	ip -n "$NB" link set "b$i" up
	for ns in A B; do
		side=a
		[ $ns = B ] && side=b
		$ns ethtool -K "$side$i" rxvlan "$OFFLOADS" txvlan "$OFFLOADS" \
			rx-vlan-stag-hw-parse "$OFFLOADS" tx-vlan-stag-hw-insert "$OFFLOADS" >/dev/null 2>&1
	done
done
ip -n "$NA" link add link a1 name q300 type vlan proto 802.1Q id 300 &&
	ip -n "$NA" link add link q300 name q300.400 type vlan proto 802.1Q id 400 &&
	ip -n "$NA" link set q300 up && ip -n "$NA" link set q300.400 up || die vlan
A "$ERCFG" circuit add bx stag 100 primary a2 >/dev/null &&
	A "$ERCFG" peering add bx private ctag 200 >/dev/null &&
	A ip link set bx.p0 up || die erdev

declare -A DEV=([tx-veth]=a0 [tx-vlan]=q300.400 [tx-erdev]=bx.p0
	[rx-veth]=b0 [rx-vlan]=b1 [rx-erdev]=b2)
declare -A TAGS=([rx-vlan]="400 300" [rx-erdev]="200 100")

for p in $PATHS; do
	ns=A
	[[ $p == rx-* ]] && ns=B
	dev=${DEV[$p]:?unknown path $p}
	# shellcheck disable=SC2086
	set -- ${TAGS[$p]:-}
	$ns bash -c "
		P=/proc/net/pktgen
		echo rem_device_all >\$P/kpktgend_0
		echo 'add_device $dev' >\$P/kpktgend_0
		for c in 'count $COUNT' 'pkt_size $SIZE' 'clone_skb 0' 'delay 0' \
			'dst_mac 02:00:00:00:00:99' 'dst 198.18.0.2' 'flag NO_TIMESTAMP' \
			${1:+'vlan_id $1' 'svlan_id $2'}; do echo \"\$c\" >\$P/$dev; done" ||
		die "pktgen setup"
	perf record -q -e cpu-clock -a -g -o "/tmp/perf-$p.data" -- \
		ip netns exec "$ns" bash -c 'echo start >/proc/net/pktgen/pgctrl' 2>/dev/null ||
		die "perf record"
	echo "=== $p (${SIZE}B, offloads $OFFLOADS): $($ns sed -n 's/^ *\([0-9]*pps\).*/\1/p' "/proc/net/pktgen/$dev")"
	perf report -i "/tmp/perf-$p.data" --stdio --no-children --sort sym \
		-g none --percent-limit 1 2>/dev/null | grep -v '^#' | grep . | head -40
	$ns bash -c 'echo rem_device_all >/proc/net/pktgen/kpktgend_0'
done
echo "=== end"
