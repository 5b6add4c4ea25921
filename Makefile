# SPDX-License-Identifier: GPL-2.0
# erdev: Azure ExpressRoute circuit interfaces for Linux.
#
#   make                  erdev.ko (against KDIR) and tools/ercfg/ercfg
#   make deps             install the Debian packages everything needs
#   make check            all tests over the kernel matrix (KERNELS=...)
#   make bench            erdev against stacked 8021q and veth, in the 6.12 VM
#                         (KERNELS=host: on this kernel; Documentation/performance.rst)
#   make lab              a circuit, BGP, BFD and a failover in a 6.12 VM
#                         (tools/lab/README.md; LAB_BREAK=ctag|bfd breaks it)
#   make modules_install  install erdev.ko into /lib/modules/<kver>/extra
#   make install          modules_install, and ercfg (+ man page) under $(PREFIX)
#   make dkms_install     register, build and install erdev with DKMS
#   make dkms_remove      remove it from DKMS again
#   make clean            remove build products (keeps the download cache)
#   make distclean        clean, and remove .cache/ (downloaded kernels)
#
# KDIR defaults to the running kernel's headers; if they are not
# installed, `make` builds against the newest installed headers instead
# and says so. The install targets need the running kernel's headers or an
# explicit KDIR.
#
# KERNELS for `make check`: any of "6.1 6.12 debug" (the default is all
# three); see tools/vm/common.sh. TESTS="name ..." runs only those
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

DKMS_SRC := /usr/src/erdev-$(VERSION)
MODULE_FILES := Kbuild VERSION dkms.conf erdev include

.PHONY: all module ercfg deps check bench lab modules_install install \
	install_kdir_check dkms_install dkms_remove clean distclean help

all: module ercfg

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

deps:
	@tools/vm/deps.sh

check: deps
	@tools/vm/check.sh

bench: deps
	@tools/bench/run.sh

lab: deps
	@tools/lab/run.sh

install_kdir_check:
ifdef KDIR_FALLBACK
	@echo "No headers for the running kernel $(KVER): install linux-headers-$(KVER) or pass KDIR=." >&2
	@exit 1
endif

modules_install: install_kdir_check module
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	@if [ -z "$(DESTDIR)" ]; then \
		krel=$(KVER); \
		for d in /lib/modules/*/build; do \
			[ "$$(realpath $$d)" = "$$(realpath $(KDIR))" ] && krel=$$(basename $$(dirname $$d)); \
		done; \
		echo "depmod -a $$krel"; depmod -a $$krel; \
	fi

install: modules_install
	@if [ -f tools/ercfg/Makefile ]; then \
		$(MAKE) -C tools/ercfg install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX); \
	else \
		echo "tools/ercfg/Makefile does not exist yet: not installing ercfg"; \
	fi

dkms_install:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	tar -c $(MODULE_FILES) | tar -x -C $(DKMS_SRC)
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
	rm -rf .cache/build .cache/run .cache/dkms

distclean: clean
	rm -rf .cache

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile
