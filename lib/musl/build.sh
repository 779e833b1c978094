#!/bin/bash
# Build musl as Unishyper's C library.
#
# Usage: lib/musl/build.sh ARCH        (ARCH: x86_64, aarch64, riscv64)
#
# Result: build/deps/musl-ARCH/{include,lib/libc.a} plus
#   musl_offsets.h       struct pthread / TLS layout for the kernel
#   kernel-symbols.txt   symbols libc.a needs from the kernel
# A stamp (hash of lib/musl/ minus README.md, musl version, compiler)
# skips the work when nothing changed; the installed tree is also kept in
# ${XDG_CACHE_HOME:-$HOME/.cache}/unishyper/musl-ARCH-HASH for fresh clones.
# README.md explains every change made to musl.
set -euo pipefail

MUSL_VERSION=1.2.3

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
deps=$root/build/deps
srcroot=$deps/src
arch=${1:-}

say() { printf 'musl[%s]: %s\n' "${arch:-?}" "$*"; }
die() { say "error: $*" >&2; exit 1; }

# Per-architecture settings.  A new port adds a case here (and, if needed,
# lib/musl/ARCH/syscall_arch.h with its additions to lib/musl/syscall_arch.h
# and an arch_patch_ARCH below).
#   triple     GNU triple; the compiler is ${triple}-gcc
#   cc_pkg     Debian package that provides ${triple}-gcc
#   trap_insn  the instruction that enters the Linux kernel
#   arch_cflags extra flags for ring 0
#   libgcc_syms libgcc helpers libc.a calls (complex multiply)
arch_config() {
	case $arch in
	x86_64)
		triple=x86_64-linux-gnu
		cc_pkg=gcc-x86-64-linux-gnu
		trap_insn=syscall
		arch_cflags="-mno-red-zone"
		libgcc_syms="__muldc3 __mulsc3 __mulxc3"
		;;
	aarch64)
		triple=aarch64-linux-gnu
		cc_pkg=gcc-aarch64-linux-gnu
		trap_insn=svc
		# No red zone in AAPCS64; the kernel's exception entry saves
		# q0-q31, so musl keeps its floating point. Built for size
		# (musl's own default): fixed 4-byte instructions and libgcc's
		# quad-precision helpers for printf make aarch64 images larger.
		arch_cflags="-Os"
		# long double is IEEE quad, done in software by libgcc
		# (__addtf3, __multf3, ...): every libgcc function is allowed.
		libgcc_syms=@libgcc
		;;
	riscv64)
		triple=riscv64-linux-gnu
		cc_pkg=gcc-riscv64-linux-gnu
		trap_insn=ecall
		# The kernel is linked at 2 GiB (above OpenSBI): code addresses
		# anywhere within +-2 GiB of the pc (medany), and no linker
		# relaxation against a global pointer, since gp holds the
		# kernel's per-CPU pointer. Built for size, like aarch64.
		arch_cflags="-Os -mcmodel=medany -mno-relax -msmall-data-limit=0"
		libgcc_syms=@libgcc
		;;
	*)
		echo "usage: $0 ARCH   (supported: x86_64, aarch64, riscv64)" >&2
		exit 2
		;;
	esac
	cross=$triple-
}

# x86_64 has a 128-byte red zone that musl's assembly uses; interrupts in
# ring 0 push onto the current stack and would clobber it.
arch_patch_x86_64() {
	cp "$here/x86_64/fenv.c" src/fenv/x86_64/fenv.c
	rm -f src/fenv/x86_64/fenv.s
	# exp2l.s (which also holds expm1l) uses -4(%rsp); expm1l.s is an
	# empty placeholder for it.  The generic C versions replace both.
	rm -f src/math/x86_64/exp2l.s src/math/x86_64/expm1l.s
	# a_spin() is the body of the spin-then-block loops in front of every
	# futex wait (100 rounds). With "pause" (up to ~140 cycles each) the
	# loop costs more than the kernel's whole block-and-wake path, and on
	# one CPU the owner cannot run while we spin: keep only a compiler
	# barrier, which leaves a short spin of plain loads.
	sed -i '/^static inline void a_spin()/,/^}/s/"pause"/""/' arch/x86_64/atomic_arch.h
	grep -A3 '^static inline void a_spin()' arch/x86_64/atomic_arch.h | grep -q '( "" :' ||
		die "could not patch a_spin in arch/x86_64/atomic_arch.h"
}

