# Unishyper: build one application and the kernel modules it selects into
# one bootable image.
#
#   make ARCH=x86_64 MACHINE=qemu APP=hello_world LOG=info run
#
# ARCH     x86_64 | aarch64 | riscv64
# MACHINE  qemu (x86_64: microvm under KVM, TCG when /dev/kvm does not
#          open; aarch64 and riscv64: virt under TCG) | linuxu (x86_64)
# APP      a directory under examples/ (or tests/apps/) with a defconfig (shell)
# LOG      error | warn | info | debug | trace
# DISK     disk image for run/debug (default disk.img with CONFIG_BLKDEV,
#          made by tools/mkdisk.sh if missing; DISK= for none)
# NET      y (QEMU user networking, 127.0.0.1:8080/4444/7007 forwarded to
#          the guest's 80/4444/7; NET_FWD=HOST:GUEST,...), tap (a tap in a
#          network namespace made for the run; root) or udp:LOCAL:REMOTE
# UNILIB   host directory shared with an image that has CONFIG_UNILIB_FS
#          (default share/, made if missing; UNILIB= for none)
# APP_BIN  the application's first argument, for apps with several modes
#          (APP=net_tcp_bench APP_BIN=server-bw); ARGS the rest
#
# Targets: all (default), run, debug, test, bench, menuconfig, savedefconfig,
# size, setup, format, format-check, clean. `make help` lists them.

ARCH ?= x86_64
MACHINE ?= qemu
APP ?= shell
LOG ?= info

ifeq ($(MACHINE),linuxu)
PLAT := linuxu
else ifeq ($(MACHINE),qemu)
PLAT := $(patsubst x86_64,microvm,$(patsubst aarch64,virt,$(patsubst riscv64,virt,$(ARCH))))
ifeq ($(filter microvm virt,$(PLAT)),)
$(error no QEMU platform for ARCH=$(ARCH))
endif
else
$(error MACHINE must be qemu or linuxu, not '$(MACHINE)')
endif

APP_DIR := $(firstword $(wildcard examples/$(APP) tests/apps/$(APP)))
BUILD := build/$(ARCH)-$(PLAT)-$(APP)$(if $(VARIANT),-$(VARIANT))
MUSL := build/deps/musl-$(ARCH)
KERNEL := $(BUILD)/kernel.elf
IMAGE := $(BUILD)/unishyper.img
PYTHON := /usr/bin/python3

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.DEFAULT_GOAL := all
NOCONFIG_GOALS := help clean distclean setup test test-unit bench disk format format-check
CONFIG_NEEDED := $(if $(MAKECMDGOALS),$(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),all)

ifneq ($(CONFIG_NEEDED),)
ifeq ($(APP_DIR),)
$(error APP=$(APP): no such application in examples/ or tests/apps/)
endif

# Record the command-line choices so a change of LOG (say) regenerates the
# configuration, and nothing else does.
CONFIG_VARS := ARCH_$(shell echo $(ARCH) | tr a-z A-Z)=y PLAT_$(shell echo $(PLAT) | tr a-z A-Z)=y \
	LOG_$(shell echo $(LOG) | tr a-z A-Z)=y APP_NAME=$(APP) $(CONFIG_EXTRA)
$(shell mkdir -p $(BUILD) && echo '$(CONFIG_VARS)' > $(BUILD)/.vars.new && \
	(cmp -s $(BUILD)/.vars.new $(BUILD)/.vars || mv $(BUILD)/.vars.new $(BUILD)/.vars))

KCONFIG_FILES := $(shell find . -name Kconfig -not -path './build/*')
$(BUILD)/config.mk: $(BUILD)/.vars $(APP_DIR)/defconfig $(KCONFIG_FILES) tools/kconfig.py | setup-quiet
	$(Q)$(PYTHON) tools/kconfig.py $(BUILD) $(APP_DIR)/defconfig $(CONFIG_VARS)

include $(BUILD)/config.mk

