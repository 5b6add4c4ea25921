#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DSCP conformance on Microsoft peering: "peering add|set ... dscp
# conform|keep".
#
# Circuit c1 (qinq, S-tag 100) on eth0: private peering C-tag 200 (c1.p0,
# 10.1.0.1), microsoft C-tag 300 (c1.m0, 10.1.2.1). The MSEE is the
# kernel's 8021q (s100.200, s100.300). Neighbours are static and IPv6 is
# off until its own part, so the only frames are the test's own. A
# capture on the MSEE's s100.300 or s100.200 reads the DS field of every
# frame as it arrived:
#
#  - c1.m0 (dscp conform, the default): echo requests with each DSCP that
#    Microsoft peering honours (46, 34, 18, 10, 0) arrive unchanged, those
#    with any other (8, 26, 63, and 26 and 8 with ECN bits) arrive with
#    DSCP 0 and their ECN bits; every reply comes back (the MSEE drops a
#    frame whose IPv4 header checksum is wrong); tx_dscp_rewritten counts
#    exactly the rewritten ones, in ethtool -S and ercfg -j stats;
#  - a TCP stream with DSCP 26 through TSO: every frame arrives with DS 0,
#    some of them larger than the MTU (GSO frames that crossed erdev
#    whole), all bytes arrive, and tx_dscp_rewritten grows by c1.m0's
#    tx_packets;
#  - IPv6: the traffic class, the same way;
#  - c1.p0 (private, keep): DSCP 26 arrives as 26, nothing counted;
#  - peering set c1 microsoft dscp keep: 26 arrives as 26; sysfs, ercfg
#    show and ercfg -j show say keep; dscp conform again: rewritten again;
#  - refused, changing nothing: dscp conform on private peering, by ercfg
#    (status 2) and by the kernel (raw netlink, its extack), and a C-tag
#    in peering set.
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

# DS fields of the echo requests: allowed DSCPs, then disallowed ones
# (8, 26, 63, 26 with ECT(0), 8 with ECT(1)), and what must arrive.
SENT="0xb8 0x88 0x48 0x28 0x0 0x20 0x68 0xfc 0x6a 0x21"
ARRIVED="0xb8 0x88 0x48 0x28 0x0 0x0 0x0 0x0 0x2 0x1"
REWRITTEN=5

setup()
{
	erdev_c1 primary eth0 || return 1
	msee_vlans "$MSEE0" <<-EOF || return 1
		0x8100 100 200 10.1.0.2
		0x8100 100 300 10.1.2.2
	EOF
	edge_ups <<-EOF || return 1
		c1.p0 10.1.0.1
		c1.m0 10.1.2.1
	EOF
	ip -n "$EDGE" -batch - <<-EOF || return 1
		neigh replace 10.1.0.2 lladdr $MSEE_MAC0 dev c1.p0 nud permanent
		neigh replace 10.1.2.2 lladdr $MSEE_MAC0 dev c1.m0 nud permanent
	EOF
	ip -n "$MSEE0" -batch - <<-EOF
		neigh replace 10.1.0.1 lladdr $EDGE_MAC0 dev s100.200 nud permanent
		neigh replace 10.1.2.1 lladdr $EDGE_MAC0 dev s100.300 nud permanent
	EOF
}

# pings NS ADDR DS...: one echo request per DS field, each answered.
pings()
{
	local ns=$1 addr=$2 ds

	shift 2
	for ds in "$@"; do
		in_netns "$ns" ping -q -c 1 -w 5 -Q "$ds" "$addr" \
			>/dev/null 2>&1 || return 1
	done
}

# ds_of NAME FILTER: the DS field (IPv4 tos, IPv6 class) of each frame of
# capture NAME that FILTER picks, in order, as tcpdump -v prints it.
ds_of()
{
	local line ds out=()

	while IFS= read -r line; do
		case $line in
		"IP ("* | "IP6 ("*) ;;
		*) continue ;;
		esac
		# tcpdump leaves out an IPv6 class of 0
		ds=0
		[[ $line =~ (tos|class)\ (0x[0-9a-f]+) ]] && ds=${BASH_REMATCH[2]}
		out+=("$(printf '0x%x' "$ds")")
	done < <(tcpdump -t -v -n -r "$ERDEV_TMP/$1.pcap" "$2" 2>/dev/null)
	echo "${out[*]}"
}

