# SPDX-License-Identifier: GPL-2.0
# Finds kernel bug reports in a kernel log (dmesg output or a serial console
# capture) and writes one excerpt file per distinct report.
#
#   awk -v outdir=DIR -f scan-kernel-log.awk LOG
#
# Prints one line per report: WHERE<TAB>TITLE<TAB>FILE<TAB>COUNT, where WHERE
# is "boot" (before tools/vm/guest-run.sh wrote its start marker: not
# erdev's doing) or "test", and FILE is the excerpt's name in DIR.
#
# A report starts at a line that matches one of the patterns below (or at
# "[ cut here ]") and runs to its "---[ end trace" line, to the next marker
# of guest-run.sh, or 80 lines. A "Call Trace:" outside any report is a
# report of its own unless it follows, within 20 lines, a
# "FAULT_INJECTION: forcing a failure" line (fault injection tests make
# those on purpose). Expected and not a report: "module verification
# failed" and "loading out-of-tree module taints kernel".

function strip(s) {
	sub(/^<[0-9]+>/, "", s)
	sub(/^\[ *[0-9]+\.[0-9]+\] */, "", s)
	sub(/^\[ *T[0-9]+\] */, "", s)
	sub(/^\[ *C[0-9]+\] */, "", s)
	return s
}

function is_primary(s) {
	return s ~ /BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|kernel BUG at|Kernel panic|refcount_t:|unregister_netdevice: waiting|new suspected memory leak|possible circular locking|suspicious RCU usage|inconsistent lock state|sleeping function called from invalid context|possible recursive locking|INFO: task .* blocked for more than|rcu: INFO:|self-detected stall|detected stalls on CPU|list_add corruption|list_del corruption|ODEBUG:|ref_tracker: .*(leaked|users at)|cut here/
}

function close_report() {
	if (!inrep)
		return
	inrep = 0
	if (title == "")
		title = first
	key = title
	gsub(/0x[0-9a-f]+/, "X", key)
	gsub(/[0-9]+/, "N", key)
	key = where SUBSEP key
	if (key in seen) {
		count[seen[key]]++
		return
	}
	nrep++
	seen[key] = nrep
	count[nrep] = 1
	rwhere[nrep] = where
	rtitle[nrep] = title (ctx != "" ? " (during " ctx ")" : "")
	rfile[nrep] = sprintf("kernel-%02d.diag", nrep)
	f = outdir "/" rfile[nrep]
	printf "%s", body > f
	close(f)
}

BEGIN {
	where = "boot"
	ctx = ""
	inrep = 0
	nrep = 0
	last_fi = -100
}

{
	prev5 = prev4; prev4 = prev3; prev3 = prev2; prev2 = prev1; prev1 = line
	line = strip($0)
	gsub(/\r/, "", line)
	gsub(/\t/, "    ", line)

	if (line ~ /erdev-selftests: /) {
		close_report()
		if (line ~ /erdev-selftests: start/)
			where = "test"
		else if (line ~ /erdev-selftests: running /) {
			ctx = line
			sub(/.*erdev-selftests: running /, "", ctx)
		} else if (line ~ /erdev-selftests: rmmod erdev/)
			ctx = "rmmod erdev"
		else if (line ~ /erdev-selftests: tests done/)
			ctx = "after the tests"
		next
	}
	if (line ~ /module verification failed|loading out-of-tree module taints kernel/)
		next
	if (line ~ /FAULT_INJECTION: forcing a failure/)
		last_fi = NR

	if (inrep) {
		body = body line "\n"
		nlines++
		if (title == "" && line !~ /cut here/ && is_primary(line))
			title = line
		if (line ~ /---\[ end trace/ || nlines >= 80 || (traceonly && line ~ /<\/TASK>/))
			close_report()
		next
	}

	if (is_primary(line) || (line ~ /Call Trace:/ && NR - last_fi > 20)) {
		inrep = 1
		nlines = 1
		first = line
		traceonly = line ~ /Call Trace:/
		title = (line ~ /cut here|Call Trace:/) ? "" : line
		if (line ~ /Call Trace:/) {
			title = "Call Trace after: " prev1
			if (prev1 ~ /^(CPU:|Hardware name:|Tainted:|Workqueue:)/ && prev2 != "")
				title = "Call Trace after: " prev2
			if (prev2 ~ /^(CPU:|Hardware name:|Tainted:|Workqueue:)/ && prev3 != "")
				title = "Call Trace after: " prev3
			body = ""
			if (prev3 != "") body = body prev3 "\n"
			if (prev2 != "") body = body prev2 "\n"
			if (prev1 != "") body = body prev1 "\n"
			body = body line "\n"
		} else
			body = line "\n"
	}
}

END {
	close_report()
	for (i = 1; i <= nrep; i++)
		printf "%s\t%s\t%s\t%d\n", rwhere[i], rtitle[i], rfile[i], count[i]
}
