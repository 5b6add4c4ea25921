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
#   newest the newest stock Debian kernel whose headers Debian publishes
#          in NEWEST_SUITES (default "trixie-backports forky sid"; the
#          newest linux-headers-<abi>-amd64 of them all, resolved at run
#          time, so the lane moves as Debian publishes). Opt-in:
#          KERNELS=newest. Fetched through a private apt configuration in
#          $CACHE/apt-newest, as 5.10 is. From 6.19 on Debian splits the
#          image: linux-binary-unsigned-<abi> (vmlinuz), linux-modules-<abi>
#          and linux-base-<abi> (System.map, config, modules.builtin), all
#          under /usr/lib/modules/<abi>; prepare-kernel.sh unpacks the
#          three. Its headers cannot be used from Debian 12 directly: the
#          kernel was built with that suite's gcc-14/15, whose flags (e.g.
#          -fmin-function-alignment) gcc-12 rejects, and linux-kbuild's
#          modpost, objtool and resolve_btfids need glibc >= 2.38 (no
#          sources for them are shipped to rebuild them from, and pahole
#          1.24 is older than the kernel's too). So the module is built in
#          a debootstrap chroot of the suite's release ($CACHE/chroot/
#          <release>, e.g. trixie for trixie-backports) with the headers
#          package installed there by the chroot's own apt, i.e. Debian's
#          own gcc, kbuild tools and pahole. $CACHE/headers/<abi> holds a
#          small Makefile that runs make in that chroot (chroot-make.sh),
#          so "make -C $(kernel_kdir <abi>) M=..." and dkms work as for the
#          other kernels. deps.sh builds the chroot (once, about 500 MB).

set -o pipefail

