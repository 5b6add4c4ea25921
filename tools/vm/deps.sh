#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: install every Debian package that building and testing erdev
# need. Does nothing (quickly) when everything is already there.
#
#   tools/vm/deps.sh [--check]      --check: only report what is missing
#
# Kernel headers for the matrix (KERNELS, default "6.1 6.12 debug") are
# resolved from the apt archive each time, so a new Debian point release
# brings in the new 6.1 ABI's headers. 5.10's come from bullseye-security
# through the private apt configuration of common.sh and are unpacked
# under $CACHE/headers/<kver> rather than installed. The newest kernel's
# (KERNELS=newest) are installed in a debootstrap chroot of their suite's
# release under $CACHE/chroot/ (see common.sh), with a Makefile in
# $CACHE/headers/<kver> that builds there.
. "$(dirname "$0")/common.sh"

# Build, test and lab tools. Keep this list sorted. clang with
# libclang-rt-14-dev (libFuzzer's and the sanitizers' runtimes) and llvm
# (llvm-symbolizer, for readable reports) build and run ercfg's fuzzers.
PACKAGES=(
	bc
	bird2
	bison
	build-essential
	busybox-static
	clang
	cpio
	dkms
	ethtool
	flex
	iperf3
	iproute2
	iputils-ping
	jq
	kmod
	libcap2-bin
	libclang-rt-14-dev
	libelf-dev
	libmnl-dev
	linux-source-6.12
	llvm
	perl
	pkg-config
	procps
	psmisc
	python3
	python3-jsonschema
	python3-yaml
	qemu-system-x86
	socat
	sparse
	tcpdump
	tshark
	valgrind
	xz-utils
	zstd
)

check_only=
[ "${1:-}" = --check ] && check_only=1

missing() {
	[ $# -gt 0 ] || return 0
	local inst
	inst=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null |
		sed -n 's/^installed //p')
	printf '%s\n' "$@" | grep -vxF -f <(echo "$inst"; echo ' ') || true
}

if [ "$(id -u)" != 0 ] && [ -z "$check_only" ]; then
	SUDO=sudo
else
	SUDO=
fi

# Packages first: apt-cache and dpkg-deb are needed to resolve kernels.
need=$(missing "${PACKAGES[@]}")

kpkgs=()
k510=
knewest=
for k in ${KERNELS:-$ALL_KERNELS}; do
	case "$k" in
	5.10)
		k510=$(kernel_kver 5.10) || die "cannot resolve kernel 5.10 from bullseye-security"
		;;
	6.1 | 6.12)
		if ! have_apt_lists; then
			[ -n "$check_only" ] && { echo "apt lists missing"; exit 1; }
			$SUDO apt-get update -qq >&2 || die "apt-get update failed"
		fi
		kver=$(kernel_kver "$k") || die "cannot resolve kernel $k from apt"
		kpkgs+=("linux-headers-$kver")
		;;
	newest)
		knewest=$(kernel_kver newest) || die "cannot resolve the newest kernel from $NEWEST_SUITES"
		# the chroot its modules are built in
		kpkgs+=(debootstrap)
		;;
	debug | debug7.3) ;;
	*) die "unknown kernel '$k' in KERNELS (known: $KNOWN_KERNELS)" ;;
	esac
done
need="$need $(missing "${kpkgs[@]}")"
need=$(echo $need)

if [ -n "$need" ]; then
	if [ -n "$check_only" ]; then
		echo "missing: $need"
		exit 1
	fi
	msg "installing: $need"
	export DEBIAN_FRONTEND=noninteractive
	# The 6.12 headers package depends on a 6.12 image package, which apt
	# installs as a side effect. It is never booted on the host: skip
	# building an initramfs for it.
	export INITRD=No
	mkdir -p "$CACHE"
	log=$CACHE/deps-apt.log
	apt_install() {
		$SUDO env DEBIAN_FRONTEND=noninteractive INITRD=No \
			apt-get install -y -q --no-install-recommends \
			-o Dpkg::Options::=--force-confdef \
			-o Dpkg::Options::=--force-confold $need >>"$log" 2>&1
	}
	: >"$log"
	if ! apt_install; then
		msg "apt-get install failed; apt-get update and a second try"
		$SUDO apt-get update -q >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "apt-get update failed"; }
		apt_install || { tail -n 40 "$log" >&2; die "apt-get install failed (log: $log)"; }
	fi
	msg "installed (log: $log)"
