#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: host-side checks and one VM per matrix kernel running every
# selftest, then one summary line "N passed, N failed, N skipped".
#
# Environment:
#   KERNELS      matrix kernels, default $ALL_KERNELS (see common.sh; 5.10,
#                debug7.3 and newest are known too)
#   ERDEV_SRC    take the module sources (Kbuild, VERSION, erdev/, include/)
#                from this directory instead of the repo (e.g. a patched
#                copy); selftests and tools still come from the repo
#   TESTS        only these selftests (see run-vm.sh)
#   VM_PARALLEL  VMs at a time: 2 (default: two lanes, each booting its
#                kernels one after the other, balanced on lane_cost) or 1
#   SKIP_HOST_CHECKS=1  skip checkpatch, UAPI, netlink-gen, W=1, sparse,
#                dkms and ercfg's host tests (make check, the fuzzers)
#   FUZZ_CHECK_TIME  seconds of each ercfg fuzz harness (default 20)
# and run-vm.sh's VM_* and timeout variables.
#
# Host checks (each a test in the "host" suite): VERSION == dkms.conf,
# ercfg build, link_erdev.so build, make install DESTDIR= (the files a
# package holds), erdev.ko build per kernel (in $CACHE/build/<kver>/, a
# copy of the sources, since M= builds in place), checkpatch --strict of
# 6.12 and of the newest kernel, the UAPI header and the generated family
# (erdev/netlink-gen.[ch]) against what the newest kernel's ynl-gen-c
# makes of the netlink spec (tools/vm/ynl-gen.sh), W=1 and sparse builds
# on 6.12, 5.10 and the newest kernel (those in KERNELS) without
# warnings, dkms add/build per kernel in a
# private dkms tree, "make -C tools/ercfg check", ercfg's parsers under
# libFuzzer for FUZZ_CHECK_TIME s each. The VMs start as soon as
# the modules are built; the slower host checks run meanwhile.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/ktap.sh"

KERNELS=${KERNELS:-$ALL_KERNELS}
SRC=$(realpath "${ERDEV_SRC:-$ERDEV_ROOT}")
JOBS=$(nproc 2>/dev/null || echo 2)
MODULE_FILES="Kbuild VERSION erdev include"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

t0=$(date +%s)
elapsed() { echo $(($(date +%s) - t0)); }

host=$CACHE/run/host
state=$CACHE/run/state
rm -rf "$host" "$state"
mkdir -p "$host/logs" "$state"
: >"$host/results"
cd "$ERDEV_ROOT" || exit 1

[ "$SRC" != "$ERDEV_ROOT" ] && msg "module sources from $SRC (ERDEV_SRC)"

# Stop the VM lanes and kernel downloads if we are interrupted.
bg_pids=()
trap 'kill "${bg_pids[@]}" 2>/dev/null; exit 130' INT TERM

# 1. The matrix.
declare -A KV BUILT
names=()
for k in $KERNELS; do
	case " $KNOWN_KERNELS " in
	*" $k "*) ;;
	*) die "unknown kernel '$k' in KERNELS (known: $KNOWN_KERNELS)" ;;
	esac
	v=$(kernel_kver "$k")
	rc=$?
	if [ $rc = 2 ]; then
		msg "kernel $k: no debug kernel kit in $SHARED_KERNELS, skipping it"
		suite_result "$host" skip "kernel $k" - "no debug kernel kit in $SHARED_KERNELS"
		continue
	elif [ $rc != 0 ] || [ -z "$v" ]; then
		suite_result "$host" fail "kernel $k" - "cannot resolve it from apt"
		continue
	fi
	KV[$k]=$v
	names+=("$k")
done
msg "kernels: $(for k in "${names[@]}"; do printf '%s=%s ' "$k" "${KV[$k]}"; done)"

# 2. Download and unpack the kernels in the background (network, xz).
for k in "${names[@]}"; do
	(
		"$ERDEV_ROOT/tools/vm/prepare-kernel.sh" "$k" >"$state/prepare-$k.log" 2>&1
		echo $? >"$state/prepare-$k.rc"
	) &
	bg_pids+=($!)
done

# copy_sources DEST: the module sources, as dkms wants them (the builds
# below make their own copy: build_module, tools/vm/common.sh).
copy_sources() {
	rm -rf "$1" && mkdir -p "$1" &&
		(cd "$SRC" && tar -c $MODULE_FILES) | tar -x -C "$1"
}

# build_warnings LOG: compiler, sparse and modpost warnings/errors in a log.
build_warnings() {
	grep -E '(warning|error):|^WARNING:|^ERROR:' "$1"
}

# 3. VERSION and dkms.conf
v_file=$(tr -d '[:space:]' <"$SRC/VERSION")
v_dkms=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ERDEV_ROOT/dkms.conf")
if [ -n "$v_file" ] && [ "$v_file" = "$v_dkms" ]; then
	suite_result "$host" pass "VERSION ($v_file) equals dkms.conf PACKAGE_VERSION"
else
	echo "VERSION says '$v_file', dkms.conf PACKAGE_VERSION says '$v_dkms'" >"$host/logs/version.diag"
	suite_result "$host" fail "VERSION equals dkms.conf PACKAGE_VERSION" version.diag
fi

# 4. ercfg (the VMs use it)
if [ -f tools/ercfg/Makefile ]; then
	if make -C tools/ercfg -j"$JOBS" >"$host/logs/ercfg.log" 2>&1 && [ -x tools/ercfg/ercfg ]; then
		suite_result "$host" pass "build tools/ercfg/ercfg"
	else
		mv "$host/logs/ercfg.log" "$host/logs/ercfg.diag"
		suite_result "$host" fail "build tools/ercfg/ercfg" ercfg.diag
	fi
else
	suite_result "$host" skip "build tools/ercfg/ercfg" - "no tools/ercfg/Makefile yet"
fi

# 4a. link_erdev.so, ip's plugin for "ip -d link" (introspection.sh uses
# it), and its test against crafted attributes (short, unknown values).
if make -C tools/iproute2 >"$host/logs/iproute2.log" 2>&1 && [ -f tools/iproute2/link_erdev.so ]; then
	suite_result "$host" pass "build tools/iproute2/link_erdev.so"
else
	mv "$host/logs/iproute2.log" "$host/logs/iproute2.diag"
	suite_result "$host" fail "build tools/iproute2/link_erdev.so" iproute2.diag
fi
if make -C tools/iproute2 check >"$host/logs/iproute2-check.log" 2>&1; then
	suite_result "$host" pass "make -C tools/iproute2 check ($(grep -o '^# [0-9]* tests' "$host/logs/iproute2-check.log" | cut -c3-), valgrind)"
else
	mv "$host/logs/iproute2-check.log" "$host/logs/iproute2-check.diag"
	suite_result "$host" fail "make -C tools/iproute2 check" iproute2-check.diag
fi

