# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared host-side helpers for tools/vm/*.sh (sourced, not run).
#
# Kernel names (KERNELS=...):
#   6.1    Debian 12's current 6.1 kernel: the ABI that linux-headers-amd64
#          depends on (linux-image-<abi>-unsigned + linux-headers-<abi>).
#   6.12   the newest linux-image-6.12.*+deb12-amd64-unsigned in the archive.
#   debug  the debug kernel kit in ../shared/kernels (KASAN, lockdep,
#          kmemleak, ...); skipped when that folder has no kit.
#   debug7.3  the 7.3 debug kit in ../shared/kernels/7.3: the same checkers
#          on a kernel with the per-device instance lock (6.15+), whose
#          rules only its lockdep checks. Not in the default matrix (one
#          more debug lane costs CI half an hour): KERNELS=debug7.3.

set -o pipefail

ERDEV_ROOT=${ERDEV_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CACHE=${CACHE:-$ERDEV_ROOT/.cache}
SHARED_KERNELS=${SHARED_KERNELS:-$ERDEV_ROOT/../shared/kernels}
LINUX_SOURCE_TAR=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
ALL_KERNELS="6.1 6.12 debug"
KNOWN_KERNELS="$ALL_KERNELS debug7.3"

export DEBIAN_FRONTEND=noninteractive

msg() { printf '# %s\n' "$*" >&2; }
die() { printf '# error: %s\n' "$*" >&2; exit 1; }

# apt-get update, at most once per process (and only when asked for).
apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	msg "apt-get update"
	apt-get update -qq >&2 || return 1
	apt_updated=1
}

have_apt_lists() {
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null
}

# The 6.1 ABI that Debian's linux-headers-amd64 meta package points at.
resolve_61() {
	apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' |
		sort -V | tail -n 1
}

# The newest Debian 12 6.12 kernel in the archive.
resolve_612() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
		awk '{print $1}' | sed 's/^linux-image-//; s/-unsigned$//' |
		sort -V | tail -n 1
}

# debug_kit_dir NAME: the folder of a debug kit (debug, debug7.3).
debug_kit_dir() {
	case "$1" in
	debug) echo "$SHARED_KERNELS" ;;
	debug*) echo "$SHARED_KERNELS/${1#debug}" ;;
	esac
}

# debug_image_deb [NAME], debug_headers_deb [NAME]: the kit's packages.
debug_image_deb() {
	compgen -G "$(debug_kit_dir "${1:-debug}")/linux-image-*-erdebug_*.deb" | sort -V | tail -n 1
}

debug_headers_deb() {
	compgen -G "$(debug_kit_dir "${1:-debug}")/linux-headers-*-erdebug_*.deb" | sort -V | tail -n 1
}

# kernel_kver NAME: print the kernel release (uname -r) of a matrix kernel.
# Returns 2 when the kernel is not available (debug kit missing).
# apt answers are cached in $CACHE/resolved/ until the apt lists change.
kernel_kver() {
	local v deb c="$CACHE/resolved/$1"
	case "$1" in
	6.1 | 6.12)
		if [ -s "$c" ] && [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -newer "$c" 2>/dev/null | head -n 1)" ]; then
			cat "$c"
			return 0
		fi
		;;
	esac
	case "$1" in
	6.1)
		v=$(resolve_61)
		if [ -z "$v" ]; then
			apt_update && v=$(resolve_61)
		fi
		;;
	6.12)
		v=$(resolve_612)
		if [ -z "$v" ]; then
			apt_update && v=$(resolve_612)
		fi
		;;
	debug | debug7.3)
		deb=$(debug_image_deb "$1")
		[ -n "$deb" ] || return 2
		v=$(dpkg-deb -f "$deb" Package | sed 's/^linux-image-//')
		;;
	*)
		die "unknown kernel '$1' (known: $KNOWN_KERNELS)"
		;;
	esac
	[ -n "$v" ] || return 1
	if [ "${1#debug}" = "$1" ]; then
		mkdir -p "$CACHE/resolved" && echo "$v" >"$c"
	fi
	echo "$v"
}

# Headers directory to build against.
kernel_kdir() {
	echo "/usr/src/linux-headers-$1"
}

is_debug_kver() {
	case "$1" in *-erdebug) return 0 ;; esac
	return 1
}
