#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The erdev family driven by the kernel's own YNL command line tool from
# the spec alone (tools/net/ynl/cli.py --spec erdev.yaml), as
# Documentation/netlink-api.rst shows: circuit-new/get/set/del,
# peering-new/get/del (with a subnet), stats-get, a refusal with its extack
# message, and the monitor group's notifications. ercfg checks what the
# tool did, and the tool what ercfg did.
# The tool comes from linux-source-6.12, as make check extracts it into
# .cache/src; 6.12's schema predates uns-admin-perm, hence --no-schema.
# timeout: 900
# debug-kernel: skip

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

erdev_require
ktap_print_header

YNL_DIR=$ERDEV_REPO/.cache/src/linux-source-6.12/tools/net/ynl
SPEC=$ERDEV_REPO/Documentation/netlink/specs/erdev.yaml
if [ ! -f "$YNL_DIR/cli.py" ]; then
	ktap_skip_all "no $YNL_DIR/cli.py (make check extracts linux-source-6.12)"
	exit "$KSFT_SKIP"
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
	ktap_skip_all "no python3-yaml"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 16

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
erdev_tmpdir || ktap_exit_fail_msg "tmpdir"

# ynl ARGS...: cli.py in the edge namespace, JSON output.
ynl()
{
	ip netns exec "$EDGE" python3 "$YNL_DIR/cli.py" --spec "$SPEC" \
		--no-schema --output-json "$@"
}

ifidx()
{
	ip -n "$EDGE" -j link show dev "$1" | jq '.[0].ifindex'
}
E0=$(ifidx eth0)
E1=$(ifidx eth1)
KEY=0f1e2d3c4b5a69788796a5b4c3d2e1f0

check_eq "circuit-new (do): no reply" "null" \
	"$(ynl --do circuit-new --json "{\"circuit\": {\"name\": \"y1\", \"stag\": 100, \"tpid\": 34984, \"primary-ifindex\": $E0, \"secondary-ifindex\": $E1, \"bandwidth\": 1000, \"sku\": \"premium\", \"service-key\": \"$KEY\"}}" 2>&1)"
check_eq "ercfg sees it" \
	"y1 qinq 0x88a8 100 eth0 eth1 1000 premium metered 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" \
	"$(er -j show y1 | jq -r '.[0] | "\(.name) \(.encap) \(.tpid) \(.stag) \(.primary) \(.secondary) \(.bandwidth_mbps) \(.sku) \(.billing) \(.service_key)"')"
check_eq "circuit-get (do): every attribute" \
	"{\"circuit\":{\"bandwidth\":1000,\"billing\":\"metered\",\"encap\":\"qinq\",\"name\":\"y1\",\"primary-ifindex\":$E0,\"secondary-ifindex\":$E1,\"service-key\":\"$KEY\",\"sku\":\"premium\",\"stag\":100,\"tpid\":34984}}" \
	"$(ynl --do circuit-get --json '{"circuit": {"name": "y1"}}' | jq -cS .)"

check_ok "ercfg adds c2 with a peering" er circuit add c2 stag 101 tpid 0x88a8 primary eth0
er peering add c2 microsoft ctag 300 >/dev/null
check_eq "circuit-get (dump): both circuits, ercfg's with its peering" \
	"y1 - ; c2 microsoft/300/c2.m0" \
	"$(ynl --dump circuit-get | jq -r 'map("\(.circuit.name) \((.circuit.peering // []) | map("\(.type)/\(.ctag)/\(.link[0].ifname)") | if length == 0 then "-" else join(",") end)") | join(" ; ")')"

check_eq "circuit-set (do)" "null" \
	"$(ynl --do circuit-set --json '{"circuit": {"name": "y1", "bandwidth": 2000, "billing": "unlimited"}}' 2>&1)"
check_eq "ercfg sees the change" "2000 unlimited" \
	"$(er -j show y1 | jq -r '.[0] | "\(.bandwidth_mbps) \(.billing)"')"

check_eq "peering-new (do) with an IPv4 subnet" "null" \
	"$(ynl --do peering-new --json '{"peering": {"circuit": "y1", "type": "private", "ctag": 200, "ipv4-primary": {"addr": "c0a86480", "prefixlen": 30}}}' 2>&1)"
check_eq "peering-get (do): C-tag, subnet, both links" \
	'{"peering":{"circuit":"y1","ctag":200,"dscp":"keep","ipv4-primary":{"addr":"c0a86480","prefixlen":30},"link":[{"ifname":"y1.p0","operstate":2,"role":"primary"},{"ifname":"y1.p1","operstate":2,"role":"secondary"}],"type":"private"}}' \
	"$(ynl --do peering-get --json '{"peering": {"circuit": "y1", "type": "private"}}' |
		jq -cS '.peering.link |= map(del(.ifindex, ."lower-ifindex"))')"
check_eq "ercfg show: the subnet" "192.168.100.128/30" \
	"$(er -j show y1 | jq -r '.[0].peerings[0].links[0].ipv4.subnet')"
check_eq "peering-get (dump) filtered by circuit" "y1/private" \
	"$(ynl --dump peering-get --json '{"peering": {"circuit": "y1"}}' | jq -r 'map("\(.peering.circuit)/\(.peering.type)") | join(" ")')"

check_eq "stats-get (do): link counters and both ports" \
	"2 eth0,eth1" \
	"$(ynl --do stats-get --json '{"circuit": {"name": "y1"}}' |
		jq -r '"\(.circuit.peering[0].link | map(select(.stats."tx-packets" == 0)) | length) \(.port | map(.ifname) | join(","))"')"

out=$(ynl --do circuit-new --json "{\"circuit\": {\"name\": \"y1\", \"stag\": 102, \"primary-ifindex\": $E0}}" 2>&1)
rc=$?
check_eq "a refusal: status 1 and the extack message" "1 1" \
	"$rc $(grep -c 'erdev: circuit y1 already exists' <<<"$out")"

# A listener for 2 s; meanwhile ercfg changes y1 again and again, so that
# some changes come after cli.py (slow to start) has subscribed. (6.12's
# cli.py cannot take --do with --subscribe: a notification among the
# replies breaks it.)
ynl --subscribe monitor --sleep 2 >"$ERDEV_TMP/ntf.json" 2>&1 &
sub=$!
while kill -0 $sub 2>/dev/null; do
	er circuit set y1 sku local
	sleep 0.2
done
wait $sub
check_eq "--subscribe monitor: circuit-change-ntf, y1 now local" \
	'[{"msg":{"circuit":{"name":"y1","sku":"local"}},"name":"circuit-change-ntf"}]' \
	"$(tail -n 1 "$ERDEV_TMP/ntf.json" | jq -cS 'map({name, msg: {circuit: {name: .msg.circuit.name, sku: .msg.circuit.sku}}}) | unique')"

check_eq "peering-del, circuit-del (do)" "null null" \
	"$(ynl --do peering-del --json '{"peering": {"circuit": "y1", "type": "private"}}') $(ynl --do circuit-del --json '{"circuit": {"name": "y1"}}')"
check_eq "only ercfg's circuit is left" "c2" "$(er -j show | jq -r 'map(.name) | join(" ")')"
er circuit del c2
ktap_finished
