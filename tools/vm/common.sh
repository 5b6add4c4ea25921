# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared host-side helpers for tools/vm/*.sh (sourced, not run).
#
# Kernel names (KERNELS=...):
#   5.10   the newest linux-image-5.10.0-NN-amd64-unsigned of Debian 11's
#          bullseye-security, standing in for the 5.14/5.15 enterprise
#          kernels. Fetched through a private apt configuration in
#          $CACHE/apt-bullseye (its own sources.list, lists and archive
#          cache; the machine's apt sources are never touched), from the
#          mirror host the machine's own Debian sources use. Its headers
#          (linux-headers-5.10.0-NN-{amd64,common}, linux-kbuild-5.10) are
#          unpacked with dpkg-deb -x into $CACHE/headers/<kver>, not
#          installed (they depend on bullseye's gcc-10 and libssl1.1): the
#          Makefile's include is pointed at the unpacked common tree and CC
#          at Debian 12's gcc. linux-kbuild-5.10's fixdep, modpost and
#          objtool run here (bullseye's glibc is older); only sign-file and
#          extract-cert need libssl1.1, and building a module uses neither.
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
KNOWN_KERNELS="$ALL_KERNELS 5.10 debug7.3"

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

# Debian 11 (bullseye) through a private apt configuration: apt_bullseye
# apt-get|apt-cache ARGS... The mirror host is the one the machine's own
# Debian sources name (BULLSEYE_MIRROR overrides it); the lists are
# refreshed when they are missing or older than BULLSEYE_MAX_AGE minutes.
BULLSEYE_APT=$CACHE/apt-bullseye
BULLSEYE_MAX_AGE=${BULLSEYE_MAX_AGE:-1440}

debian_mirror() {
	local u
	u=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v '^[[:space:]]*#' | grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' |
		head -n 1 | sed 's|/debian/\{0,1\}[[:space:]]*$||')
	echo "${u:-http://deb.debian.org}"
}

apt_bullseye() {
	local tool=$1 d=$BULLSEYE_APT
	shift
	if [ ! -f "$d/sources.list" ]; then
		mkdir -p "$d/lists/partial" "$d/archives/partial" || return 1
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${BULLSEYE_MIRROR:-$(debian_mirror)}/debian-security bullseye-security main" \
			>"$d/sources.list"
	fi
	apt_private "$d" "$tool" "$@"
}

# apt_private DIR apt-get|apt-cache ARGS...: apt on DIR's sources.list,
# lists and archive cache only, with an empty dpkg status.
apt_private() {
	local d=$1 tool=$2
	shift 2
	# One apt at a time on these lists (the kernel downloads run in
	# parallel); the download folder is the caller's working directory.
	flock "$d/lock" "$tool" -o Dir::Etc::sourcelist="$d/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$d/lists" \
		-o Dir::Cache="$d" -o Dir::Cache::archives="$d/archives" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root \
		-o APT::Architectures::=amd64 "$@"
}

# bullseye_update [force]: the private lists, fetched when missing or old.
bullseye_updated=
bullseye_update() {
	[ -n "$bullseye_updated" ] && return 0
	if [ "${1:-}" != force ] && compgen -G "$BULLSEYE_APT/lists/*_Packages*" >/dev/null &&
		[ -z "$(find "$BULLSEYE_APT/lists" -maxdepth 1 -name '*_Packages*' -mmin +"$BULLSEYE_MAX_AGE")" ]; then
		return 0
	fi
	msg "apt-get update (bullseye-security, private lists in $BULLSEYE_APT)"
	apt_bullseye apt-get update -qq >&2 || return 1
	bullseye_updated=1
}

# The newest 5.10 kernel (ABI) of bullseye-security.
resolve_510() {
	apt_bullseye apt-cache search --names-only '^linux-image-5\.10\.0-[0-9]+-amd64-unsigned$' 2>/dev/null |
		awk '{print $1}' | sed 's/^linux-image-//; s/-unsigned$//' |
		sort -V | tail -n 1
}

# bullseye_download DIR PKG...: each package's .deb into DIR (kept there).
bullseye_download() {
	local dir=$1 p need=()
	shift
	mkdir -p "$dir" || return 1
	for p in "$@"; do
		compgen -G "$dir/${p}_*.deb" >/dev/null || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && return 0
	msg "downloading ${need[*]} (bullseye-security)"
	(cd "$dir" && apt_bullseye apt-get download -q "${need[@]}" >&2) && return 0
	# An ABI gone from the archive since the lists were fetched.
	bullseye_update force && (cd "$dir" && apt_bullseye apt-get download -q "${need[@]}" >&2)
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
	5.10)
		bullseye_update || [ -s "$c" ] || return 1
		if [ -s "$c" ] && [ -z "$(find "$BULLSEYE_APT/lists" -maxdepth 1 -name '*_Packages*' -newer "$c" 2>/dev/null | head -n 1)" ]; then
			cat "$c"
			return 0
		fi
		;;
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
	5.10)
		v=$(resolve_510)
		if [ -z "$v" ]; then
			bullseye_update force && v=$(resolve_510)
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

# kernel_kdir KVER: the headers directory to build against. 5.10's are
# unpacked under $CACHE/headers (tools/vm/deps.sh), the others installed.
kernel_kdir() {
	case "$1" in
	5.10.*) echo "$CACHE/headers/$1/usr/src/linux-headers-$1" ;;
	*) echo "/usr/src/linux-headers-$1" ;;
	esac
}

# The 5.10 headers' packages, for kernel release KVER.
headers_510_pkgs() {
	local common=${1%-amd64}
	echo "linux-headers-$1 linux-headers-$common-common linux-kbuild-5.10"
}

is_debug_kver() {
	case "$1" in *-erdebug) return 0 ;; esac
	return 1
}
