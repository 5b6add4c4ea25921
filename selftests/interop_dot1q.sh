#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Dot1Q interop with the kernel's 8021q devices, with the veths' VLAN offloads on (accelerated tags).
# See interop_lib.sh.
# timeout: 300
# The debug kernel runs interop_qinq (the accelerated outer tag) and
# interop_dot1q_inband (the dot1q branches): no kernel path is left here.
# debug-kernel: skip

cd "$(dirname "$0")" || exit 1
source ./lib.sh
source ./erdev_lib.sh
source ./interop_lib.sh

interop_main dot1q on