# 4b. make install DESTDIR=... PREFIX=/usr: exactly the files a packager
# expects, with the version from VERSION; make uninstall takes them away.
install_check() {
	local d=$host/destdir v=$v_file expected got
	rm -rf "$d"
	make --no-print-directory install DESTDIR="$d" PREFIX=/usr || return 1
	expected=$(
		printf '%s\n' usr/sbin/ercfg usr/share/man/man8/ercfg.8 \
			usr/lib/systemd/system/erdev.service \
			usr/share/doc/erdev/erdev.conf.example \
			"usr/src/erdev-$v/Kbuild" "usr/src/erdev-$v/VERSION" \
			"usr/src/erdev-$v/dkms.conf" \
			"usr/lib/$(${CC:-cc} -print-multiarch)/ip/link_erdev.so"
		find erdev include -name '*.[ch]' | sed "s|^|usr/src/erdev-$v/|"
	)
	expected=$(sort <<<"$expected")
	got=$(cd "$d" && find . ! -type d | sed 's|^\./||' | sort)
	if [ "$got" != "$expected" ]; then
		echo "files installed:"
		diff -u <(echo "$expected") <(echo "$got")
		return 1
	fi
	[ "$(stat -c %a "$d/usr/sbin/ercfg")" = 755 ] || { echo "ercfg is not 0755"; return 1; }
	[ -z "$(find "$d" -type f ! -path '*/sbin/ercfg' ! -perm 644)" ] ||
		{ echo "not 0644:"; find "$d" -type f ! -path '*/sbin/ercfg' ! -perm 644; return 1; }
	[ "$("$d/usr/sbin/ercfg" -V)" = "ercfg $v" ] || { echo "ercfg -V is not ercfg $v"; return 1; }
	grep -qx "PACKAGE_VERSION=\"$v\"" "$d/usr/src/erdev-$v/dkms.conf" ||
		{ echo "dkms.conf: PACKAGE_VERSION is not $v"; return 1; }
	[ "$(cat "$d/usr/src/erdev-$v/VERSION")" = "$v" ] || { echo "VERSION differs"; return 1; }
	grep -qx 'ExecStart=/usr/sbin/ercfg apply /etc/erdev/erdev.conf' \
		"$d/usr/lib/systemd/system/erdev.service" ||
		{ echo "erdev.service: ExecStart is not the installed ercfg"; return 1; }
	cmp "$d/usr/share/man/man8/ercfg.8" tools/ercfg/ercfg.8 || return 1
	make --no-print-directory uninstall DESTDIR="$d" PREFIX=/usr || return 1
	got=$(cd "$d" && find . ! -type d)
	[ -z "$got" ] || { echo "left after make uninstall: $got"; return 1; }
	rm -rf "$d"
}
if [ ! -x tools/ercfg/ercfg ]; then
	suite_result "$host" skip "make install DESTDIR=... lays out the package" - "no ercfg"
elif install_check >"$host/logs/install.log" 2>&1; then
	suite_result "$host" pass "make install DESTDIR=... PREFIX=/usr: ercfg, ercfg.8, erdev.service, example, DKMS tree; uninstall"
else
	mv "$host/logs/install.log" "$host/logs/install.diag"
	suite_result "$host" fail "make install DESTDIR=... lays out the package" install.diag
fi

# 5. erdev.ko for each kernel
for k in "${names[@]}"; do
	kver=${KV[$k]}
	b=$CACHE/build/$kver
	name="build erdev.ko for $kver"
	if ERDEV_SRC=$SRC build_module "$kver" "$b" >"$host/logs/build-$kver.log" 2>&1; then
		BUILT[$k]=$b/erdev.ko
		suite_result "$host" pass "$name"
	else
		mv "$host/logs/build-$kver.log" "$host/logs/build-$kver.diag"
		suite_result "$host" fail "$name" "build-$kver.diag"
	fi
done
msg "host: modules built at $(elapsed) s"

# 5b. The kernel's checkpatch and YNL tools, from linux-source-6.12: the
# host checks use them, and selftests/ynl.sh runs YNL's cli.py in the VMs,
# so they are unpacked (once, cached) before the VMs boot.
ksrc=$CACHE/src/linux-source-6.12
prepare_ksrc() {
	local stamp
	[ -f "$LINUX_SOURCE_TAR" ] || { echo "no $LINUX_SOURCE_TAR (apt-get install linux-source-6.12)"; return 1; }
	stamp="$(stat -c '%s %Y' "$LINUX_SOURCE_TAR")"
	[ "$(cat "$ksrc.stamp" 2>/dev/null)" = "$stamp" ] && return 0
	rm -rf "$ksrc" "$ksrc.stamp"
	unpack_linux_source "$LINUX_SOURCE_TAR" linux-source-6.12 || return 1
	echo "$stamp" >"$ksrc.stamp"
}

prepare_ksrc >"$host/logs/ksrc.diag" 2>&1
ksrc_rc=$?

