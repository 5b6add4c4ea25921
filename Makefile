# SPDX-License-Identifier: GPL-2.0
# erdev: Azure ExpressRoute circuit interfaces for Linux.
#
#   make                  erdev.ko (against KDIR), tools/ercfg/ercfg and
#                         tools/iproute2/link_erdev.so (ip -d link support)
#   make deps             install the Debian packages everything needs
#   make check            all tests over the kernel matrix (KERNELS=...)
#   make bench            erdev against stacked 8021q and veth, in the 6.12 VM
#                         (KERNELS=host: on this kernel; Documentation/performance.rst)
#   make lab              a circuit, BGP, BFD and a failover in a 6.12 VM
#                         (tools/lab/README.md; LAB_BREAK=ctag|bfd breaks it)
#   make fuzz             the fuzzing campaign: ercfg's parsers under
#                         libFuzzer, FUZZ_TIME seconds (default 1800) per
#                         harness (make -C tools/ercfg fuzz-run), then the
#                         netlink family under tools/fuzz/nlfuzz.py in the
#                         debug-kernel VM, NFUZZ_REQUESTS requests (default
#                         1000000) and every fault point of every mutating
#                         request (Documentation/testing.rst); make check
#                         runs each briefly
#   make stress           concurrency and teardown under load: writers,
#                         readers, NIC events and traffic at once, then
#                         STRESS_ROUNDS (default 100) rounds each of NIC
#                         removal, namespace deletion and rmmod under it,
#                         in the debug-kernel VM (selftests/stress.sh;
#                         make check runs a short one)
#   make modules_install  install erdev.ko into /lib/modules/<kver>/extra
#   make install          ercfg and its man page, erdev.service, an example
#                         erdev.conf, and erdev registered, built and
#                         installed with DKMS (dkms_install); with DESTDIR=
#                         the DKMS source tree is laid out under
#                         $(DESTDIR)/usr/src/erdev-<version> and dkms is not
#                         run (for packages); also link_erdev.so where ip
#                         looks for it (IPLIBDIR)
#   make uninstall        undo install (dkms_remove unless DESTDIR is set)
#   make kernel_check     is KVER (default: the running kernel) one that
#                         erdev supports (5.10 to 7.3, dkms.conf's
#                         BUILD_EXCLUSIVE_KERNEL)? install, dkms_install
#                         and modules_install check it first
#   make dkms_install     register, build and install erdev with DKMS
#   make dkms_remove      remove it from DKMS again
#   make regen            include/uapi/linux/erdev.h and erdev/netlink-gen.[ch]
#                         made again from the netlink spec by the newest
#                         kernel's ynl-gen-c (tools/vm/ynl-gen.sh; make
#                         check fails when they differ)
#   make clean            remove build products (keeps the download cache)
#   make distclean        clean, and remove .cache/ (downloaded kernels)
#
# PREFIX (default /usr/local) places ercfg in $(PREFIX)/sbin, the man page
# in $(PREFIX)/share/man and the unit in $(PREFIX)/lib/systemd/system
# (UNITDIR=); the unit's ExecStart follows SBINDIR. The version is the
# VERSION file's: erdev.ko (modinfo), ercfg -V and the installed dkms.conf
# all take it from there.
#
# KDIR defaults to the running kernel's headers; if they are not
# installed, `make` builds against the newest installed headers instead
# and says so. The install targets need the running kernel's headers or an
# explicit KDIR.
#
# KERNELS for `make check`: any of "6.1 6.12 debug" (the default is all
# three), or the opt-in 5.10, newest and debug7.3; see tools/vm/common.sh.
# TESTS="name ..." runs only those
# selftests. ERDEV_SRC=DIR tests module sources from another directory.

VERSION := $(shell cat $(CURDIR)/VERSION)
KVER ?= $(shell uname -r)
KDIR_DEFAULT := /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
DESTDIR ?=

