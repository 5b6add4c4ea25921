#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test VM, chrooted into the host root (see tools/vm/init).
#
#   guest-run.sh RESULTS_DIR
#
# Runs every selftests/*.sh (or $TESTS_DIR/*.sh; not lib.sh, not *_lib.sh)
# with its own timeout, loading erdev before each, then "rmmod erdev", then
# (debug kernel) a kmemleak scan, and saves the kernel log. It writes, in
# RESULTS_DIR:
#   results      one line per test: STATUS<TAB>NAME<TAB>LOG<TAB>COMMENT
#                (STATUS is pass, fail or skip; LOG is a file name or "-")
#   progress     one human line per finished test (the host streams it)
#   logs/*.log   each test's output
#   dmesg.txt    the kernel log at the end
#   done         written last: the run finished
# The host (tools/vm/run-vm.sh) turns these into KTAP and scans dmesg.txt.
set -u

RES=${1:?usage: guest-run.sh RESULTS_DIR}
. "$RES/env"
export KVER ERDEV_KERNEL ERDEV_KO ERCFG ERDEV_REPO=$REPO
if [ "${ERDEV_DEBUG_KERNEL:-0}" = 1 ]; then
	export ERDEV_DEBUG_KERNEL=1
else
	unset ERDEV_DEBUG_KERNEL
fi
mkdir -p "$RES/logs"
: >"$RES/results"
: >"$RES/progress"

kmsg() { echo "erdev-selftests: $*" >/dev/kmsg 2>/dev/null; }
progress() { echo "$*" >>"$RES/progress"; }
result() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:--}" "${4:-}" >>"$RES/results"; }

ulimit -c 0
ip link set lo up 2>/dev/null

# Hold netstamp_needed_key on for the whole run. Every ping (SO_TIMESTAMP)
# and capture otherwise flips that static key on and off, and each flip
# patches the text of netif_rx_internal() and __netif_receive_skb_core()
# with text_poke_bp() while the other vCPU may be executing it. Under
# multi-threaded TCG that cross-modifying code has been seen to leave a
# stale int3 behind ("Oops: int3" in netif_rx_internal, debug kernel):
# a QEMU artefact, not a kernel or erdev bug. One socket that keeps
# SO_TIMESTAMP set for the whole run keeps the key on, so the text is
# patched once, here, before any test traffic.
/usr/bin/python3 -c '
import signal, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_TIMESTAMP, 1)
signal.pause()
' </dev/null >/dev/null 2>&1 &
tstamp_pin=$!
sleep 1

[ "$(uname -r)" = "$KVER" ] || progress "warning: booted $(uname -r), expected $KVER"

KMEMLEAK=/sys/kernel/debug/kmemleak
if [ -w "$KMEMLEAK" ]; then
	# Only objects allocated from now on count as erdev's leaks (kmemleak
	# prints each object's allocation time in jiffies). This saves a
	# baseline scan, which takes minutes on the debug kernel under TCG.
	kml_start=$(awk '/^jiffies:/ { print $2; exit }' /proc/timer_list 2>/dev/null)
	kml_start=${kml_start:-0}
fi

# A report at boot (KASAN in early boot under TCG, not erdev's) turns lockdep
# off for the whole run: ask the host for a new boot instead (run-vm.sh).
if [ "${ERDEV_DEBUG_KERNEL:-0}" = 1 ] && dmesg | grep -q 'Disabling lock debugging'; then
	progress "lockdep was turned off during boot: asking for a new boot"
	kill "$tstamp_pin" 2>/dev/null
	dmesg >"$RES/boot-dmesg.txt" 2>&1
	uname -r >"$RES/reboot"
	sync
	exit 0
fi

kmsg "start"

# run_limited SECONDS LOG CMD...: run CMD in its own session with output to
# LOG; kill its process group when SECONDS pass. A process stuck in the
# kernel (D state) may survive SIGKILL: it is then left behind so that the
# run goes on. Returns the exit status, or 124 on timeout.
run_limited() {
	local limit=$1 log=$2 pid spid fin rc
	shift 2
	: >"$log"
	setsid "$@" </dev/null >>"$log" 2>&1 &
	pid=$!
	sleep "$limit" &
	spid=$!
	wait -n -p fin "$pid" "$spid"
	rc=$?
	if [ "$fin" = "$pid" ]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		return "$rc"
	fi
	echo "# runner: timeout after $limit s, killing the test" >>"$log"
	kill -TERM -- "-$pid" 2>/dev/null
	# wait_gone SECONDS: wait for $pid to exit, at most SECONDS
	wait_gone() {
		sleep "$1" &
		spid=$!
		wait -n -p fin "$pid" "$spid"
		[ "$fin" = "$pid" ] && { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; return 0; }
		return 1
	}
	wait_gone 10 && return 124
	kill -KILL -- "-$pid" 2>/dev/null
	wait_gone 10 && return 124
	echo "# runner: pid $pid is stuck in the kernel, left behind:" >>"$log"
	sed 's/^/#   /' "/proc/$pid/stack" >>"$log" 2>/dev/null
	return 124
}

erdev_loaded() { grep -q '^erdev ' /proc/modules; }

scale=${TIMEOUT_SCALE:-1}
default_timeout=${DEFAULT_TIMEOUT:-300}

tests_dir=${TESTS_DIR:-selftests}
cd "$REPO/$tests_dir" || exit 1
tests=()
for t in *.sh; do
	[ -f "$t" ] || continue
	case "$t" in
	lib.sh | *_lib.sh) continue ;;
	esac
	if [ -n "${TESTS:-}" ]; then
		keep=
		for pat in $TESTS; do
			# shellcheck disable=SC2053
			[[ $t == $pat || $t == $pat.sh ]] && keep=1
		done
		[ -n "$keep" ] || continue
	fi
	tests+=("$t")
done

n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	name="$tests_dir/$t"
	log="$(printf '%02d' "$n")-${t%.sh}.log"
	tmo=$(sed -n 's/^# *timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n 1)
	tmo=$(((${tmo:-$default_timeout}) * scale))

	only=$(sed -n 's/^# *kernels: *//p' "$t" | head -n 1)
	if [ -n "$only" ] && ! [[ " $only " == *" ${ERDEV_KERNEL:-} "* ]]; then
		result skip "$name" - "runs only on kernels $only (# kernels:)"
		progress "skip $name (# kernels: $only)"
		continue
	fi
	if [ "${ERDEV_DEBUG_KERNEL:-0}" = 1 ] && grep -qE '^# *debug-kernel: *skip' "$t"; then
		result skip "$name" - "not run on the debug kernel (# debug-kernel: skip)"
		progress "skip $name (# debug-kernel: skip)"
		continue
	fi

	if ! erdev_loaded; then
		if ! out=$(insmod "$ERDEV_KO" 2>&1); then
			echo "# runner: insmod $ERDEV_KO failed: $out" >"$RES/logs/$log"
			result fail "$name" "$log" "erdev would not load"
			progress "not ok $name (erdev would not load)"
			continue
		fi
	fi

	kmsg "running $name"
	tmp=$(mktemp -d /tmp/erdev-test.XXXXXX)
	start=$(date +%s)
	# ERDEV_TRACE=1 (GUEST_ENV=ERDEV_TRACE): every command in the log with
	# its time, to see where a slow test spends it.
	run_limited "$tmo" "$RES/logs/$log" env TMPDIR="$tmp" ERDEV_TIMEOUT="$tmo" \
		PS4='+ ${EPOCHREALTIME} ${BASH_SOURCE##*/}:${LINENO}: ' \
		bash ${ERDEV_TRACE:+-x} "./$t"
	rc=$?
	secs=$(($(date +%s) - start))
	rm -rf "$tmp" 2>/dev/null

	comment=
	case $rc in
	0) status=pass ;;
	4) status=skip ;;
	124) status=fail comment="TIMEOUT after ${tmo} s" ;;
	*) status=fail comment="exit status $rc" ;;
	esac

	# A test must remove the namespaces it made; remove leftovers so that the
	# next test starts clean, and fail the test that left them.
	left=$(ip netns list 2>/dev/null | awk '{print $1}' | tr '\n' ' ')
	if [ -n "$left" ]; then
		echo "# runner: network namespaces left behind: $left" >>"$RES/logs/$log"
		for ns in $left; do ip netns del "$ns" 2>/dev/null; done
		if [ "$status" != fail ]; then
			status=fail
			comment="left network namespaces behind: $left"
		fi
	fi
	result "$status" "$name" "$log" "$comment"
	case $status in
	pass) progress "ok $name (${secs} s)" ;;
	skip) progress "skip $name (${secs} s)" ;;
	fail) progress "not ok $name (${secs} s, $comment)" ;;
	esac
