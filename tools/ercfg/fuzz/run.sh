#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz/run.sh HARNESS...: make fuzz-run. For each harness (built in
# FUZZ_DIR by make fuzz):
#
#  1. replay fuzz/regressions/HARNESS/*, the inputs of bugs found before;
#  2. fuzz for FUZZ_TIME seconds from FUZZ_DIR/corpus/HARNESS (kept from
#     run to run, where libFuzzer adds what it finds) and the seeds that
#     seeds.sh makes from the tests, under nice, with the dictionary;
#  3. print its figures: executions, cov and ft of libFuzzer's last status
#     line, the corpus's size, and the inputs that failed (crash, leak,
#     timeout, OOM), saved in FUZZ_DIR/artifacts/.
#
# Any crash, sanitizer report, leak, input slower than FUZZ_TIMEOUT
# seconds, or RSS above FUZZ_RSS_MB fails the run (status 1), with the
# report's tail; the whole log is FUZZ_DIR/HARNESS.log. Inputs are at most
# FUZZ_MAX_LEN bytes. The harnesses run one after the other: the
# machine's other core is for whatever else runs (VMs in make check).
set -u

FUZZ=$(cd "$(dirname "$0")" && pwd)
FUZZ_DIR=${FUZZ_DIR:?FUZZ_DIR: the build directory of make fuzz}
FUZZ_TIME=${FUZZ_TIME:-60}
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-5}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-1024}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-4096}

[ $# -gt 0 ] || { echo "usage: run.sh HARNESS..." >&2; exit 2; }

# The options every run takes: bounded time, memory and length; the
# program's own messages (stderr, stdout) discarded, reports kept.
OPTS=(-rss_limit_mb="$FUZZ_RSS_MB" -malloc_limit_mb="$FUZZ_RSS_MB"
      -timeout="$FUZZ_TIMEOUT" -max_len="$FUZZ_MAX_LEN" -close_fd_mask=3)

"$FUZZ/seeds.sh" "$FUZZ_DIR/seeds" || exit 1
mkdir -p "$FUZZ_DIR/artifacts"

failed=0
summary=()

# failures HARNESS: the inputs libFuzzer saved for it, that failed.
failures() {
	find "$FUZZ_DIR/artifacts" -maxdepth 1 -type f \
		\( -name "$1-crash-*" -o -name "$1-leak-*" -o \
		   -name "$1-timeout-*" -o -name "$1-oom-*" \) | wc -l
}

# report HARNESS LOG WHAT: the run failed; the end of its report.
report() {
	echo "$1: $3 FAILED (status $rc); the end of $2:"
	grep -v '^INFO: \|^#[0-9]' "$2" | tail -n 40 | sed 's/^/  /'
	failed=1
}

for h in "$@"; do
	bin=$FUZZ_DIR/$h
	log=$FUZZ_DIR/$h.log
	[ -x "$bin" ] || { echo "$bin: not built (make fuzz)"; failed=1; continue; }

	# 1. The regressions, each run once.
	regs=()
	if [ -d "$FUZZ/regressions/$h" ]; then
		while IFS= read -r -d '' f; do
			regs+=("$f")
		done < <(find "$FUZZ/regressions/$h" -type f ! -name '*.md' -print0 | sort -z)
	fi
	if [ ${#regs[@]} -gt 0 ]; then
		"$bin" "${OPTS[@]}" "${regs[@]}" >"$FUZZ_DIR/$h.regressions.log" 2>&1
		rc=$?
		if [ $rc != 0 ]; then
			report "$h" "$FUZZ_DIR/$h.regressions.log" "replay of fuzz/regressions/$h"
			continue
		fi
		echo "$h: ${#regs[@]} regression input(s) of fuzz/regressions/$h pass"
	fi

	# 2. Fuzzing, from the kept corpus and the seeds.
	mkdir -p "$FUZZ_DIR/corpus/$h"
	before=$(failures "$h")
	t0=$SECONDS
	nice -n 10 "$bin" "${OPTS[@]}" -max_total_time="$FUZZ_TIME" \
		-dict="$FUZZ/ercfg.dict" -print_final_stats=1 \
		-artifact_prefix="$FUZZ_DIR/artifacts/$h-" \
		"$FUZZ_DIR/corpus/$h" "$FUZZ_DIR/seeds/$h" >"$log" 2>&1
	rc=$?
	secs=$((SECONDS - t0))

	# 3. Its figures.
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
	files=$(find "$FUZZ_DIR/corpus/$h" -type f | wc -l)
	bytes=$(find "$FUZZ_DIR/corpus/$h" -type f -exec cat {} + | wc -c)
	found=$(($(failures "$h") - before))
	line="$h: ${execs:-?} executions in $secs s, cov ${cov:-?}, ft ${ft:-?}, corpus $files files ($bytes bytes), $found failing input(s)"
	summary+=("$line")
	if [ $rc != 0 ]; then
		report "$h" "$log" "fuzzing"
		ls "$FUZZ_DIR/artifacts/$h"-* 2>/dev/null | sed 's/^/  input: /'
	fi
done

echo "--- ercfg fuzz-run, FUZZ_TIME=$FUZZ_TIME s each:"
printf '%s\n' "${summary[@]}"
[ $failed = 0 ] && echo "no crash, leak, timeout or OOM" || echo "FAILED"
exit $failed
