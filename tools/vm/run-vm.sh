#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-vm.sh NAME: boot one matrix kernel under QEMU (TCG) and run every
# selftest in it (one boot for all tests), then print the results as one
# KTAP document. Results stay in $CACHE/run/<kver>/ (results, logs/,
# console.log, dmesg.txt).
#
# Environment:
#   ERDEV_KO       module to test (default $CACHE/build/<kver>/erdev.ko)
#   ERCFG          ercfg binary (default tools/ercfg/ercfg)
#   TESTS          only these selftests (names or globs, e.g. "module_load")
#   TESTS_DIR      run the scripts of this folder of the repo instead of
#                  selftests/ (tools/bench uses it; same contract)
#   VM_RUN_DIR     results folder (default $CACHE/run/<kver>)
#   GUEST_ENV      names of host variables to export to the tests
#                  (e.g. "QUICK RUNS", or "ERDEV_TRACE" with ERDEV_TRACE=1: each
#                  test under bash -x, every command timed, in its log;
#                  unset ones are left out)
#   VM_TIMEOUT     hard limit for the whole VM, seconds (default 2700, 5100
#                  on the debug kernel)
#   VM_STALL       kill the VM after this long without a finished test
#                  (default: the largest test timeout + 300 s, twice
#                  the largest timeout + 300 s under icount)
#   VM_MEM         guest memory (default 2G, 3G on the debug kernel)
#   VM_APPEND      extra kernel command line
#   VM_ICOUNT      QEMU -icount setting, e.g. shift=0,sleep=off (default
#                  off: guest time is host time; see "TCG threading")
#   VM_QEMU_ARGS   extra QEMU arguments
#   VM_CPU         QEMU -cpu model (default max,-la57; max,-cx16,-la57 with icount)
#   QEMU_ACCEL     default tcg (KVM hangs on these machines)
#   QEMU_TCG_THREAD  single or multi (default single; multi on debug
#                  without icount)
#   DEFAULT_TIMEOUT  per-test timeout without a "# timeout: N" line (300)
#   TIMEOUT_SCALE  multiplier for test timeouts (default 1, 4 on debug)
# Exit status: 0 all passed, 1 something failed, 2 kernel not available.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/ktap.sh"

name=${1:?usage: run-vm.sh NAME}
kver=$("$ERDEV_ROOT/tools/vm/prepare-kernel.sh" "$name")
rc=$?
[ $rc = 2 ] && exit 2
[ $rc = 0 ] || die "cannot prepare kernel $name"

# Resolved: the initramfs binds from it before it chroots, and a symlinked
# .cache/kernels (shared between worktrees) would not resolve there.
kdir=$(realpath -m "$CACHE/kernels/$kver")
run=${VM_RUN_DIR:-$CACHE/run/$kver}
tests_dir=${TESTS_DIR:-selftests}
rm -rf "$run"
mkdir -p "$run/logs"
: >"$run/results"

debug=0
is_debug_kver "$kver" && debug=1
scale=${TIMEOUT_SCALE:-$([ $debug = 1 ] && echo 4 || echo 1)}
default_timeout=${DEFAULT_TIMEOUT:-300}
mem=${VM_MEM:-$([ $debug = 1 ] && echo 3G || echo 2G)}
erdev_ko=$(realpath -m "${ERDEV_KO:-$CACHE/build/$kver/erdev.ko}")
ercfg=$(realpath -m "${ERCFG:-$ERDEV_ROOT/tools/ercfg/ercfg}")
[ -f "$erdev_ko" ] || msg "warning: $erdev_ko does not exist"

