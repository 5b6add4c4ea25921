#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QinQ interop with the kernel's 8021q devices, with the veths' VLAN offloads on (accelerated tags).
# See interop_lib.sh.
# timeout: 300
# debug-kernel: skip (interop_qinq_inband.sh parses and pushes both tags in
# the packet there, the path KASAN watches)

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh
source ./interop_lib.sh

interop_main qinq on
