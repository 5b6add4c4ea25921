# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the lab (tools/lab/lab.sh, sourced after selftests/lib.sh,
# whose KTAP writer and namespace helpers it uses): narration, checks,
# namespaces, background processes and their cleanup, waiting.

LAB_NAMESPACES=(edge msee1 msee2 azure)

##############################################################################
# Narration and KTAP
#
# Every check is one KTAP line, "ok N what" or "not ok N what" followed by
# "# why" lines, written by lib.sh's ktap_* functions. Everything else is
# narration, which KTAP readers (the selftest runner) show as diagnostics.

LAB_FAILED=()
LAB_STEP=0

step()
{
	LAB_STEP=$((LAB_STEP + 1))
	echo
	echo "== $LAB_STEP. $* (t+$(( ${EPOCHREALTIME%.*} - ${LAB_T0:-${EPOCHREALTIME%.*}} )) s) =="
}

say()
{
	echo "$*"
}

# indent: command output, four spaces in.
indent()
{
	sed 's/^/    /'
}

pass()
{
	ktap_test_pass "$1"
}

# fail WHAT [WHY...]
fail()
{
	local what=$1 line

	shift
	ktap_test_fail "$what"
	for line in "$@"; do
		ktap_print_msg "$line"
	done
	LAB_FAILED+=("$what${1:+: $1}")
}

# cause WHY: what most likely made checks fail, in a reader's words; the
# verdict puts these first. Each one once.
LAB_CAUSES=()
cause()
{
	local c

	for c in "${LAB_CAUSES[@]}"; do
		[ "$c" = "$1" ] && return 0
	done
	LAB_CAUSES+=("$1")
}

# check WHAT CMD...: CMD must succeed; its output is shown when it fails.
check()
{
	local what=$1 out more

	shift
	if out=$("$@" 2>&1); then
		pass "$what"
		return 0
	fi
	# The command's first line says why, if it has one.
	if [ -n "$out" ]; then
		fail "$what" "$(head -n 1 <<<"$out")"
		more=$(tail -n +2 <<<"$out" | head -n 20)
		[ -n "$more" ] && ktap_print_msg "$more"
	else
		fail "$what" "failed: $*"
	fi
	return 1
}

# check_le WHAT VALUE LIMIT [UNIT]: a measured number within its limit.
check_le()
{
	if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v != "" && v + 0 <= l + 0) }'; then
		pass "$1 ($2${4:-} <= $3${4:-})"
		return 0
	fi
	fail "$1" "measured ${2:-nothing}${4:-}, limit $3${4:-}"
	return 1
}

# check_range WHAT VALUE MIN MAX
check_range()
{
	if [ -n "$2" ] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		pass "$1 ($2 in $3..$4)"
		return 0
	fi
	fail "$1" "got ${2:-nothing}, expected $3..$4"
	return 1
}

# bail_out WHY: the lab cannot go on (setup failed).
bail_out()
{
	say "FAIL: the lab could not be set up: $*"
	LAB_FAILED+=("$*")
	ktap_exit_fail_msg "$*"
}

##############################################################################
# Commands in namespaces, shown as they run