# ---------------------------------------------------------------- sources
# Each folder's build.mk adds its files under the options that select them
# (srcs-$(CONFIG_X) += file.c); an application without a build.mk is all
# the .c files in its folder.
srcs-y :=
module-cflags :=
app-srcs-y := $(wildcard $(APP_DIR)/*.c)
include kernel/build.mk
include arch/$(ARCH)/build.mk
include plat/$(PLAT)/build.mk
include $(wildcard shell/build.mk drivers/build.mk fs/build.mk net/build.mk)
-include $(APP_DIR)/build.mk
# An application's own flags (its build.mk's app-cflags), for its sources
# only: third-party code can keep its warnings or defines.
$(foreach f,$(app-srcs-y),$(eval cflags-$(f) += $(app-cflags)))
endif

# Fault injection counts the application's own function calls.
ifeq ($(CONFIG_FAULT_INJECT),y)
$(foreach f,$(app-srcs-y),$(eval cflags-$(f) += -finstrument-functions))
endif

# Code that runs once or on rare paths (boot, faults, panics, tables) is
# built for size; each folder's build.mk lists its own in cold-srcs.
$(foreach f,$(cold-srcs),$(eval cflags-$(f) += -Os))

OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(srcs-y) $(app-srcs-y))
DEPS := $(OBJS:.o=.d)

# ---------------------------------------------------------------- flags
# aarch64 and riscv64 build with Debian's cross compilers (tools/setup.sh
# installs them). riscv64: code anywhere within 2 GiB of the pc (the image
# is linked at 2 GiB), no linker relaxation against gp, which holds the
# per-CPU pointer, and no small-data sections (.sdata, .sbss), which exist
# for gp-relative addressing.
ifeq ($(ARCH),aarch64)
CROSS_COMPILE ?= aarch64-linux-gnu-
ARCH_CFLAGS :=
else ifeq ($(ARCH),riscv64)
CROSS_COMPILE ?= riscv64-linux-gnu-
ARCH_CFLAGS := -mcmodel=medany -mno-relax -msmall-data-limit=0
else
CROSS_COMPILE ?=
ARCH_CFLAGS := -mno-red-zone
endif
CC := $(CROSS_COMPILE)gcc
NM := $(CROSS_COMPILE)nm
STRIP := $(CROSS_COMPILE)strip
SIZE := $(CROSS_COMPILE)size
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
LIBGCC := $(shell $(CC) -print-libgcc-file-name)

# A platform's headers (<plat/irq.h>, <plat/percpu.h>); a platform that
# serves several instruction sets lists its own folders in plat-includes.
PLAT_INCLUDES := $(addprefix -I,$(or $(plat-includes),plat/$(PLAT)/include))

OPT := $(if $(CONFIG_OPTIMIZE_SIZE),-Os,-O2)
CFLAGS := -std=gnu11 $(OPT) -g -Wall -Wextra -Werror -Wmissing-prototypes -Wcast-qual \
	-fno-pic -fno-pie $(ARCH_CFLAGS) -fno-stack-protector -fno-omit-frame-pointer \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-nostdinc -isystem $(MUSL)/include -isystem $(GCC_INCLUDE) \
	-Iinclude -Iarch/$(ARCH)/include $(PLAT_INCLUDES) -I$(BUILD)/include -I$(MUSL) \
	-D_GNU_SOURCE -include $(BUILD)/include/generated/autoconf.h $(module-cflags) $(EXTRA_CFLAGS)
ASFLAGS := -Iinclude -Iarch/$(ARCH)/include $(PLAT_INCLUDES) -I$(BUILD)/include \
	-include $(BUILD)/include/generated/autoconf.h
LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096 $(plat-ldflags)
LIBS := -Wl,--start-group $(MUSL)/lib/libc.a $(LIBGCC) -Wl,--end-group

# ---------------------------------------------------------------- rules
.PHONY: format format-check
format:
	$(Q)tools/format.sh
format-check:
	$(Q)tools/format.sh --check

.PHONY: all run debug size menuconfig savedefconfig setup setup-quiet test test-unit bench \
	clean distclean help disk

all: $(IMAGE)

$(MUSL)/lib/libc.a: lib/musl/build.sh $(wildcard lib/musl/*.h lib/musl/*/*)
	$(Q)lib/musl/build.sh $(ARCH)

$(BUILD)/obj/%.c.o: %.c $(BUILD)/config.mk Makefile | $(MUSL)/lib/libc.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(cflags-$<) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.S.o: %.S $(BUILD)/config.mk Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.c.o: $(BUILD)/%.c $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

-include $(DEPS)

# Two-pass link when the image carries its own symbol table: link, list the
# functions, link again with the table; the table sits after the code, so
# the second pass moves no function (checked).
ifeq ($(CONFIG_KSYMS),y)
$(BUILD)/kernel.pass1.elf: $(OBJS) $(BUILD)/ksyms_empty.S.o $(plat-ldscript) $(MUSL)/lib/libc.a
	$(Q)$(CC) $(LDFLAGS) $(OBJS) $(BUILD)/ksyms_empty.S.o $(LIBS) -o $@

