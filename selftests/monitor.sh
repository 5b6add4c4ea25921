#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ercfg monitor: every event of the genetlink "monitor" group, in order,
# as text and as JSON, from two monitors running at once: circuit created,
# changed, deleted; peering created, changed, deleted; an interface going up, losing
# its NIC's carrier, getting it back, going down; and nothing from another
# namespace. Notifications never carry the circuit's service key (anyone in
# the namespace may listen). SIGINT ends it with status 0.
# timeout: 360

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh
source ./monitor_lib.sh

erdev_require
modprobe -q dummy 2>/dev/null
ktap_print_header
ktap_set_plan 19

KEY=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0

# is_operstate IF STATE: the kernel has IF in STATE now.
is_operstate()
{
	[ "$(ip -n "$EDGE" -j link show dev "$1" | jq -r '.[0].operstate')" = "$2" ]
}

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
setup_ns OTHER || ktap_exit_fail_msg "namespace"
ip -n "$OTHER" link add eth0 type dummy || ktap_exit_fail_msg "dummy"
# A veth's carrier, and so its operstate, comes up through linkwatch, a
# moment after "ip link set up": c1.p0 set up before that goes to
# lowerlayerdown first, and then up, two events where the test expects one.
slowwait 10 is_operstate eth0 UP || ktap_exit_fail_msg "eth0 is not up"

check_ok "text monitor listening" monitor_start "$EDGE" t
check_ok "JSON monitor listening" monitor_start "$EDGE" j -j

er circuit add c1 stag 100 primary eth0 secondary eth1 bandwidth 1gbit \
	service-key $KEY
er circuit set c1 bandwidth 2gbit sku premium
er peering add c1 private ctag 200 ipv4 192.168.100.128/29
# A circuit in another namespace is not seen here.
er_ns "$OTHER" circuit add c9 stag 100 primary eth0
ip -n "$EDGE" link set c1.p0 up
slowwait 10 is_operstate c1.p0 UP
ip -n "$MSEE0" link set eth0 down
slowwait 10 is_operstate c1.p0 LOWERLAYERDOWN
ip -n "$MSEE0" link set eth0 up
slowwait 10 is_operstate c1.p0 UP
ip -n "$EDGE" link set c1.p0 down
er peering del c1 private
er peering add c1 microsoft ctag 300
er peering set c1 microsoft dscp keep
er circuit del c1

check_eq "text: every event, in order" \
"circuit add c1 encap qinq tpid 0x8100 stag 100 primary eth0 secondary eth1 bandwidth 1gbit sku standard billing metered
circuit set c1 bandwidth 2gbit sku premium billing metered
peering add c1 private ctag 200 ipv4 192.168.100.128/30,192.168.100.132/30
link c1.p0 up
link c1.p0 lowerlayerdown
link c1.p0 up
link c1.p0 down
peering del c1 private
peering add c1 microsoft ctag 300
peering set c1 microsoft dscp keep
circuit del c1" "$(monitor_events t)"

monitor_events j >"$ERDEV_TMP/j.json"
check_eq "JSON: one object per line, the same events" \
"circuit-add circuit-change peering-add link-change link-change link-change link-change peering-del peering-add peering-change circuit-del" \
	"$(jq -r .event "$ERDEV_TMP/j.json" | paste -sd' ')"
ev() { sed -n "${1}p" "$ERDEV_TMP/j.json" | jq -cS "${2:-.}"; }
# The objects are those of show -j (one writer, show.c's), and the service
# key, which notifications never carry, is null as show -j prints it for
# a caller who may not see it.
check_eq "JSON circuit-add: show -j's fields" \
	'{"bandwidth_mbps":1000,"billing":"metered","encap":"qinq","event":"circuit-add","name":"c1","peerings":[],"primary":"eth0","secondary":"eth1","service_key":null,"sku":"standard","stag":100,"tpid":"0x8100"}' \
	"$(ev 1 'del(.primary_ifindex, .secondary_ifindex)')"
check_eq "JSON circuit-add: the NICs' ifindexes" \
	"$(ip -n "$EDGE" -j link show dev eth0 | jq .[0].ifindex) $(ip -n "$EDGE" -j link show dev eth1 | jq .[0].ifindex)" \
	"$(ev 1 '.primary_ifindex, .secondary_ifindex' | paste -sd' ')"
check_eq "JSON circuit-change" "2000 premium" "$(ev 2 '"\(.bandwidth_mbps) \(.sku)"' | tr -d '"')"
check_eq "JSON peering-add" \
	'{"circuit":"c1","ctag":200,"dscp":"keep","event":"peering-add","links":[{"ifname":"c1.p0","ipv4":{"customer":"192.168.100.129","microsoft":"192.168.100.130","neighbor":null,"subnet":"192.168.100.128/30"},"ipv6":null,"lower":"eth0","operstate":"down","role":"primary"},{"ifname":"c1.p1","ipv4":{"customer":"192.168.100.133","microsoft":"192.168.100.134","neighbor":null,"subnet":"192.168.100.132/30"},"ipv6":null,"lower":"eth1","operstate":"down","role":"secondary"}],"type":"private"}' \
	"$(ev 3 '.links |= map(del(.ifindex, .lower_ifindex))')"
check_eq "JSON link-change: lower layer down" \
	'{"circuit":"c1","event":"link-change","ifname":"c1.p0","ipv4":{"customer":"192.168.100.129","microsoft":"192.168.100.130","neighbor":null,"subnet":"192.168.100.128/30"},"ipv6":null,"lower":"eth0","operstate":"lowerlayerdown","role":"primary","type":"private"}' \
	"$(ev 5 'del(.ifindex, .lower_ifindex)')"
check_eq "JSON link-change: the interface's ifindex" \
	"$(ev 3 '.links[0].ifindex')" "$(ev 5 '.ifindex')"
check_eq "JSON peering-del" '"private"' "$(ev 8 .type)"
check_eq "JSON peering-change: the new dscp" \
	'{"circuit":"c1","ctag":300,"dscp":"keep","event":"peering-change","links":[{"ifname":"c1.m0","ipv4":null,"ipv6":null,"lower":"eth0","operstate":"down","role":"primary"},{"ifname":"c1.m1","ipv4":null,"ipv6":null,"lower":"eth1","operstate":"down","role":"secondary"}],"type":"microsoft"}' \
	"$(ev 10 '.links |= map(del(.ifindex, .lower_ifindex))')"
check_eq "JSON circuit-del: the circuit as it was" '"c1" 2000' \
	"$(ev 11 '.name, .bandwidth_mbps' | paste -sd' ')"

# The other namespace's monitor sees its own circuit only.
# This one under valgrind on the 6.12 lane (valgrind_lane).
VG=()
valgrind_lane &&
	VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99)
MON_WRAP=("${VG[@]}")
check_ok "a monitor in another namespace" monitor_start "$OTHER" o
MON_WRAP=()
er_ns "$OTHER" circuit del c9
check_eq "another namespace: its own events" "circuit del c9" "$(monitor_events o)"

monitor_stop t
monitor_stop j
monitor_stop o
check_eq "SIGINT: status 0 (text)" 0 "${MON_RC[t]}"
check_eq "SIGINT: status 0 (JSON)" 0 "${MON_RC[j]}"
check_eq "SIGINT: status 0 (another namespace${VG:+, valgrind})" 0 "${MON_RC[o]}"
check_eq "nothing on standard error${VG:+ (nor from valgrind)}" "" \
	"$(cat "${MON_FILE[t]}.err" "${MON_FILE[j]}.err" "${MON_FILE[o]}.err")"
ktap_finished