done
kmsg "tests done"
kill "$tstamp_pin" 2>/dev/null

# The module must unload after all that.
log=rmmod.log
: >"$RES/logs/$log"
if ! erdev_loaded; then
	echo "# runner: erdev was not loaded; loading it to test the unload" >>"$RES/logs/$log"
	insmod "$ERDEV_KO" >>"$RES/logs/$log" 2>&1
fi
kmsg "rmmod erdev"
run_limited "$((60 * scale))" "$RES/logs/$log.tmp" rmmod erdev
rc=$?
cat "$RES/logs/$log.tmp" >>"$RES/logs/$log" && rm -f "$RES/logs/$log.tmp"
if [ $rc = 0 ] && ! erdev_loaded; then
	result pass "rmmod erdev" "$log"
	progress "ok rmmod erdev"
elif [ $rc = 124 ]; then
	result fail "rmmod erdev" "$log" "TIMEOUT: rmmod hung"
	progress "not ok rmmod erdev (hung)"
else
	result fail "rmmod erdev" "$log" "exit status $rc"
	progress "not ok rmmod erdev"
fi

if [ -w "$KMEMLEAK" ]; then
	# kmemleak reports an object once it is at least 5 s old and found
	# unreferenced; a second scan weeds out pointers that were in flight.
	sleep 6
	t=$(date +%s)
	echo scan >"$KMEMLEAK" 2>/dev/null
	sleep 2
	echo scan >"$KMEMLEAK" 2>/dev/null
	progress "kmemleak: two scans took $(($(date +%s) - t)) s"
	cat "$KMEMLEAK" >"$RES/logs/kmemleak.all" 2>&1
	# Keep the reports of objects allocated since the tests started.
	awk -v start="$kml_start" '
		/^unreferenced object/ { keep = 0; buf = $0 "\n"; inobj = 1; next }
		inobj && /^ *comm ".*", pid [0-9]+, jiffies [0-9]+/ {
			j = $NF + 0
			keep = (j >= start)
			buf = buf $0 "\n"
			if (keep) { printf "%s", buf; buf = "" }
			next
		}
		inobj { if (keep) print; else buf = buf $0 "\n" }
	' "$RES/logs/kmemleak.all" >"$RES/logs/kmemleak.log"
	cnt=$(grep -c '^unreferenced object' "$RES/logs/kmemleak.log")
	all=$(grep -c '^unreferenced object' "$RES/logs/kmemleak.all")
	echo "# $all unreferenced objects in all, $cnt allocated after the tests started (jiffies >= $kml_start)" >>"$RES/logs/kmemleak.log"
	if [ "$cnt" -gt 0 ]; then
		result fail "kmemleak" kmemleak.log "$cnt suspected leak(s)"
		progress "not ok kmemleak ($cnt suspected leaks)"
	else
		result pass "kmemleak" kmemleak.log
		progress "ok kmemleak ($all older reports ignored)"
	fi
fi

kmsg "end"
dmesg >"$RES/dmesg.txt" 2>&1
uname -r >"$RES/done"
sync
