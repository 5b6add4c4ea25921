# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the erdev selftests: KTAP output, checks, network
# namespaces, deferred cleanup, waiting. Modelled on the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh and
# tools/testing/selftests/net/lib.sh.
#
# The selftest contract
# ---------------------
# Every selftests/*.sh except lib.sh and files named *_lib.sh is a test.
# `make check` (tools/vm/run-vm.sh) boots each kernel of the matrix once and
# runs all tests in that VM, one after the other:
#
#  - as root, with bash, cwd = selftests/, no stdin, stdout and stderr
#    captured together;
#  - environment: ERDEV_KO (absolute path of the erdev.ko built for this
#    kernel), ERCFG (absolute path of ercfg; it may not exist yet: skip
#    then), KVER (uname -r), ERDEV_KERNEL (the matrix name: 6.1, 6.12,
#    debug, ...), ERDEV_REPO (the repo root), ERDEV_TIMEOUT (this
#    test's timeout in seconds), TMPDIR (a fresh, empty directory), and
#    ERDEV_DEBUG_KERNEL=1 on the debug kernel (KASAN, lockdep, kmemleak:
#    several times slower; unset elsewhere);
#  - erdev is loaded before each test (insmod $ERDEV_KO if it is not in
#    /proc/modules). A test may rmmod/insmod it itself; it need not leave
#    it loaded;
#  - each test has a timeout: 300 s, or N s with a line "# timeout: N" in
#    the file; multiplied by 4 on the debug kernel. On timeout the test's
#    process group gets SIGTERM, then SIGKILL. A line "# debug-kernel: skip"
#    keeps a test off the debug kernel (reported as skipped there): for
#    tests that exercise no new kernel path and would only cost CI time.
#    A line "# kernels: 6.12" runs a test only on those matrix kernels
#    (names as in KERNELS: 6.1, 6.12, debug), skipped on the others;
#  - the host root is read-only in the VM. Writable: /tmp, /var/tmp, /run
#    (so /var/run/netns for `ip netns`), /root, /var/lib, /var/log,
#    /var/cache, /dev/shm, all tmpfs. /proc, /sys, /sys/kernel/debug,
#    /dev (with /dev/fd) are mounted. modprobe works (veth, 8021q, dummy,
#    bonding, bridge, ...; built in on the debug kernel). No NIC, no
#    network: everything happens in network namespaces;
#  - output is KTAP (these helpers); the exit status is 0 pass, 1 fail
#    (any other non-zero too), 4 skip. The runner reports one top-level
#    result per test with the test's own output nested under it;
#  - a test works in network namespaces of its own (setup_ns) and removes
#    them (this file's EXIT trap does). Namespaces left behind fail the test;
#  - after all tests the runner checks that `rmmod erdev` succeeds and
#    scans the kernel log (and kmemleak on the debug kernel): any BUG,
#    WARNING, KASAN, UBSAN, lockdep, refcount or leak report fails the run.
#
# A test looks like:
#
#   #!/bin/bash
#   # SPDX-License-Identifier: GPL-2.0
#   # What it tests.
#   # timeout: 120
#   cd "$(dirname "$0")" || exit 1
#   source ./lib.sh
#
#   ktap_print_header
#   require_cmd ip
#   ktap_set_plan 2
#   setup_ns A B || exit "$KSFT_FAIL"
#   check_ok "veth pair" ip link add a netns "$A" type veth peer b netns "$B"
#   check_eq "a is down" "DOWN" "$(ip -n "$A" -j link show a | jq -r '.[0].operstate')"
#   ktap_finished
#
# API
# ---
# KTAP:    ktap_print_header, ktap_set_plan N, ktap_skip_all MSG,
#          ktap_test_pass DESC, ktap_test_fail DESC, ktap_test_skip DESC [WHY],
#          ktap_test_xfail DESC, ktap_test_result DESC CMD...,
#          ktap_print_msg MSG..., ktap_print_totals, ktap_exit_fail_msg MSG,
#          ktap_finished (exits 1 on any failure or a count that does not
#          match the plan, 4 when everything was skipped, else 0),
#          ktap_count (results so far), ktap_state and ktap_set_state STATE
#          (the results so far forgotten back to a saved point: a step
#          that is set aside and run again, as tools/lab's retries).
#          KSFT_PASS=0 KSFT_FAIL=1 KSFT_XFAIL=2 KSFT_XPASS=3 KSFT_SKIP=4.
# Checks:  check_eq DESC EXPECTED ACTUAL, check_ok DESC CMD...,
#          check_fail DESC CMD... (each one KTAP test line; the command's
#          output is shown as diagnostics when the check fails).
# Netns:   setup_ns VAR... (unique names "<var>-XXXXXX" in $VAR, lo up,
#          removed at exit), setup_named_ns NAME... (the same, under
#          fixed names, for output that shows them: tools/lab),
#          cleanup_ns NS..., cleanup_all_ns, NS_LIST.
# Cleanup: defer CMD ARGS..., defer_prio CMD ARGS..., defer_scope_push,
#          defer_scope_pop, in_defer_scope CMD..., defer_scopes_cleanup.
#          Deferred commands run in reverse order at exit (or scope pop).
#          Do not install your own EXIT trap; if you must, call lib_cleanup
#          from it.
# Waiting: busywait TIMEOUT_MS CMD..., slowwait TIMEOUT_S CMD... (retry CMD
#          until it succeeds; print its last output; status 1 on timeout).
# Guards:  require_cmd CMD..., require_module MOD... (skip when missing),
#          is_debug_kernel.

