#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a user sees: ip link (-d, -j), sysfs, ethtool -i/-S and link
# settings, ercfg show and stats (text and -j), ercfg -V, against a qinq
# circuit with every attribute set and a dot1q circuit with none.
#
#   c1  qinq, TPID 0x8100, S-tag 100, eth0 (MTU 1508) + eth1, 1 Gbit/s,
#       premium, unlimited, a service key; private C-tag 200, microsoft 300
#   d1  dot1q, TPID 0x88a8, eth2 (a dummy, MTU 1500); private VLAN 400
# timeout: 300
# debug-kernel: skip (what ip, ethtool and sysfs print; lifecycle.sh reads
# sysfs and the counters under churn there)

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

KEY=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0

setup()
{
	ip -n "$EDGE" link add eth2 type dummy &&
		erdev_c1 primary eth0 secondary eth1 bandwidth 1gbit \
			sku premium billing unlimited service-key "${KEY^^}" &&
		er circuit add d1 encap dot1q tpid 0x88a8 primary eth2 &&
		er peering add d1 private ctag 400
}

ifindex()
{
	ip -n "$EDGE" -j link show "$1" | jq '.[0].ifindex'
}

# sysfs DEV: the eleven attributes of /sys/class/net/DEV/erdev, "|"
# between.
sysfs()
{
	local a

	for a in circuit peering link encap tpid stag ctag dscp bandwidth_mbps sku service_key; do
		ip netns exec "$EDGE" cat "/sys/class/net/$1/erdev/$a" || echo ERR
	done | paste -sd'|'
}

sysfs_modes()
{
	ip netns exec "$EDGE" sh -c "stat -c '%a' /sys/class/net/c1.p0/erdev/*" |
		sort -u | paste -sd' '
}

sysfs_links()
{
	ip netns exec "$EDGE" sh -c 'test -L /sys/class/net/c1.p1/lower_eth1 &&
		test -L /sys/class/net/eth1/upper_c1.p1 &&
		test -L /sys/class/net/d1.p0/lower_eth2 &&
		test -L /sys/class/net/eth2/upper_d1.p0'
}

# ethtool_info DEV: driver, version and bus-info lines, "|" between.
ethtool_info()
{
	ip netns exec "$EDGE" ethtool -i "$1" |
		grep -E '^(driver|version|bus-info):' | paste -sd'|'
}

ethtool_link()
{
	ip netns exec "$EDGE" ethtool "$1" |
		sed -n 's/^[[:space:]]*\(Speed\|Duplex\): /\1: /p' | paste -sd'|'
}

# link_summary: "DEV UP|DOWN OPERSTATE MTU MAC;" from ip -j link, for
# each erdev interface.
link_summary()
{
	ip -n "$EDGE" -j link show type erdev | jq -r '.[] |
		"\(.ifname) \(if (.flags | index("UP")) then "UP" else "DOWN" end) \(.operstate) \(.mtu) \(.address)"' |
		paste -sd';'
}

# ercfg_states: "IF STATE " of every link, from ercfg -j show.
ercfg_states()
{
	er -j show | jq -j '.[].peerings[].links[] | "\(.ifname) \(.operstate) "'
}

all_up()
{
	ip -n "$EDGE" -batch - <<-EOF
		link set eth2 up
		link set c1.p0 up
		link set c1.p1 up
		link set c1.m0 up
		link set c1.m1 up
		link set d1.p0 up
	EOF
}

states_up()
{
	[ "$(ercfg_states)" = "c1.p0 up c1.p1 up c1.m0 up c1.m1 up d1.p0 up " ]
}

plugin_line()
{
	IP_LIB_DIR=$PLUGIN_DIR ip -n "$EDGE" -d link show "$1" |
		grep -o 'erdev circuit .* ctag [0-9]*'
}

link_json()
{
	jq -n --arg role "$1" --arg ifname "$2" --argjson ifindex "$(ifindex "$2")" \
		--arg lower "$3" --argjson lower_ifindex "$(ifindex "$3")" \
		--arg operstate "$4" \
		'{role: $role, ifname: $ifname, ifindex: $ifindex, lower: $lower,
		  lower_ifindex: $lower_ifindex, operstate: $operstate,
		  ipv4: null, ipv6: null}'
}

