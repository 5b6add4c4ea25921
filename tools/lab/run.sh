#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make lab: boot the 6.12 kernel under QEMU the way `make check` does
# (tools/vm/run-vm.sh, which runs selftests/lab.sh, which runs
# tools/lab/lab.sh) and show the lab as it goes.
#
#   tools/lab/run.sh
#   LAB_BREAK=ctag tools/lab/run.sh      (or bfd: the lab must then fail)
#
# Environment:
#   ERDEV_KO    the module for 6.12 (default: built here, under
#               .cache/lab/<kver>)
#   ERCFG       ercfg (default: tools/ercfg/ercfg, built here)
#   LAB_BREAK   passed to the guest as erdev_lab.break=X
#   VM_RUN_DIR  the VM's results folder (default .cache/run/<kver>)
#   VM_TIMEOUT  seconds for the whole VM (default 1500)
#   TIMEOUT_SCALE  the lab's own timeout (600 s in selftests/lab.sh) times
#               this (default 2: on a starved host the lab still reaches
#               its verdict; a pass takes 70 to 90 s)
# Needs what `make deps` installs (qemu, the 6.12 headers, bird2, iperf3).
# Exit status: 0 the lab passed and the kernel log is clean, 1 otherwise,
# 2 the 6.12 kernel is not available.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/vm/common.sh
source "$ROOT/tools/vm/common.sh"

LAB_BREAK=${LAB_BREAK:-}
case $LAB_BREAK in
"" | ctag | bfd) ;;
*) die "unknown LAB_BREAK \"$LAB_BREAK\" (ctag|bfd)" ;;
esac

for c in qemu-system-x86_64 bird birdc iperf3 jq; do
	command -v "$c" >/dev/null || die "$c not found: run make deps"
done

kver=$("$ROOT/tools/vm/prepare-kernel.sh" 6.12) || exit $?
if [ -z "${ERDEV_KO:-}" ]; then
	# The module, built in a folder of the lab's own (build_module,
	# tools/vm/common.sh).
	msg "building erdev for $kver"
	build_module "$kver" "$CACHE/lab/$kver" -s >&2 || die "building erdev for $kver failed"
	ERDEV_KO=$CACHE/lab/$kver/erdev.ko
fi
if [ -z "${ERCFG:-}" ]; then
	make -s -C "$ROOT/tools/ercfg" >&2 || die "building ercfg failed"
	ERCFG=$ROOT/tools/ercfg/ercfg
fi
# ip -d link learns erdev from this plugin; the lab does without it.
make -s -C "$ROOT/tools/iproute2" >&2 2>/dev/null || msg "no iproute2 plugin: ip -d link will not decode erdev"

run=${VM_RUN_DIR:-$CACHE/run/$kver}
log=$run/logs/01-lab.log
out=$(mktemp)
rm -f "$log"

vm_pid=
tail_pid=
# shellcheck disable=SC2317 # a trap handler
cleanup()
{
	[ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
	# run-vm.sh and its QEMU: their own process group.
	[ -n "$vm_pid" ] && kill -- "-$vm_pid" 2>/dev/null
	rm -f "$out"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

msg "lab: booting $kver${LAB_BREAK:+ with LAB_BREAK=$LAB_BREAK}"
TESTS=lab VM_TIMEOUT=${VM_TIMEOUT:-1500} TIMEOUT_SCALE=${TIMEOUT_SCALE:-2} VM_APPEND="${LAB_BREAK:+erdev_lab.break=$LAB_BREAK}" \
	ERDEV_KO=$ERDEV_KO ERCFG=$ERCFG setsid "$ROOT/tools/vm/run-vm.sh" 6.12 >"$out" &
vm_pid=$!

# The guest writes the lab's output to the shared results folder: follow it.
tail -F -n +1 --pid="$vm_pid" "$log" 2>/dev/null &
tail_pid=$!

rc=0
wait "$vm_pid" || rc=$?
vm_pid=
wait "$tail_pid" 2>/dev/null || true
tail_pid=

echo
echo "== The run, as make check reports it =="
# The lab's own output was shown above: only the results here.
grep -v '^    ' "$out" || true

status=$(awk -F'\t' '$2 == "selftests/lab.sh" { print $1 }' "$run/results" 2>/dev/null)
if [ "$rc" = 0 ] && [ "$status" = pass ]; then
	echo "make lab: PASS"
	exit 0
fi
case $status in
skip) echo "make lab: FAIL: the lab was skipped ($(sed -n 's/.*# SKIP //p' "$log" | head -n 1))" ;;
pass) echo "make lab: FAIL: the lab passed, but the VM run did not (see above)" ;;
*) echo "make lab: FAIL${LAB_BREAK:+ (LAB_BREAK=$LAB_BREAK)}" ;;
esac
exit 1