# musl's __set_thread_area.s writes TPIDR_EL0 behind the kernel's back;
# the generic C one makes it a call (SYS_set_thread_area, defined by
# aarch64/syscall_arch.h), so the kernel knows each thread's pointer.
arch_patch_aarch64() {
	rm -f src/thread/aarch64/__set_thread_area.s
}

# The same on riscv64, where musl's version only moves a0 into tp. There
# is no vDSO: riscv_flush_icache() goes straight to its system call.
arch_patch_riscv64() {
	rm -f src/thread/riscv64/__set_thread_area.s
	sed -i 's/__vdsosym(VDSO_FLUSH_ICACHE_VER, VDSO_FLUSH_ICACHE_SYM)/0/' src/linux/cache.c
	grep -q '__vdsosym' src/linux/cache.c && die "could not patch src/linux/cache.c"
	return 0
}

# Symbols libc.a may leave undefined; README.md says what each is for.
# The build fails if any other undefined symbol appears.
kernel_syms="syscall_dispatch malloc free calloc realloc memalign
	__libc_malloc __libc_calloc __libc_realloc __libc_free
	__clone __unmapself __syscall_cp_asm __cp_begin __cp_end __cp_cancel __synccall"

cflags_common="-O2 -g -fno-pic -fno-pie -ffunction-sections -fdata-sections"
cflags_common+=" -fno-stack-protector -fno-omit-frame-pointer"

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root for: $*"
	fi
}

# Runs a noisy command with its output in the log; on failure shows the
# log's tail and stops.
run() {
	if ! "$@" >>"$log" 2>&1; then
		say "failed: $*" >&2
		# Compiler command lines are long: show the errors, then the end.
		grep -E 'error:|\*\*\*' "$log" | tail -n 15 | cut -c1-300 >&2
		tail -n 5 "$log" | cut -c1-300 >&2
		say "full log: $log" >&2
		exit 1
	fi
}

fetch_source() {
	"$root/lib/apt_source.sh" musl "musl-$MUSL_VERSION" "$src" "$log"
	local got
	got=$(cat "$src/VERSION" 2>/dev/null || true)
	[ "$got" = "$MUSL_VERSION" ] ||
		die "apt-get source gave musl '$got', want $MUSL_VERSION"
}

ensure_compiler() {
	command -v "${cross}gcc" >/dev/null && return
	say "installing $cc_pkg"
	export DEBIAN_FRONTEND=noninteractive
	if ! as_root apt-get install -y "$cc_pkg" >>"$log" 2>&1; then
		run as_root apt-get update
		run as_root apt-get install -y "$cc_pkg"
	fi
}