expected_c1_json()
{
	jq -n -S -c --argjson e0 "$(ifindex eth0)" --argjson e1 "$(ifindex eth1)" \
		--arg key "$KEY" \
		--argjson p0 "$(link_json primary c1.p0 eth0 up)" \
		--argjson p1 "$(link_json secondary c1.p1 eth1 up)" \
		--argjson m0 "$(link_json primary c1.m0 eth0 up)" \
		--argjson m1 "$(link_json secondary c1.m1 eth1 up)" \
		'[{name: "c1", encap: "qinq", tpid: "0x8100", stag: 100,
		   primary: "eth0", primary_ifindex: $e0,
		   secondary: "eth1", secondary_ifindex: $e1,
		   bandwidth_mbps: 1000, sku: "premium", billing: "unlimited",
		   service_key: $key,
		   peerings: [{type: "private", ctag: 200, dscp: "keep",
			       links: [$p0, $p1]},
			      {type: "microsoft", ctag: 300, dscp: "conform",
			       links: [$m0, $m1]}]}]'
}

expected_d1_json()
{
	jq -n -S -c --argjson e2 "$(ifindex eth2)" \
		--argjson p0 "$(link_json primary d1.p0 eth2 up)" \
		'[{name: "d1", encap: "dot1q", tpid: "0x88a8", stag: null,
		   primary: "eth2", primary_ifindex: $e2,
		   secondary: null, secondary_ifindex: null,
		   bandwidth_mbps: null, sku: "standard", billing: "metered",
		   service_key: null,
		   peerings: [{type: "private", ctag: 400, dscp: "keep",
				     links: [$p0]}]}]'
}

SHOW_TEXT="circuit: c1
  encap: qinq  tpid: 0x8100  stag: 100
  primary: eth0  secondary: eth1
  bandwidth: 1gbit  sku: premium  billing: unlimited
  service-key: $KEY
  peering: private  ctag: 200  dscp: keep
    interface: c1.p0  link: primary  lower: eth0  state: up
    interface: c1.p1  link: secondary  lower: eth1  state: up
  peering: microsoft  ctag: 300  dscp: conform
    interface: c1.m0  link: primary  lower: eth0  state: up
    interface: c1.m1  link: secondary  lower: eth1  state: up

circuit: d1
  encap: dot1q  tpid: 0x88a8
  primary: eth2
  sku: standard  billing: metered
  peering: private  ctag: 400  dscp: keep
    interface: d1.p0  link: primary  lower: eth2  state: up"

STATS_TEXT="circuit: d1
  peering: private  ctag: 400  dscp: keep
    interface: d1.p0  link: primary  lower: eth2  state: up
      rx-packets: 0  rx-bytes: 0  rx-dropped: 0
      tx-packets: 0  tx-bytes: 0  tx-dropped: 0  tx-dscp-rewritten: 0

port: eth2
  encap: dot1q  tpid: 0x88a8
  rx-unknown-stag: 0  rx-unknown-ctag: 0  rx-untagged: 0  rx-bad-tpid: 0  rx-malformed: 0"

ETHTOOL_STATS="rx_packets rx_bytes rx_dropped tx_packets tx_bytes tx_dropped tx_dscp_rewritten port_rx_unknown_stag port_rx_unknown_ctag port_rx_untagged port_rx_bad_tpid port_rx_malformed"

ktap_print_header
erdev_require ethtool
ktap_set_plan 43
modprobe -q dummy 2>/dev/null

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "circuits c1 and d1 with their peerings" setup
ETH2_MAC=$(if_mac "$EDGE" eth2)

# ip link
check_eq "interfaces are down, MTU min(1500, NIC MTU - tags), the NIC's MAC" \
	"c1.p0 DOWN DOWN 1500 $EDGE_MAC0;c1.p1 DOWN DOWN 1500 $EDGE_MAC1;c1.m0 DOWN DOWN 1500 $EDGE_MAC0;c1.m1 DOWN DOWN 1500 $EDGE_MAC1;d1.p0 DOWN DOWN 1496 $ETH2_MAC" \
	"$(link_summary)"
check_eq "ercfg: the state of the interfaces that are down is down, as in ip link" \
	"c1.p0 down c1.p1 down c1.m0 down c1.m1 down d1.p0 down " "$(ercfg_states)"