ERDEV_ROOT=${ERDEV_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CACHE=${CACHE:-$ERDEV_ROOT/.cache}
SHARED_KERNELS=${SHARED_KERNELS:-$ERDEV_ROOT/../shared/kernels}
LINUX_SOURCE_TAR=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
ALL_KERNELS="6.1 6.12 debug"
KNOWN_KERNELS="$ALL_KERNELS 5.10 debug7.3 newest"

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

# private_lists_fresh DIR MAX_AGE: DIR's private apt lists exist and none
# is older than MAX_AGE minutes.
private_lists_fresh() {
	compgen -G "$1/lists/*_Packages*" >/dev/null &&
		[ -z "$(find "$1/lists" -maxdepth 1 -name '*_Packages*' -mmin +"$2")" ]
}

# private_download APT UPDATE SUITES DIR PKG...: each package's .deb into
# DIR (kept there), with the private apt function APT (apt_bullseye,
# apt_newest); SUITES names them in the message. An ABI gone from the
# archive since the lists were fetched: once more after "UPDATE force".
private_download() {
	local apt=$1 update=$2 suites=$3 dir=$4 p need=()
	shift 4
	mkdir -p "$dir" || return 1
	for p in "$@"; do
		compgen -G "$dir/${p}_*.deb" >/dev/null || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && return 0
	msg "downloading ${need[*]} ($suites)"
	(cd "$dir" && "$apt" apt-get download -q "${need[@]}" >&2) && return 0
	"$update" force && (cd "$dir" && "$apt" apt-get download -q "${need[@]}" >&2)
}

# bullseye_update [force]: the private lists, fetched when missing or old.
bullseye_updated=
bullseye_update() {
	[ -n "$bullseye_updated" ] && return 0
	if [ "${1:-}" != force ] && private_lists_fresh "$BULLSEYE_APT" "$BULLSEYE_MAX_AGE"; then
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
	private_download apt_bullseye bullseye_update bullseye-security "$@"
}

# The newest kernel: the suites of NEWEST_SUITES through a private apt
# configuration, like bullseye's (NEWEST_MIRROR overrides the mirror host;
# the lists are refreshed when missing, older than NEWEST_MAX_AGE minutes
# or fetched for other suites).
NEWEST_APT=$CACHE/apt-newest
NEWEST_SUITES=${NEWEST_SUITES:-trixie-backports forky sid}
NEWEST_MAX_AGE=${NEWEST_MAX_AGE:-1440}

newest_mirror() {
	echo "${NEWEST_MIRROR:-$(debian_mirror)}/debian"
}

apt_newest() {
	local tool=$1 d=$NEWEST_APT s list
	shift
	list=$(for s in $NEWEST_SUITES; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(newest_mirror) $s main"
	done)
	if [ "$(cat "$d/sources.list" 2>/dev/null)" != "$list" ]; then
		mkdir -p "$d/lists/partial" "$d/archives/partial" || return 1
		echo "$list" >"$d/sources.list"
		# lists of other suites: fetch them again
		rm -f "$d/lists/"*_Packages* "$d/lists/"*Release*
	fi
	apt_private "$d" "$tool" "$@"
}

# newest_update [force]: the private lists, fetched when missing or old.
newest_updated=
newest_update() {
	[ -n "$newest_updated" ] && return 0
	apt_newest apt-cache policy >/dev/null 2>&1 # writes sources.list
	if [ "${1:-}" != force ] && private_lists_fresh "$NEWEST_APT" "$NEWEST_MAX_AGE"; then
		return 0
	fi
	msg "apt-get update ($NEWEST_SUITES, private lists in $NEWEST_APT)"
	apt_newest apt-get update -qq >&2 || return 1
	newest_updated=1
}

# The newest kernel ABI (e.g. 7.3.4+deb13-amd64) of NEWEST_SUITES that has
# headers, modules and an image (old ABIs keep images without headers in
# backports for a while).
resolve_newest() {
	local names p
	names=$(apt_newest apt-cache search --names-only \
		'^linux-(headers|modules|binary-unsigned)-[0-9]+\.[0-9]+\.[0-9]+(\+deb[0-9]+)?-amd64$' 2>/dev/null |
		awk '{print $1}')
	for p in headers modules binary-unsigned; do
		grep "^linux-$p-" <<<"$names" | sed "s/^linux-$p-//" | sort -u
	done | sort | uniq -c | awk '$1 == 3 {print $2}' | sort -V | tail -n 1
}

# newest_suite ABI: the suite that has that ABI's headers (the first in
# apt's order), and newest_release ABI its release (trixie for
# trixie-backports): the chroot's suite.
newest_suite() {
	apt_newest apt-cache policy "linux-headers-$1" 2>/dev/null |
		awk '$1 ~ /^[0-9]+$/ && $2 ~ /^https?:/ {print $3; exit}' | sed 's|/.*||'
}

newest_release() {
	local s
	s=$(newest_suite "$1")
	[ -n "$s" ] && echo "${s%-backports}"
}

# The image packages of the newest kernel (the image is split, see above).
newest_image_pkgs() {
	echo "linux-binary-unsigned-$1 linux-modules-$1 linux-base-$1"
}

# newest_download DIR PKG...: as bullseye_download, from NEWEST_SUITES.
newest_download() {
	private_download apt_newest newest_update "$NEWEST_SUITES" "$@"
}

# unpack_linux_source TAR TOP: of a linux-source tarball whose files are
# under TOP/, what the host checks and ynl.sh use (checkpatch and its
# data, YNL and the netlink specs; MAINTAINERS, which ynl-gen-c looks up
# the tree for, looping forever without it), into $CACHE/src/TOP.
unpack_linux_source() {
	mkdir -p "$CACHE/src" &&
		tar -xf "$1" -C "$CACHE/src" --wildcards \
			"$2/MAINTAINERS" \
			"$2/scripts/checkpatch.pl" \
			"$2/scripts/spelling.txt" \
			"$2/scripts/const_structs.checkpatch" \
			"$2/Documentation/netlink/*" \
			"$2/tools/net/ynl/*"
}

# prepare_newest_src: the newest kernel's (kernel_kver newest) checkpatch
# and YNL tools, from its linux-source-X.Y package in NEWEST_SUITES,
# unpacked once into $CACHE/src/linux-source-X.Y; NSRC names that folder.
NSRC=
prepare_newest_src() {
	local kv mm dl=$CACHE/src/dl deb stamp
	kv=$(kernel_kver newest) && [ -n "$kv" ] || { echo "cannot resolve the newest kernel"; return 1; }
	mm=$(cut -d. -f1,2 <<<"$kv")
	NSRC=$CACHE/src/linux-source-$mm
	newest_download "$dl" "linux-source-$mm" || return 1
	deb=$(compgen -G "$dl/linux-source-${mm}_*.deb" | sort -V | tail -n 1)
	stamp=$(basename "$deb")
	[ "$(cat "$NSRC.stamp" 2>/dev/null)" = "$stamp" ] && return 0
	rm -rf "$NSRC" "$NSRC.stamp" "$dl/usr"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dl" "./usr/src/linux-source-$mm.tar.xz" || return 1
	unpack_linux_source "$dl/usr/src/linux-source-$mm.tar.xz" "linux-source-$mm" || return 1
	rm -rf "$dl/usr"
	echo "$stamp" >"$NSRC.stamp"
}

# The chroot the newest kernel's modules are built in (see above).
newest_chroot() {
	echo "$CACHE/chroot/$1"
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
	newest)
		newest_update || [ -s "$c" ] || return 1
		if [ -s "$c" ] && [ -z "$(find "$NEWEST_APT/lists" -maxdepth 1 -name '*_Packages*' -newer "$c" 2>/dev/null | head -n 1)" ]; then
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
	newest)
		v=$(resolve_newest)
		if [ -z "$v" ]; then
			newest_update force && v=$(resolve_newest)
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
# unpacked under $CACHE/headers (tools/vm/deps.sh); the newest kernel's
# is the Makefile in $CACHE/headers/<kver> that builds in its chroot; the
# others are installed.
kernel_kdir() {
	case "$1" in
	5.10.*) echo "$CACHE/headers/$1/usr/src/linux-headers-$1" ;;
	*-erdebug) echo "/usr/src/linux-headers-$1" ;;
	[7-9].*-amd64 | [1-9][0-9].*-amd64) echo "$CACHE/headers/$1" ;;
	*) echo "/usr/src/linux-headers-$1" ;;
	esac
}

