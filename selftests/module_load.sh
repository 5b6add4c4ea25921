#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module and the test VM: erdev.ko was built for the running kernel,
# carries the version in VERSION, loads and unloads (also repeatedly),
# loads 8021q when insmod'ed without it (8021q hands erdev's VLAN IDs to a
# NIC's filter when it is switched on again), and the kernel modules the
# other tests rely on can be loaded.
# timeout: 300

cd "$(dirname "$0")" || exit 1
source ./lib.sh

ktap_print_header
require_cmd modinfo insmod rmmod modprobe
ktap_set_plan 12

version=$(cat ../VERSION)
loaded() { grep -q '^erdev ' /proc/modules; }
not_loaded() { ! loaded; }

check_ok "ERDEV_KO is a file" test -f "${ERDEV_KO:-}"
check_eq "built for the running kernel (vermagic)" "$(uname -r)" \
	"$(modinfo -F vermagic "$ERDEV_KO" | awk '{print $1}')"
check_eq "modinfo version is VERSION" "$version" \
	"$(modinfo -F version "$ERDEV_KO")"
check_eq "license is GPL" "GPL" "$(modinfo -F license "$ERDEV_KO")"

loaded || insmod "$ERDEV_KO"
check_eq "loaded: /sys/module/erdev/version" "$version" \
	"$(cat /sys/module/erdev/version 2>&1)"
check_ok "rmmod erdev" rmmod erdev
check_ok "no longer in /proc/modules" not_loaded
check_ok "insmod erdev.ko" insmod "$ERDEV_KO"

cycles=10
is_debug_kernel && cycles=5
cycle()
{
	local i

	for ((i = 0; i < cycles; i++)); do
		rmmod erdev || return 1
		insmod "$ERDEV_KO" || return 1
	done
}
check_ok "$cycles unload/load cycles" cycle
check_ok "loaded at the end" loaded

# 8021q unloaded (it is a module on the stock kernels, built in on the
# debug kernel), then insmod erdev.ko, which does not read softdeps.
mod_live() { grep -q "^$1 " /proc/modules; }
if [ "$(modinfo -F filename 8021q 2>/dev/null)" = "(builtin)" ] ||
	{ ! mod_live 8021q && [ -d /sys/module/8021q ]; }; then
	ktap_test_skip "insmod erdev.ko loads 8021q" "8021q is built in"
elif mod_live 8021q && ! rmmod 8021q 2>/dev/null; then
	ktap_test_skip "insmod erdev.ko loads 8021q" "8021q is in use"
else
	rmmod erdev && insmod "$ERDEV_KO"
	check_ok "insmod erdev.ko loads 8021q" mod_live 8021q
fi

mods=(veth 8021q dummy bonding bridge)
modprobe_all()
{
	local m

	for m in "${mods[@]}"; do
		modprobe "$m" || return 1
	done
}
check_ok "modprobe ${mods[*]}" modprobe_all

ktap_finished
