#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: build erdev and ercfg, run tools/bench/bench.sh in the test
# VM of each kernel of KERNELS (default 6.12) through tools/vm/run-vm.sh,
# print its table, and (for a full run of every group) write it into
# Documentation/performance.rst.
#
# Environment:
#   KERNELS   matrix kernels as for make check (6.1, 6.12, debug), or
#             "host": the running kernel, directly, without QEMU (root)
#   QUICK, RUNS, COUNT, CIRCUITS, MANY, TEARDOWN, RCU_NORMAL, ONLY
#             see tools/bench/bench.sh
#   NO_DOC=1  do not touch Documentation/performance.rst
#   BENCH_VM_TIMEOUT  limit for the VM, seconds (default 4200)
#   BENCH_ICOUNT  QEMU -icount option for the VM (default "shift=0,sleep=off":
#             guest time counts instructions, 1 ns each, so that the load
#             of a shared host does not reach the figures; "" for real time)
. "$(dirname "$0")/../vm/common.sh"

KERNELS=${KERNELS:-6.12}
JOBS=$(nproc 2>/dev/null || echo 2)
DOC=$ERDEV_ROOT/Documentation/performance.rst
cd "$ERDEV_ROOT" || exit 1

make -C tools/ercfg -j"$JOBS" >/dev/null || die "cannot build tools/ercfg"

# build KVER|KDIR DEST: erdev.ko in DEST (build_module, tools/vm/common.sh);
# its output shown only when it fails.
build() {
	local out

	out=$(build_module "$1" "$2" 2>&1) ||
		{ printf '%s\n' "$out" >&2; die "cannot build erdev.ko for $1"; }
}

# Conditions of the run, for the document.
conditions() {
	local where=$1
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"
	echo "host: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	if [ "$where" = vm ]; then
		echo "VM: $(cat "$run/vm" 2>/dev/null || echo 'unknown (no record in the run folder)')"
	else
		echo "no VM: the running kernel (KERNELS=host)"
	fi
}

rc=0
for k in $KERNELS; do
	out=$(mktemp)
	if [ "$k" = host ]; then
		[ "$(id -u)" = 0 ] || die "KERNELS=host runs on the running kernel and needs root"
		kver=$(uname -r)
		build "/lib/modules/$kver/build" "$CACHE/build/host-$kver"
		ERDEV_KO=$CACHE/build/host-$kver/erdev.ko ERCFG=$ERDEV_ROOT/tools/ercfg/ercfg \
			tools/bench/bench.sh >"$out"
		r=$?
		where=host
	else
		kver=$(kernel_kver "$k") || die "unknown or unavailable kernel '$k'"
		tools/vm/prepare-kernel.sh "$k" >/dev/null || die "cannot prepare kernel $k"
		build "$kver" "$CACHE/build/bench-$kver"
		run=$CACHE/run/bench-$kver
		mkdir -p "$CACHE/run"
		# run-vm.sh picks the CPU model that goes with icount (no CX16)
		# and records what it booted in $run/vm (conditions).
		icount=${BENCH_ICOUNT-shift=0,sleep=off}
		ERDEV_KO=$CACHE/build/bench-$kver/erdev.ko VM_RUN_DIR=$run \
			VM_ICOUNT="${icount:-off}" \
			TESTS_DIR=tools/bench TESTS=bench VM_TIMEOUT=${BENCH_VM_TIMEOUT:-4200} \
			GUEST_ENV="QUICK RUNS COUNT CIRCUITS MANY TEARDOWN RCU_NORMAL ONLY" \
			tools/vm/run-vm.sh "$k" >"$run.ktap"
		r=$?
		sed -n '/^=== erdev bench/,/^=== end/p' "$run"/logs/*-bench.log >"$out" 2>/dev/null
		[ $r = 0 ] || { msg "kernel $k: the VM run failed, see $run.ktap and $run/logs/"; cat "$run.ktap" >&2; }
		where=vm
	fi
	[ $r = 0 ] || rc=1
	cat "$out"
	conditions "$where"
	if [ $r = 0 ] && [ -z "${QUICK:-}" ] && [ -z "${ONLY:-}" ] && [ -z "${NO_DOC:-}" ] && [ -s "$out" ]; then
		{
			echo
			echo "::"
			echo
			conditions "$where" | sed 's/^/  /'
			echo
			sed '/^===/d; s/^/  /; s/ *$//' "$out"
			echo
		} >"$out.rst"
		awk -v f="$out.rst" '
			/^\.\. bench-table-end/ { skip = 0 }
			!skip { print }
			/^\.\. bench-table-begin/ { while ((getline l < f) > 0) print l; skip = 1 }
		' "$DOC" >"$DOC.new" && mv "$DOC.new" "$DOC"
		msg "wrote the table into $DOC"
	fi
	rm -f "$out" "$out.rst"
done
exit $rc
