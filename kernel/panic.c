/* Panic, assertion failure, abort: the last words of the kernel. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <arch.h>
#include <kernel/ksyms.h>
#include <kernel/zone_gate.h>
#include <kernel/fault.h>
#include <kernel/log.h>
#include <kernel/panic.h>
#include <platform.h>

#include <plat/irq.h>

#define BACKTRACE_MAX_FRAMES 32

static volatile int panicking;

static void print_frame(int i, uintptr_t ret)
{
	uintptr_t off;
	const char *name = ksyms_lookup(ret - 1, &off);

	if (name)
		kprintf("  #%d 0x%016lx %s+0x%lx\n", i, ret, name, off + 1);
	else
		kprintf("  #%d 0x%016lx ?\n", i, ret);
}

/* Frame-pointer walk (include/arch.h says where each record is). Stop on
 * anything that does not look like a frame further up the same stack, so
 * a corrupt stack cannot fault the dump. */
int arch_backtrace(uintptr_t fp, uintptr_t *out, int max)
{
	int n = 0;

	while (n < max && fp && !(fp & 7)) {
		const uintptr_t *rec = arch_frame_record(fp);
		uintptr_t ret = rec[1], up = rec[0];
		if (!ret)
			break;
		out[n++] = ret;
		if (up <= fp || up - fp > (1u << 20))
			break;
		fp = up;
	}
	return n;
}

void backtrace_print(void *fp)
{
	backtrace_print_from(0, fp);
}

void backtrace_print_from(uintptr_t first_ret, void *fp)
{
	uintptr_t rets[BACKTRACE_MAX_FRAMES];
	int i = 0;

	kprintf("backtrace:\n");
	if (first_ret)
		print_frame(i++, first_ret);
	int n = arch_backtrace((uintptr_t)(fp ? fp : __builtin_frame_address(0)), rets,
			       BACKTRACE_MAX_FRAMES - i);
	for (int k = 0; k < n; k++)
		print_frame(i++, rets[k]);
}

static __attribute__((noreturn)) void panic_va(uintptr_t pc, uintptr_t ret, void *fp,
					       const char *fmt, va_list ap)
{
	char buf[200];
	uintptr_t off;
	int irqs_were_on = irq_enabled();

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* In a thread, with interrupts on: a crash of that thread alone. */
	if (irqs_were_on && !pc && !__atomic_load_n(&panicking, __ATOMIC_ACQUIRE))
		fault_panic_in_thread(buf, fp);
	irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		plat_poweroff(EXIT_PANIC); /* panic inside panic: stop at once */
	kprintf("\nPANIC: %s\n", buf);
	if (pc) {
		const char *name = ksyms_lookup(pc, &off);
		kprintf("  at 0x%016lx %s+0x%lx\n", pc, name ? name : "?", name ? off : 0);
	}
	backtrace_print_from(ret, fp);
	plat_poweroff(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	KERNEL_ENTRY();
	va_list ap;

	va_start(ap, fmt);
	panic_va(0, 0, __builtin_frame_address(0), fmt, ap);
}

void panic_at(uintptr_t pc, uintptr_t ret, void *fp, const char *fmt, ...)
{
	KERNEL_ENTRY();
	va_list ap;

	va_start(ap, fmt);
	panic_va(pc, ret, fp, fmt, ap);
}

/* The C library's assert() ends here. */
void __assert_fail(const char *expr, const char *file, int line, const char *func)
{
	panic("assertion failed: %s (%s:%d, %s)", expr, file, line, func);
}

void abort(void)
{
	panic("abort() called");
}