# raw CMD KEY=VALUE...: one request through erdev_tool, not ercfg (the
# kernel's own checks answer), its answer on stderr as ercfg's would be.
raw()
{
	erdev_tool "$EDGE" genl "$@" >&2
}

rewritten()
{
	ethtool_stat "$EDGE" "$1" tx_dscp_rewritten
}

# tcp_stream: 2,000,000 bytes with DS 0x68 (the SYN too) from 10.1.2.1 to 10.1.2.2; the
# server prints how many arrived.
tcp_stream()
{
	nsenter --net="$NETNS_RUN_DIR/$MSEE0" python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.1.2.2", 5001))
s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
n = 0
while True:
    b = c.recv(65536)
    if not b:
        break
    n += len(b)
print(n, flush=True)
' >"$ERDEV_TMP/server.out" &
	local pid=$!

	busywait 20000 grep -q listening "$ERDEV_TMP/server.out" || return 1
	in_netns "$EDGE" python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x68)
s.connect(("10.1.2.2", 5001))
s.sendall(b"x" * 2000000)
s.close()
' || return 1
	wait "$pid"
	tail -n 1 "$ERDEV_TMP/server.out"
}

ktap_print_header
erdev_require ping ethtool tcpdump
ktap_set_plan 25
erdev_tmpdir

erdev_topo || ktap_exit_fail_msg "cannot set up the namespaces"
check_ok "circuit c1, both peerings, MSEE VLANs, static neighbours" setup
check_eq "dscp by default: private keep, microsoft conform" \
	"keep conform" \
	"$(er -j show c1 | jq -r '[.[0].peerings[].dscp] | join(" ")')"

# IPv4, microsoft peering.
cap_start "$MSEE0" s100.300 m4
# shellcheck disable=SC2086
check_ok "echo requests over c1.m0 with ten DS fields, all answered" \
	pings "$EDGE" 10.1.2.2 $SENT
cap_stop m4
check_eq "c1.m0: allowed DSCPs unchanged, the others 0, ECN kept" \
	"$ARRIVED" "$(ds_of m4 'icmp[icmptype] == icmp-echo')"
check_eq "no IPv4 header checksum error at the MSEE" 0 \
	"$(tcpdump -t -vv -n -r "$ERDEV_TMP/m4.pcap" 2>/dev/null | grep -c 'bad cksum')"
check_eq "tx_dscp_rewritten of c1.m0: ethtool -S, ercfg -j stats" \
	"$REWRITTEN $REWRITTEN" \
	"$(rewritten c1.m0) $(er -j stats c1 | jq '.[0].peerings[1].links[0].stats.tx_dscp_rewritten')"

# TCP through TSO: the GSO frames are rewritten once, whole.
before_rw=$(rewritten c1.m0)
before_tx=$(if_stat "$EDGE" c1.m0 tx packets)
cap_start "$MSEE0" s100.300 tcp
check_eq "a TCP stream with DSCP 26 over c1.m0: every byte arrives" \
	2000000 "$(tcp_stream)"
cap_stop tcp
check_eq "every TCP frame at the MSEE has DS 0" "0x0" \
	"$(ds_of tcp 'tcp and src host 10.1.2.1' | tr ' ' '\n' | sort -u | paste -sd' ')"
check_ok "frames larger than the MTU: GSO frames crossed erdev whole" \
	eval "tcpdump -t -v -n -r '$ERDEV_TMP/tcp.pcap' 'tcp and src host 10.1.2.1' 2>/dev/null |
		grep -oE 'length [0-9]+\)' | tr -dc '0-9\n' | awk '\$1 > 1500 { n++ } END { exit !n }'"
check_eq "tx_dscp_rewritten grew by c1.m0's tx_packets" \
	"$(($(if_stat "$EDGE" c1.m0 tx packets) - before_tx))" \
	"$(($(rewritten c1.m0) - before_rw))"

