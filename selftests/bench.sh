#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark (tools/bench/bench.sh, `make bench`) still runs: with QUICK=1
# (a few thousand packets per row, 10 circuits, 40 interfaces), one run per
# figure and 64-byte frames only (1500 bytes is the same code with another
# length), every row it lists must come out with a figure. No figure is
# compared with anything.
# kernels: 6.12
# timeout: 900
cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

BENCH=$ERDEV_SELFTESTS/../tools/bench/bench.sh

ktap_print_header
erdev_require ethtool
require_module pktgen
export QUICK=1 RUNS=1 SIZES=64
mapfile -t ROWS < <("$BENCH" --list)
ktap_set_plan $((${#ROWS[@]} + 2))

erdev_tmpdir || exit "$KSFT_FAIL"
tsv=$ERDEV_TMP/bench.tsv
out=$ERDEV_TMP/bench.out
BENCH_TSV=$tsv "$BENCH" >"$out" 2>&1
rc=$?
sed 's/^/# /' "$out"
check_eq "bench.sh exits 0" 0 "$rc"
check_eq "the table is printed" 2 "$(grep -cE '^=== (erdev bench|end)$' "$out")"

# ROW or ROW/ANCHOR: a positive median, and a ratio when there is an anchor.
# Memory rows may come out negative at QUICK size: 20 interfaces (under a
# MiB) are within what the kernel frees behind them (RCU callbacks, the
# deletions of the rows before), so for them any number is a figure.
for r in "${ROWS[@]}"; do
	id=${r%%/*} anchor=-
	[[ $r == */* ]] && anchor=${r#*/}
	line=$(awk -F'\t' -v id="$id" -v a="$anchor" '$1 == id && $6 == a' "$tsv" 2>/dev/null | head -n 1)
	IFS=$'\t' read -r _ unit med min max _ ratio <<<"$line"
	num='^[0-9]+$' rat='^[0-9]+\.[0-9]+$'
	if [ "${unit:-}" = bytes ]; then
		num='^-?[0-9]+$' rat='^(-|-?[0-9]+\.[0-9]+)$'	# no ratio to a negative anchor
	fi
	if [[ ${med:-} =~ $num ]] && { [ "$unit" = bytes ] || [ "$med" -gt 0 ]; } &&
		[ "$min" -le "$med" ] && [ "$med" -le "$max" ] && [[ ${ratio:-} =~ $rat ]]; then
		ktap_test_pass "$r: $med $unit (ratio $ratio)"
	else
		ktap_test_fail "$r: no figure (${line:-no line})"
	fi
done
ktap_finished
