#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# prepare-kernel.sh NAME: make a matrix kernel bootable under QEMU.
#
# Downloads the image package (apt-get download; 5.10's from bullseye-security
# and the newest kernel's three from NEWEST_SUITES through common.sh's
# private apt configurations; the debug kit's .deb is used in place),
# unpacks it with dpkg-deb -x under
# $CACHE/kernels/<kver>/root, runs depmod on it, and builds a busybox
# initramfs that loads the virtio/9p modules the kernel needs to mount the
# host root. Prints the kernel release. Nothing is installed on the host.
#
# Exit status: 0 ready, 2 kernel not available (debug kit missing), 1 error.
. "$(dirname "$0")/common.sh"

name=${1:?usage: prepare-kernel.sh NAME}
kver=$(kernel_kver "$name")
rc=$?
[ $rc = 2 ] && { msg "no debug kernel kit in $SHARED_KERNELS"; exit 2; }
[ $rc = 0 ] || die "cannot resolve kernel '$name'"

kdir=$CACHE/kernels/$kver
mkdir -p "$kdir" "$CACHE/debs"

# 1. the image package (packages, for the newest kernel)
debs=()
if [ "${name#debug}" != "$name" ]; then
	deb=$(debug_image_deb "$name")
elif [ "$name" = newest ]; then
	# From 6.19 on the image is split (common.sh): vmlinuz, modules and
	# the base files (modules.builtin, ...) are three packages.
	read -r -a pkgs <<<"$(newest_image_pkgs "$kver")"
	newest_download "$CACHE/debs" "${pkgs[@]}" || die "cannot download ${pkgs[*]} ($NEWEST_SUITES)"
	for p in "${pkgs[@]}"; do
		d=$(compgen -G "$CACHE/debs/${p}_*.deb" | sort -V | tail -n 1)
		[ -f "$d" ] || die "no $p package"
		debs+=("$d")
	done
	deb=${debs[0]}
else
	pkg=linux-image-$kver-unsigned
	deb=$(compgen -G "$CACHE/debs/${pkg}_*.deb" | sort -V | tail -n 1)
	if [ -z "$deb" ] && [ "$name" = 5.10 ]; then
		bullseye_download "$CACHE/debs" "$pkg" || die "cannot download $pkg (bullseye-security)"
		deb=$(compgen -G "$CACHE/debs/${pkg}_*.deb" | sort -V | tail -n 1)
	elif [ -z "$deb" ]; then
		msg "downloading $pkg"
		fetch() { (cd "$CACHE/debs" && apt-get download -q "$pkg" >&2 2>/dev/null ||
			apt-get download "$pkg" >&2); }
		if ! fetch; then
			apt_update && fetch || die "apt-get download $pkg failed"
		fi
		deb=$(compgen -G "$CACHE/debs/${pkg}_*.deb" | sort -V | tail -n 1)
	fi
fi
[ -f "$deb" ] || die "no image package for $kver"
[ ${#debs[@]} = 0 ] && debs=("$deb")

# 2. unpack + depmod (redone when the packages change)
stamp=$(for d in "${debs[@]}"; do echo "$(basename "$d") $(stat -c %s "$d")"; done)
if [ "$(cat "$kdir/root.stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$kdir/root" "$kdir/root.tmp" "$kdir/root.stamp" "$kdir/initramfs.stamp"
	for d in "${debs[@]}"; do
		msg "unpacking $(basename "$d")"
		dpkg-deb -x "$d" "$kdir/root.tmp" || die "dpkg-deb -x $d failed"
	done
	# The split packages install under /usr/lib/modules/<kver> only, with
	# vmlinuz.unsigned there: move them where the older images put them
	# (run-vm.sh and init look in /lib/modules and /boot; Debian 12's
	# depmod -b in /lib/modules).
	u=$kdir/root.tmp/usr/lib/modules/$kver
	if [ -d "$u" ] && [ ! -e "$kdir/root.tmp/lib/modules/$kver" ]; then
		mkdir -p "$kdir/root.tmp/lib/modules" "$kdir/root.tmp/boot" &&
			mv "$u" "$kdir/root.tmp/lib/modules/" || die "cannot move $u"
		v=$kdir/root.tmp/lib/modules/$kver/vmlinuz.unsigned
		[ -f "$v" ] && { mv "$v" "$kdir/root.tmp/boot/vmlinuz-$kver" || die "cannot move $v"; }
	fi
	[ -f "$kdir/root.tmp/boot/vmlinuz-$kver" ] || die "no /boot/vmlinuz-$kver in ${debs[*]}"
	depmod -b "$kdir/root.tmp" "$kver" || die "depmod failed"
	mv "$kdir/root.tmp" "$kdir/root"
	echo "$stamp" >"$kdir/root.stamp"
fi

# 3. initramfs (redone when the package or the scripts change)
istamp="$stamp $(cat "$ERDEV_ROOT/tools/vm/init" "$0" | md5sum)"
if [ "$(cat "$kdir/initramfs.stamp" 2>/dev/null)" != "$istamp" ]; then
	msg "building initramfs for $kver"
	bb=$(command -v busybox) || die "busybox not found (apt-get install busybox-static)"
	file -L "$bb" 2>/dev/null | grep -q dynamically &&
		die "$bb is dynamically linked: install busybox-static"
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	mkdir -p "$t"/{bin,dev,proc,sys,mnt/root,mnt/results,modules}
	cp "$bb" "$t/bin/busybox"
	ln -s busybox "$t/bin/sh"
	cp "$ERDEV_ROOT/tools/vm/init" "$t/init"
	chmod 755 "$t/init"
	# Modules needed to mount the host root, in load order. Built-in ones
	# (the debug kernel) are reported as "builtin" and need nothing.
	: >"$t/modules/order"
	for m in virtio_pci 9pnet_virtio 9p; do
		modprobe -d "$kdir/root" -S "$kver" --show-depends "$m" 2>&1 || echo "error $m"
	done | while read -r what path _; do
		case "$what" in
		insmod)
			base=$(basename "$path")
			base=${base%.xz}
			base=${base%.zst}
			base=${base%.gz}
			grep -qxF "$base" "$t/modules/order" && continue
			case "$path" in
			*.xz) xz -dc "$path" >"$t/modules/$base" ;;
			*.zst) zstd -qdc "$path" >"$t/modules/$base" ;;
			*.gz) gzip -dc "$path" >"$t/modules/$base" ;;
			*) cp "$path" "$t/modules/$base" ;;
			esac
			echo "$base" >>"$t/modules/order"
			;;
		builtin) ;;
		*) msg "modprobe: $what $path"; exit 1 ;;
		esac
	done || die "cannot list the 9p modules of $kver"
	(cd "$t" && find . | cpio -o -H newc --quiet | gzip -1) >"$kdir/initramfs.tmp" ||
		die "cpio failed"
	mv "$kdir/initramfs.tmp" "$kdir/initramfs.cpio.gz"
	echo "$istamp" >"$kdir/initramfs.stamp"
fi
echo "$kver"