ifeq ($(origin KDIR),undefined)
ifeq ($(wildcard $(KDIR_DEFAULT)/Makefile),)
KDIR := $(lastword $(sort $(wildcard /lib/modules/*/build)))
KDIR_FALLBACK := 1
else
KDIR := $(KDIR_DEFAULT)
endif
endif

SBINDIR ?= $(PREFIX)/sbin
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/erdev
INSTALL ?= install

DKMS_SRC := /usr/src/erdev-$(VERSION)
# What DKMS builds from: Kbuild, VERSION, dkms.conf and the sources, no
# build products.
MODULE_SOURCES = Kbuild VERSION $(sort $(shell find erdev include -name '*.[ch]'))

.PHONY: all module ercfg iproute2 deps check bench lab fuzz stress regen modules_install install \
	uninstall install_kdir_check kernel_check dkms_tree dkms_install dkms_remove clean \
	distclean help

all: module ercfg iproute2

module:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "No kernel headers found (looked for $(KDIR_DEFAULT))." >&2; \
		echo "Install linux-headers-$(KVER), or pass KDIR=/path/to/headers." >&2; \
		exit 1; \
	fi
ifdef KDIR_FALLBACK
	@echo "note: no headers for the running kernel $(KVER); building against $(KDIR)" >&2
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

ercfg:
	@if [ -f tools/ercfg/Makefile ]; then \
		$(MAKE) -C tools/ercfg; \
	else \
		echo "tools/ercfg/Makefile does not exist yet: not building ercfg"; \
	fi

# ip's plugin directory is fixed at ip's build time, whatever PREFIX is:
# tools/iproute2/Makefile knows Debian's; IPLIBDIR= overrides it.
iproute2:
	$(MAKE) -C tools/iproute2

deps:
	@tools/vm/deps.sh

check: deps
	@tools/vm/check.sh

regen: deps
	@tools/vm/ynl-gen.sh

bench: deps
	@tools/bench/run.sh

lab: deps
	@tools/lab/run.sh

# The fuzzing campaign: each part runs its harnesses FUZZ_TIME s each and
# fails on the first crash, leak, timeout or OOM.
FUZZ_TIME ?= 1800
NFUZZ_REQUESTS ?= 1000000
fuzz: deps
	$(MAKE) -C tools/ercfg fuzz-run FUZZ_TIME=$(FUZZ_TIME)
	@KERNELS=debug TESTS=nlfuzz SKIP_HOST_CHECKS=1 \
		GUEST_ENV="NFUZZ_REQUESTS NFUZZ_STRIDE" \
		NFUZZ_REQUESTS=$(NFUZZ_REQUESTS) NFUZZ_STRIDE=1 \
		TIMEOUT_SCALE=$$(( $(NFUZZ_REQUESTS) / 10000 + 8 )) \
		VM_TIMEOUT=$$(( $(NFUZZ_REQUESTS) / 20 + 7200 )) \
		VM_STALL=$$(( $(NFUZZ_REQUESTS) / 20 + 7200 )) \
		tools/vm/check.sh

# The teardown campaign: selftests/stress.sh in the debug-kernel VM (or
# STRESS_KERNELS=...), STRESS_TIME s of load, then STRESS_ROUNDS rounds
# each of NIC removal, namespace deletion and rmmod under it; the figures
# at the end. A round of each takes about 400 s on the debug kernel.
STRESS_KERNELS ?= debug
STRESS_ROUNDS ?= 100
STRESS_TIME ?= 300
stress: deps
	@mkdir -p .cache && touch .cache/stress.start; \
	KERNELS="$(STRESS_KERNELS)" TESTS=stress SKIP_HOST_CHECKS=1 \
		GUEST_ENV="STRESS_ROUNDS STRESS_TIME STRESS_BOUND STRESS_PAUSE" \
		STRESS_ROUNDS=$(STRESS_ROUNDS) STRESS_TIME=$(STRESS_TIME) \
		TIMEOUT_SCALE=$$(( $(STRESS_ROUNDS) + 4 )) \
		VM_TIMEOUT=$$(( $(STRESS_ROUNDS) * 600 + $(STRESS_TIME) + 3600 )) \
		VM_STALL=$$(( $(STRESS_ROUNDS) * 600 + $(STRESS_TIME) + 3600 )) \
		tools/vm/check.sh; rc=$$?; \
	find .cache/run -name '*-stress.log' -newer .cache/stress.start \
		-exec grep -H '^# stress:' {} +; \
	exit $$rc

# The kernels erdev supports: dkms.conf's BUILD_EXCLUSIVE_KERNEL, the one
# place that says so. $(call kernel_supported,RELEASE) in a recipe.
SUPPORTED_RE := $(shell sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)
kernel_supported = @echo "$(1)" | grep -Eq '$(SUPPORTED_RE)' || { \
	echo "erdev supports kernels 5.10 to 7.3 (dkms.conf: BUILD_EXCLUSIVE_KERNEL);" >&2; \
	echo "$(1) is not one of them." >&2; exit 1; }
KREL = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null || echo $(KVER))

# kernel_check: is KVER (default: the running kernel) supported?
kernel_check:
	$(call kernel_supported,$(KVER))

install_kdir_check:
ifdef KDIR_FALLBACK
	@echo "No headers for the running kernel $(KVER): install linux-headers-$(KVER) or pass KDIR=." >&2
	@exit 1
endif

modules_install: install_kdir_check
	$(call kernel_supported,$(KREL))
	$(MAKE) module
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	@if [ -z "$(DESTDIR)" ]; then \
		krel=$(KVER); \
		for d in /lib/modules/*/build; do \
			[ "$$(realpath $$d)" = "$$(realpath $(KDIR))" ] && krel=$$(basename $$(dirname $$d)); \
		done; \
		echo "depmod -a $$krel"; depmod -a $$krel; \
	fi

# dkms_tree DIR=...: the DKMS source tree, dkms.conf's version from VERSION.
dkms_tree:
	rm -rf $(DIR)
	$(INSTALL) -d $(DIR)
	tar -c $(MODULE_SOURCES) | tar -x -C $(DIR) --no-same-owner
	sed 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' dkms.conf >$(DIR)/dkms.conf
	chmod -R u=rwX,go=rX $(DIR)

install: $(if $(DESTDIR),,kernel_check)
	$(MAKE) -C tools/ercfg install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	$(INSTALL) -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)
	sed 's|/usr/sbin/ercfg|$(SBINDIR)/ercfg|' tools/systemd/erdev.service \
		>$(DESTDIR)$(UNITDIR)/erdev.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/erdev.service
	$(INSTALL) -m 0644 tools/systemd/erdev.conf.example $(DESTDIR)$(DOCDIR)/erdev.conf.example
	$(MAKE) -C tools/iproute2 install DESTDIR=$(DESTDIR) PREFIX=/usr \
		$(if $(IPLIBDIR),IPLIBDIR=$(IPLIBDIR))
ifneq ($(DESTDIR),)
	$(MAKE) dkms_tree DIR=$(DESTDIR)$(DKMS_SRC)
else
	$(MAKE) dkms_install
	@if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "Put the circuits in /etc/erdev/erdev.conf (see $(DOCDIR)/erdev.conf.example),"
	@echo "then: systemctl enable --now erdev.service"
endif

uninstall:
	$(MAKE) -C tools/ercfg uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) SBINDIR=$(SBINDIR)
	rm -f $(DESTDIR)$(UNITDIR)/erdev.service $(DESTDIR)$(DOCDIR)/erdev.conf.example
	-rmdir $(DESTDIR)$(DOCDIR)
	$(MAKE) -C tools/iproute2 uninstall DESTDIR=$(DESTDIR) PREFIX=/usr \
		$(if $(IPLIBDIR),IPLIBDIR=$(IPLIBDIR))
ifneq ($(DESTDIR),)
	rm -rf $(DESTDIR)$(DKMS_SRC)
else
	$(MAKE) dkms_remove
	@if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
endif

dkms_install: kernel_check
	$(MAKE) dkms_tree DIR=$(DKMS_SRC)
	dkms add -m erdev -v $(VERSION)
	dkms build -m erdev -v $(VERSION)
	dkms install -m erdev -v $(VERSION)

dkms_remove:
	-dkms remove -m erdev -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	rm -f erdev.ko erdev.mod erdev.mod.c erdev.mod.o erdev.o \
		modules.order Module.symvers .module-common.o
	find . -path ./.cache -prune -o -path ./.git -prune -o \
		\( -name '*.o' -o -name '*.o.cmd' -o -name '.*.cmd' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '*.o.d' \) -print0 | \
		xargs -0 rm -f
	@if [ -f tools/ercfg/Makefile ]; then $(MAKE) -C tools/ercfg clean; fi
	$(MAKE) -C tools/iproute2 clean
	rm -rf .cache/build .cache/run .cache/dkms

distclean: clean
	rm -rf .cache

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile
