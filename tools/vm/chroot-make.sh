#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# chroot-make.sh ROOT KDIR [MAKE-ARGS...]: make -C KDIR MAKE-ARGS in the
# chroot ROOT. The newest kernel's headers are installed in a chroot of
# their suite (see common.sh): its gcc and kbuild tools do not run on
# Debian 12. $CACHE/headers/<kver>/Makefile (deps.sh) calls this, so that
# "make -C <that folder> M=DIR ..." builds as with any other headers.
#
# M=DIR (and the real path behind it) is bind-mounted at the same path in
# the chroot, as are /dev and /proc, in a private mount namespace: the
# mounts go away with the build, nothing stays mounted on the host. Needs
# root (unshare -m, chroot), as make check does.
set -o pipefail

root=${1:?usage: chroot-make.sh ROOT KDIR [MAKE-ARGS...]}
kdir=${2:?usage: chroot-make.sh ROOT KDIR [MAKE-ARGS...]}
shift 2

if [ -z "${ERDEV_CHROOT_NS:-}" ]; then
	ERDEV_CHROOT_NS=1 exec unshare -m --propagation private "$0" "$root" "$kdir" "$@"
fi
unset ERDEV_CHROOT_NS

bind() {
	[ -d "$1" ] || return 0
	mkdir -p "$root$1" && mount --bind "$1" "$root$1"
}
mount --rbind /dev "$root/dev" && mount -t proc proc "$root/proc" ||
	{ echo "chroot-make.sh: cannot mount /dev and /proc in $root" >&2; exit 1; }
for a in "$@"; do
	case "$a" in
	M=/* | src=/*)
		d=${a#*=}
		bind "$d" || exit 1
		r=$(realpath -m "$d")
		[ "$r" = "$d" ] || bind "$r" || exit 1
		;;
	esac
done
# The host's locale may not exist in the chroot (gcc would warn about it).
exec env LC_ALL=C.UTF-8 chroot "$root" make -C "$kdir" "$@"
