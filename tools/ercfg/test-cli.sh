#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of ercfg's command line, KTAP output. Needs no erdev
# module, and never loads one:
#
#  - every command line error gives its exact one-line message, status 2,
#    nothing on stdout, and no netlink socket (strace);
#  - words in messages are escaped and cut;
#  - apply refuses a FILE beyond its bounds (4 MiB, lines of 4096 bytes,
#    text only) at once, /dev/zero and /dev/urandom included, each run
#    under an address space limit and a timeout;
#  - valid command lines get as far as the family lookup, and report the
#    missing module (skipped where an erdev module is loaded or installed);
#  - --help, -h, no arguments, -V; the commands of --help are those of the
#    man page, which renders without warnings;
#  - valgrind finds no error or leak on any of these paths;
#  - test-unit (parsers, printers, netlink exchange) passes, also under
#    valgrind, and its JSON is valid for jq.
#
# ERCFG and TEST_UNIT name the binaries (default: next to this script);
# NO_VALGRIND=1 skips the valgrind runs (about a minute of CPU), NPROC
# sets how many run at once (default: nproc).
# Exit status 0 when every test passes, 1 otherwise.

set -u
set -f

DIR=$(cd "$(dirname "$0")" && pwd)
ERCFG=${ERCFG:-$DIR/ercfg}
TEST_UNIT=${TEST_UNIT:-$DIR/test-unit}
MAN=$DIR/ercfg.8
VERSION_FILE=$DIR/../../VERSION

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

N=0
FAILED=0
OUT=$TMP/ktap