check_eq "ip -d -j link: kind erdev, on the right NIC" \
	"c1.p0 erdev eth0;c1.p1 erdev eth1;c1.m0 erdev eth0;c1.m1 erdev eth1;d1.p0 erdev eth2" \
	"$(ip -n "$EDGE" -d -j link show type erdev |
		jq -r '.[] | "\(.ifname) \(.linkinfo.info_kind) \(.link)"' | paste -sd';')"
check_eq "ip link shows c1.m1@eth1" "c1.m1@eth1" \
	"$(ip -n "$EDGE" -o link show c1.m1 | awk '{ print $2 }' | tr -d :)"
check_eq "rtnetlink link info of c1.m1 (fill_info)" \
	'{"data": {"circuit": "c1", "ctag": 300, "encap": "qinq", "link": "secondary", "peering": "microsoft", "stag": 100, "tpid": "0x8100"}, "kind": "erdev"}' \
	"$(erdev_tool "$EDGE" linkinfo c1.m1)"
check_eq "rtnetlink link info of d1.p0 (fill_info: no S-tag)" \
	'{"data": {"circuit": "d1", "ctag": 400, "encap": "dot1q", "link": "primary", "peering": "private", "tpid": "0x88a8"}, "kind": "erdev"}' \
	"$(erdev_tool "$EDGE" linkinfo d1.p0)"
PLUGIN_DIR=$ERDEV_SELFTESTS/../tools/iproute2
if [ -f "$PLUGIN_DIR/link_erdev.so" ]; then
	check_eq "ip -d link with link_erdev.so" \
		"erdev circuit c1 peering microsoft link secondary encap qinq tpid 0x8100 stag 100 ctag 300|erdev circuit d1 peering private link primary encap dot1q tpid 0x88a8 ctag 400" \
		"$(plugin_line c1.m1)|$(plugin_line d1.p0)"
else
	ktap_test_skip "ip -d link with link_erdev.so" "not built"
fi
check_ok "sysfs lower_ and upper_ links" sysfs_links

# sysfs
check_eq "sysfs of c1.p0" "c1|private|primary|qinq|0x8100|100|200|keep|1000|premium|$KEY" "$(sysfs c1.p0)"
check_eq "sysfs of c1.p1" "c1|private|secondary|qinq|0x8100|100|200|keep|1000|premium|$KEY" "$(sysfs c1.p1)"
check_eq "sysfs of c1.m0" "c1|microsoft|primary|qinq|0x8100|100|300|conform|1000|premium|$KEY" "$(sysfs c1.m0)"
check_eq "sysfs of c1.m1" "c1|microsoft|secondary|qinq|0x8100|100|300|conform|1000|premium|$KEY" "$(sysfs c1.m1)"
check_eq "sysfs of d1.p0 (no S-tag, bandwidth or service key)" \
	"d1|private|primary|dot1q|0x88a8|0|400|keep|0|standard|" "$(sysfs d1.p0)"
check_eq "sysfs attributes are read-only (0444; the service key 0400)" \
	"400 444" "$(sysfs_modes)"
check_fail "writing a sysfs attribute fails" \
	ip netns exec "$EDGE" sh -c 'echo c2 > /sys/class/net/c1.p0/erdev/circuit'

# ethtool
check_eq "ethtool -i c1.p1" "driver: erdev|version: $ERDEV_VERSION|bus-info: eth1" \
	"$(ethtool_info c1.p1)"
check_eq "ethtool -i d1.p0" "driver: erdev|version: $ERDEV_VERSION|bus-info: eth2" \
	"$(ethtool_info d1.p0)"
check_eq "ethtool c1.m0: the circuit's bandwidth, full duplex" \
	"Speed: 1000Mb/s|Duplex: Full" "$(ethtool_link c1.m0)"
check_eq "ethtool d1.p0: no bandwidth, unknown speed" \
	"Speed: Unknown!|Duplex: Full" "$(ethtool_link d1.p0)"
check_eq "ethtool -S names" "$ETHTOOL_STATS" \
	"$(ip netns exec "$EDGE" ethtool -S c1.p0 | awk 'NR > 1 { sub(":", "", $1); print $1 }' | paste -sd' ')"

