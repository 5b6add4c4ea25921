#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dot1Q interop with the kernel's 8021q devices, with every VLAN offload off (in-band tags).
# See interop_lib.sh.
# timeout: 300
# debug-kernel: skip (a subset of interop_qinq_inband.sh's paths)

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh
source ./interop_lib.sh

interop_main dot1q off
