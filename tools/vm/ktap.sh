# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Host-side result files and KTAP printing for tools/vm (sourced).
#
# A suite is a folder with a "results" file, one line per top-level test:
#   STATUS<TAB>NAME<TAB>LOG<TAB>COMMENT
# STATUS is pass, fail or skip. LOG is "-" or a file in the folder's logs/:
# a *.log is the test's own output, printed nested (four spaces; lines that
# are not KTAP become "# " diagnostics); a *.diag is printed as "# "
# diagnostic lines before the result line.

# suite_result DIR STATUS NAME [LOG [COMMENT]]
suite_result() {
	mkdir -p "$1/logs"
	printf '%s\t%s\t%s\t%s\n' "$2" "$3" "${4:--}" "${5:-}" >>"$1/results"
}

# suite_counts DIR: prints "PASS FAIL SKIP"
suite_counts() {
	awk -F'\t' '$1=="pass"{p++} $1=="fail"{f++} $1=="skip"{s++}
		END{printf "%d %d %d\n", p, f, s}' "$1/results" 2>/dev/null || echo "0 0 0"
}

# suite_print DIR TITLE: the suite as one KTAP document.
suite_print() {
	local dir=$1 title=$2 n=0 status name log comment total
	total=$(grep -c . "$dir/results" 2>/dev/null)
	echo "KTAP version 1"
	echo "# $title"
	echo "1..${total:-0}"
	[ -s "$dir/results" ] || return 0
	while IFS=$'\t' read -r status name log comment; do
		n=$((n + 1))
		if [ "$log" != - ] && [ -f "$dir/logs/$log" ]; then
			case "$log" in
			*.diag) sed 's/^/# /' "$dir/logs/$log" ;;
			*) awk '{
				if ($0 ~ /^[ \t]*(KTAP version|TAP version|1\.\.[0-9]|ok |not ok |#)/)
					print "    " $0
				else
					print "    # " $0
			}' "$dir/logs/$log" ;;
			esac
		fi
		case $status in
		pass) echo "ok $n $name${comment:+ # $comment}" ;;
		skip) echo "ok $n $name # SKIP${comment:+ $comment}" ;;
		*) echo "not ok $n $name${comment:+ # $comment}" ;;
		esac
	done <"$dir/results"
	read -r p f s < <(suite_counts "$dir")
	echo "# Totals: pass:$p fail:$f skip:$s"
}
