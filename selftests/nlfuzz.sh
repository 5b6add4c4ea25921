#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The erdev family under tools/fuzz/nlfuzz.py, the fuzzer driven by the
# netlink spec: a short run of what `make fuzz` runs long.
#
#  - three fuzzers at once, each in a network namespace of its own with
#    its own seed, two as root and one as user nobody, root of its own user
#    namespace, NFUZZ_REQUESTS requests in all (default 18000 on the debug
#    kernel, 10000 elsewhere): every operation, valid and mutated
#    requests, dumps interleaved with changes, rtnetlink changes on the
#    erdev interfaces, and as NICs dummies, veths, a bond, a bridge, a
#    bridge port, loopback, the erdev interfaces themselves and ifindexes
#    of the other namespace. After each request the fuzzer compares the
#    kernel's state (dump, sysfs) with its model;
#  - where the kernel has fault injection (the debug kernel): the
#    allocations of every mutating request failed in turn (fail-nth):
#    every NFUZZ_STRIDE-th (default 8), from a random one of the first;
#  - each run ends with nothing left, and the kernel log has no report.
# The seeds are printed; NFUZZ_SEED=S replays a run.
# timeout: 900

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh

NLFUZZ=(python3 "$ERDEV_SELFTESTS/../tools/fuzz/nlfuzz.py")

# The devices of one fuzzer, as an ip batch: NICs d0-d2, a veth pair, a
# bond and a bridge; d3, a bridge port, and lo are unusable (--hostile).
FUZZ_DEVS='link add d0 type dummy
link add d1 type dummy
link add d2 type dummy
link add v0 type veth peer name v1
link add b0 type bond
link add br0 type bridge
link add d3 master br0 type dummy'
FUZZ_NICS=(--nics d0,d1,d2,v0,v1,b0,br0 --hostile lo,d3)

# foreign NS: the ifindexes of the NICs of namespace NS, comma-separated.
foreign()
{
	ip -n "$1" -j link show | jq -r '[.[].ifindex | tostring] | join(",")'
}

# fuzz NS SEED REQUESTS FOREIGN_NS: one fuzzer run in NS, as root.
fuzz()
{
	ip netns exec "$1" "${NLFUZZ[@]}" fuzz --seed "$2" --requests "$3" \
		"${FUZZ_NICS[@]}" --foreign "$(foreign "$4")" \
		--report "$ERDEV_TMP/fuzz-$1.json" \
		${NFUZZ_LOG:+--log "$NFUZZ_LOG.$1"} >"$ERDEV_TMP/fuzz-$1.out" 2>&1
}

# fuzz_userns NAME SEED REQUESTS FOREIGN_NS: one fuzzer run as user nobody,
# root of its own user and network namespace (and of a mount namespace,
# for a sysfs of that network namespace), with devices of its own.
fuzz_userns()
{
	local foreign

	foreign=$(foreign "$4")
	# shellcheck disable=SC2016
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		unshare -Urnm bash -c 'mount -t sysfs sysfs /sys &&
			ip -b - <<<"$1" && shift && exec "$@"' - "$FUZZ_DEVS" \
		"${NLFUZZ[@]}" fuzz --seed "$2" --requests "$3" \
		"${FUZZ_NICS[@]}" --foreign "$foreign" \
		--report fd:3 3>"$ERDEV_TMP/fuzz-$1.json" >"$ERDEV_TMP/fuzz-$1.out" 2>&1
}

