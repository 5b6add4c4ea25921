#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ercfg apply and dump against the kernel: a file with two circuits and
# both peerings each is applied, applied again (no change), dumped and the
# dump applied (no change); an edit of one bandwidth and one C-tag changes
# exactly those (the plan, the monitor's events, and the interfaces that
# stay); an S-tag edit deletes and re-creates that circuit; a broken line
# is refused with its line number and nothing changes; a step the kernel
# refuses is rolled back; a circuit the file drops is deleted.
# timeout: 900
# debug-kernel: skip (ercfg's planning; its kernel requests are rules.sh's and
# lifecycle.sh's)

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh
source ./monitor_lib.sh

erdev_require
modprobe -q bridge 2>/dev/null
modprobe -q dummy 2>/dev/null
ktap_print_header
ktap_set_plan 37

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
erdev_tmpdir || ktap_exit_fail_msg "tmpdir"
F=$ERDEV_TMP/erdev.conf

cat >"$F" <<'CONF'
# Two circuits on eth0 + eth1, both peerings each.
circuit c1 stag 100 primary eth0 secondary eth1 bandwidth 1gbit
peering c1 private ctag 200 ipv4 192.168.100.128/29
peering c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30

circuit c2 stag 101 primary eth0 secondary eth1 bandwidth 500mbit sku premium
peering c2 private ctag 200   # qinq: C-tags are per circuit
peering c2 microsoft ctag 310
CONF

PLAN1="circuit add c1 stag 100 primary eth0 secondary eth1 bandwidth 1gbit
circuit add c2 stag 101 primary eth0 secondary eth1 bandwidth 500mbit sku premium
peering add c1 private ctag 200 ipv4 192.168.100.128/30,192.168.100.132/30
peering add c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30
peering add c2 private ctag 200
peering add c2 microsoft ctag 310"

DUMP1="circuit c1 encap qinq tpid 0x8100 stag 100 primary eth0 secondary eth1 bandwidth 1gbit sku standard billing metered
peering c1 private ctag 200 ipv4 192.168.100.128/30,192.168.100.132/30
peering c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30

circuit c2 encap qinq tpid 0x8100 stag 101 primary eth0 secondary eth1 bandwidth 500mbit sku premium billing metered
peering c2 private ctag 200
peering c2 microsoft ctag 310"

IFACES="c1.m0 c1.m1 c1.p0 c1.p1 c2.m0 c2.m1 c2.p0 c2.p1"

# ifindexes: "IF:INDEX ..." of the erdev interfaces, sorted by name.
ifindexes()
{
	ip -n "$EDGE" -d -j link show |
		jq -r '[.[] | select(.linkinfo.info_kind == "erdev") | "\(.ifname):\(.ifindex)"] | sort | join(" ")'
}

# config: what must stay the same across a refused apply: the dump, the
# interfaces and their addresses (ifindexes may change in a rollback).
config()
{
	er dump
	ip -n "$EDGE" -j addr show | jq -r '.[] | select(.ifname | test("^c[0-9]")) |
		"\(.ifname) \(.operstate) \([.addr_info[] | "\(.local)/\(.prefixlen)"] | join(","))"' | sort
}

# apply_out ARGS...: "status N" and the output, stderr after stdout.
apply_out()
{
	local out rc

	out=$(er apply "$@" 2>"$ERDEV_TMP/err")
	rc=$?
	echo "status $rc"
	[ -n "$out" ] && echo "$out"
	cat "$ERDEV_TMP/err"
}

check_eq "dry run: the plan" "status 0
$PLAN1" "$(apply_out --dry-run "$F")"
check_eq "dry run: nothing created" "" "$(er dump)"

check_ok "monitor listening" monitor_start "$EDGE" m

check_eq "apply: the plan, done" "status 0
$PLAN1" "$(apply_out "$F")"
check_eq "dump: what the file says, every attribute" "$DUMP1" "$(er dump)"
check_eq "the interfaces" "$IFACES" "$(erdev_ifaces "$EDGE")"
check_eq "customer address on c1.p1" "192.168.100.133/30" \
	"$(ip -n "$EDGE" -j addr show dev c1.p1 | jq -r '.[0].addr_info[] | "\(.local)/\(.prefixlen)"')"