fi

# 5.10's headers: the three packages unpacked into one tree, with the
# Makefile's include pointed at the unpacked common tree and CC at Debian
# 12's gcc (they were built with bullseye's gcc-10, which Debian 12 lacks).
headers_510() {
	local kver=$1 root=$CACHE/headers/$1 pkgs debs d stamp kdir rc
	local sfile=$CACHE/headers/$1.stamp
	read -r -a pkgs <<<"$(headers_510_pkgs "$kver")"
	debs=()
	for p in "${pkgs[@]}"; do
		d=$(compgen -G "$CACHE/debs/${p}_*.deb" | sort -V | tail -n 1)
		[ -n "$d" ] && debs+=("$d")
	done
	stamp=$(for d in "${debs[@]}"; do basename "$d"; done | tr '\n' ' ')
	kdir=$root/usr/src/linux-headers-$kver
	if [ ${#debs[@]} = ${#pkgs[@]} ] && [ -f "$kdir/Makefile" ] &&
		[ "$(cat "$sfile" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	[ -n "$check_only" ] && { echo "missing: 5.10 headers in $root"; exit 1; }
	bullseye_download "$CACHE/debs" "${pkgs[@]}" || die "cannot download ${pkgs[*]}"
	debs=()
	for p in "${pkgs[@]}"; do
		debs+=("$(compgen -G "$CACHE/debs/${p}_*.deb" | sort -V | tail -n 1)")
	done
	stamp=$(for d in "${debs[@]}"; do basename "$d"; done | tr '\n' ' ')
	msg "unpacking the $kver headers into $root"
	rm -rf "$root" "$root.tmp" "$sfile"
	mkdir -p "$root.tmp"
	for d in "${debs[@]}"; do
		dpkg-deb -x "$d" "$root.tmp" || die "dpkg-deb -x $d failed"
	done
	mv "$root.tmp" "$root"
	root=$(realpath "$root")
	kdir=$root/usr/src/linux-headers-$kver
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile" &&
		sed -i 's/^\(CC = .*\)gcc-[0-9][0-9]*$/\1gcc/' "$kdir/.kernelvariables" ||
		die "cannot adjust $kdir"
	grep -q "^include $root/" "$kdir/Makefile" || die "$kdir/Makefile: unexpected include"
	# linux-kbuild-5.10's tools are bullseye binaries: fixdep without
	# arguments prints its usage and exits 1 if it runs here at all.
	"$kdir/scripts/basic/fixdep" >/dev/null 2>&1
	rc=$?
	[ $rc = 1 ] || die "$kdir/scripts/basic/fixdep does not run on this machine (status $rc)"
	echo "$stamp" >"$sfile"
}
[ -n "$k510" ] && headers_510 "$k510"

# The newest kernel's headers: installed by apt in a debootstrap chroot of
# their suite's release (trixie for trixie-backports), which brings the
# gcc-14/15, kbuild tools (glibc >= 2.38) and pahole the kernel was built
# with; Debian 12's gcc-12 rejects the kernel's flags. $CACHE/headers/<kver>
# gets a Makefile that runs make there (chroot-make.sh).
headers_newest() {
	local kver=$1 suite rel root mirror kdir hdir=$CACHE/headers/$1 stamp old
	local sfile=$CACHE/headers/$1.stamp
	suite=$(newest_suite "$kver")
	[ -n "$suite" ] || die "no suite of $NEWEST_SUITES has linux-headers-$kver"
	rel=${suite%-backports}
	root=$(realpath -m "$(newest_chroot "$rel")")
	kdir=/usr/src/linux-headers-$kver
	# What the chroot gets besides the headers: binutils for "as" (the
	# gcc-14-for-host the headers bring runs as, not x86_64-linux-gnu-as),
	# sparse for the C=1 host check on these headers.
	local extra="binutils sparse"
	stamp="$kver $root $extra $(md5sum <"$ERDEV_ROOT/tools/vm/chroot-make.sh" | cut -c1-32)"
	if [ -f "$root/.erdev-chroot" ] && [ -f "$root$kdir/Makefile" ] &&
		[ -f "$hdir/Makefile" ] && [ "$(cat "$sfile" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	[ -n "$check_only" ] && { echo "missing: $kver headers in the chroot $root"; exit 1; }
	mirror=$(newest_mirror)
	if [ ! -f "$root/.erdev-chroot" ]; then
		# sid's script serves every release since bullseye (forky has
		# none of its own in Debian 12's debootstrap).
		msg "debootstrap $rel into $root (once; log: $root.log)"
		rm -rf "$root.tmp"
		mkdir -p "$(dirname "$root")"
		debootstrap --variant=minbase --include=make "$rel" "$root.tmp" "$mirror" \
			/usr/share/debootstrap/scripts/sid >"$root.log" 2>&1 ||
			{ tail -n 20 "$root.log" >&2; die "debootstrap $rel failed (log: $root.log)"; }
		rm -rf "$root"
		mv "$root.tmp" "$root" && touch "$root/.erdev-chroot" || die "cannot move $root.tmp"
	fi
	# The chroot's own apt sources: its release, and the suite if that is
	# a backports suite (the machine's apt sources are not touched).
	{
		echo "deb $mirror $rel main"
		[ "$suite" = "$rel" ] || echo "deb $mirror $suite main"
	} >"$root/etc/apt/sources.list"
	msg "installing linux-headers-$kver $extra in $root"
	{
		chroot "$root" apt-get update -q &&
			chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends "linux-headers-$kver" $extra # split on purpose
	} >>"$root.log" 2>&1 ||
		{ tail -n 20 "$root.log" >&2; die "cannot install linux-headers-$kver in $root (log: $root.log)"; }
	# The headers of older ABIs: not needed any more.
	old=$(chroot "$root" dpkg-query -W -f='${db:Status-Status} ${Package}\n' \
		'linux-headers-*' 'linux-kbuild-*' 2>/dev/null |
		awk '$1 == "installed" {print $2}' | grep -vF -e "${kver%-amd64}" || true)
	if [ -n "$old" ]; then
		# shellcheck disable=SC2086
		chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $old \
			>>"$root.log" 2>&1 || msg "could not remove $old from $root"
	fi
	chroot "$root" apt-get clean
	[ -f "$root$kdir/Makefile" ] || die "no $kdir/Makefile in $root"
	rm -rf "$hdir"
	mkdir -p "$hdir"
	# What dkms looks at in a headers folder (include/, .config, scripts/).
	for f in .config Module.symvers include scripts; do
		ln -s "$root$kdir/$f" "$hdir/$f" || die "cannot link $hdir/$f"
	done
	# The goals and command-line variables (M=, W=1, C=1, ...) are passed
	# on to one make in the chroot; the other goals do nothing here.
	{
		echo "# Generated by tools/vm/deps.sh: linux-headers-$kver are installed in"
		echo "# the chroot $root; make here runs make -C $kdir there."
		echo 'goals := $(or $(MAKECMDGOALS),all)'
		echo '$(firstword $(goals)):'
		printf '\t+@exec %s %s %s $(MAKEOVERRIDES) $(MAKECMDGOALS)\n' \
			"$ERDEV_ROOT/tools/vm/chroot-make.sh" "$root" "$kdir"
		echo 'ifneq ($(words $(goals)),1)'
		echo '$(wordlist 2,$(words $(goals)),$(goals)):'
		printf '\t@:\n'
		echo 'endif'
		echo '.PHONY: $(goals)'
	} >"$hdir/Makefile"
	echo "$stamp" >"$sfile"
}
[ -n "$knewest" ] && headers_newest "$knewest"

# The debug kits' headers (local .debs without dependencies).
for k in ${KERNELS:-$ALL_KERNELS}; do
	case "$k" in
	debug | debug7.3) ;;
	*) continue ;;
	esac
	deb=$(debug_headers_deb "$k")
	if [ -n "$deb" ]; then
		pkg=$(dpkg-deb -f "$deb" Package)
		ver=$(dpkg-deb -f "$deb" Version)
		have=$(dpkg-query -W -f='${db:Status-Status} ${Version}' "$pkg" 2>/dev/null)
		if [ "$have" != "installed $ver" ]; then
			if [ -n "$check_only" ]; then
				echo "missing: $pkg $ver"
				exit 1
			fi
			msg "installing $(basename "$deb")"
			$SUDO dpkg -i "$deb" >/dev/null || die "dpkg -i $deb failed"
		fi
	else
		msg "no $k kernel kit in $(debug_kit_dir "$k"): that kernel will be skipped"
	fi
done
exit 0
