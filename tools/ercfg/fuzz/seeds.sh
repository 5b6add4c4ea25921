#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/seeds.sh OUT: the seed corpora of the fuzz harnesses, made from the
# tests, in OUT/fuzz-conf (apply FILEs) and OUT/fuzz-cli (command lines,
# words ended by NUL). Each seed is named by its SHA-1, as libFuzzer names
# the units it adds, so that a seed found twice is one file. Sources:
#
#  - fuzz/seeds/: a few committed by hand, *.conf FILEs and the command
#    lines of cmdlines.txt (every option and command once);
#  - test-cli.sh: the command lines of ERRORS, the files of FILE_ERRORS;
#  - tools/systemd/erdev.conf.example, as it is and uncommented;
#  - selftests/apply.sh: its FILE, the dump it expects (DUMP1) and the
#    plan's command lines (PLAN1);
#  - every line of those FILEs as a command line too ("circuit c1 ..."
#    is "circuit add c1 ...").
set -eu
set -f

FUZZ=$(cd "$(dirname "$0")" && pwd)
ERCFG=$(dirname "$FUZZ")
TOP=$(cd "$ERCFG/../.." && pwd)
OUT=${1:?usage: seeds.sh OUT}

mkdir -p "$OUT/fuzz-conf" "$OUT/fuzz-cli"

# seed HARNESS <BYTES
seed() {
	local tmp=$OUT/$1/.new

	cat >"$tmp"
	mv "$tmp" "$OUT/$1/$(sha1sum <"$tmp" | cut -c1-40)"
}

# cli_seed LINE: the words of LINE (split at blanks), each ended by NUL.
cli_seed() {
	local -a w

	read -r -a w <<<"$1"
	[ ${#w[@]} -gt 0 ] || return 0
	printf '%s\0' "${w[@]}" | seed fuzz-cli
}

# conf_lines TEXT: each line of FILE TEXT as a command line.
conf_lines() {
	local line

	while IFS= read -r line; do
		line=${line%%#*}
		case "$line" in
		circuit* | peering*)
			cli_seed "$(sed -E 's/^(circuit|peering)/\1 add/' <<<"$line")"
			;;
		esac
	done <<<"$1"
}

# conf_seed TEXT: TEXT as a FILE, and each of its lines as a command line.
conf_seed() {
	printf '%s\n' "$1" | seed fuzz-conf
	conf_lines "$1"
}

# heredoc FILE START END: the lines between the line START and the next
# line END, both left out (whole lines, compared as strings).
heredoc() {
	awk -v start="$2" -v end="$3" '
		in_doc && $0 == end { in_doc = 0 }
		in_doc { print }
		$0 == start { in_doc = 1 }' "$1"
}

# Committed seeds.
set +f
confs=("$FUZZ"/seeds/*.conf)
set -f
for f in "${confs[@]}"; do
	[ -f "$f" ] || continue
	seed fuzz-conf <"$f"
	conf_lines "$(cat "$f")"
done
while IFS= read -r line; do
	case "$line" in
	'#'* | '') ;;
	*) cli_seed "$line" ;;
	esac
done <"$FUZZ/seeds/cmdlines.txt"

# test-cli.sh: the command lines of ERRORS, "ARGS => MESSAGE".
while IFS= read -r line; do
	cli_seed "${line%% => *}"
done < <(heredoc "$ERCFG/test-cli.sh" "ERRORS=\$(cat <<'EOF'" EOF)

# test-cli.sh: FILE_ERRORS, "LINES => MESSAGE" with printf's escapes.
while IFS= read -r line; do
	printf '%b\n' "${line%% => *}" | seed fuzz-conf
	conf_lines "$(printf '%b' "${line%% => *}" | tr -d '\0')"
done < <(heredoc "$ERCFG/test-cli.sh" "FILE_ERRORS=\$(cat <<'EOF'" EOF)

# The example configuration: as it is (all comments), and its lines.
example=$TOP/tools/systemd/erdev.conf.example
if [ -f "$example" ]; then
	seed fuzz-conf <"$example"
	conf_seed "$(sed -n 's/^# \(circuit\|peering\) /\1 /p' "$example")"
fi

# selftests/apply.sh: its FILE, the dump it expects, its plan.
apply=$TOP/selftests/apply.sh
if [ -f "$apply" ]; then
	conf_seed "$(heredoc "$apply" "cat >\"\$F\" <<'CONF'" CONF)"
	conf_seed "$(sed -n '/^DUMP1="/,/"$/p' "$apply" | sed 's/^DUMP1="//; s/"$//')"
	while IFS= read -r line; do
		cli_seed "$line"
	done < <(sed -n '/^PLAN1="/,/"$/p' "$apply" | sed 's/^PLAN1="//; s/"$//')
fi

echo "seeds: $(ls "$OUT/fuzz-conf" | wc -l) for fuzz-conf, $(ls "$OUT/fuzz-cli" | wc -l) for fuzz-cli in $OUT"