# Longest single test, to tell a stalled VM from a slow test.
maxt=$default_timeout
for t in "$ERDEV_ROOT/$tests_dir"/*.sh; do
	[ -f "$t" ] || continue
	v=$(sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n 1)
	[ -n "$v" ] && [ "$v" -gt "$maxt" ] && maxt=$v
done
vm_timeout=${VM_TIMEOUT:-$([ $debug = 1 ] && echo 5100 || echo 2700)}

# Host paths the guest needs, outermost first (see tools/vm/init).
keep=$(printf '%s\n' "$ERDEV_ROOT" "$CACHE" "$kdir" "$(dirname "$erdev_ko")" "$(dirname "$ercfg")" |
	while read -r d; do [ -d "$d" ] && echo "$d"; done | sort -u | awk '{ for (i = 1; i <= n; i++) if (index($0 "/", k[i] "/") == 1) next; k[++n] = $0; print }')
case "$keep" in *\'* | *' '*) die "paths with spaces or quotes are not supported: $keep" ;; esac

cat >"$run/env" <<EOF
KVER='$kver'
ERDEV_KERNEL='$name'
MODDIR='$kdir/root/lib/modules/$kver'
REPO='$ERDEV_ROOT'
ERDEV_KO='$erdev_ko'
ERCFG='$ercfg'
ERDEV_DEBUG_KERNEL=$debug
TIMEOUT_SCALE=$scale
DEFAULT_TIMEOUT=$default_timeout
TESTS='${TESTS:-}'
TESTS_DIR='$tests_dir'
KEEP_PATHS='$(echo $keep)'
EOF
for v in ${GUEST_ENV:-}; do
	[[ $v =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "GUEST_ENV: bad name '$v'"
	[ -n "${!v+x}" ] || continue
	case "${!v}" in *\'*) die "GUEST_ENV: $v has a quote" ;; esac
	echo "export $v='${!v}'" >>"$run/env"
done

# TCG threading. Stock kernels: single-threaded. With multi-threaded TCG
# a 6.12 guest once hit "Oops: int3" in netif_rx_internal, at a static
# branch being patched (text_poke_bp) while the other vCPU ran it:
# cross-modifying code that MTTCG does not handle reliably. Both vCPUs
# still exist (the guest still runs SMP code paths); they take turns on
# one host thread. The debug kernel: multi-threaded. Single-threaded, its
# counters.sh was faster beside one busy host thread (173 s against 198
# s, 2026-12-08), but stress.sh's NIC-removal round under its load took
# 614 s in a five-lane make check, against 43 s multi-threaded: the load's
# floods and loops get one host thread for both vCPUs.
#
# -cpu max,-la57: no 5-level paging. With it the debug kernel takes a
# KASAN "wild-memory-access" in an early-boot interrupt (cpu_detect ->
# handle_edge_irq, on an address of the 5-level direct map) at every
# single-threaded boot (3 of 3) and at some multi-threaded ones, and
# KASAN's first report turns lockdep off for the rest of the run; without
# la57 it booted cleanly 4 times of 4. The stock kernels do the same with
# or without it, at the same speed (/bin/true, ip, python3, netns add/del
# timed in turn: within the noise). Edge routers run 4-level paging too.
#
# VM_ICOUNT=shift=0,sleep=off (opt-in; make bench uses it): the guest's
# clock advances one ns per guest instruction and jumps to the next timer
# when every vCPU is idle, so the guest's idle waits cost no host time and
# its view of time does not depend on the host's load. It needs one TCG
# thread (the debug kernel then boots cleanly). It is not the default: in
# a whole make check (2026-12-07) it made the idle-bound tests of the
# stock lanes several times faster, but the time-driven loads (stress.sh's
# floods and loops run for so many guest seconds) three times slower on
# the debug kernel, whose instrumented code TCG runs at about a third of
# a guest second per host second; and stress.sh's stop of its load hung
# on 6.12 and on the debug kernel (Documentation/testing.rst, "Time in
# the VMs"). Under icount:
# -cpu max,-cx16: QEMU 7.2's TCG has twice left garbage in EFLAGS after a
# CMPXCHG16B (SLUB's lockless fast path) and the guest died of a double
# fault on the "jne" after it; without CX16 SLUB takes its locked path
# (Documentation/performance.rst, "Measuring under load").
# maxcpus=1, and tools/vm/init brings the second CPU up by hotplug: QEMU
# 7.2 hangs in the boot-time bring-up of the second vCPU of 5.10 and 6.1
# (their boot stops at "x86: Booting SMP configuration:"), while the same
# INIT/SIPI sequence from a CPU hotplug, once the system runs, works on
# every kernel.
accel=${QEMU_ACCEL:-tcg}
icount=${VM_ICOUNT:-off}
if [ "$accel" = tcg ] && [ "$icount" != off ]; then
	tcg_thread=${QEMU_TCG_THREAD:-single}
	cpu=${VM_CPU:-max,-cx16,-la57}
	icount_args=(-icount "$icount")
	icount_append=maxcpus=1
	stall_mult=2
else
	tcg_thread=${QEMU_TCG_THREAD:-$([ $debug = 1 ] && echo multi || echo single)}
	cpu=${VM_CPU:-max,-la57}
	icount_args=()
	icount_append=
	stall_mult=1
fi
[ "$accel" = tcg ] && accel="tcg,thread=$tcg_thread"

# A test's timeout is in guest seconds. Under icount a busy guest second
# takes about a host second on a stock kernel here, about three on the
# debug kernel (whose instrumented code TCG runs slower), and more while
# the host checks share the CPU: the stall limit, in host seconds, allows
# twice the longest test's timeout then (stall_mult).
stall=${VM_STALL:-$((maxt * scale * stall_mult + 300))}

append="console=ttyS0 rdinit=/init panic=-1 loglevel=5 log_buf_len=16M"
append+=" rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=60 nokaslr"
append+=" $icount_append ${VM_APPEND:-}"

# vCPUs: the tests run on two CPUs (RCU, per-CPU counters, races).
smp=2

qemu=(qemu-system-x86_64
	-machine q35 -accel "$accel" -cpu "$cpu" -smp "$smp" -m "$mem"
	-nic none -display none -vga none -monitor none -parallel none
	-no-reboot
	-serial "file:$run/console.log"
	-kernel "$kdir/root/boot/vmlinuz-$kver"
	-initrd "$kdir/initramfs.cpio.gz"
	-append "$append"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
	-fsdev "local,id=results,path=$run,security_model=none,multidevs=remap"
	-device "virtio-9p-pci,fsdev=results,mount_tag=results"
	"${icount_args[@]}" ${VM_QEMU_ARGS:-})

# What was booted, in words, for whoever reports on the run (make bench).
echo "$(qemu-system-x86_64 --version | head -n 1 | sed 's/ (.*//'), ${accel/,thread=/ }-threaded, $smp vCPUs (-cpu $cpu), $mem (tools/vm/run-vm.sh)${icount_args[*]:+, ${icount_args[*]} (guest time counts instructions)}" >"$run/vm"

