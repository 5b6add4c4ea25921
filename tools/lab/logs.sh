# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab (tools/lab/lab.sh, sourced): the parsers of the logs the failover
# reads (ping -D -O, ip -ts monitor), and its results in words.

# "a && b || bail_out": bail_out is the failure of either.
# shellcheck disable=SC2015

# ping_log_times LOG T0: "recovery_ms lost gap_ms" of a ping -D -O log
# around a failure at T0: the time from T0 to the first answer after the
# first lost echo, the number of echoes lost, and the gap between the
# answers around the loss. "0 0 0" when nothing was lost.
ping_log_times()
{
	awk -v t0="$2" '
	/bytes from|no answer yet/ {
		ts = substr($1, 2, length($1) - 2)
		for (i = 1; i <= NF; i++)
			if ($i ~ /^icmp_seq=/) { split($i, a, "="); seq = a[2] + 0 }
		if (/bytes from/)
			got[seq] = ts
		if (seq > max) max = seq
	}
	END {
		first = 0
		for (s = 1; s <= max; s++)
			if (!(s in got)) { if (!first) first = s; lost++ }
		if (!first) { print "0 0 0"; exit }
		after = ""
		for (s = first + 1; s <= max; s++)
			if (s in got) { after = got[s]; break }
		if (after == "") { print "none " lost " none"; exit }
		before = (first - 1) in got ? got[first - 1] : t0
		printf "%d %d %d\n", (after - t0) * 1000 + 0.5, lost, (after - before) * 1000 + 0.5
	}' "$1"
}

# ping_log_around LOG T0: the answers just before and after the first
# lost echo of a ping -D -O log, with their time relative to T0.
ping_log_around()
{
	awk -v t0="$2" '
	/bytes from|no answer yet/ {
		ts = substr($1, 2, length($1) - 2)
		for (i = 1; i <= NF; i++)
			if ($i ~ /^icmp_seq=/) { split($i, a, "="); seq = a[2] + 0 }
		if (/bytes from/)
			got[seq] = ts
		if (seq > max) max = seq
	}
	END {
		for (s = 1; s <= max; s++)
			if (!(s in got)) { first = s; break }
		if (!first) { print "(none lost)"; exit }
		for (s = first - 3; s < first; s++)
			if (s in got)
				printf "icmp_seq=%d answered at %+d ms\n", s, (got[s] - t0) * 1000
		for (s = first + 1; s <= max && !(s in got); s++)
			;
		printf "icmp_seq=%d to %d unanswered (%d echoes)\n", first, s - 1, s - first
		if (s in got)
			printf "icmp_seq=%d answered at %+d ms\n", s, (got[s] - t0) * 1000
	}' "$1"
}

# monitor_events LOG REGEX T0 [first]: the events of an "ip -ts monitor"
# log about REGEX (a route's prefix, "[0-9]*: eth0") from T0 on, each as
# "+MS ms" and the event; with "first", only the first, as "MS LINE".
monitor_events()
{
	local d0 sod0

	read -r d0 sod0 <<<"$(t0_local "$3")"
	awk -v p="$2" -v d0="$d0" -v sod0="$sod0" -v first="${4:+1}" "$LAB_AWK_REL_MS"'
	$0 ~ ("] (Deleted )?" p "[ @:]") {
		split(substr($1, 2, length($1) - 2), a, "T")
		ms = rel_ms(a[1], a[2])
		if (ms < 0)
			next
		if (first) {
			print ms, $0
			exit
		}
		$1 = ""
		printf "+%5d ms %s\n", ms, $0
	}' "$1"
}

# monitor_since LOG REGEX T0: every event about REGEX from T0 on.
monitor_since()
{
	monitor_events "$1" "$2" "$3"
}

# monitor_after LOG REGEX T0: ms from T0 to the first event about REGEX,
# and the line.
monitor_after()
{
	monitor_events "$1" "$2" "$3" first
}

# recovery_text LOST MS GAP WATCHED: one peering's failover, in words.
recovery_text()
{
	if [ "$2" = none ]; then
		echo "$1 echoes lost, no answer in the $4 ms after the failure"
	else
		echo "$1 echoes lost, traffic back $2 ms after the failure (gap $3 ms)"
	fi
}