# inns NS CMD...: run CMD in namespace NS.
inns()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# show NS CMD...: print "[NS]# CMD" and run it, output indented. For the
# reader, CMD is shown with the lab's paths shortened.
show()
{
	local ns=$1 shown

	shift
	shown="$*"
	shown=${shown//"$ERCFG"/ercfg}
	shown=${shown//"$LAB_TMP"\//}
	echo "[$ns]# $shown"
	inns "$ns" "$@" 2>&1 | indent
	return "${PIPESTATUS[0]}"
}

##############################################################################
# Waiting and time

now()
{
	date +%s.%N
}

# ms_since T0 [T1]: milliseconds from T0 to T1 (default now).
ms_since()
{
	awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%d\n", (b - a) * 1000 + 0.5 }'
}

# Log timestamps are local wall-clock time ("2026-11-21 22:30:01.123" from
# BIRD, "[2026-11-21T22:30:01.123456]" from ip -ts). Converting each with
# date(1) costs a fork per line; instead awk gets the reference moment as
# local date and seconds of the day (t0_local T0: "DATE SECONDS"), and
# rel_ms(DATE, TIME) gives the milliseconds from it.
# shellcheck disable=SC2034 # used by bird.sh and lab.sh
LAB_AWK_REL_MS='
function rel_ms(d, t,  a, s) {
	split(t, a, ":")
	s = a[1] * 3600 + a[2] * 60 + a[3]
	if (d != d0)
		s += d > d0 ? 86400 : -86400
	s = (s - sod0) * 1000
	return s < 0 ? -int(-s + 0.5) : int(s + 0.5)
}'

t0_local()
{
	date -d "@$1" '+%F %H:%M:%S.%N' |
		awk '{ split($2, a, ":"); printf "%s %.6f\n", $1, a[1] * 3600 + a[2] * 60 + a[3] }'
}

# wait_for SECONDS CMD...: retry CMD every 200 ms until it succeeds. (Not
# faster: every try forks, and forks are dear in an emulated VM.)
wait_for()
{
	local limit=$1 t0

	shift
	t0=$(now)
	until "$@" >/dev/null 2>&1; do
		if [ "$(ms_since "$t0")" -ge $((limit * 1000)) ]; then
			return 1
		fi
		sleep 0.2
	done
}

##############################################################################
# VM stalls
#
# BFD at 300 ms x 3 declares a session dead after 900 ms of silence. In an
# emulated VM on a busy host the whole guest can stand still for longer
# than that; every session then "fails" at once and BGP flaps. The stall
# monitor ticks every 100 ms (no fork per tick) so that the lab can tell
# such a flap from a real one, and say so.

stall_monitor()
{
	local fifo=$LAB_TMP/stall.fifo

	mkfifo "$fifo" || return 1
	exec 3<>"$fifo"
	while :; do
		read -r -t 0.1 -u 3 _
		echo "$EPOCHREALTIME"
	done
}

stall_start()
{
	stall_monitor >"$LAB_TMP/stall.log" 2>/dev/null &
	LAB_PIDS+=("$!")
}

# max_stall [T0]: the longest the VM stood still since T0 (default: the
# start), in ms beyond the 100 ms tick.
max_stall()
{
	awk -v t0="${1:-0}" '
	$1 >= t0 { if (prev != "" && $1 - prev > max) max = $1 - prev; prev = $1 }
	END { m = (max - 0.1) * 1000; printf "%d\n", (m > 0 ? m : 0) }' \
		"$LAB_TMP/stall.log" 2>/dev/null
}

##############################################################################
# Steps that a stalled VM may spoil
#
# guarded NAME FUNC [ARGS...]: run FUNC (a step) with its output held back.
# If a check of the step failed and the VM stood still meanwhile (a BFD
# session went down that should not have, bfd_flapped T0, defined by the
# lab; or the stall monitor saw the guest stop for LAB_STALL_MS or more),
# the attempt's results are set aside, the sessions are given time to
# settle (settle, defined by the lab), and the step runs again, up to
# LAB_TRIES times in all. The last attempt counts, whatever happens; if
# the VM stalled in it too, the lab says so next to its results.

LAB_RETRIES=()
LAB_TRIES=3
LAB_STALL_MS=900
# No new try after this many seconds of the lab (half the test's timeout,
# ERDEV_TIMEOUT, at most 300 s): the verdict must come before the timeout.
LAB_RETRY_UNTIL=$(( ${ERDEV_TIMEOUT:-600} / 2 ))
[ "$LAB_RETRY_UNTIL" -gt 300 ] && LAB_RETRY_UNTIL=300

# stalled T0: why the last attempt from T0 on may not count, or nothing.
stalled()
{
	local ms

	ms=$(max_stall "$1")
	if bfd_flapped "$1"; then
		echo "BFD flapped and the VM stood still for up to $ms ms"
	elif [ "${ms:-0}" -ge $LAB_STALL_MS ]; then
		echo "the VM stood still for $ms ms"
	fi
}

guarded()
{
	local name=$1 attempt k0 s0 t0 why out=$LAB_TMP/step.out
	local f0=() c0=()

	shift
	for ((attempt = 1; attempt <= LAB_TRIES; attempt++)); do
		k0=$(ktap_state)
		s0=$LAB_STEP
		f0=("${LAB_FAILED[@]}")
		c0=("${LAB_CAUSES[@]}")
		t0=$(now)
		"$@" >"$out" 2>&1
		why=
		[ ${#LAB_FAILED[@]} -gt ${#f0[@]} ] && why=$(stalled "$t0")
		if [ -z "$why" ]; then
			cat "$out"
			return 0
		fi
		if [ "$attempt" = "$LAB_TRIES" ] ||
			[ $(( ${EPOCHREALTIME%.*} - LAB_T0 )) -ge "$LAB_RETRY_UNTIL" ]; then
			cat "$out"
			echo "!! \"$name\" failed while $why: the host"
			echo "!! is too busy for BFD at 300 ms. No more tries (try $attempt of $LAB_TRIES,"
			echo "!! $(( ${EPOCHREALTIME%.*} - LAB_T0 )) s into the lab): the results above count."
			LAB_RETRIES+=("$name (stalled in the last try)")
			return 0
		fi
		cp "$out" "$LAB_TMP/void-$LAB_STEP-$attempt.out"
		echo "!! \"$name\" failed while $why: a busy"
		echo "!! host starves the emulated CPUs, so that try does not count. Letting the"
		echo "!! sessions settle, then once more. It said:"
		grep '^not ok' "$out" | head -n 5 | sed 's/^/!!   /'
		ktap_set_state "$k0"
		LAB_STEP=$s0
		LAB_FAILED=("${f0[@]}")
		LAB_CAUSES=("${c0[@]}")
		LAB_RETRIES+=("$name")
		settle
	done
}

##############################################################################
# Background processes and cleanup

LAB_PIDS=()

# bg_start LOG CMD...: run the external command CMD in the background (not a
# function: its pid must be the command's own), output to LOG; the pid in
# $BG_PID. Stopped at cleanup at the latest.
bg_start()
{
	local log=$1

	shift
	"$@" >"$log" 2>&1 &
	BG_PID=$!
	LAB_PIDS+=("$BG_PID")
}

# bg_stop PID [SIGNAL]: stop one background process and reap it; SIGKILL
# if it is still there after two seconds.
bg_stop()
{
	local i

	kill -"${2:-TERM}" "$1" 2>/dev/null
	for ((i = 0; i < 40; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# lab_cleanup: deferred (lib.sh) at the start; lib.sh then kills what is
# left in the namespaces and removes them (cleanup_all_ns).
lab_cleanup()
{
	local pid ns

	for pid in "${LAB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${LAB_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	# BIRD and iperf3 daemonized: whatever still runs in the namespaces
	# gets a SIGTERM first.
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	sleep 0.2
	[ -n "${LAB_TMP:-}" ] && [ -z "${LAB_KEEP:-}" ] && rm -rf "$LAB_TMP"
	return 0
}

lab_setup_namespaces()
{
	local ns

	for ns in "${LAB_NAMESPACES[@]}"; do
		if ns_exists "$ns"; then
			bail_out "namespace $ns exists already: is another lab running? (ip netns del $ns)"
		fi
	done
	for ns in "${LAB_NAMESPACES[@]}"; do
		setup_named_ns "$ns" || bail_out "cannot create namespace $ns"
		inns "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 \
			net.ipv6.conf.all.forwarding=1 \
			net.ipv6.conf.all.keep_addr_on_down=1 \
			net.ipv6.conf.default.keep_addr_on_down=1 \
			net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 ||
			bail_out "sysctl in $ns"
	done
}
