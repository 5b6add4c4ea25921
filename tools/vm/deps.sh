#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deps: install every Debian package that building and testing erdev
# need. Does nothing (quickly) when everything is already there.
#
#   tools/vm/deps.sh [--check]      --check: only report what is missing
#
# Kernel headers for the matrix (KERNELS, default "6.1 6.12 debug") are
# resolved from the apt archive each time, so a new Debian point release
# brings in the new 6.1 ABI's headers.
. "$(dirname "$0")/common.sh"

# Build, test and lab tools. Keep this list sorted.
PACKAGES=(
	bc
	bird2
	bison
	build-essential
	busybox-static
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
	libelf-dev
	libmnl-dev
	linux-source-6.12
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
for k in ${KERNELS:-$ALL_KERNELS}; do
	case "$k" in
	6.1 | 6.12)
		if ! have_apt_lists; then
			[ -n "$check_only" ] && { echo "apt lists missing"; exit 1; }
			$SUDO apt-get update -qq >&2 || die "apt-get update failed"
		fi
		kver=$(kernel_kver "$k") || die "cannot resolve kernel $k from apt"
		kpkgs+=("linux-headers-$kver")
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
