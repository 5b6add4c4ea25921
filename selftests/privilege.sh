#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reads need no privilege, every change needs CAP_NET_ADMIN.
#
# As root without CAP_NET_ADMIN (capsh --drop) and as user nobody
# (setpriv): show and stats print exactly what root sees, text and JSON;
# circuit add/set/del and peering add/del print "Error: Operation not
# permitted" and exit 1; nothing changed. Then, the family's
# GENL_UNS_ADMIN_PERM: user nobody, as root of its own user and network
# namespace (unshare -Urn), manages circuits on its own NICs, and sees
# none of the circuits outside. The service key is shown to CAP_NET_ADMIN
# only (netlink), to the namespace's root only (sysfs).
# timeout: 300
# No erdev code runs for a refused request (the generic netlink core
# refuses it), and the reads are the other tests' too:
# debug-kernel: skip

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

setup()
{
	ip -n "$EDGE" link add eth0 type dummy &&
		ip -n "$EDGE" link add eth1 type dummy &&
		ip -n "$EDGE" link add eth2 type dummy &&
		er circuit add c1 stag 100 primary eth0 secondary eth1 \
			bandwidth 1gbit &&
		er peering add c1 private ctag 200
}

# as MODE CMD...: run CMD in the edge namespace without CAP_NET_ADMIN.
as()
{
	local mode=$1

	shift
	case $mode in
	nocap)
		ip netns exec "$EDGE" capsh --drop=cap_net_admin -- -c '"$@"' \
			capsh "$@" ;;
	nobody)
		ip netns exec "$EDGE" setpriv --reuid=65534 --regid=65534 \
			--clear-groups "$@" ;;
	esac
}

# In a new user namespace (of user nobody) with a new network namespace.
CONTAINER_SCRIPT='
ip link add eth0 type dummy || exit 1
"$ERCFG" circuit add u1 stag 100 primary eth0 || exit 1
"$ERCFG" peering add u1 private ctag 200 || exit 1
"$ERCFG" circuit set u1 bandwidth 50mbit || exit 1
echo "$("$ERCFG" -j show | jq -c "[.[] | .name, .bandwidth_mbps, .peerings[0].links[0].ifname]")"
"$ERCFG" circuit del u1 || exit 1
echo "$("$ERCFG" -j show)"
'

ktap_print_header
erdev_require capsh setpriv unshare
ktap_set_plan 27

modprobe -q dummy 2>/dev/null
setup_ns EDGE || exit "$KSFT_FAIL"
check_ok "circuit c1 with a private peering, as root" setup

show=$(er show)
jshow=$(er -j show)
stats=$(er stats)
jstats=$(er -j stats)
state=$(erdev_state "$EDGE")
ifindex=$(ip -n "$EDGE" -j link show eth2 | jq '.[0].ifindex')

for mode in nocap nobody; do
	check_eq "$mode: show" "$show" "$(as $mode "$ERCFG" show)"
	check_eq "$mode: -j show" "$jshow" "$(as $mode "$ERCFG" -j show)"
	check_eq "$mode: stats" "$stats" "$(as $mode "$ERCFG" stats)"
	check_eq "$mode: -j stats" "$jstats" "$(as $mode "$ERCFG" -j stats)"
	for cmd in "circuit add c2 stag 101 primary eth2" \
		"circuit set c1 bandwidth 2gbit" \
		"circuit del c1" \
		"peering add c1 microsoft ctag 300" \
		"peering del c1 private"; do
		# shellcheck disable=SC2086
		check_refused "$mode: $cmd" "Error: Operation not permitted" \
			as $mode "$ERCFG" $cmd
	done
done
check_eq "the state is the one root made" "$state" "$(erdev_state "$EDGE")"

# The service key authorises provisioning: only for CAP_NET_ADMIN over the
# namespace (netlink), only for the namespace's root (sysfs, mode 0400).
KEY=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
check_ok "circuit k1 with a service key, a private peering" \
	eval 'er circuit add k1 stag 102 primary eth2 service-key $KEY &&
		er peering add k1 private ctag 200'
check_eq "root sees the service key (ercfg, sysfs)" "$KEY $KEY" \
	"$(er -j show k1 | jq -r '.[0].service_key') $(ip netns exec "$EDGE" cat /sys/class/net/k1.p0/erdev/service_key)"
check_eq "nocap: ercfg show has no service key" null \
	"$(as nocap "$ERCFG" -j show k1 | jq -r '.[0].service_key')"
check_eq "nobody: ercfg show has no service key" null \
	"$(as nobody "$ERCFG" -j show k1 | jq -r '.[0].service_key')"
check_fail "nobody: sysfs refuses the service key" \
	as nobody cat /sys/class/net/k1.p0/erdev/service_key

# Container root: CAP_NET_ADMIN over its own network namespace only.
state=$(erdev_state "$EDGE")
if ! setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn true 2>/dev/null; then
	# unshare(CLONE_NEWUSER) fails in a chroot (the test VM enters the
	# host root as switch_root does, not with chroot alone).
	ktap_test_skip "user nobody manages circuits in its own user and network namespace" \
		"cannot create a user namespace here"
	ktap_test_skip "circuits outside are unchanged" \
		"cannot create a user namespace here"
else
	out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups \
		env ERCFG="$ERCFG" unshare -Urn bash -c "$CONTAINER_SCRIPT" 2>&1)
	check_eq "user nobody manages circuits in its own user and network namespace" \
		'["u1",50,"u1.p0"]
[]' "$out"
	check_eq "circuits outside are unchanged" "$state" "$(erdev_state "$EDGE")"
fi

ktap_finished