# 6. The VMs, in the background. A lane boots its kernels one after the
# other; each VM's KTAP goes to a file, printed in matrix order at the end.
vm_lane() {
	local k rc s0 vpid=
	trap 'kill $vpid 2>/dev/null; exit 143' INT TERM
	for k in "$@"; do
		while [ ! -f "$state/prepare-$k.rc" ]; do sleep 1; done
		[ "$(cat "$state/prepare-$k.rc")" = 0 ] || continue
		s0=$(date +%s)
		ERDEV_KO=${BUILT[$k]} "$ERDEV_ROOT/tools/vm/run-vm.sh" "$k" >"$state/ktap-$k.txt" &
		vpid=$!
		wait $vpid
		rc=$?
		echo "$rc $(($(date +%s) - s0))" >"$state/vm-$k.rc"
		msg "kernel $k: done in $(($(date +%s) - s0)) s"
	done
}
vm_names=()
for k in "${names[@]}"; do
	if [ -z "${BUILT[$k]:-}" ]; then
		# counted once, in the host suite (the build failed)
		msg "kernel $k: no erdev.ko, not booting it"
		continue
	fi
	vm_names+=("$k")
done
# lane_cost KERNEL: seconds of VM time its run of the suite takes, as
# measured on a 2-core machine with both lanes busy (README, "Two
# commands"; Documentation/testing.rst, "Two VMs on two cores"): what the
# two lanes are balanced on. The five lanes split as debug + 6.1 and
# 5.10 + 6.12 + newest.
lane_cost() {
	case "$1" in
	debug*) echo 3600 ;;
	5.10) echo 1500 ;;
	6.12) echo 1300 ;;
	newest) echo 1100 ;;
	*) echo 850 ;;
	esac
}
lane_a=() lane_b=()
if [ "${VM_PARALLEL:-2}" -ge 2 ] && [ ${#vm_names[@]} -ge 2 ]; then
	# Longest first, each to the lane with less VM time so far.
	cost_a=0 cost_b=0
	for k in $(for k in "${vm_names[@]}"; do
			echo "$(lane_cost "$k") $k"
		done | sort -rn -k1,1 | cut -d' ' -f2); do
		c=$(lane_cost "$k")
		if [ $cost_a -le $cost_b ]; then
			lane_a+=("$k")
			cost_a=$((cost_a + c))
		else
			lane_b+=("$k")
			cost_b=$((cost_b + c))
		fi
	done
	msg "lanes: ${lane_a[*]} (about $cost_a s); ${lane_b[*]} (about $cost_b s)"
else
	lane_b=("${vm_names[@]}")
fi
lanes=()
if [ ${#lane_a[@]} -gt 0 ]; then
	vm_lane "${lane_a[@]}" &
	lanes+=($!)
fi
if [ ${#lane_b[@]} -gt 0 ]; then
	vm_lane "${lane_b[@]}" &
	lanes+=($!)
fi
bg_pids+=("${lanes[@]}")

# 7. The other host checks, while the VMs run.
# The same tools of the newest kernel (kernel_kver newest, whether or
# not it is in KERNELS), from its linux-source-X.Y in NEWEST_SUITES:
# erdev's generated files are what the newest ynl-gen-c makes of the spec
# (it knows more of the spec than 6.12's: byte-order, for one), and
# checkpatch runs in both versions.
[ -z "${SKIP_HOST_CHECKS:-}" ] && prepare_newest_src >"$host/logs/nsrc.diag" 2>&1
nsrc_rc=$?
nsrc=$NSRC
nsrc_name=$(basename "${nsrc:-linux-source-newest}")
if [ -n "${SKIP_HOST_CHECKS:-}" ]; then
	suite_result "$host" skip "checkpatch, UAPI, netlink-gen, W=1, sparse, dkms and ercfg check" - "SKIP_HOST_CHECKS is set"
elif [ $ksrc_rc != 0 ]; then
	suite_result "$host" fail "checkpatch --strict on erdev/ and include/" ksrc.diag "no linux-source-6.12"
elif [ $nsrc_rc != 0 ]; then
	suite_result "$host" fail "the newest kernel's checkpatch and ynl-gen-c" nsrc.diag "no $nsrc_name"
else
	# checkpatch --strict of 6.12 and of the newest kernel on every C
	# file and header; nothing ignored.
	mapfile -t files < <(cd "$SRC" && find erdev include -type f \( -name '*.c' -o -name '*.h' \) | sort)
	for t in "$ksrc" "$nsrc"; do
		log=checkpatch-$(basename "$t").log
		desc="checkpatch --strict of $(basename "$t") on erdev/ and include/"
		(cd "$SRC" && perl "$t/scripts/checkpatch.pl" --strict --no-tree --no-summary \
			--show-types --color=never -f "${files[@]}") >"$host/logs/$log" 2>&1
		rc=$?
		if [ $rc = 0 ] && ! grep -qE '^(ERROR|WARNING|CHECK):' "$host/logs/$log"; then
			suite_result "$host" pass "$desc (${#files[@]} files)"
		else
			mv "$host/logs/$log" "$host/logs/${log%.log}.diag"
			suite_result "$host" fail "$desc" "${log%.log}.diag" \
				"$(grep -cE '^(ERROR|WARNING|CHECK):' "$host/logs/${log%.log}.diag") reports"
		fi
	done

	# same_code A B: A and B differ in comments and blank lines at most
	# (a later generator that only words its comments otherwise does not
	# fail the check); the diff if not.
	same_code() {
		diff -u "$1" "$2" >/dev/null && return 0
		"$PY" - "$1" "$2" <<-'EOF' || diff -u "$1" "$2"
			import re, sys
			def code(p):
			    s = re.sub(r'/\*.*?\*/', '', open(p).read(), flags=re.S)
			    return [l.rstrip() for l in s.splitlines() if l.strip()]
			sys.exit(code(sys.argv[1]) != code(sys.argv[2]))
		EOF
	}

	# The three files, made again from the spec (tools/vm/ynl-gen.sh, as
	# make regen makes them), each compared with the committed one.
	tools/vm/ynl-gen.sh "$host/gen" >"$host/logs/ynl-gen.log" 2>&1
	ynl_rc=$?
	# UAPI: include/uapi/linux/erdev.h.
	uapi() {
		[ $ynl_rc = 0 ] || { cat "$host/logs/ynl-gen.log"; return 1; }
		same_code "$host/gen/include/uapi/linux/erdev.h" "$SRC/include/uapi/linux/erdev.h"
	}
	if uapi >"$host/logs/uapi.diag" 2>&1; then
		suite_result "$host" pass "include/uapi/linux/erdev.h is what $nsrc_name's ynl-gen-c makes of the spec"
	else
		suite_result "$host" fail "include/uapi/linux/erdev.h is what $nsrc_name's ynl-gen-c makes of the spec" uapi.diag
	fi

	# The family's policies, ops and groups: erdev/netlink-gen.c and .h,
	# made in kernel mode, as drivers/net/ovpn's are.
	netlink_gen() {
		local rc=0 f
		[ $ynl_rc = 0 ] || { cat "$host/logs/ynl-gen.log"; return 1; }
		for f in netlink-gen.c netlink-gen.h; do
			same_code "$host/gen/erdev/$f" "$SRC/erdev/$f" || rc=1
		done
		return $rc
	}
	if netlink_gen >"$host/logs/netlink-gen.diag" 2>&1; then
		suite_result "$host" pass "erdev/netlink-gen.[ch] are what $nsrc_name's ynl-gen-c makes of the spec"
	else
		suite_result "$host" fail "erdev/netlink-gen.[ch] are what $nsrc_name's ynl-gen-c makes of the spec" netlink-gen.diag
	fi

	# W=1 and C=1 on 6.12, and on 5.10 (the oldest) and the newest kernel
	# when they are in the matrix, each from a fresh copy so that every
	# file is built (the newest in its chroot, with the chroot's sparse).
	wk=()
	for k in 6.12 5.10 newest; do
		[ -n "${KV[$k]:-}" ] && wk+=("$k")
	done
	for k in "${wk[@]}"; do
		kver=${KV[$k]}
		for what in W=1 C=1; do
			tag=${what/=/}
			[ "$k" = 6.12 ] || tag=$tag-$k
			b=$CACHE/build/$kver-${what/=/}
			desc="$what build for $kver without warnings"
			[ $what = C=1 ] && desc="sparse ($what) build for $kver without warnings"
			ERDEV_SRC=$SRC build_module "$kver" "$b" "$what" >"$host/logs/$tag.log" 2>&1
			rc=$?
			nw=$(build_warnings "$host/logs/$tag.log" | wc -l)
			if [ $rc = 0 ] && [ "$nw" = 0 ]; then
				suite_result "$host" pass "$desc"
			else
				mv "$host/logs/$tag.log" "$host/logs/$tag.diag"
				suite_result "$host" fail "$desc" "$tag.diag" "$nw warnings, make status $rc"
			fi
		done
	done
	[ ${#wk[@]} = 0 ] && suite_result "$host" skip "W=1 and sparse builds" - "6.12 is not in KERNELS"

	# dkms, in a private tree: the host's dkms state is left alone.
	dk=$CACHE/dkms
	dkms_ok=1
	rm -rf "$dk"
	mkdir -p "$dk/tree" "$dk/src/erdev-$v_dkms"
	if ! command -v dkms >/dev/null; then
		dkms_ok=
		echo "dkms is not installed: run make deps" >"$host/logs/dkms-add.diag"
	elif ! { copy_sources "$dk/src/erdev-$v_dkms" &&
		cp "$ERDEV_ROOT/dkms.conf" "$dk/src/erdev-$v_dkms/" &&
		dkms add -m erdev -v "$v_dkms" --sourcetree "$dk/src" --dkmstree "$dk/tree"; } \
		>"$host/logs/dkms-add.diag" 2>&1; then
		dkms_ok=
	fi
	for k in "${names[@]}"; do
		kver=${KV[$k]}
		desc="dkms build for $kver"
		if [ -z "$dkms_ok" ]; then
			suite_result "$host" fail "$desc" dkms-add.diag "dkms add failed"
			continue
		fi
		dkms build -m erdev -v "$v_dkms" -k "$kver" \
			--sourcetree "$dk/src" --dkmstree "$dk/tree" \
			--kernelsourcedir "$(kernel_kdir "$kver")" >"$host/logs/dkms-$kver.log" 2>&1
		rc=$?
		ko=$(find "$dk/tree/erdev/$v_dkms/$kver" -name 'erdev.ko*' 2>/dev/null | head -n 1)
		if [ $rc = 0 ] && [ -n "$ko" ]; then
			suite_result "$host" pass "$desc"
		else
			{
				cat "$host/logs/dkms-$kver.log"
				echo "--- make.log:"
				cat "$dk/tree/erdev/$v_dkms/build/make.log" 2>/dev/null
			} >"$host/logs/dkms-$kver.diag"
			suite_result "$host" fail "$desc" "dkms-$kver.diag" "dkms status $rc"
		fi
	done

	# The supported range (dkms.conf's BUILD_EXCLUSIVE_KERNEL): DKMS
	# refuses a kernel outside it with its own message and status 77,
	# before it builds anything; make kernel_check (which install,
	# dkms_install and modules_install run first) refuses it too, and
	# takes every matrix kernel.
	unsupported_check() {
		local old=4.19.0-27-amd64 k
		dkms build -m erdev -v "$v_dkms" -k "$old" --sourcetree "$dk/src" \
			--dkmstree "$dk/tree" --kernelsourcedir /nonexistent
		rc=$?
		[ $rc = 77 ] || { echo "dkms build -k $old: status $rc, not 77"; return 1; }
		! make --no-print-directory kernel_check KVER=$old 2>&1 ||
			{ echo "make kernel_check KVER=$old passed"; return 1; }
		for k in "${names[@]}"; do
			make --no-print-directory kernel_check KVER="${KV[$k]}" ||
				{ echo "make kernel_check refuses ${KV[$k]}"; return 1; }
		done
	}
	if [ -z "$dkms_ok" ]; then
		suite_result "$host" fail "dkms refuses an unsupported kernel" dkms-add.diag "dkms add failed"
	elif unsupported_check >"$host/logs/dkms-unsupported.log" 2>&1 &&
		grep -q 'BUILD_EXCLUSIVE directive' "$host/logs/dkms-unsupported.log" &&
		grep -q '4.19.0-27-amd64 is not one of them' "$host/logs/dkms-unsupported.log"; then
		suite_result "$host" pass "dkms and make kernel_check refuse 4.19 (BUILD_EXCLUSIVE_KERNEL), take every matrix kernel"
	else
		mv "$host/logs/dkms-unsupported.log" "$host/logs/dkms-unsupported.diag"
		suite_result "$host" fail "dkms and make kernel_check refuse 4.19 (BUILD_EXCLUSIVE_KERNEL)" dkms-unsupported.diag
	fi
fi
# ercfg's own tests on the host (CLI grammar, unit tests, valgrind; about
# two minutes): never loads a module, so it runs next to the VMs.
if [ -n "${SKIP_HOST_CHECKS:-}" ]; then
	:
elif [ ! -f tools/ercfg/Makefile ]; then
	suite_result "$host" skip "make -C tools/ercfg check" - "no tools/ercfg/Makefile yet"
elif timeout 900 make -C tools/ercfg check >"$host/logs/ercfg-check.log" 2>&1; then
	suite_result "$host" pass "make -C tools/ercfg check ($(grep -o '^# [0-9]* tests' "$host/logs/ercfg-check.log" | tail -n 1 | cut -c3-))"
else
	mv "$host/logs/ercfg-check.log" "$host/logs/ercfg-check.diag"
	suite_result "$host" fail "make -C tools/ercfg check" ercfg-check.diag \
		"$(grep -c '^not ok' "$host/logs/ercfg-check.diag") failed"
fi
# ercfg's parsers (apply's FILE, the command line) under libFuzzer with
# ASan and UBSan, from seeds made of the tests, briefly: the long runs are
# "make fuzz". Nice'd, one harness at a time, next to the VMs: under a
# minute of wall time in all, build included.
FUZZ_CHECK_TIME=${FUZZ_CHECK_TIME:-20}
fuzz_desc="ercfg parsers under libFuzzer (ASan, UBSan): $FUZZ_CHECK_TIME s each, no crash, no leak"
if [ -n "${SKIP_HOST_CHECKS:-}" ]; then
	:
elif [ ! -f tools/ercfg/fuzz/run.sh ]; then
	suite_result "$host" skip "$fuzz_desc" - "no tools/ercfg/fuzz yet"
elif timeout 300 nice -n 10 make -C tools/ercfg fuzz-run \
	FUZZ_TIME="$FUZZ_CHECK_TIME" >"$host/logs/ercfg-fuzz.log" 2>&1; then
	suite_result "$host" pass "$fuzz_desc ($(awk '/ executions in /{ n += $2 } END { print n + 0 }' "$host/logs/ercfg-fuzz.log") executions)"
else
	mv "$host/logs/ercfg-fuzz.log" "$host/logs/ercfg-fuzz.diag"
	suite_result "$host" fail "$fuzz_desc" ercfg-fuzz.diag \
		"$(grep -c ' FAILED ' "$host/logs/ercfg-fuzz.diag") harness(es) failed"
fi
msg "host: checks done at $(elapsed) s"

# 8. Wait for the kernels and the VMs.
for p in "${bg_pids[@]}"; do
	wait "$p"
done
for k in "${names[@]}"; do
	if [ "$(cat "$state/prepare-$k.rc" 2>/dev/null)" != 0 ]; then
		cp "$state/prepare-$k.log" "$host/logs/prepare-$k.diag"
		suite_result "$host" fail "download and unpack kernel $k (${KV[$k]})" "prepare-$k.diag"
	fi
done

# 9. Results.
suite_print "$host" "erdev host checks"
read -r P F S < <(suite_counts "$host")
for k in "${vm_names[@]}"; do
	[ -f "$state/vm-$k.rc" ] || continue
	kver=${KV[$k]}
	cat "$state/ktap-$k.txt"
	read -r rc secs <"$state/vm-$k.rc"
	read -r p f s < <(suite_counts "$CACHE/run/$kver")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		# run-vm.sh failed without reporting a failed test
		echo "# tools/vm/run-vm.sh $k failed with status $rc; counted as a failure"
		f=1
	fi
	echo "# kernel $k ($kver): $secs s"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
done

msg "make check took $(elapsed) s"
echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