# boot: one boot of the VM, streaming its progress, within the limits.
boot()
{
	msg "$name: booting $kver (timeout ${vm_timeout} s, stall ${stall} s, test timeout x$scale)"
	"${qemu[@]}" >"$run/qemu.log" 2>&1 &
	qpid=$!
	trap 'kill "$qpid" 2>/dev/null' EXIT
	trap 'exit 143' INT TERM

	# Stream progress while the VM runs; enforce the time limits.
	shown=0
	last=$(date +%s)
	why=
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 2
		now=$(date +%s)
		if [ -f "$run/progress" ]; then
			cnt=$(wc -l <"$run/progress")
			if [ "$cnt" -gt "$shown" ]; then
				tail -n +$((shown + 1)) "$run/progress" | head -n $((cnt - shown)) |
					sed "s|^|# $name: |" >&2
				shown=$cnt
				last=$now
			fi
		fi
		if [ $((now - start)) -ge "$vm_timeout" ]; then
			why="the VM did not finish in $vm_timeout s (VM_TIMEOUT)"
		elif [ $((now - last)) -ge "$stall" ]; then
			why="no test finished for $stall s: the VM looks hung (VM_STALL)"
		fi
		if [ -n "$why" ]; then
			kill "$qpid" 2>/dev/null
			sleep 2
			kill -9 "$qpid" 2>/dev/null
			break
		fi
	done
	wait "$qpid" 2>/dev/null
	trap - EXIT
}