# Applies every Unishyper change to the copy of musl in the current
# directory.  See README.md for the reasons.
patch_tree() {
	cat "$here/syscall_arch.h" >"arch/$arch/syscall_arch.h"
	if [ -f "$here/$arch/syscall_arch.h" ]; then
		cat "$here/$arch/syscall_arch.h" >>"arch/$arch/syscall_arch.h"
	fi

	# Assembly that enters the kernel with a trap instruction.  Generic C
	# fallbacks (e.g. __set_thread_area.c) route through __syscall; the
	# rest becomes a kernel-provided symbol.
	local f
	for f in src/*/"$arch"/*.[sS]; do
		if grep -Eq "^([^#]*[:;])?[[:space:]]*$trap_insn([[:space:]]|$)" "$f"; then
			echo "removed $f" >>"$log"
			rm -f "$f"
		fi
	done
	# Generic fallbacks that cannot work in the kernel: clone.c returns
	# ENOSYS and __unmapself.c runs the exit path on a 256-byte stack.
	rm -f src/thread/clone.c src/thread/__unmapself.c
	# set*id and setrlimit run a change in every thread by signalling
	# each one; credentials and limits are the process's, so the kernel's
	# __synccall runs the change once, in the caller.
	rm -f src/thread/synccall.c

	# The kernel's allocator provides malloc and friends.
	rm -rf src/malloc/mallocng src/malloc/oldmalloc
	for f in src/malloc/*.c; do
		[ "$f" = src/malloc/reallocarray.c ] || rm -f "$f"
	done
	mkdir -p src/malloc/none

	# Source changes that sed cannot express (README.md says why).
	for f in "$here"/patches/*.patch; do
		[ -e "$f" ] || continue
		patch -p1 --no-backup-if-mismatch <"$f" >>"$log" 2>&1 ||
			die "patch $(basename "$f") does not apply"
	done

	if declare -F "arch_patch_$arch" >/dev/null; then
		"arch_patch_$arch"
	fi
}

# Fails if any trap instruction survived in libc.a.
check_no_trap() {
	local lib=$1
	if "${cross}objdump" -d "$lib" |
		grep -Eq "^[[:space:]]*[0-9a-f]+:.*[[:space:]]$trap_insn([[:space:]]|$)"; then
		"${cross}objdump" -d "$lib" | grep -Ew "$trap_insn" | head >&2
		die "libc.a still contains '$trap_insn'"
	fi
}

# Lists the symbols that libc.a members reference but no member defines:
# the kernel must provide them.  Weak references are listed apart.
list_kernel_symbols() {
	local lib=$1 out=$2
	"${cross}nm" -A "$lib" 2>/dev/null | awk '
		$(NF-1) ~ /^[TtDdBbRrWwVvCGgSsiA]$/ && $(NF-1) !~ /^[wv]$/ {
			def[$NF] = 1
		}
		$(NF-1) == "U" { und[$NF] = 1 }
		$(NF-1) == "w" { weak[$NF] = 1 }
		END {
			for (s in und) if (!(s in def)) print "strong " s
			for (s in weak) if (!(s in def) && !(s in und)) print "weak " s
		}' | sort >"$out"

	local sym allowed unexpected='' gcc_syms=$libgcc_syms
	if [ "$gcc_syms" = @libgcc ]; then
		gcc_syms=$("${cross}nm" --defined-only "$("${cross}gcc" -print-libgcc-file-name)" 2>/dev/null |
			awk 'NF == 3 && $2 ~ /^[TW]$/ { print $3 }')
	fi
	# shellcheck disable=SC2086 # the lists are meant to split into words
	allowed="$(printf ' %s' $kernel_syms $gcc_syms) "
	while read -r sym; do
		case $allowed in
		*" $sym "*) ;;
		*) unexpected+=" $sym" ;;
		esac
	done < <(awk '$1 == "strong" { print $2 }' "$out")
	[ -z "$unexpected" ] ||
		die "libc.a needs symbols nobody provides:$unexpected (see $out)"
}

# Writes the layout numbers the kernel needs to build a musl-shaped
# thread pointer, computed by the target compiler from musl's own
# internal headers (asm-offsets style, nothing runs).
gen_offsets() {
	local bt=$1 out=$2
	cat >"$bt/unishyper_offsets.c" <<'EOF'
#include <stddef.h>
#include "pthread_impl.h"
#include "libc.h"
#include "stdio_impl.h"
#define DEF(name, val) \
	__asm__ __volatile__("\n.ascii \"@@@ " #name " %c0\"" : : "i"((long)(val)))
struct musl_builtin_tls { char c; struct pthread pt; void *space[16]; };
void unishyper_offsets(void)
{
	DEF(MUSL_PTHREAD_SIZE, sizeof(struct pthread));
	DEF(MUSL_PTHREAD_SELF, offsetof(struct pthread, self));
	DEF(MUSL_PTHREAD_DTV, offsetof(struct pthread, dtv));
	DEF(MUSL_PTHREAD_PREV, offsetof(struct pthread, prev));
	DEF(MUSL_PTHREAD_NEXT, offsetof(struct pthread, next));
	DEF(MUSL_PTHREAD_SYSINFO, offsetof(struct pthread, sysinfo));
	DEF(MUSL_PTHREAD_CANARY, offsetof(struct pthread, canary));
	DEF(MUSL_PTHREAD_TID, offsetof(struct pthread, tid));
	DEF(MUSL_PTHREAD_ERRNO_VAL, offsetof(struct pthread, errno_val));
	DEF(MUSL_PTHREAD_DETACH_STATE, offsetof(struct pthread, detach_state));
	DEF(MUSL_PTHREAD_CANCEL, offsetof(struct pthread, cancel));
	DEF(MUSL_PTHREAD_STACK, offsetof(struct pthread, stack));
	DEF(MUSL_PTHREAD_STACK_SIZE, offsetof(struct pthread, stack_size));
	DEF(MUSL_PTHREAD_TSD, offsetof(struct pthread, tsd));
	DEF(MUSL_PTHREAD_ROBUST_LIST, offsetof(struct pthread, robust_list));
	DEF(MUSL_PTHREAD_H_ERRNO_VAL, offsetof(struct pthread, h_errno_val));
	DEF(MUSL_PTHREAD_LOCALE, offsetof(struct pthread, locale));
	DEF(MUSL_PTHREAD_STDIO_LOCKS, offsetof(struct pthread, stdio_locks));
	DEF(MUSL_PTHREAD_CANCELDISABLE, offsetof(struct pthread, canceldisable));
	DEF(MUSL_PTHREAD_CANCELASYNC, offsetof(struct pthread, cancelasync));
	DEF(MUSL_PTHREAD_CANCELBUF, offsetof(struct pthread, cancelbuf));
	DEF(MUSL_PTHREAD_DLERROR_BUF, offsetof(struct pthread, dlerror_buf));
	DEF(MUSL_MUTEX_LOCK_FROM_NEXT,
	    (long)offsetof(pthread_mutex_t, _m_lock) - (long)offsetof(pthread_mutex_t, _m_next));
	DEF(MUSL_TLS_MODULE_IMAGE, offsetof(struct tls_module, image));
	DEF(MUSL_TLS_MODULE_LEN, offsetof(struct tls_module, len));
	DEF(MUSL_TLS_MODULE_SIZE, offsetof(struct tls_module, size));
	DEF(MUSL_TLS_MODULE_OFFSET, offsetof(struct tls_module, offset));
	DEF(MUSL_FILE_LOCK, offsetof(FILE, lock));
	DEF(MUSL_FILE_PREV, offsetof(FILE, prev));
	DEF(MUSL_FILE_NEXT, offsetof(FILE, next));
	DEF(MUSL_FILE_NEXT_LOCKED, offsetof(FILE, next_locked));
	DEF(MUSL_FILE_MAYBE_WAITERS, MAYBE_WAITERS);
	DEF(MUSL_DT_EXITED, DT_EXITED);
	DEF(MUSL_DT_DETACHED, DT_DETACHED);
	DEF(MUSL_TLS_ABOVE_TP, 0
#ifdef TLS_ABOVE_TP
		+ 1
#endif
	);
	DEF(MUSL_TP_ADJ, (long)TP_ADJ((char *)0));
	DEF(MUSL_MIN_TLS_ALIGN, offsetof(struct musl_builtin_tls, pt));
	DEF(MUSL_BUILTIN_TLS_SIZE, sizeof(struct musl_builtin_tls));
	DEF(MUSL_LIBC_AUXV, offsetof(struct __libc, auxv));
	DEF(MUSL_LIBC_TLS_HEAD, offsetof(struct __libc, tls_head));
	DEF(MUSL_LIBC_TLS_SIZE, offsetof(struct __libc, tls_size));
	DEF(MUSL_LIBC_TLS_ALIGN, offsetof(struct __libc, tls_align));
	DEF(MUSL_LIBC_TLS_CNT, offsetof(struct __libc, tls_cnt));
	DEF(MUSL_LIBC_PAGE_SIZE, offsetof(struct __libc, page_size));
	DEF(MUSL_LIBC_GLOBAL_LOCALE, offsetof(struct __libc, global_locale));
}
EOF
	# riscv64's compiler prints a plain constant without %c (and refuses
	# %c for one that does not fit an instruction's immediate).
	[ "$arch" != riscv64 ] || sed -i 's/%c0/%0/' "$bt/unishyper_offsets.c"
	(cd "$bt" && "${cross}gcc" -std=c99 -ffreestanding -nostdinc \
		-D_XOPEN_SOURCE=700 -I"arch/$arch" -Iarch/generic \
		-Iobj/src/internal -Isrc/include -Isrc/internal -Iobj/include \
		-Iinclude -S -o unishyper_offsets.s unishyper_offsets.c) \
		>>"$log" 2>&1 || die "offsets program failed, see $log"
	{
		echo "/* Generated by lib/musl/build.sh from musl $MUSL_VERSION ($arch). */"
		echo "#ifndef MUSL_OFFSETS_H"
		echo "#define MUSL_OFFSETS_H"
		sed -n 's/.*"@@@ \([A-Z_0-9]*\) \$\{0,1\}\(-\{0,1\}[0-9]*\)".*/#define \1 \2/p' \
			"$bt/unishyper_offsets.s"
		echo "#endif"
	} >"$out"
	grep -q MUSL_PTHREAD_SIZE "$out" || die "no offsets in $out"
}