# IPv6, the traffic class.
in_netns "$EDGE" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/c1.m0/disable_ipv6'
in_netns "$MSEE0" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/s100.300/disable_ipv6'
ip -n "$EDGE" -batch - <<-EOF
	addr add 2a01:111:300::1/126 dev c1.m0 nodad
	neigh replace 2a01:111:300::2 lladdr $MSEE_MAC0 dev c1.m0 nud permanent
EOF
ip -n "$MSEE0" -batch - <<-EOF
	addr add 2a01:111:300::2/126 dev s100.300 nodad
	neigh replace 2a01:111:300::1 lladdr $EDGE_MAC0 dev s100.300 nud permanent
EOF
before_rw=$(rewritten c1.m0)
cap_start "$MSEE0" s100.300 m6
# shellcheck disable=SC2086
check_ok "IPv6 echo requests over c1.m0 with ten traffic classes, all answered" \
	pings "$EDGE" 2a01:111:300::2 $SENT
cap_stop m6
check_eq "IPv6: allowed DSCPs unchanged, the others 0, ECN kept" \
	"$ARRIVED" "$(ds_of m6 'icmp6 and ip6[40] == 128')"
check_eq "IPv6: tx_dscp_rewritten grew by $REWRITTEN" \
	"$REWRITTEN" "$(($(rewritten c1.m0) - before_rw))"

# Private peering keeps every DSCP.
cap_start "$MSEE0" s100.200 p4
check_ok "echo requests over c1.p0 with DSCP 26 and 63" \
	pings "$EDGE" 10.1.0.2 0x68 0xfc
cap_stop p4
check_eq "c1.p0 (keep): DSCP 26 and 63 arrive unchanged, nothing counted" \
	"0x68 0xfc 0" "$(ds_of p4 'icmp[icmptype] == icmp-echo') $(rewritten c1.p0)"

# peering set, both ways.
check_ok "peering set c1 microsoft dscp keep" er peering set c1 microsoft dscp keep
check_eq "keep: sysfs, ercfg show, ercfg -j show" "keep|keep|keep" \
	"$(ip netns exec "$EDGE" cat /sys/class/net/c1.m0/erdev/dscp)|$(er show c1 |
		sed -n 's/^  peering: microsoft.*dscp: //p')|$(er -j show c1 | jq -r '.[0].peerings[1].dscp')"
before_rw=$(rewritten c1.m0)
cap_start "$MSEE0" s100.300 keep
check_ok "echo requests over c1.m0 with DSCP 26" pings "$EDGE" 10.1.2.2 0x68
cap_stop keep
check_eq "c1.m0 (keep): DSCP 26 arrives unchanged, nothing counted" \
	"0x68 0" "$(ds_of keep 'icmp[icmptype] == icmp-echo') $(($(rewritten c1.m0) - before_rw))"
check_ok "peering set c1 microsoft dscp conform" er peering set c1 microsoft dscp conform
cap_start "$MSEE0" s100.300 again
check_ok "echo requests over c1.m0 with DSCP 26" pings "$EDGE" 10.1.2.2 0x68
cap_stop again
check_eq "conform again: DSCP 26 arrives as 0" "0x0 conform" \
	"$(ds_of again 'icmp[icmptype] == icmp-echo') $(ip netns exec "$EDGE" cat /sys/class/net/c1.m0/erdev/dscp)"

# Refusals.
REFUSED_RC=2 check_refused "ercfg: dscp conform on private peering" \
	"ercfg: dscp conform is for microsoft peering only" \
	er peering set c1 private dscp conform
check_refused "kernel: dscp conform on private peering (raw netlink)" \
	"Error: erdev: dscp conform is for microsoft peering only" \
	raw peering-set circuit=c1 type=private dscp=conform
check_refused "kernel: peering set of the C-tag (raw netlink)" \
	"Error: erdev: ctag cannot be changed: delete and re-create the peering" \
	raw peering-set circuit=c1 type=microsoft ctag=301

ktap_finished