monitor_take m >/dev/null

before=$(ifindexes)
check_eq "apply again: nothing to change" "status 0
nothing to change" "$(apply_out "$F")"
check_eq "apply again: no event" "" "$(monitor_take m)"
check_eq "apply again: the same interfaces" "$before" "$(ifindexes)"

er dump >"$ERDEV_TMP/dump.conf"
check_eq "apply of the dump: nothing to change" "status 0
nothing to change" "$(apply_out "$ERDEV_TMP/dump.conf")"
check_eq "apply of the dump from stdin: nothing to change" "nothing to change
status 0" "$(er apply - <"$ERDEV_TMP/dump.conf" 2>&1; echo "status $?")"

# Edit one bandwidth and one C-tag.
sed -i -e 's/bandwidth 1gbit/bandwidth 2gbit/' \
	-e 's/^peering c2 microsoft ctag 310/peering c2 microsoft ctag 311/' "$F"
check_eq "edit: exactly those changes" "status 0
peering del c2 microsoft
circuit set c1 bandwidth 2gbit
peering add c2 microsoft ctag 311" "$(apply_out "$F")"
check_eq "edit: exactly those events" "peering del c2 microsoft
circuit set c1 bandwidth 2gbit sku standard billing metered
peering add c2 microsoft ctag 311" "$(monitor_take m)"
check_eq "edit: the other interfaces stay" \
	"$(sed -E 's/c2\.m[01]:[0-9]+ ?//g; s/ $//' <<<"$before")" \
	"$(ifindexes | sed -E 's/c2\.m[01]:[0-9]+ ?//g; s/ $//')"
check_eq "edit: c1 runs at 2 Gbit/s" "2000" \
	"$(ip netns exec "$EDGE" cat /sys/class/net/c1.p0/erdev/bandwidth_mbps)"
check_eq "edit: apply again, nothing to change" "status 0
nothing to change" "$(apply_out "$F")"

# A broken line: its number, nothing asked of the kernel.
cp "$F" "$ERDEV_TMP/broken.conf"
sed -i '6s/.*/peering c2 private ctag 4095/' "$ERDEV_TMP/broken.conf"
sed -i 's/bandwidth 2gbit/bandwidth 5gbit/' "$ERDEV_TMP/broken.conf"
state=$(config)
check_eq "broken line: error with its line number, status 2" "status 2
ercfg: $ERDEV_TMP/broken.conf:6: invalid C-tag \"4095\" (1..4094)" \
	"$(apply_out "$ERDEV_TMP/broken.conf")"
check_eq "broken line: nothing changed" "$state" "$(config)"
check_eq "broken line: no event" "" "$(monitor_take m)"

# An S-tag edit: that circuit is deleted and made again, with its peerings.
sed 's/stag 101/stag 102/' "$F" >"$ERDEV_TMP/stag.conf"
check_eq "S-tag edit: delete and re-create (dry run)" "status 0
circuit del c2
circuit add c2 stag 102 primary eth0 secondary eth1 bandwidth 500mbit sku premium
peering add c2 private ctag 200
peering add c2 microsoft ctag 311" "$(apply_out --dry-run "$ERDEV_TMP/stag.conf")"

# The kernel refuses a step (a NIC that is a bridge port): the steps before
# it are undone, and the error names the line.
ip -n "$EDGE" link add br0 type bridge &&
	ip -n "$EDGE" link add d0 type dummy &&
	ip -n "$EDGE" link set d0 master br0
{
	grep -v '^peering c1 microsoft' "$F" | sed 's/bandwidth 2gbit/bandwidth 3gbit/'
	echo "circuit c3 stag 103 primary d0"
} >"$ERDEV_TMP/refused.conf"
line=$(grep -n '^circuit c3' "$ERDEV_TMP/refused.conf" | cut -d: -f1)
state=$(config)
out=$(apply_out "$ERDEV_TMP/refused.conf")
check_eq "refused step: the steps before it, then the error with the line" "status 1
peering del c1 microsoft
circuit set c1 bandwidth 3gbit
ercfg: $ERDEV_TMP/refused.conf:$line: the kernel refused \"circuit add c3 stag 103 primary d0\"; the changes before it were undone, nothing changed" \
	"$(grep -v '^Error: ' <<<"$out")"