build() {
	local bt=$deps/musl-build-$arch

	if [ ! -f "$src/VERSION" ]; then
		fetch_source
	fi

	say "patching a copy in build/deps/musl-build-$arch"
	rm -rf "$bt"
	cp -a "$src" "$bt"
	(cd "$bt"; patch_tree)

	say "configuring"
	rm -rf "$stage"
	run sh -c "cd '$bt' && ./configure --target=$triple \
		CC='${cross}gcc' CROSS_COMPILE='$cross' \
		--prefix='$stage' --disable-shared --disable-wrapper \
		--with-malloc=none CFLAGS='$cflags_common $arch_cflags'"

	say "building (make -j2)"
	run make -C "$bt" -j2
	run make -C "$bt" install-headers install-libs

	say "checking"
	check_no_trap "$stage/lib/libc.a"
	list_kernel_symbols "$stage/lib/libc.a" "$stage/kernel-symbols.txt"
	gen_offsets "$bt" "$stage/musl_offsets.h"
}

# Keeps the three newest cached builds of this architecture.
prune_cache() {
	local dir
	# shellcheck disable=SC2012 # names are musl-ARCH-HEX
	ls -1dt "$1/musl-$arch-"* 2>/dev/null | tail -n +4 |
		while read -r dir; do rm -rf "$dir"; done
}