ok() {		# ok PASS DESCRIPTION
	N=$((N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $N $2" >>"$OUT"
	else
		echo "not ok $N $2" >>"$OUT"
		FAILED=$((FAILED + 1))
	fi
}

skip() {	# skip DESCRIPTION REASON
	N=$((N + 1))
	echo "ok $N $1 # SKIP $2" >>"$OUT"
}

diag() {
	sed 's/^/# /' >>"$OUT"
}

if [ ! -x "$ERCFG" ]; then
	echo "TAP version 13"
	echo "1..0"
	echo "Bail out! $ERCFG not built (make -C $DIR)"
	exit 1
fi

HAVE_STRACE=0
if strace -f -qq -e trace=socket -o "$TMP/probe" true 2>/dev/null; then
	HAVE_STRACE=1
fi
HAVE_VALGRIND=0
NO_VALGRIND_WHY="no valgrind"
if [ "${NO_VALGRIND:-0}" != 0 ]; then
	NO_VALGRIND_WHY="NO_VALGRIND set"
elif command -v valgrind >/dev/null; then
	HAVE_VALGRIND=1
fi

# An erdev module that is loaded, or that the family lookup would load.
MODULE_AROUND=0
if [ -d /sys/module/erdev ] || modinfo erdev >/dev/null 2>&1; then
	MODULE_AROUND=1
fi

# run ARGS...: status in $RC, output in $TMP/stdout and $TMP/stderr,
# the socket() calls in $TMP/strace (if strace works).
run() {
	if [ $HAVE_STRACE = 1 ]; then
		strace -f -qq -e trace=socket -o "$TMP/strace" \
			"$ERCFG" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	else
		: >"$TMP/strace"
		"$ERCFG" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	fi
	RC=$?
}

netlink_opened() {
	grep -q AF_NETLINK "$TMP/strace"
}

# valgrind_clean DESCRIPTION ARGS...: queued, run in parallel at the end
# (valgrind_report). ARGS hold no blanks.
VG_QUEUE=$TMP/valgrind.queue
: >"$VG_QUEUE"
valgrind_clean() {
	local desc=$1

	shift
	printf '%s\t%s\n' "$desc" "$*" >>"$VG_QUEUE"
}

valgrind_one() {	# valgrind_one ID ARGS...
	local id=$1

	shift
	valgrind -q --leak-check=full --errors-for-leak-kinds=all \
		--error-exitcode=99 --log-file="$TMP/valgrind.$id" \
		"$ERCFG" "$@" >/dev/null 2>&1
	echo $? >"$TMP/valgrind.$id.rc"
}

valgrind_report() {
	local id=0 desc args jobs=${NPROC:-$(nproc 2>/dev/null || echo 1)}

	if [ $HAVE_VALGRIND = 1 ]; then
		while IFS=$'\t' read -r desc args; do
			id=$((id + 1))
			# shellcheck disable=SC2086
			valgrind_one $id $args &
			while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
				wait -n
			done
		done <"$VG_QUEUE"
		wait
	fi
	id=0
	while IFS=$'\t' read -r desc args; do
		id=$((id + 1))
		if [ $HAVE_VALGRIND = 0 ]; then
			skip "valgrind: $desc" "$NO_VALGRIND_WHY"
		elif [ "$(cat "$TMP/valgrind.$id.rc")" != 99 ] &&
		     [ ! -s "$TMP/valgrind.$id" ]; then
			ok 0 "valgrind: $desc"
		else
			ok 1 "valgrind: $desc"
			diag <"$TMP/valgrind.$id"
		fi
	done <"$VG_QUEUE"
}

# expect_error "ARGS => MESSAGE": exact message, status 2, no stdout, and
# no netlink socket.
expect_error() {
	local args=${1%% => *} want=${1#* => } fail=0 why=""

	# shellcheck disable=SC2086
	run $args
	if [ "$RC" != 2 ]; then
		fail=1; why="status $RC"
	elif [ "$(cat "$TMP/stderr")" != "ercfg: $want" ] ||
	     [ "$(wc -l <"$TMP/stderr")" != 1 ]; then
		fail=1; why="stderr: $(head -c 300 "$TMP/stderr")"
	elif [ -s "$TMP/stdout" ]; then
		fail=1; why="output on stdout"
	elif netlink_opened; then
		fail=1; why="opened a netlink socket"
	fi
	ok $fail "ercfg $args: $want"
	[ $fail = 0 ] || echo "$why" | diag
	# shellcheck disable=SC2086
	valgrind_clean "ercfg $args" $args
}

ERRORS=$(cat <<'EOF'
-x => unknown option "-x"
--json show => unknown option "--json"
-j -q show => unknown option "-q"
-n => option "-n" needs a network namespace name
-j --netns => option "--netns" needs a network namespace name
-n erdev-no-such-netns show => cannot open network namespace "erdev-no-such-netns": No such file or directory
--netns a/b show => invalid network namespace name "a/b" (no /, as ip netns names)
-n .. show => invalid network namespace name ".." (no /, as ip netns names)
foo => unknown command "foo"
circuit => unknown command "circuit"
circuit foo => unknown command "circuit foo"
peering show => unknown command "peering show"
peering => unknown command "peering"
Show => unknown command "Show"
show c1 extra => unknown word "extra"
show -j c1 extra => unknown word "extra"
stats c1 c2 => unknown word "c2"
stats --watch => "--watch" needs a value
stats c1 --watch 0 => invalid interval "0" (1..3600 seconds)
stats --watch 3601 => invalid interval "3601" (1..3600 seconds)
stats --watch 1s => invalid interval "1s" (1..3600 seconds)
stats --watch -1 => invalid interval "-1" (1..3600 seconds)
stats --watch 99999999999999999999 => invalid interval "99999999999999999999" (1..3600 seconds)
stats --watch 1 --watch 2 => "--watch" given twice
show --watch 1 => unknown word "--watch"
stats --watch 1 c1 => unknown word "c1"
stats _x => invalid circuit name "_x"
circuit add => missing circuit name
circuit add 1c stag 1 primary lo => invalid circuit name "1c"
circuit add abcdefghijklm stag 1 primary lo => invalid circuit name "abcdefghijklm"
circuit add c.1 stag 1 primary lo => invalid circuit name "c.1"
circuit add c1 stag 1 primary lo bogus 1 => unknown word "bogus"
circuit add c1 stag 1 primary lo ctag 5 => unknown word "ctag"
circuit add c1 stag 1 primary lo Sku local => unknown word "Sku"
circuit add c1 stag => "stag" needs a value
circuit add c1 stag 1 primary => "primary" needs a value
circuit add c1 stag 1 primary lo service-key => "service-key" needs a value
circuit add c1 stag 1 primary lo primary lo => "primary" given twice
circuit add c1 stag 1 stag 2 primary lo => "stag" given twice
circuit add c1 stag 1 stag => "stag" given twice
circuit add c1 stag 1 => "primary" is required
circuit add c1 encap qinq tpid 0x88a8 => "primary" is required
circuit add c1 primary lo => "stag" is required for qinq
circuit add c1 encap qinq primary lo => "stag" is required for qinq
circuit add c1 encap dot1q stag 5 primary lo => dot1q takes no "stag"
circuit add c1 stag 0 primary lo => invalid S-tag "0" (1..4094)
circuit add c1 stag 4095 primary lo => invalid S-tag "4095" (1..4094)
circuit add c1 stag abc primary lo => invalid S-tag "abc" (1..4094)
circuit add c1 stag -1 primary lo => invalid S-tag "-1" (1..4094)
circuit add c1 stag 0x10 primary lo => invalid S-tag "0x10" (1..4094)
circuit add c1 encap vlan stag 1 primary lo => invalid encap "vlan" (qinq|dot1q)
circuit add c1 encap QinQ stag 1 primary lo => invalid encap "QinQ" (qinq|dot1q)
circuit add c1 tpid 0x9100 stag 1 primary lo => invalid TPID "0x9100" (0x8100|0x88a8)
circuit add c1 tpid 8100 stag 1 primary lo => invalid TPID "8100" (0x8100|0x88a8)
circuit add c1 sku gold stag 1 primary lo => invalid sku "gold" (local|standard|premium)
circuit add c1 billing free stag 1 primary lo => invalid billing "free" (metered|unlimited)
circuit add c1 stag 1 primary lo bandwidth 1500kbit => invalid rate "1500kbit"
circuit add c1 stag 1 primary lo bandwidth fast => invalid rate "fast"
circuit add c1 stag 1 primary lo bandwidth 0mbit => invalid rate "0mbit"
circuit add c1 stag 1 primary lo bandwidth 1gb => invalid rate "1gb"
circuit add c1 stag 1 primary lo bandwidth 5000000gbit => invalid rate "5000000gbit"
circuit add c1 stag 1 primary lo service-key 1234 => invalid service key "1234"
circuit add c1 stag 1 primary lo service-key 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz => invalid service key "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fz"
circuit add c1 stag 1 primary nosuchdev0 => cannot find device "nosuchdev0"
circuit add c1 stag 1 primary lo secondary nosuchdev1 => cannot find device "nosuchdev1"
circuit add c1 stag 1 primary averyveryverylongname => cannot find device "averyveryverylongname"
circuit add c1 primary nosuchdev0 stag 4095 => invalid S-tag "4095" (1..4094)
circuit set => missing circuit name
circuit set 9x => invalid circuit name "9x"
circuit set c1 stag 5 => unknown word "stag"
circuit set c1 primary lo => unknown word "primary"
circuit set c1 bandwidth => "bandwidth" needs a value
circuit set c1 sku local sku premium => "sku" given twice
circuit set c1 billing weekly => invalid billing "weekly" (metered|unlimited)
circuit set c1 sku basic => invalid sku "basic" (local|standard|premium)
circuit set c1 bandwidth 1.5mbit => invalid rate "1.5mbit"
circuit del => missing circuit name
circuit del c1 now => unknown word "now"
circuit del c1.p0 => invalid circuit name "c1.p0"
peering add => missing circuit name
peering add c1 => missing peering type
peering add c1 public ctag 5 => invalid peering type "public" (private|microsoft)
peering add c1 private => "ctag" is required
peering add c1 private ctag => "ctag" needs a value
peering add c1 private ctag 0 => invalid C-tag "0" (1..4094)
peering add c1 private ctag 4095 => invalid C-tag "4095" (1..4094)
peering add c1 microsoft ctag x1 => invalid C-tag "x1" (1..4094)
peering add c1 private ctag 5 ctag 6 => "ctag" given twice
peering add c1 private stag 5 => unknown word "stag"
peering add c1 private ctag 200 ipv4 => "ipv4" needs a value
peering add c1 private ctag 200 ipv6 => "ipv6" needs a value
peering add c1 private ctag 200 ipv4 1.2.3.0/29 ipv4 1.2.3.8/29 => "ipv4" given twice
peering add c1 private ctag 200 ipv4 1.2.3.0 => invalid IPv4 prefix "1.2.3.0"
peering add c1 private ctag 200 ipv4 1.2.3.0/29/1 => invalid IPv4 prefix "1.2.3.0/29/1"
peering add c1 private ctag 200 ipv4 fd00::/29 => invalid IPv4 prefix "fd00::/29"
peering add c1 private ctag 200 ipv4 1.2.3.0/30 => IPv4 prefix "1.2.3.0/30" has the wrong length (PREFIX/29 or PRIMARY/30,SECONDARY/30)
peering add c1 private ctag 200 ipv4 1.2.3.0/30,1.2.3.8/29 => IPv4 prefix "1.2.3.8/29" has the wrong length (PREFIX/29 or PRIMARY/30,SECONDARY/30)
peering add c1 private ctag 200 ipv4 1.2.3.4/29 => IPv4 prefix "1.2.3.4/29" is not aligned (host bits set)
peering add c1 private ctag 200 ipv4 1.2.3.1/30,1.2.3.8/30 => IPv4 prefix "1.2.3.1/30" is not aligned (host bits set)
peering add c1 microsoft ctag 300 ipv4 192.168.1.0/29 => IPv4 prefix "192.168.1.0/29" is private space (microsoft peering needs public)
peering add c1 microsoft ctag 300 ipv4 203.0.113.0/30,100.64.0.0/30 => IPv4 prefix "100.64.0.0/30" is private space (microsoft peering needs public)
peering add c1 private ctag 200 ipv4 1.2.3.0/30,1.2.3.0/30 => IPv4 prefix "1.2.3.0/30" is both primary and secondary
peering add c1 private ctag 200 ipv6 fd00::/125x => invalid IPv6 prefix "fd00::/125x"
peering add c1 private ctag 200 ipv6 fd00::/126 => IPv6 prefix "fd00::/126" has the wrong length (PREFIX/125 or PRIMARY/126,SECONDARY/126)
peering add c1 private ctag 200 ipv6 fd00::4/125 => IPv6 prefix "fd00::4/125" is not aligned (host bits set)
peering add c1 microsoft ctag 300 ipv6 fd00::/125 => IPv6 prefix "fd00::/125" is private space (microsoft peering needs public)
peering add c1 microsoft ctag 300 ipv6 fe80::/125 => IPv6 prefix "fe80::/125" is private space (microsoft peering needs public)
peering add c1 microsoft ctag 300 ipv6 2001:db8::/126,2001:db8::/126 => IPv6 prefix "2001:db8::/126" is both primary and secondary
peering add c1 microsoft ctag 300 dscp => "dscp" needs a value
peering add c1 microsoft ctag 300 dscp zero => invalid dscp "zero" (conform|keep)
peering add c1 microsoft ctag 300 dscp Conform => invalid dscp "Conform" (conform|keep)
peering add c1 microsoft ctag 300 dscp keep dscp keep => "dscp" given twice
peering add c1 private ctag 200 dscp conform => dscp conform is for microsoft peering only
peering set => missing circuit name
peering set c1 => missing peering type
peering set c1 public dscp keep => invalid peering type "public" (private|microsoft)
peering set c1 microsoft ctag 300 => unknown word "ctag"
peering set c1 microsoft ipv4 203.0.113.0/29 => unknown word "ipv4"
peering set c1 microsoft dscp => "dscp" needs a value
peering set c1 microsoft dscp 0 => invalid dscp "0" (conform|keep)
peering set c1 private dscp conform => dscp conform is for microsoft peering only
peering add c1 private ipv4 1.2.3.0/29 => "ctag" is required
circuit add c1 stag 1 primary lo ipv4 1.2.3.0/29 => unknown word "ipv4"
peering del => missing circuit name
peering del c1 => missing peering type
peering del c1 Private => invalid peering type "Private" (private|microsoft)
peering del c1 private ctag 5 => unknown word "ctag"
peering del c1 private ipv4 1.2.3.0/29 => unknown word "ipv4"
apply => missing FILE (or - for standard input)
apply --dry-run => missing FILE (or - for standard input)
apply a b => unknown word "b"
apply --dry-run --dry-run a => unknown word "--dry-run"
apply --allow-empty --allow-empty a => unknown word "--allow-empty"
apply --allow-empty => missing FILE (or - for standard input)
apply --check --check a => unknown word "--check"
apply --check --dry-run a => --check changes nothing: it takes no "--dry-run"
apply --allow-empty a --check => --check changes nothing: it takes no "--allow-empty"
apply -x => unknown word "-x"
dump x => unknown word "x"
monitor x => unknown word "x"
monitor -j x => unknown word "x"
apply /nonexistent/erdev.conf => cannot open /nonexistent/erdev.conf: No such file or directory
EOF
)

while IFS= read -r line; do
	expect_error "$line"
done <<<"$ERRORS"

# Words of the command line are quoted escaped and cut, as those of FILE.
long=$(printf 'y%.0s' {1..100})
run circuit add $'c\e[2J\\' stag 1 primary lo
[ $RC = 2 ] &&
	[ "$(cat "$TMP/stderr")" = 'ercfg: invalid circuit name "c\x1b[2J\\"' ]
ok $? "circuit add with ESC and \\ in the name: escaped in the message"
diag <"$TMP/stderr"
run show c1 "$long"
[ $RC = 2 ] &&
	[ "$(cat "$TMP/stderr")" = "ercfg: unknown word \"${long:0:64}...\"" ]
ok $? "show c1 with a word of 100 bytes: cut to 64 in the message"
diag <"$TMP/stderr"

# apply: errors in FILE, with its line number, before any netlink socket.
# Each case: the file's lines (\n between them) => the message.
FILE_ERRORS=$(cat <<'EOF'
circuit c1 stag 100 primary lo\nbogus c1 => F:2: unknown word "bogus" (circuit|peering)
# comment\n\n  circuit c1 stag 100 primary lo # ok\ncircuit c1 stag 101 primary lo => F:4: circuit "c1" is already on line 3
circuit c1 stag 100 primary lo\ncircuit c2 stag 100 primary lo => F:2: S-tag 100 on lo is taken by circuit "c1" (line 1)
circuit c1 stag 100 primary lo\ncircuit c2 encap dot1q primary lo => F:2: lo carries circuit "c1" (line 1) with encap qinq tpid 0x8100
circuit c1 stag 100 primary lo\ncircuit c2 stag 101 tpid 0x88a8 primary lo => F:2: lo carries circuit "c1" (line 1) with encap qinq tpid 0x8100
circuit c1 stag 100 primary lo secondary lo => F:1: primary and secondary are the same device "lo"
peering c1 private ctag 200 => F:1: no circuit "c1" in F
circuit c1 stag 100 primary lo\npeering c1 private ctag 200\npeering c1 private ctag 201 => F:3: peering "c1 private" is already on line 2
circuit c1 stag 100 primary lo\npeering c1 private ctag 200\npeering c1 microsoft ctag 200 => F:3: C-tag 200 is taken by peering "c1 private" (line 2)
circuit d1 encap dot1q primary lo\ncircuit d2 encap dot1q primary lo\npeering d1 private ctag 200\npeering d2 private ctag 200 => F:4: C-tag 200 is taken by peering "d1 private" (line 3)
circuit c1 stag 100 primary lo\ncircuit c2 stag 4095 primary lo => F:2: invalid S-tag "4095" (1..4094)
circuit c1 stag 100 primary lo\npeering c1 private ctag 200 ipv4 192.168.1.0/29\ncircuit c2 stag 101 primary lo\npeering c2 private ctag 200 ipv4 192.168.1.0/29 => F:4: IPv4 subnet 192.168.1.0/30 is taken by peering "c1 private" (line 2)
circuit c1 stag 100 primary lo\npeering c1 private ctag 200 ipv6 fd00::/126,fd00::8/126\npeering c1 microsoft ctag 300 ipv6 2001:db8::8/126,2001:db8::/126\ncircuit c2 stag 101 primary lo\npeering c2 private ctag 200 ipv6 fd00::20/126,fd00::8/126 => F:5: IPv6 subnet fd00::8/126 is taken by peering "c1 private" (line 2)
circuit c1 stag 100 primary nosuchdev0 => F:1: cannot find device "nosuchdev0"
circuit => F:1: missing circuit name
peering c1 => F:1: missing peering type
circuit c1 stag 100 primary lo\npeering c1 private => F:2: "ctag" is required
circuit c1 stag 100 primary lo\npeering c1 microsoft ctag 300 ipv4 10.0.0.0/29 => F:2: IPv4 prefix "10.0.0.0/29" is private space (microsoft peering needs public)
circuit c1 stag 100 primary lo\ncircuit c2 st\0ag 101 primary lo => F:2: not a text file (byte \x00 at column 14)
\0 => F:1: not a text file (byte \x00 at column 1)
# comment\n\ncircuit \033[31mred stag 1 primary lo => F:3: not a text file (byte \x1b at column 9)
circuit c1 stag 100 primary lo # \x7f => F:1: not a text file (byte \x7f at column 34)
circuit c1 stag 100 primary lo\r\n# caf\xc3\xa9, CRLF and tabs:\t\v\f\r\nbogus\r => F:3: unknown word "bogus" (circuit|peering)
circuit c1 stag 100 primary \xc3\xa9th\\0\x9b => F:1: cannot find device "\xc3\xa9th\\0\x9b"
circuit c1 stag 100 primary lo sku 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefXYZ => F:1: invalid sku "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef..." (local|standard|premium)
EOF
)

# run_stdin FILE ARGS...: as run, with FILE on standard input.
run_stdin() {
	local f=$1

	shift
	if [ $HAVE_STRACE = 1 ]; then
		strace -f -qq -e trace=socket -o "$TMP/strace" \
			"$ERCFG" "$@" <"$f" >"$TMP/stdout" 2>"$TMP/stderr"
	else
		: >"$TMP/strace"
		"$ERCFG" "$@" <"$f" >"$TMP/stdout" 2>"$TMP/stderr"
	fi
	RC=$?
}

nfile=0
while IFS= read -r line; do
	nfile=$((nfile + 1))
	f=$TMP/conf$nfile
	printf '%b\n' "${line%% => *}" >"$f"
	want=${line#* => }
	for how in file stdin; do
		if [ $how = file ]; then
			run apply "$f"
			w=${want//F/$f}
		else
			run_stdin "$f" apply -
			w=${want//F/<stdin>}
		fi
		[ $RC = 2 ] && [ "$(cat "$TMP/stderr")" = "ercfg: $w" ] &&
			[ ! -s "$TMP/stdout" ] && ! netlink_opened
		ok $? "apply ($how): ${line%% => *} => $want"
		[ $RC = 2 ] || echo "status $RC" | diag
		diag <"$TMP/stderr"
	done
	valgrind_clean "ercfg apply ($want)" apply "$f"
done <<<"$FILE_ERRORS"

# apply: bounded input (ercfg.8, CONFIGURATION FILE: 4 MiB, lines of 4096
# bytes, text only). The endless inputs run only under an address space
# limit and a timeout, so that a regression fails a test, not the machine.
LIMIT=$((4 << 20))
LINE_MAX=4096
BOUND_AS=268435456	# 256 MiB
HAVE_BOUND=0
if command -v prlimit >/dev/null && command -v timeout >/dev/null; then
	HAVE_BOUND=1
fi

# run_bounded IN ARGS...: as run, with IN on standard input, under
# prlimit --as and timeout; $MS: the milliseconds it took.
run_bounded() {
	local in=$1 t0 t1

	shift
	t0=${EPOCHREALTIME/./}
	if [ $HAVE_STRACE = 1 ]; then
		prlimit --as=$BOUND_AS timeout 10 \
			strace -f -qq -e trace=socket -o "$TMP/strace" \
			"$ERCFG" "$@" <"$in" >"$TMP/stdout" 2>"$TMP/stderr"
	else
		: >"$TMP/strace"
		prlimit --as=$BOUND_AS timeout 10 \
			"$ERCFG" "$@" <"$in" >"$TMP/stdout" 2>"$TMP/stderr"
	fi
	RC=$?
	t1=${EPOCHREALTIME/./}
	MS=$(((t1 - t0) / 1000))
}

# bounded_case DESC IN WANT ARGS...: status 2 (not killed by the 10 s
# timeout, nor by the memory bound), stderr one line matching the extended
# regular expression WANT, nothing on stdout, no netlink socket. DESC says
# what is expected. The time it took is a diagnostic, not a check: speed
# is for benchmarks.
bounded_case() {
	local desc=$1 in=$2 want=$3 fail=0 why=""

	shift 3
	if [ $HAVE_BOUND = 0 ]; then
		skip "$desc" "no prlimit or timeout"
		return
	fi
	run_bounded "$in" "$@"
	if [ "$RC" != 2 ]; then
		fail=1; why="status $RC"
	elif ! grep -qxE -- "$want" "$TMP/stderr" ||
	     [ "$(wc -l <"$TMP/stderr")" != 1 ]; then
		fail=1; why="stderr: $(head -c 300 "$TMP/stderr" | cat -v)"
	elif [ -s "$TMP/stdout" ]; then
		fail=1; why="output on stdout"
	elif netlink_opened; then
		fail=1; why="opened a netlink socket"
	fi
	ok $fail "$desc"
	[ $fail = 0 ] || echo "$why" | diag
	echo "took $MS ms" | diag
}

# apply --check: every error of FILE, as FILE:LINE:COLUMN: message, in
# line order, with no device looked up (the NICs need not exist here) and
# no netlink socket; a good FILE is summed up on stdout, status 0.
printf '%b\n' '# bad' \
	'circuit c1 stag 100 primary nic0 secondary nic1 bandwidth 1gbit' \
	'peering c1 private ctag 200 ipv4 192.168.100.128/29' \
	'circuit c2 stag 100 primary nic0' \
	'circuit c3 stag 4095 primary nic0' \
	'peering c3 private ctag 200' \
	'circuit c4 stag 104 primary nic/0' \
	'peering c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30' \
	'peering c9 private ctag 5' \
	'\tcircuit c5 stag' \
	'circuit c6 primary nic9' \
	'peering c1 private ctag 201' \
	'bogus line' \
	'circuit c7 stag 107 primary nic3 secondary nic3' \
	'circuit c8 stag 108 primary nic0' \
	'peering c8 private ctag 200 ipv4 192.168.100.132/30,192.168.100.200/30' \
	'peering c8 microsoft ctag 300 ipv4 203.0.113.8/30,203.0.113.16/30' \
	>"$TMP/check-bad.conf"
# check_want NAME: the messages about the file called NAME.
check_want() {
	sed "s|^|$1|; s|FILE|$1|" <<'EOF'
:4:17: S-tag 100 on nic0 is taken by circuit "c1" (line 2)
:5:17: invalid S-tag "4095" (1..4094)
:7:29: invalid device name "nic/0" (1 to 15 bytes, no /, : or blank)
:9:9: no circuit "c9" in FILE
:10:13: "stag" needs a value
:11:24: "stag" is required for qinq
:12:9: peering "c1 private" is already on line 3
:13:1: unknown word "bogus" (circuit|peering)
:14:44: primary and secondary are the same device "nic3"
:16:34: IPv4 subnet 192.168.100.132/30 is taken by peering "c1 private" (line 3)
:17:36: IPv4 subnet 203.0.113.8/30 is taken by peering "c1 microsoft" (line 8)
EOF
}
run apply --check "$TMP/check-bad.conf"
[ $RC = 2 ] && [ ! -s "$TMP/stdout" ] && ! netlink_opened &&
	diff -u <(check_want "$TMP/check-bad.conf") "$TMP/stderr" >"$TMP/check.diff"
ok $? "apply --check: every error as FILE:LINE:COLUMN:, in line order, no socket"
[ $RC = 2 ] || echo "status $RC" | diag
diag <"$TMP/check.diff"
run_stdin "$TMP/check-bad.conf" apply --check -
[ $RC = 2 ] && [ ! -s "$TMP/stdout" ] &&
	diff -u <(check_want "<stdin>") "$TMP/stderr" >"$TMP/check.diff"
ok $? "apply --check - (stdin): the same errors, named <stdin>"
diag <"$TMP/check.diff"
valgrind_clean "ercfg apply --check (errors)" apply --check "$TMP/check-bad.conf"

printf '%s\n' 'circuit c1 stag 100 primary nic0 secondary nic1' \
	'peering c1 private ctag 200 ipv4 192.168.100.128/29' \
	'peering c1 microsoft ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30' \
	'circuit c2 stag 101 primary nic0' 'peering c2 private ctag 200' \
	>"$TMP/check-good.conf"
run apply --check "$TMP/check-good.conf"
[ $RC = 0 ] && [ ! -s "$TMP/stderr" ] && ! netlink_opened &&
	[ "$(cat "$TMP/stdout")" = "$TMP/check-good.conf: good, 2 circuits, 3 peerings" ]
ok $? "apply --check of a good file, NICs absent: summed up, status 0, no socket"
diag <"$TMP/stderr"
valgrind_clean "ercfg apply --check (good)" apply --check "$TMP/check-good.conf"
run apply "$TMP/check-good.conf"
[ $RC = 2 ] && [ "$(cat "$TMP/stderr")" = "ercfg: $TMP/check-good.conf:1: cannot find device \"nic0\"" ]
ok $? "apply of the same file (no --check): the NICs are looked up"

# An ERE matching @1 exactly.
ere() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

if [ -r /dev/zero ] && [ -r /dev/urandom ]; then
	bounded_case "apply /dev/zero: not a text file, at once" /dev/null \
		"$(ere 'ercfg: /dev/zero:1: not a text file (byte \x00 at column 1)')" \
		apply /dev/zero
	bounded_case "apply - </dev/zero: not a text file, at once" /dev/zero \
		"$(ere 'ercfg: <stdin>:1: not a text file (byte \x00 at column 1)')" \
		apply -
	# Where the first byte that cannot be in text comes is chance.
	RANDOM_ERE='not a text file \(byte \\x[0-9a-f]{2} at column [0-9]+\)'
	bounded_case "apply /dev/urandom: not a text file, at once" /dev/null \
		"ercfg: /dev/urandom:[0-9]+: $RANDOM_ERE" apply /dev/urandom
	bounded_case "apply - </dev/urandom: not a text file, at once" \
		/dev/urandom \
		"ercfg: <stdin>:[0-9]+: $RANDOM_ERE" apply -
	# --dry-run and --check read FILE the same way; --check says
	# FILE:LINE:COLUMN:, without "ercfg: ".
	bounded_case "apply --dry-run /dev/zero: not a text file, at once" \
		/dev/null \
		"$(ere 'ercfg: /dev/zero:1: not a text file (byte \x00 at column 1)')" \
		apply --dry-run /dev/zero
	bounded_case "apply --dry-run /dev/urandom: not a text file, at once" \
		/dev/null "ercfg: /dev/urandom:[0-9]+: $RANDOM_ERE" \
		apply --dry-run /dev/urandom
	bounded_case "apply --check /dev/zero: not a text file, at once" \
		/dev/null \
		"$(ere '/dev/zero:1:1: not a text file (byte \x00 at column 1)')" \
		apply --check /dev/zero
	bounded_case "apply --check - </dev/zero: not a text file, at once" \
		/dev/zero \
		"$(ere '<stdin>:1:1: not a text file (byte \x00 at column 1)')" \
		apply --check -
	bounded_case "apply --check /dev/urandom: not a text file, at once" \
		/dev/null "/dev/urandom:[0-9]+:[0-9]+: $RANDOM_ERE" \
		apply --check /dev/urandom
	bounded_case "apply --check - </dev/urandom: not a text file, at once" \
		/dev/urandom "<stdin>:[0-9]+:[0-9]+: $RANDOM_ERE" \
		apply --check -
else
	for what in /dev/zero "- </dev/zero" /dev/urandom "- </dev/urandom" \
		"--dry-run /dev/zero" "--dry-run /dev/urandom" \
		"--check /dev/zero" "--check - </dev/zero" \
		"--check /dev/urandom" "--check - </dev/urandom"; do
		skip "apply $what: not a text file, at once" "no /dev/zero or /dev/urandom"
	done
fi

# A file of exactly the limit: 4095 comment lines of 1024 bytes, then a
# line of 1024 bytes with an error, reported, so the whole file was read.
fill_line() {	# fill_line PREFIX LENGTH: PREFIX, "x" up to LENGTH bytes, \n
	printf '%s' "$1"
	head -c $(($2 - ${#1} - 1)) /dev/zero | tr '\0' x
	echo
}
fill_line '#' 1024 >"$TMP/line1k"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	cat "$TMP/line1k" "$TMP/line1k" >"$TMP/line1k.2" &&
		mv "$TMP/line1k.2" "$TMP/line1k"
done	# 4096 lines
head -n 4095 "$TMP/line1k" >"$TMP/limit"
fill_line 'bogus #' 1024 >>"$TMP/limit"
cp "$TMP/limit" "$TMP/limit+1"
printf '\n' >>"$TMP/limit+1"
rm -f "$TMP/line1k"
size=$(stat -c %s "$TMP/limit")
[ "$size" = $LIMIT ]
ok $? "the limit file has $LIMIT bytes ($size)"

bounded_case "apply (file of $LIMIT bytes): read whole, error on its last line" \
	/dev/null \
	"$(ere "ercfg: $TMP/limit:4096: unknown word \"bogus\" (circuit|peering)")" \
	apply "$TMP/limit"
bounded_case "apply - (file of $LIMIT bytes): read whole, error on its last line" \
	"$TMP/limit" \
	"$(ere 'ercfg: <stdin>:4096: unknown word "bogus" (circuit|peering)')" \
	apply -
bounded_case "apply (file of $LIMIT + 1 bytes): larger than 4 MiB" /dev/null \
	"$(ere "ercfg: $TMP/limit+1: larger than 4 MiB, not applied")" \
	apply "$TMP/limit+1"
bounded_case "apply - (file of $LIMIT + 1 bytes): larger than 4 MiB" \
	"$TMP/limit+1" \
	"$(ere 'ercfg: <stdin>: larger than 4 MiB, not applied')" \
	apply -
valgrind_clean "ercfg apply (file of $LIMIT bytes)" apply "$TMP/limit"
valgrind_clean "ercfg apply (file of $LIMIT + 1 bytes)" apply "$TMP/limit+1"

# Reading stops at the limit + 1st byte: a bigger file is not read further.
if [ $HAVE_STRACE = 1 ] && [ $HAVE_BOUND = 1 ]; then
	cat "$TMP/limit" "$TMP/limit" >"$TMP/twice"
	prlimit --as=$BOUND_AS timeout 10 strace -qq -e trace=read \
		-o "$TMP/reads" "$ERCFG" apply - <"$TMP/twice" >/dev/null 2>&1
	got=$(awk '/^read\(0,/ { n += $NF } END { print n + 0 }' "$TMP/reads")
	rm -f "$TMP/twice"
	[ "$got" = $((LIMIT + 1)) ]
	ok $? "apply - (file of $((2 * LIMIT)) bytes): reads $((LIMIT + 1)) bytes ($got)"
else
	skip "apply of a file of $((2 * LIMIT)) bytes: reads $((LIMIT + 1)) bytes" \
		"no strace, prlimit or timeout"
fi
rm -f "$TMP/reads"

# Lines: LINE_MAX bytes are taken, one more is refused.
{
	echo 'circuit c1 stag 100 primary lo'
	fill_line '# ' $((LINE_MAX + 1))
	echo 'bogus'
} >"$TMP/line-max"
{
	echo 'circuit c1 stag 100 primary lo'
	fill_line 'circuit c2 stag 101 primary lo # ' $((LINE_MAX + 2))
	echo 'bogus'
} >"$TMP/line-max+1"
bounded_case "apply (a line of $LINE_MAX bytes): taken" /dev/null \
	"$(ere "ercfg: $TMP/line-max:3: unknown word \"bogus\" (circuit|peering)")" \
	apply "$TMP/line-max"
bounded_case "apply (a line of $LINE_MAX + 1 bytes): line too long" /dev/null \
	"$(ere "ercfg: $TMP/line-max+1:2: line longer than $LINE_MAX bytes")" \
	apply "$TMP/line-max+1"
bounded_case "apply - (a line of $LINE_MAX + 1 bytes): line too long" \
	"$TMP/line-max+1" \
	"$(ere "ercfg: <stdin>:2: line longer than $LINE_MAX bytes")" \
	apply -
valgrind_clean "ercfg apply (a line of $LINE_MAX + 1 bytes)" apply "$TMP/line-max+1"

# Usage, help, version.

"$ERCFG" --help >"$TMP/help" 2>"$TMP/help.err"
rc=$?
[ $rc = 0 ] && [ ! -s "$TMP/help.err" ] && head -1 "$TMP/help" | grep -qx 'Usage:'
ok $? "ercfg --help: usage on stdout, status 0"
valgrind_clean "ercfg --help" --help

"$ERCFG" -h >"$TMP/h" 2>/dev/null && cmp -s "$TMP/h" "$TMP/help"
ok $? "ercfg -h: the same usage"

"$ERCFG" -h show >"$TMP/h" 2>/dev/null && cmp -s "$TMP/h" "$TMP/help"
ok $? "ercfg -h show: usage, the command is ignored"

run
[ $RC = 2 ] && [ ! -s "$TMP/stdout" ] && cmp -s "$TMP/stderr" "$TMP/help" &&
	! netlink_opened
ok $? "ercfg without arguments: usage on stderr, status 2"
valgrind_clean "ercfg without arguments"

run -j
[ $RC = 2 ] && [ ! -s "$TMP/stdout" ] && cmp -s "$TMP/stderr" "$TMP/help" &&
	! netlink_opened
ok $? "ercfg -j without command: usage on stderr, status 2"

want="ercfg $(cat "$VERSION_FILE" 2>/dev/null)"
run -V
[ $RC = 0 ] && [ "$(cat "$TMP/stdout")" = "$want" ] && [ ! -s "$TMP/stderr" ] &&
	! netlink_opened
ok $? "ercfg -V: \"$want\" (VERSION)"
valgrind_clean "ercfg -V" -V

run -V show
[ $RC = 0 ] && [ "$(cat "$TMP/stdout")" = "$want" ]
ok $? "ercfg -V show: version, the command is ignored"

run --version
[ $RC = 0 ] && [ "$(cat "$TMP/stdout")" = "$want" ] && [ ! -s "$TMP/stderr" ]
ok $? "ercfg --version: \"$want\""

run help
[ $RC = 0 ] && cmp -s "$TMP/stdout" "$TMP/help" && [ ! -s "$TMP/stderr" ] &&
	! netlink_opened
ok $? "ercfg help: usage on stdout, status 0"

# -j and -p after the command: taken as options, not as the command's
# words (the request gets as far as the module, which is not loaded here).
nomod='ercfg: erdev module not loaded (no generic netlink family "erdev")'
for args in "show -j" "show c1 -j" "stats -p c1" "-p show" "monitor -p" "dump -j"; do
	# shellcheck disable=SC2086
	run $args
	[ $RC = 3 ] && [ "$(cat "$TMP/stderr")" = "$nomod" ]
	ok $? "ercfg $args: options taken, no module"
done

if [ -w /dev/full ]; then
	"$ERCFG" --help >/dev/full 2>"$TMP/full.err"
	rc=$?
	[ $rc = 1 ] && grep -qx 'ercfg: write error: No space left on device' \
		"$TMP/full.err"
	ok $? "ercfg --help >/dev/full: write error, status 1"
else
	skip "ercfg --help >/dev/full" "no /dev/full"
fi

# The commands of --help and of the man page's COMMANDS section.

# One line per command: continuation lines joined, descriptions cut off.
help_commands() {
	awk '
	function cut(s) { sub(/^ +/, "", s); sub(/  .*/, "", s); return s }
	/^Usage:$/ { on = 1; next }
	on && /^$/ { exit }
	on && /^ercfg / { if (cmd != "") print cmd; cmd = cut($0); next }
	on && /^ / { cmd = cmd " " cut($0) }
	END { if (cmd != "") print cmd }
	' "$TMP/help"
}

# The .nf blocks of COMMANDS, without fonts, one line per command.
man_commands() {
	awk '
	/^\.SH/ { commands = ($0 ~ /^\.SH "?COMMANDS"?$/); next }
	commands && /^\.nf/ { on = 1; cmd = ""; next }
	commands && /^\.fi/ { if (on) print cmd; on = 0; next }
	on {
		s = $0
		gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/\\&/, "", s)
		sub(/^ +/, "", s); gsub(/ +/, " ", s)
		cmd = (cmd == "") ? s : cmd " " s
	}
	' "$MAN"
}

help_commands >"$TMP/help.cmds"
man_commands >"$TMP/man.cmds"
if [ -s "$TMP/help.cmds" ] && diff -u "$TMP/help.cmds" "$TMP/man.cmds" \
	>"$TMP/cmds.diff"; then
	ok 0 "--help and ercfg.8 COMMANDS list the same $(wc -l <"$TMP/help.cmds") commands"
else
	ok 1 "--help and ercfg.8 COMMANDS list the same commands"
	diag <"$TMP/cmds.diff"
fi

# Every documented command line error is in the man page.
missing=0
man_text=$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$MAN")
while IFS= read -r line; do
	want=${line#* => }
	pattern=$(echo "ercfg: $want" | sed -E 's/"[^"]*"/"X"/g')
	case $want in
	*needs\ a\ value|*given\ twice) pattern='ercfg: "WORD"'${want#\"*\"} ;;
	\"primary\"*|\"ctag\"*|\"stag\"*|dot1q*) pattern="ercfg: $want" ;;
	cannot\ open\ network*) pattern='ercfg: cannot open network namespace "X": reason' ;;
	cannot\ open\ *) pattern='ercfg: cannot open FILE: reason' ;;
	esac
	if ! grep -qxF "$pattern" <<<"$man_text"; then
		echo "not in ercfg.8: $pattern" | diag
		missing=1
	fi
done <<<"$ERRORS"
ok $missing "every command line error message is in ercfg.8 DIAGNOSTICS"

if command -v groff >/dev/null; then
	groff -t -man -ww -z "$MAN" 2>"$TMP/groff" && [ ! -s "$TMP/groff" ]
	ok $? "ercfg.8 renders without groff warnings"
	diag <"$TMP/groff"
else
	skip "ercfg.8 renders without groff warnings" "no groff"
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$MAN" 2>/dev/null | grep -q '^COMMANDS'
	ok $? "man -l ercfg.8"
else
	skip "man -l ercfg.8" "no man"
fi

# Valid command lines: past the checks, up to the missing module.

VALID=$(cat <<'EOF'
show
show c1
stats
stats c1
stats --watch 1
stats c1 --watch 3600
-j stats --watch 2
-j show
-j stats
-j -j show c1
circuit add c1 stag 100 primary lo
circuit add c1 service-key 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0 billing unlimited sku premium bandwidth 1.5gbit secondary lo primary lo stag 4094 tpid 0x88A8 encap qinq
circuit add d1 encap dot1q tpid 0x88a8 primary lo
circuit add Abcdefghij_- stag 1 primary lo bandwidth 125mbps
circuit set c1
circuit set c1 bandwidth 10gbit sku local billing metered
circuit del c1
-j circuit del c1
peering add c1 private ctag 200
peering add c1 microsoft ctag 4094
peering add c1 private ctag 200 ipv4 192.168.100.128/29 ipv6 fd00:100::/125
peering add c1 microsoft ipv6 2001:db8:300::/126,2001:db8:300::8/126 ctag 300 ipv4 203.0.113.0/30,203.0.113.8/30
peering add c1 microsoft ctag 300 dscp keep
peering add c1 private ctag 200 dscp keep
peering set c1 microsoft
peering set c1 microsoft dscp conform
peering set c1 private dscp keep
peering del c1 private
peering del c1 microsoft
dump
monitor
monitor -j
-j monitor
apply GOOD
apply --dry-run GOOD
apply GOOD --dry-run
apply EMPTY
apply --allow-empty EMPTY
apply --dry-run --allow-empty GOOD
EOF
)
printf '%s\n' '# two circuits, both peerings' \
	'peering c1 private ctag 200 ipv4 192.168.100.128/29 # before its circuit' \
	'circuit c1 stag 100 primary lo bandwidth 1gbit' \
	'peering c1 microsoft ctag 300 ipv6 2001:db8:300::/125' \
	'	circuit d1 stag 101 primary lo sku premium' '' \
	'peering d1 private ctag 200' >"$TMP/good.conf"
: >"$TMP/empty.conf"
VALID=${VALID//GOOD/$TMP/good.conf}
VALID=${VALID//EMPTY/$TMP/empty.conf}

NOT_LOADED='ercfg: erdev module not loaded (no generic netlink family "erdev")'
while IFS= read -r args; do
	if [ $MODULE_AROUND = 1 ]; then
		skip "ercfg $args: module not loaded" "an erdev module is around"
		continue
	fi
	# shellcheck disable=SC2086
	run $args
	fail=0
	[ $RC = 3 ] && [ "$(cat "$TMP/stderr")" = "$NOT_LOADED" ] &&
		[ ! -s "$TMP/stdout" ] || fail=1
	if [ $fail = 0 ] && [ $HAVE_STRACE = 1 ] && ! netlink_opened; then
		fail=1
	fi
	ok $fail "ercfg $args: accepted, module not loaded"
	[ $fail = 0 ] || diag <"$TMP/stderr"
	# shellcheck disable=SC2086
	valgrind_clean "ercfg $args" $args
done <<<"$VALID"

# Unit tests.

if [ -x "$TEST_UNIT" ]; then
	"$TEST_UNIT" >"$TMP/unit" 2>&1
	rc=$?
	diag <"$TMP/unit"
	ok $rc "test-unit"
	if [ $HAVE_VALGRIND = 1 ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=all \
			--error-exitcode=99 --log-file="$TMP/valgrind" \
			"$TEST_UNIT" >/dev/null 2>&1
		[ $? != 99 ] && [ ! -s "$TMP/valgrind" ]
		ok $? "valgrind: test-unit"
		diag <"$TMP/valgrind"
	else
		skip "valgrind: test-unit" "$NO_VALGRIND_WHY"
	fi
	if command -v jq >/dev/null; then
		for what in show stats; do
			"$TEST_UNIT" print $what json | jq -e 'type == "array"' \
				>/dev/null 2>&1
			ok $? "$what JSON is valid for jq"
		done
	else
		skip "show JSON is valid for jq" "no jq"
		skip "stats JSON is valid for jq" "no jq"
	fi
else
	ok 1 "test-unit (not built: make -C $DIR test-unit)"
fi

valgrind_report

[ $HAVE_STRACE = 1 ] || echo "strace does not work here: socket checks skipped" | diag

echo "TAP version 13"
echo "1..$N"
cat "$OUT"
echo "# $N tests, $FAILED failed"
[ $FAILED = 0 ]