check_eq "refused step: the kernel's message" 1 "$(grep -c '^Error: .*d0' <<<"$out")"
check_eq "refused step: nothing changed (peering, addresses, bandwidth)" \
	"$state" "$(config)"
check_eq "refused step: the events of the steps and of their undoing" \
"peering del c1 microsoft
circuit set c1 bandwidth 3gbit sku standard billing metered
circuit set c1 bandwidth 2gbit sku standard billing metered
peering add c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30" \
	"$(monitor_take m)"

# A circuit the file no longer names is deleted.
grep -v ' c2 ' "$F" >"$ERDEV_TMP/one.conf"
check_eq "a dropped circuit is deleted" "status 0
circuit del c2" "$(apply_out "$ERDEV_TMP/one.conf")"
check_eq "its interfaces are gone" "c1.m0 c1.m1 c1.p0 c1.p1" "$(erdev_ifaces "$EDGE")"

# A file with no circuits would delete them all (an empty or truncated
# erdev.conf on reload): refused unless --allow-empty, dry run too.
printf '# truncated\n\n' >"$ERDEV_TMP/empty.conf"
monitor_take m >/dev/null
state=$(config)
check_eq "no circuits in the file: refused, status 2" "status 2
ercfg: $ERDEV_TMP/empty.conf has no circuits: applying it would delete 1 circuit; --allow-empty to do that" \
	"$(apply_out "$ERDEV_TMP/empty.conf")"
check_eq "no circuits in the file, dry run: refused too" "status 2
ercfg: $ERDEV_TMP/empty.conf has no circuits: applying it would delete 1 circuit; --allow-empty to do that" \
	"$(apply_out --dry-run "$ERDEV_TMP/empty.conf")"
check_eq "no circuits in the file: nothing changed, no event" "$state" \
	"$(config; monitor_take m)"
check_eq "--allow-empty: every circuit deleted" "status 0
circuit del c1" "$(apply_out --allow-empty "$ERDEV_TMP/empty.conf")"
check_eq "--allow-empty: no erdev interface left" "" "$(erdev_ifaces "$EDGE")"
check_eq "--allow-empty again: nothing to change" "status 0
nothing to change" "$(apply_out --allow-empty "$ERDEV_TMP/empty.conf")"
monitor_take m >/dev/null

# valgrind on the paths that talk to the kernel: a plan that runs, one
# that is rolled back, nothing to change, dump (on the 6.12 lane:
# valgrind_lane).
if valgrind_lane; then
	vg()
	{
		ip netns exec "$EDGE" valgrind -q --leak-check=full \
			--errors-for-leak-kinds=all --error-exitcode=99 "$ERCFG" "$@" \
			>/dev/null 2>"$ERDEV_TMP/vg.err"
		[ $? != 99 ] && ! grep -q '^==' "$ERDEV_TMP/vg.err"
	}
	check_ok "valgrind: apply that changes things" vg apply "$F"
	check_ok "valgrind: apply that is rolled back" vg apply "$ERDEV_TMP/refused.conf"
	check_ok "valgrind: apply, nothing to change" vg apply "$F"
	check_ok "valgrind: dump" vg dump
else
	for what in "apply that changes things" "apply that is rolled back" \
		"apply, nothing to change" dump; do
		ktap_test_skip "valgrind: $what" "valgrind runs on the 6.12 lane"
	done
fi

monitor_stop m
er circuit del c1 2>/dev/null
er circuit del c2 2>/dev/null
ktap_finished