# report NS MODE: the run's result, and its figures as diagnostics.
report()
{
	local f=$ERDEV_TMP/$2-$1.json

	if [ ! -s "$f" ]; then
		ktap_print_msg "no report $f; the fuzzer said:"
		tail -n 20 "${f%.json}.out" | while IFS= read -r l; do ktap_print_msg "$l"; done
		return 1
	fi
	if [ "$(jq -r .result "$f")" != ok ]; then
		jq -r '.failure, "seed \(.seed)", (.last_requests[]? | "  \(.[0]) \(.[1])")' \
			"$f" | while IFS= read -r l; do ktap_print_msg "$l"; done
		return 1
	fi
	jq -r 'if .requests then (.requests | to_entries[] |
		"\(.key): \(.value.sent) sent, \(.value.accepted) accepted, \(.value.refused) refused")
		else (.faults | to_entries[] | "\(.key): \(.value.faults) of \(.value.points) fault points failed") end' \
		"$f" | while IFS= read -r l; do ktap_print_msg "$l"; done
	ktap_print_msg "seed $(jq .seed "$f"), $(jq -r '"\(.seconds) s (\(.seconds_in.request) s in requests, \(.seconds_in.check) s in checks)"' "$f")"
}

ktap_print_header
erdev_require setpriv unshare
python3 -c 'import yaml' 2>/dev/null || { ktap_skip_all "no PyYAML"; exit "$KSFT_SKIP"; }
ktap_set_plan 6

modprobe -q dummy 2>/dev/null
modprobe -q bonding 2>/dev/null
modprobe -q bridge 2>/dev/null
erdev_tmpdir || exit "$KSFT_FAIL"
setup_ns FA FB FC || exit "$KSFT_FAIL"
check_ok "three namespaces of dummies, veths, a bond and a bridge" \
	eval 'for ns in "$FA" "$FB" "$FC"; do ip -n "$ns" -b - <<<"$FUZZ_DEVS" || exit 1; done'

# NFUZZ_STRIDE: fail every K-th fault point only (from a random one of
# the first K), as the short run; make fuzz fails every one.
if is_debug_kernel; then
	requests=${NFUZZ_REQUESTS:-18000}
else
	requests=${NFUZZ_REQUESTS:-10000}
fi
stride=${NFUZZ_STRIDE:-8}
seed=${NFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
klog_mark
n_a=$((requests / 3))
n_b=$((requests / 3))
n_u=$((requests - n_a - n_b))
fuzz "$FA" "$seed" $n_a "$FB" &
pid_a=$!
fuzz "$FB" $((seed + 1)) $n_b "$FA" &
pid_b=$!
fuzz_userns U $((seed + 2)) $n_u "$FA" &
pid_u=$!
wait $pid_a
rc_a=$?
wait $pid_b
rc_b=$?
wait $pid_u
rc_u=$?
report "$FA" fuzz
check_eq "fuzzer A, root: $n_a requests, seed $seed, as the model says" \
	"0 0" "$rc_a $?"
report "$FB" fuzz
check_eq "fuzzer B, root: $n_b requests, seed $((seed + 1)), as the model says" \
	"0 0" "$rc_b $?"
report U fuzz
check_eq "fuzzer U, user nobody as root of its own namespaces: $n_u requests, seed $((seed + 2)), as the model says" \
	"0 0" "$rc_u $?"

if [ ! -e /proc/self/fail-nth ]; then
	ktap_test_skip "every allocation of every mutating request failed in turn" \
		"no fault injection in this kernel"
else
	dbg=/sys/kernel/debug
	# Sleeping allocations too, and quietly: a failure is not a report.
	echo N >"$dbg/failslab/ignore-gfp-wait"
	echo 0 >"$dbg/failslab/verbose"
	ip netns exec "$FC" "${NLFUZZ[@]}" faults --nics d0,d1 \
		--seed "$seed" --stride "$stride" \
		--report "$ERDEV_TMP/faults-$FC.json" >"$ERDEV_TMP/faults-$FC.out" 2>&1
	rc=$?
	echo Y >"$dbg/failslab/ignore-gfp-wait"
	report "$FC" faults
	check_eq "every allocation of every mutating request failed in turn" \
		"0 0" "$rc $?"
fi
# ref_tracker says so when its own allocation was the one failed on
# purpose: not a report.
check_eq "the kernel log has no report" "" \
	"$(klog_reports | grep -v 'ref_tracker: memory allocation failure, unreliable refcount tracker')"

ktap_finished
