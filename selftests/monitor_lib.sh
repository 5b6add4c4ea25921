# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# "ercfg monitor" in the background, for tests that check events. Source
# after lib.sh and erdev_lib.sh.
#
#   monitor_start NS NAME [-j]  start it in NS; returns once it is listening
#                               (it has seen a marker circuit come and go)
#   monitor_sync NAME           wait until it has printed every event so far
#   monitor_events NAME         the events since the start (or the last
#                               monitor_take), markers left out
#   monitor_take NAME           the same, and forget them
#   monitor_stop NAME           SIGINT; its status in MON_RC[NAME]
#
# MON_WRAP (an array) runs before ercfg, e.g. (valgrind -q ...).
# The marker is a circuit "mon0" (S-tag 4094 on the NIC given by
# MON_NIC, default eth0), created and deleted in NS: tests must not use
# that name or S-tag.
declare -A MON_PID MON_NS MON_FILE MON_RC
MON_NIC=${MON_NIC:-eth0}
MON_SEQ=0
MON_WRAP=()

__mon_marker()
{
	"$ERCFG" -n "$1" circuit add mon0 stag 4094 primary "$MON_NIC" &&
		"$ERCFG" -n "$1" circuit del mon0
}

# __mon_wait NAME: make markers until the monitor has printed the last one.
__mon_wait()
{
	local name=$1 i n

	for i in $(seq 1 100); do
		__mon_marker "${MON_NS[$name]}" || return 1
		n=$(grep -c 'circuit del mon0\|"circuit-del","name":"mon0"' \
			"${MON_FILE[$name]}")
		if [ "$n" -gt 0 ]; then
			MON_SEQ=$((MON_SEQ + 1))
			return 0
		fi
		sleep 0.1
	done
	return 1
}

monitor_start()
{
	local ns=$1 name=$2

	shift 2
	erdev_tmpdir || return 1
	MON_FILE[$name]=$ERDEV_TMP/monitor-$name
	MON_NS[$name]=$ns
	: >"${MON_FILE[$name]}"
	nsenter --net="$NETNS_RUN_DIR/$ns" "${MON_WRAP[@]}" "$ERCFG" monitor "$@" >"${MON_FILE[$name]}" \
		2>"${MON_FILE[$name]}.err" &
	MON_PID[$name]=$!
	defer monitor_stop "$name"
	__mon_wait "$name" || return 1
	# The line count read so far, in a file: monitor_take runs in $(...).
	wc -l <"${MON_FILE[$name]}" >"${MON_FILE[$name]}.mark"
}

# Every event so far has been read once a marker made now has been.
monitor_sync()
{
	local name=$1 file=${MON_FILE[$1]} before i

	before=$(grep -c 'mon0' "$file")
	__mon_marker "${MON_NS[$name]}" || return 1
	for i in $(seq 1 200); do
		# the marker's add and del
		[ "$(grep -c 'mon0' "$file")" -ge $((before + 2)) ] && return 0
		sleep 0.05
	done
	return 1
}

monitor_events()
{
	local name=$1

	monitor_sync "$name" || { echo "monitor_sync failed"; return 1; }
	tail -n +$(($(cat "${MON_FILE[$name]}.mark") + 1)) "${MON_FILE[$name]}" |
		grep -v 'mon0'
}

monitor_take()
{
	local name=$1

	monitor_events "$name"
	wc -l <"${MON_FILE[$name]}" >"${MON_FILE[$name]}.mark"
}

monitor_stop()
{
	local name=$1 pid=${MON_PID[$1]:-}

	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	MON_RC[$name]=$?
	unset "MON_PID[$name]"
}