# build_module KVER OUTDIR [MAKE-ARGS...]: erdev.ko for kernel release KVER
# in OUTDIR, from a fresh copy there of the module sources (Kbuild,
# VERSION, erdev/, include/) of ERDEV_SRC (default: this tree), since an
# M= build writes next to its sources. A fresh copy each time: tar keeps
# the files' times, so objects built from newer sources (another
# ERDEV_SRC, another checkout) would look current. The headers are
# kernel_kdir KVER's: 5.10's unpacked ones, the newest kernel's chroot
# (its Makefile there runs make in the chroot, tools/vm/chroot-make.sh),
# the installed ones else; KVER may also be a headers folder itself (an
# absolute path, e.g. /lib/modules/$(uname -r)/build). MAKE-ARGS go to
# make (W=1, C=1, -s). The build's output goes to stdout and stderr;
# status 0 when OUTDIR/erdev.ko was built.
build_module() {
	local kver=$1 out=$2 kdir src=${ERDEV_SRC:-$ERDEV_ROOT}
	shift 2
	case "$kver" in
	/*) kdir=$kver ;;
	*) kdir=$(kernel_kdir "$kver") ;;
	esac
	if [ ! -d "$kdir" ]; then
		echo "no headers at $kdir: run make deps" >&2
		return 1
	fi
	rm -rf "$out" && mkdir -p "$out" &&
		(cd "$src" && tar -c Kbuild VERSION erdev include) | tar -x -C "$out" || return 1
	make -C "$kdir" M="$out" -j"$(nproc 2>/dev/null || echo 2)" "$@" modules &&
		[ -f "$out/erdev.ko" ]
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