main() {
	arch_config
	mkdir -p "$deps"
	log=$deps/musl-$arch.log
	src=$srcroot/musl-$MUSL_VERSION
	out=$deps/musl-$arch
	stage=$deps/.musl-$arch.stage

	exec 9>"$deps/.musl-$arch.lock"
	flock 9
	ensure_compiler

	local hash
	hash=$({
		echo "musl $MUSL_VERSION $arch"
		"${cross}gcc" --version 2>/dev/null | head -n 1 || true
		cd "$here" && find . -type f ! -name README.md -print0 |
			LC_ALL=C sort -z | xargs -0 sha256sum
	} | sha256sum | cut -c1-16)

	if [ "$(cat "$out/.stamp" 2>/dev/null)" = "$hash" ] &&
		[ -f "$out/lib/libc.a" ]; then
		say "up to date ($hash)"
		return
	fi

	local cache=${XDG_CACHE_HOME:-$HOME/.cache}/unishyper/musl-$arch-$hash
	rm -rf "$stage"
	if [ -f "$cache/.stamp" ]; then
		say "restoring from $cache"
		cp -a "$cache" "$stage"
	else
		: >"$log"
		build
		echo "$hash" >"$stage/.stamp"
		say "caching in $cache"
		mkdir -p "$(dirname "$cache")"
		rm -rf "$cache.tmp.$$"
		if cp -a "$stage" "$cache.tmp.$$" 2>/dev/null; then
			rm -rf "$cache"
			mv "$cache.tmp.$$" "$cache" || rm -rf "$cache.tmp.$$"
			prune_cache "$(dirname "$cache")"
		else
			rm -rf "$cache.tmp.$$"
			say "warning: could not write the cache"
		fi
	fi
	rm -rf "$out"
	mv "$stage" "$out"
	# A copy restored from the cache keeps its old times: make must still
	# see a new libc.a and link the images again.
	touch "$out/lib/libc.a"
	say "done: build/deps/musl-$arch ($hash)"
}

main
