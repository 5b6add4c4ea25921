#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ExpressRoute lab (tools/lab/lab.sh, what `make lab` shows) as one
# end-to-end test: a circuit with both peerings to two simulated MSEEs,
# BGP and BFD in BIRD, traffic and counters, failover within 2 s and back.
# Runs on the 6.12 kernel only (BFD at 300 ms is too tight for the debug
# kernel under TCG, and one kernel is enough for an end-to-end story). A
# pass takes 70 to 90 s; the timeout leaves room for a busy host and the
# lab's retries (it stops retrying at half of it).
# kernels: 6.12
# timeout: 600

cd "$(dirname "$0")" || exit 1

skip()
{
	echo "KTAP version 1"
	echo "1..0 # SKIP $*"
	exit 4
}

case ${KVER:-$(uname -r)} in
6.12.*) ;;
*) skip "the lab runs on 6.12 only" ;;
esac
[ "${ERDEV_DEBUG_KERNEL:-0}" = 1 ] && skip "the lab does not run on the debug kernel"

exec bash ../tools/lab/lab.sh