# boot_failed: the kernel died before the first test (the console never
# saw the runner start), as the debug kernel under a loaded TCG host
# sometimes does ("IO-APIC + timer doesn't work").
boot_failed()
{
	[ ! -f "$run/done" ] && [ ! -f "$run/reboot" ] && [ -z "$why" ] &&
		! grep -q 'erdev-selftests: start' "$run/console.log" 2>/dev/null
}

# The debug kernel under TCG sometimes takes a KASAN report in early boot,
# long before erdev loads, and that turns lockdep off for the whole run.
# The guest then asks for a new boot (a "reboot" file) instead of running
# the tests without lockdep. Both that and a kernel that dies before the
# first test get a new boot; at most three boots.
start=$(date +%s)
for attempt in 1 2 3; do
	boot
	if [ -f "$run/reboot" ] && [ -z "$why" ]; then
		mv "$run/boot-dmesg.txt" "$run/logs/boot-$attempt.log" 2>/dev/null
		what="lockdep was turned off during boot $attempt"
	elif boot_failed; then
		cp "$run/console.log" "$run/logs/boot-$attempt.log" 2>/dev/null
		what="the kernel died during boot $attempt"
	else
		break
	fi
	[ $attempt -lt 3 ] || break
	rm -f "$run/reboot" "$run/progress" "$run/console.log"
	: >"$run/results"
	msg "$name: $what (logs/boot-$attempt.log), booting again"
done
if [ -f "$run/reboot" ]; then
	suite_result "$run" fail "vm: boot with lock debugging on" "boot-$attempt.log" \
		"lockdep was off after $attempt boots; no test ran"
	cp "$run/logs/boot-$attempt.log" "$run/dmesg.txt" 2>/dev/null
	uname_r=$(cat "$run/reboot")
	echo "$uname_r" >"$run/done"
fi
secs=$(($(date +%s) - start))
msg "$name: VM ran for $secs s"

if [ ! -f "$run/done" ]; then
	{
		echo "The VM stopped before the run finished: ${why:-QEMU exited early (panic or init failure)}."
		echo "QEMU output:"
		cat "$run/qemu.log"
		echo "Last 60 lines of the serial console:"
		tail -n 60 "$run/console.log" 2>/dev/null
	} >"$run/logs/vm.diag"
	suite_result "$run" fail "vm: boot and complete the run" vm.diag "${why:+TIMEOUT }ran $secs s"
fi

# Kernel log: dmesg when the run finished, else what the console caught.
klog=$run/dmesg.txt
[ -s "$klog" ] || klog=$run/console.log
boot_reports=
if [ -s "$klog" ]; then
	while IFS=$'\t' read -r where title file count; do
		[ -n "$file" ] || continue
		[ "$count" -gt 1 ] && title="$title (x$count)"
		if [ "$where" = boot ]; then
			boot_reports+="# kernel log at boot (not counted, before any test): $title"$'\n'
		else
			suite_result "$run" fail "kernel log: $title" "$file"
		fi
	done < <(awk -v outdir="$run/logs" -f "$ERDEV_ROOT/tools/vm/scan-kernel-log.awk" "$klog")
	if ! grep -q '^fail	kernel log: ' "$run/results"; then
		suite_result "$run" pass "kernel log clean"
	fi
else
	suite_result "$run" fail "kernel log clean" - "no kernel log"
fi

# On the debug kernel, the checkers must still be on when the tests start:
# a report at boot (not erdev's) turns lockdep off for the whole run.
if [ $debug = 1 ] && [ -s "$klog" ]; then
	if awk '/erdev-selftests: start/ { exit } /Disabling lock debugging/ { found = 1; exit } END { exit !found }' "$klog"; then
		grep -m1 -B2 -A2 'Disabling lock debugging' "$klog" >"$run/logs/lockdep.diag"
		suite_result "$run" fail "debug kernel: lock debugging still on when the tests start" lockdep.diag \
			"lockdep was turned off during boot"
	else
		suite_result "$run" pass "debug kernel: lock debugging still on when the tests start"
	fi
fi

title="erdev selftests on $kver ($name), VM $secs s"
suite_print "$run" "$title"
[ -n "$boot_reports" ] && printf '%s' "$boot_reports"
read -r _ f _ < <(suite_counts "$run")
[ "$f" = 0 ]