$(BUILD)/ksyms_empty.S.o: tools/gen_ksyms.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/gen_ksyms.py --empty > $(BUILD)/ksyms_empty.S
	$(Q)$(CC) -c $(BUILD)/ksyms_empty.S -o $@

$(BUILD)/ksyms.S.o: $(BUILD)/kernel.pass1.elf tools/gen_ksyms.py
	$(Q)$(NM) -n --defined-only -S $< | $(PYTHON) tools/gen_ksyms.py > $(BUILD)/ksyms.S
	$(Q)$(CC) -c $(BUILD)/ksyms.S -o $@

$(KERNEL): $(BUILD)/ksyms.S.o
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) $(OBJS) $(BUILD)/ksyms.S.o $(LIBS) -o $@
	$(Q)$(PYTHON) tools/gen_ksyms.py --check $(BUILD)/kernel.pass1.elf $@
else
$(KERNEL): $(OBJS) $(plat-ldscript) $(MUSL)/lib/libc.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) $(OBJS) $(LIBS) -o $@
endif

# With zones, no PKRU write outside the gates and no kernel call without one
# (tools/zone_scan.py): otherwise no image. The kernel tests' main() runs
# with the kernel's rights: only the PKRU writes are checked there.
APP_OBJS := $(if $(CONFIG_KTEST),,$(patsubst %,$(BUILD)/obj/%.o,$(app-srcs-y)) $(MUSL)/lib/libc.a)
$(IMAGE): $(KERNEL) tools/zone_scan.py
	$(Q)$(if $(CONFIG_ZONE),$(PYTHON) tools/zone_scan.py $(KERNEL) $(APP_OBJS))
	$(Q)$(STRIP) -o $@ $<
	@echo "  IMAGE   $@ ($$(stat -c %s $@) bytes)"

size: $(IMAGE)
	@$(SIZE) $(KERNEL)
	@echo "stripped image: $$(stat -c %s $(IMAGE)) bytes"

# A disk for apps with block devices; DISK= (empty) on the command line
# runs without one.
ifeq ($(origin DISK),undefined)
DISK := $(if $(CONFIG_BLKDEV),disk.img)
endif
RUN_DISK = $(if $(DISK),test -e $(DISK) || tools/mkdisk.sh $(DISK); )DISK=$(DISK)

# The host directory for Unilib-fs: share/ beside disk.img by default.
ifeq ($(origin UNILIB),undefined)
UNILIB := $(if $(CONFIG_UNILIB_FS),share)
endif
RUN_UNILIB = $(if $(UNILIB),mkdir -p $(UNILIB); )

run: $(IMAGE)
	$(Q)$(RUN_UNILIB)$(RUN_DISK) UNILIB=$(UNILIB) tools/run.sh $(PLAT) $(IMAGE) $(APP_BIN) $(ARGS)

debug: $(IMAGE)
	$(Q)$(RUN_UNILIB)$(RUN_DISK) UNILIB=$(UNILIB) tools/run.sh --debug $(PLAT) $(IMAGE) $(APP_BIN) $(ARGS)

menuconfig: $(BUILD)/config.mk
	$(Q)cd . && KCONFIG_CONFIG=$(BUILD)/.config $(PYTHON) -m menuconfig Kconfig
	$(Q)$(PYTHON) tools/kconfig.py $(BUILD) $(APP_DIR)/defconfig $(CONFIG_VARS)

savedefconfig: $(BUILD)/config.mk
	$(Q)$(PYTHON) -c "import kconfiglib; k = kconfiglib.Kconfig('Kconfig'); \
		k.load_config('$(BUILD)/.config'); k.write_min_config('$(APP_DIR)/defconfig')"
	@echo "wrote $(APP_DIR)/defconfig"

setup:
	$(Q)tools/setup.sh

setup-quiet:
	$(Q)tools/setup.sh --quiet

# ARCH=aarch64 (or riscv64) test: only that architecture's tier
# (tests/virt.sh); plain `make test` runs every tier, those included.
test:
	$(Q)tools/setup.sh --quiet
	$(Q)tests/run.sh $(filter aarch64 riscv64,$(ARCH))

test-unit:
	$(Q)tests/run.sh unit

bench:
	$(Q)tools/setup.sh --quiet
	$(Q)$(if $(filter aarch64 riscv64,$(ARCH)),tools/bench_virt.sh $(ARCH),tools/bench.sh)

disk:
	$(Q)tools/mkdisk.sh disk.img

clean:
	rm -rf build/$(ARCH)-*

distclean:
	rm -rf build

help:
	@sed -n '2,21p' Makefile | sed 's/^# \{0,1\}//'