# API for the tests:
# shellcheck disable=SC2034
{
	KSFT_PASS=0
	KSFT_FAIL=1
	KSFT_XFAIL=2
	KSFT_XPASS=3
	KSFT_SKIP=4
}

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0
KTAP_CNT_XFAIL=0
KSFT_NUM_TESTS=
KTAP_HEADER_DONE=

# namespaces made by setup_ns, removed at exit
NS_LIST=()

: "${WAIT_TIMEOUT:=20}"
# shellcheck disable=SC2034 # as in the kernel's net/lib.sh
BUSYWAIT_TIMEOUT=$((WAIT_TIMEOUT * 1000))

##############################################################################
# KTAP

ktap_print_header()
{
	[ -n "$KTAP_HEADER_DONE" ] && return 0
	echo "KTAP version 1"
	KTAP_HEADER_DONE=1
}

# ktap_print_msg MSG...: "# MSG", every line of it.
ktap_print_msg()
{
	local line

	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

ktap_set_plan()
{
	KSFT_NUM_TESTS=$1
	echo "1..$KSFT_NUM_TESTS"
}

ktap_skip_all()
{
	ktap_print_header
	echo "1..0 # SKIP $*"
}

__ktap_test()
{
	local result=$1 description=$2 directive=${3:-}

	# '#' would start a directive: keep descriptions clean
	description=${description//#/}
	description=${description//$'\n'/ }
	echo "$result $KTAP_TESTNO $description${directive:+ # $directive}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass()
{
	__ktap_test ok "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_fail()
{
	__ktap_test "not ok" "$1"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

# ktap_test_skip DESC [WHY]
ktap_test_skip()
{
	__ktap_test ok "$1" "SKIP${2:+ $2}"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_xfail()
{
	__ktap_test ok "$1" XFAIL
	KTAP_CNT_XFAIL=$((KTAP_CNT_XFAIL + 1))
}

ktap_test_result()
{
	local description=$1

	shift
	check_ok "$description" "$@"
}

ktap_print_totals()
{
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:$KTAP_CNT_XFAIL xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_exit_fail_msg()
{
	echo "Bail out! $*"
	ktap_print_totals
	exit "$KSFT_FAIL"
}

# ktap_count: how many results were written so far.
ktap_count()
{
	echo $((KTAP_TESTNO - 1))
}

# ktap_state: the number and counts of the results so far, for
# ktap_set_state STATE to go back to (the results written since then are
# forgotten, their numbers given again).
ktap_state()
{
	echo "$KTAP_TESTNO $KTAP_CNT_PASS $KTAP_CNT_FAIL $KTAP_CNT_SKIP $KTAP_CNT_XFAIL"
}

ktap_set_state()
{
	read -r KTAP_TESTNO KTAP_CNT_PASS KTAP_CNT_FAIL KTAP_CNT_SKIP KTAP_CNT_XFAIL <<<"$1"
}

# ktap_finished: print the totals and exit with the test's status.
ktap_finished()
{
	local ran=$((KTAP_TESTNO - 1))

	ktap_print_totals
	if [ "$KTAP_CNT_FAIL" -gt 0 ]; then
		exit "$KSFT_FAIL"
	fi
	if [ -n "$KSFT_NUM_TESTS" ] && [ "$ran" -ne "$KSFT_NUM_TESTS" ]; then
		ktap_print_msg "planned $KSFT_NUM_TESTS tests but ran $ran"
		exit "$KSFT_FAIL"
	fi
	if [ "$KTAP_CNT_PASS" -eq 0 ] && [ "$KTAP_CNT_XFAIL" -eq 0 ] &&
		[ "$KTAP_CNT_SKIP" -gt 0 ]; then
		exit "$KSFT_SKIP"
	fi
	exit "$KSFT_PASS"
}

##############################################################################
# Checks

# check_eq DESC EXPECTED ACTUAL
check_eq()
{
	if [ "$2" == "$3" ]; then
		ktap_test_pass "$1"
		return 0
	fi
	ktap_print_msg "expected: $2"
	ktap_print_msg "actual:   $3"
	ktap_test_fail "$1"
	return 1
}

__lib_out=

__lib_outfile()
{
	if [ -z "$__lib_out" ]; then
		__lib_out=$(mktemp "${TMPDIR:-/tmp}/lib-out.XXXXXX") || return 1
	fi
}

# check_ok DESC CMD...: CMD (run in this shell) must succeed.
check_ok()
{
	local desc=$1 rc

	shift
	__lib_outfile
	"$@" >"$__lib_out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		ktap_test_pass "$desc"
		return 0
	fi
	ktap_print_msg "command failed with status $rc: $*"
	[ -s "$__lib_out" ] && ktap_print_msg "$(head -c 4000 "$__lib_out")"
	ktap_test_fail "$desc"
	return 1
}

# check_fail DESC CMD...: CMD (run in this shell) must fail.
check_fail()
{
	local desc=$1 rc

	shift
	__lib_outfile
	"$@" >"$__lib_out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		ktap_test_pass "$desc"
		return 0
	fi
	ktap_print_msg "command succeeded but should have failed: $*"
	[ -s "$__lib_out" ] && ktap_print_msg "$(head -c 4000 "$__lib_out")"
	ktap_test_fail "$desc"
	return 1
}

##############################################################################
# Guards

# require_cmd CMD...: skip the whole test when a command is missing.
require_cmd()
{
	local cmd

	for cmd in "$@"; do
		if ! command -v "$cmd" >/dev/null 2>&1; then
			__lib_skip "command '$cmd' not found"
		fi
	done
}

# require_module MOD...: skip the whole test when a module cannot be loaded
# (built-in modules are fine).
require_module()
{
	local mod

	for mod in "$@"; do
		if ! modprobe -q "$mod" 2>/dev/null &&
			! grep -qE "/${mod//[-_]/[-_]}\.ko" "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null; then
			__lib_skip "module '$mod' not available"
		fi
	done
}

__lib_skip()
{
	if [ -z "$KSFT_NUM_TESTS" ]; then
		ktap_skip_all "$1"
	else
		ktap_print_msg "SKIP: $1"
	fi
	exit "$KSFT_SKIP"
}

is_debug_kernel()
{
	[ "${ERDEV_DEBUG_KERNEL:-0}" = 1 ]
}

# valgrind_lane: true where ercfg's valgrind checks run: the 6.12 lane
# (or a run outside make check's matrix). ercfg is the same program on
# every kernel, and valgrind under TCG costs minutes per lane.
valgrind_lane()
{
	case "${ERDEV_KERNEL:-}" in
	"" | 6.12) command -v valgrind >/dev/null ;;
	*) return 1 ;;
	esac
}

# full_depth_lane: true where the tests that repeat a random or timed
# load (stress.sh's teardown rounds, lifecycle.sh's churn rounds) run
# their full count: the 6.12 lane (or a run outside make check's matrix).
# The other stock lanes run every test and every check too, with fewer
# rounds: the code under test is the same, the kernel around it differs
# in its API, which one round reaches. The debug lane picks its own
# counts (is_debug_kernel), for its speed.
full_depth_lane()
{
	case "${ERDEV_KERNEL:-}" in
	"" | 6.12) return 0 ;;
	*) return 1 ;;
	esac
}

##############################################################################
# Waiting

# timestamp_ms: milliseconds since the epoch, from bash's EPOCHREALTIME
# (seconds and microseconds) rather than date(1): loopy_wait asks at every
# round, and a program costs a debug guest a third of a second or more.
timestamp_ms()
{
	local us=${EPOCHREALTIME/[.,]/}

	echo $((10#$us / 1000))
}

# loopy_wait SLEEP_CMD TIMEOUT_MS CMD...
loopy_wait()
{
	local sleep_cmd=$1 timeout_ms=$2 start out

	shift 2
	start=$(timestamp_ms) || return 1
	while true; do
		if out=$("$@"); then
			echo -n "$out"
			return 0
		fi
		if (($(timestamp_ms) - start > timeout_ms)); then
			echo -n "$out"
			return 1
		fi
		$sleep_cmd
	done
}

# busywait TIMEOUT_MS CMD...: retry CMD (every 20 ms) until it succeeds.
busywait()
{
	local timeout_ms=$1

	shift
	loopy_wait "sleep 0.02" "$timeout_ms" "$@"
}

# slowwait TIMEOUT_S CMD...: retry CMD (every 100 ms) until it succeeds.
slowwait()
{
	local timeout_s=$1

	shift
	loopy_wait "sleep 0.1" "$((timeout_s * 1000))" "$@"
}

##############################################################################
# Deferred cleanup (the kernel's net/lib.sh defer, reimplemented)

declare -A __DEFER_JOBS=()
declare -A __DEFER_NJOBS=()
__DEFER_SCOPE=0

__defer_schedule()
{
	local track=$1 n

	shift
	n=${__DEFER_NJOBS[$__DEFER_SCOPE,$track]:-0}
	__DEFER_JOBS[$__DEFER_SCOPE,$track,$n]="${*@Q}"
	__DEFER_NJOBS[$__DEFER_SCOPE,$track]=$((n + 1))
}

# defer CMD ARGS...: run CMD ARGS when the current scope ends (at exit for
# the outermost one), after the commands deferred later.
defer()
{
	__defer_schedule d "$@"
}

# defer_prio CMD ARGS...: like defer, but before the scope's other defers.
defer_prio()
{
	__defer_schedule p "$@"
}

defer_scope_push()
{
	__DEFER_SCOPE=$((__DEFER_SCOPE + 1))
	__DEFER_NJOBS[$__DEFER_SCOPE,p]=0
	__DEFER_NJOBS[$__DEFER_SCOPE,d]=0
}

defer_scope_pop()
{
	local track i key

	for track in p d; do
		for ((i = ${__DEFER_NJOBS[$__DEFER_SCOPE,$track]:-0} - 1; i >= 0; i--)); do
			key=$__DEFER_SCOPE,$track,$i
			eval "${__DEFER_JOBS[$key]}"
			unset "__DEFER_JOBS[$key]"
		done
		__DEFER_NJOBS[$__DEFER_SCOPE,$track]=0
	done
	__DEFER_SCOPE=$((__DEFER_SCOPE - 1))
}

defer_scopes_cleanup()
{
	while ((__DEFER_SCOPE >= 0)); do
		defer_scope_pop
	done
	__DEFER_SCOPE=0
}

# in_defer_scope CMD...: run CMD in a scope of its own.
in_defer_scope()
{
	local rc

	defer_scope_push
	"$@"
	rc=$?
	defer_scope_pop
	return $rc
}

##############################################################################
# Network namespaces

__ns_forget()
{
	local ns keep=()

	for ns in "${NS_LIST[@]}"; do
		[ "$ns" != "$1" ] && keep+=("$ns")
	done
	NS_LIST=("${keep[@]}")
}

# ns_exists NS: a named namespace NS exists: its file is in ip's
# NETNS_RUN_DIR, which is what "ip netns list" lists (read here without
# starting ip, awk and grep: Documentation/testing.rst).
ns_exists()
{
	[ -e "$NETNS_RUN_DIR/$1" ]
}

# in_netns NS CMD...: CMD in network namespace NS, for a program that
# needs only the namespace's network (sockets, netlink, /proc/sys/net).
# nsenter joins the namespace; "ip netns exec" also makes a mount
# namespace and mounts a sysfs of NS, which costs a debug guest about a
# second each time under TCG. What reads /sys/class/net of NS goes
# through ip netns exec. In the background, run nsenter itself
# (nsenter --net="$NETNS_RUN_DIR/NS" CMD... &): $! of a function is the
# subshell that runs it, which a signal for CMD would not reach.
NETNS_RUN_DIR=/var/run/netns
in_netns()
{
	local ns=$1

	shift
	nsenter --net="$NETNS_RUN_DIR/$ns" "$@"
}

# cleanup_ns NS...: kill what runs in each namespace and delete it.
cleanup_ns()
{
	local ns pids rc=0

	for ns in "$@"; do
		[ -n "$ns" ] || continue
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns delete "$ns" >/dev/null 2>&1
		if ns_exists "$ns"; then
			echo "# warning: failed to remove namespace $ns"
			rc=1
		else
			__ns_forget "$ns"
		fi
	done
	return $rc
}

cleanup_all_ns()
{
	[ ${#NS_LIST[@]} -gt 0 ] || return 0
	cleanup_ns "${NS_LIST[@]}"
}

# setup_ns VAR...: for each VAR, a new namespace named "<var>-XXXXXX"
# (lower case, unique), its name in $VAR, lo up; removed at exit. A VAR
# that already names a namespace gets a fresh one.
setup_ns()
{
	local __var __name

	for __var in "$@"; do
		if [[ ! $__var =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || [[ $__var == __* ]]; then
			echo "# setup_ns: invalid variable name '$__var'"
			return 1
		fi
		[ -n "${!__var:-}" ] && cleanup_ns "${!__var}"
		__name=${__var,,}
		__name=${__name//_/-}-$(mktemp -u XXXXXX)
		if ! ip netns add "$__name"; then
			echo "# setup_ns: cannot create namespace $__name"
			return 1
		fi
		NS_LIST+=("$__name")
		printf -v "$__var" '%s' "$__name"
		ip -n "$__name" link set lo up || return 1
	done
}

# setup_named_ns NAME...: a namespace of each NAME, lo up, removed at exit
# as setup_ns's are. Fails when one exists already.
setup_named_ns()
{
	local ns

	for ns in "$@"; do
		if ns_exists "$ns"; then
			echo "# setup_named_ns: namespace $ns exists already"
			return 1
		fi
		if ! ip netns add "$ns"; then
			echo "# setup_named_ns: cannot create namespace $ns"
			return 1
		fi
		NS_LIST+=("$ns")
		ip -n "$ns" link set lo up || return 1
	done
}

##############################################################################
# Exit

# lib_cleanup: deferred commands, then every namespace setup_ns made.
lib_cleanup()
{
	defer_scopes_cleanup
	cleanup_all_ns
	[ -n "$__lib_out" ] && rm -f "$__lib_out"
	__lib_out=
}

__lib_exit()
{
	local rc=$?

	trap - EXIT
	lib_cleanup >/dev/null 2>&1
	exit $rc
}

trap __lib_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
