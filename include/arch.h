/* The architecture contract: everything the portable kernel (kernel/,
 * fs/, net/, drivers/, shell/) needs from a CPU, implemented in
 * arch/<isa>/. A port to a new instruction set writes these and nothing
 * else outside arch/<isa>/ and plat/<machine>/ (docs/ARCHITECTURE.md,
 * "How to port").
 *
 * What is not here belongs to the platform (include/platform.h and
 * plat/<machine>/include/plat/): interrupt masking (plat/irq.h, since on
 * linuxu it masks host signals, not a CPU flag), the per-CPU pointer
 * (plat/percpu.h), time and the cycle counter, the thread pointer, page
 * protection. Memory barriers are the compiler's __atomic builtins.
 */
#ifndef ARCH_H
#define ARCH_H

#include <stddef.h>
#include <stdint.h>

struct thread;

/* ---- Context */

/* Save callee-saved state on the current stack, store the stack pointer in
 * *save_sp, load @new_sp and restore. Returns the thread switched from. */
struct thread *arch_context_switch(void **save_sp, void *new_sp, struct thread *prev);
/* Lay out a fresh stack so that switching to it calls entry(prev) with
 * interrupts off, prev being the thread switched from; returns the stack
 * pointer to switch to. */
void *arch_context_init(void *stack_top, void (*entry)(struct thread *prev));
/* Call fn(arg) on the stack that ends at @stack_top (sigaltstack), and
 * come back to the caller's stack. */
void arch_call_on_stack(void *stack_top, void (*fn)(void *), void *arg);

/* The spin-wait hint of a busy loop (pause on x86_64, yield on aarch64;
 * riscv64's pause is a hint that older cores execute as a no-op). */
static inline void arch_cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#elif defined(__riscv)
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory"); /* pause */
#endif
}

/* ---- Device registers: a register write that tells a device to read
 * memory must come after the stores to that memory, and memory a register
 * read announces may be read only after it. The compiler's fences order
 * memory against memory only (riscv64's `fence rw,rw` leaves device I/O
 * out; aarch64's `dmb ish` the outer domain); x86_64 keeps both orders by
 * itself. Drivers' register accessors use these. */
static inline void arch_io_before_write(void)
{
#if defined(__aarch64__)
	__asm__ volatile("dmb oshst" ::: "memory");
#elif defined(__riscv)
	__asm__ volatile("fence w, o" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

static inline void arch_io_after_read(void)
{
#if defined(__aarch64__)
	__asm__ volatile("dmb oshld" ::: "memory");
#elif defined(__riscv)
	__asm__ volatile("fence i, r" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

/* ---- Frame records (-fno-omit-frame-pointer): the two words a frame
 * pointer leads to, the caller's frame pointer and then the return
 * address. x86_64 and aarch64 point at them; riscv64's frame pointer is
 * the frame's top (the caller's stack pointer), the record just below. */
static inline const uintptr_t *arch_frame_record(uintptr_t fp)
{
#if defined(__riscv)
	return (const uintptr_t *)(fp - 16);
#else
	return (const uintptr_t *)fp;
#endif
}

/* Walk the frame records from @fp into @out (at most @max return
 * addresses), stopping at anything that does not look like a frame further
 * up the same stack (kernel/panic.c). */
int arch_backtrace(uintptr_t fp, uintptr_t *out, int max);

/* ---- Faults
 * What kind of exception a fault was, so that the portable fault path
 * (kernel/fault.c) can name it without knowing vector numbers. */
enum arch_fault_class {
	ARCH_FAULT_NONE,  /* not an exception: a panic, a runaway */
	ARCH_FAULT_PAGE,  /* an access the page tables refused; the address is known */
	ARCH_FAULT_STACK, /* taken on the emergency stack: the stack was unusable */
	ARCH_FAULT_INVALID_OPCODE,
	ARCH_FAULT_DIVIDE,
	ARCH_FAULT_PROTECTION, /* a general protection fault */
	ARCH_FAULT_OTHER,
};

/* ---- Application memory (arch/<isa>/uaccess.S): accessors listed in an
 * exception table, so that a fault in one resumes at its fixup. Use the
 * checked calls of include/kernel/uaccess.h. */
size_t arch_user_copy(void *dst, const void *src, size_t len);
long arch_user_strnlen(const char *s, size_t max);
int arch_user_probe(const void *p, int write);
int arch_user_cmpxchg32(int *p, int *old, int new_value);

/* ---- Protection keys (CONFIG_ZONE; arch/<isa>/zone.c and
 * include/arch/pkru.h): whether the CPU has them, a range's key, a page's
 * key (-1 unmapped, -2 a page keys do not apply to). The gates themselves
 * are arch_pkru_enter/leave/read in arch/pkru.h, used through
 * include/kernel/zone_gate.h. */
_Bool arch_zone_init(void);
int arch_zone_set_key(void *addr, size_t len, int key);
int arch_zone_key_of(const void *addr);

#endif