# ercfg, everything up
check_ok "all interfaces and eth2 up" all_up
check_ok "ercfg: all interfaces up" busywait 10000 states_up
check_eq "ercfg -V" "ercfg $ERDEV_VERSION" "$("$ERCFG" -V)"
check_eq "ercfg -j show c1" "$(expected_c1_json)" "$(er -j show c1 | jq -S -c .)"
check_eq "ercfg -j show d1" "$(expected_d1_json)" "$(er -j show d1 | jq -S -c .)"
check_eq "ercfg show" "$SHOW_TEXT" "$(er show)"
check_eq "ercfg stats d1" "$STATS_TEXT" "$(er stats d1)"
check_eq "ercfg -j stats: circuit keys" '["name","peerings","ports"]' \
	"$(er -j stats c1 | jq -c '.[0] | keys')"
check_eq "ercfg -j stats: link keys and counters" \
	'{"rx_bytes":0,"rx_dropped":0,"rx_packets":0,"tx_bytes":0,"tx_dropped":0,"tx_dscp_rewritten":0,"tx_packets":0}' \
	"$(er -j stats c1 | jq -S -c '[.[0].peerings[].links[].stats] | unique | .[]')"
check_eq "ercfg -j stats: c1's ports" \
	"[{\"encap\":\"qinq\",\"ifindex\":$(ifindex eth0),\"ifname\":\"eth0\",\"stats\":{\"rx_bad_tpid\":0,\"rx_malformed\":0,\"rx_unknown_ctag\":0,\"rx_unknown_stag\":0,\"rx_untagged\":0},\"tpid\":\"0x8100\"},{\"encap\":\"qinq\",\"ifindex\":$(ifindex eth1),\"ifname\":\"eth1\",\"stats\":{\"rx_bad_tpid\":0,\"rx_malformed\":0,\"rx_unknown_ctag\":0,\"rx_unknown_stag\":0,\"rx_untagged\":0},\"tpid\":\"0x8100\"}]" \
	"$(er -j stats c1 | jq -S -c '.[0].ports')"

# circuit set shows everywhere.
check_ok "circuit set c1 bandwidth 2gbit sku local billing metered" \
	er circuit set c1 bandwidth 2gbit sku local billing metered
check_eq "ethtool: the new bandwidth on all four interfaces" \
	"Speed: 2000Mb/s|Duplex: Full;Speed: 2000Mb/s|Duplex: Full;Speed: 2000Mb/s|Duplex: Full;Speed: 2000Mb/s|Duplex: Full" \
	"$(for d in c1.p0 c1.p1 c1.m0 c1.m1; do ethtool_link $d; done | paste -sd';')"
check_eq "sysfs: the new bandwidth and sku" "2000 local" \
	"$(ip netns exec "$EDGE" cat /sys/class/net/c1.m1/erdev/bandwidth_mbps /sys/class/net/c1.m1/erdev/sku | paste -sd' ')"
check_eq "ercfg show: the new bandwidth, sku and billing" \
	"  bandwidth: 2gbit  sku: local  billing: metered" \
	"$(er show c1 | grep '^  bandwidth:')"

# One interface deleted by hand.
check_ok "ip link del c1.p0" ip -n "$EDGE" link del c1.p0
check_eq "only c1.p0 is gone" "c1.m0 c1.m1 c1.p1 d1.p0" "$(erdev_ifaces "$EDGE")"
check_eq "ercfg show marks it missing" \
	"  peering: private  ctag: 200  dscp: keep
    interface: -  link: primary  lower: eth0  state: missing
    interface: c1.p1  link: secondary  lower: eth1  state: up" \
	"$(er show c1 | sed -n '/peering: private/,/peering: microsoft/p' | sed '$d')"
check_eq "ercfg -j show leaves it out" '["c1.p1"]' \
	"$(er -j show c1 | jq -c '[.[0].peerings[0].links[].ifname]')"
check_ok "peering del c1 private" er peering del c1 private
check_eq "c1.p1 went with the peering" "c1.m0 c1.m1 d1.p0" "$(erdev_ifaces "$EDGE")"
check_ok "circuit del c1 and d1" eval 'er circuit del c1 && er circuit del d1'
check_eq "no circuits: show prints nothing, -j show and stats print []" \
	"|[]|[]" "$(er show)|$(er -j show)|$(er -j stats)"

ktap_finished
