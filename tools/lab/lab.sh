#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The erdev lab: an ExpressRoute circuit from a customer edge to two
# simulated Microsoft edge routers (MSEEs), with BGP, BFD and a failover.
# See tools/lab/README.md for the topology, the choices and how to read the
# output. `make lab` runs it in a VM; it runs as well as root on any
# machine where erdev is loaded.
#
# Environment:
#   ERCFG      ercfg binary (default: tools/ercfg/ercfg)
#   ERDEV_KO   loaded with insmod if erdev is not loaded yet
#   LAB_BREAK  break one thing on purpose; the lab must then fail:
#                ctag  MSEE 1 uses a wrong C-tag for private peering
#                bfd   no BFD anywhere
#              (in a VM: erdev_lab.break=X on the kernel command line)
#   LAB_KEEP   keep the lab's scratch directory (configs, logs)
#
# Output: narration, and one KTAP line per check. Exit status 0 when every
# check passed, 1 otherwise, 4 when a prerequisite is missing.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

set -uo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_DIR/../.." && pwd)
ERCFG=${ERCFG:-$REPO/tools/ercfg/ercfg}
IPROUTE2_PLUGINS=$REPO/tools/iproute2

# shellcheck source=selftests/lib.sh
source "$REPO/selftests/lib.sh"
# shellcheck source=tools/lab/lab_lib.sh
source "$LAB_DIR/lab_lib.sh"
# shellcheck source=tools/lab/bird.sh
source "$LAB_DIR/bird.sh"
# shellcheck source=tools/lab/topology.sh
source "$LAB_DIR/topology.sh"
# shellcheck source=tools/lab/routing.sh
source "$LAB_DIR/routing.sh"
# shellcheck source=tools/lab/traffic.sh
source "$LAB_DIR/traffic.sh"
# shellcheck source=tools/lab/logs.sh
source "$LAB_DIR/logs.sh"
# shellcheck source=tools/lab/failover.sh
source "$LAB_DIR/failover.sh"

LAB_BREAK=${LAB_BREAK:-$(sed -n 's/.*erdev_lab\.break=\([a-z]*\).*/\1/p' /proc/cmdline 2>/dev/null)}
case $LAB_BREAK in
"" | ctag | bfd) ;;
*) echo "lab: unknown LAB_BREAK \"$LAB_BREAK\" (ctag|bfd)" >&2; exit 1 ;;
esac

# The circuit, as the Azure portal would describe it.
CIRCUIT=c1
STAG=100
CTAG_PRIVATE=200
CTAG_MICROSOFT=300
SERVICE_KEY=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
EDGE_AS=65010			# a private ASN: the customer
MS_AS=12076			# Microsoft

# Peering subnets. Private peering: Microsoft's own example, a /29 split
# into two /30. Microsoft peering needs public space: RFC 5737 TEST-NET-3.
PRIV4=192.168.100.128/29
PRIV6=fd00:100::/125
MSFT4=203.0.113.0/29
MSFT6=2001:db8:300::/125
PRIV_P_CUST=192.168.100.129 PRIV_P_MS=192.168.100.130
PRIV_S_CUST=192.168.100.133 PRIV_S_MS=192.168.100.134
MSFT_P_CUST=203.0.113.1 MSFT_P_MS=203.0.113.2
MSFT_S_CUST=203.0.113.5 MSFT_S_MS=203.0.113.6

# What is routed: the customer's on-premises range and its public range
# (RFC 5737 TEST-NET-1), Azure's VNet and a "Microsoft service" prefix
# (RFC 5737 TEST-NET-2).
ONPREM=172.16.0.0/24	ONPREM_HOST=172.16.0.1
PUBLIC=192.0.2.0/24	PUBLIC_HOST=192.0.2.1
VNET=10.10.0.0/16	VNET_HOST=10.10.0.4
SERVICE=198.51.100.0/24	SERVICE_HOST=198.51.100.10

FAILOVER_LIMIT_MS=2000

skip_all()
{
	ktap_skip_all "$*"
	exit "$KSFT_SKIP"
}

prerequisites()
{
	local c

	[ "$(id -u)" = 0 ] || skip_all "the lab needs root"
	for c in ip bird birdc iperf3 ping jq awk sysctl; do
		command -v "$c" >/dev/null || skip_all "$c not found (make deps)"
	done
	[ -x "$ERCFG" ] || skip_all "no ercfg at $ERCFG (make -C tools/ercfg)"
	if ! grep -q '^erdev ' /proc/modules; then
		[ -n "${ERDEV_KO:-}" ] || skip_all "erdev is not loaded and ERDEV_KO is not set"
		insmod "$ERDEV_KO" || skip_all "insmod $ERDEV_KO failed"
	fi
	modprobe veth && modprobe 8021q && modprobe dummy ||
		skip_all "modprobe veth 8021q dummy failed"
}

er()
{
	inns edge "$ERCFG" "$@"
}

verdict()
{
	local secs=$1 i n

	n=$(ktap_count)

	step "Verdict"
	say "Longest stall of the VM during the run: $(max_stall) ms (BFD gives up after 900)."
	if [ ${#LAB_RETRIES[@]} -gt 0 ]; then
		say "Steps tried again because the VM stood still (BFD flapped or a long stall):" \
			"$(printf '%s; ' "${LAB_RETRIES[@]}" | sed 's/; $//')."
	fi
	ktap_set_plan "$n"
	ktap_print_totals
	if [ ${#LAB_FAILED[@]} = 0 ]; then
		say "PASS: all $n checks passed in $secs s: sessions established, routes"
		say "learned, pings answered, counters consistent, failover in ${FAILOVER_MS:-?} ms"
		say "(private/microsoft) with BFD, and back."
		return 0
	fi
	say "FAIL: ${#LAB_FAILED[@]} of $n checks failed${LAB_BREAK:+ (LAB_BREAK=$LAB_BREAK)}."
	if [ ${#LAB_CAUSES[@]} -gt 0 ]; then
		say "What went wrong:"
		for i in "${LAB_CAUSES[@]}"; do
			say "  * $i"
		done
	fi
	say "The checks that failed:"
	for i in "${LAB_FAILED[@]}"; do
		say "  - $i"
	done
	return 1
}

main()
{
	local t0

	prerequisites
	t0=$(now)
	LAB_T0=${t0%.*}
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/erdev-lab.XXXXXX") || exit 1
	# lib.sh's EXIT trap runs it, then removes the namespaces.
	defer lab_cleanup

	ktap_print_header
	say "# erdev lab: an ExpressRoute circuit to a simulated Microsoft edge"
	say "kernel $(uname -r), erdev $(cat /sys/module/erdev/version 2>/dev/null), $("$ERCFG" -V), $(bird --version 2>&1)"
	stall_start
	setup_topology
	configure_circuit
	start_routing
	guarded "routes" check_routes
	guarded "the edge's view" show_circuit
	guarded "traffic" pings
	guarded "counters" counters
	guarded "iperf3" iperf
	# Only the secondary's sessions must stay up while the primary dies.
	LAB_FLAP_ADDRS="${PRIV_S_MS//./\\.}|${MSFT_S_MS//./\\.}" \
		guarded "failover" failover_and_restore
	verdict "$(( $(ms_since "$t0") / 1000 ))"
}

main "$@"
