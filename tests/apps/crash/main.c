/* Ends the system in the way argv[1] names, for the boot tests that check
 * what the kernel prints and the exit status the run script returns. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/panic.h>
#include <kernel/thread.h>

static volatile int zero;

__attribute__((noinline)) static void crash_null_write(void)
{
	*(volatile int *)(long)zero = 42;
}

/* In assembly: a compiler may turn a C division by a variable into
 * something that never divides. */
__attribute__((noinline)) static void crash_divide(void)
{
	unsigned int quotient = 100, divisor = zero;

#if defined(__aarch64__)
	/* udiv by zero gives 0 and no exception on aarch64 */
	__asm__ volatile("udiv %w0, %w0, %w1" : "+r"(quotient) : "r"(divisor));
#elif defined(__riscv)
	/* nor on riscv64 (the quotient is all ones) */
	__asm__ volatile("divuw %0, %0, %1" : "+r"(quotient) : "r"(divisor));
#else
	unsigned int remainder = 0;
	__asm__ volatile("divl %2" : "+a"(quotient), "+d"(remainder) : "r"(divisor));
#endif
	printf("%u\n", quotient);
}

__attribute__((noinline)) static void crash_invalid_opcode(void)
{
#if defined(__aarch64__)
	__asm__ volatile("udf #0");
#elif defined(__riscv)
	__asm__ volatile("unimp");
#else
	__asm__ volatile("ud2");
#endif
}

__attribute__((noinline)) static void crash_panic(void)
{
	panic("requested by the test (%d)", 7);
}

/* An empty IDT and a breakpoint: the CPU cannot deliver the exception and
 * resets. The run script must report this as a failure. */
__attribute__((noinline)) static void crash_triple_fault(void)
{
#if defined(__aarch64__)
	/* No triple fault on aarch64: PSCI SYSTEM_RESET is the reset. */
	register unsigned long x0 __asm__("x0") = 0x84000009;
	__asm__ volatile("hvc #0" : "+r"(x0));
#elif defined(__riscv)
	/* Nor on riscv64: SBI system reset (cold reboot) is the reset. */
	register long a0 __asm__("a0") = 1, a1 __asm__("a1") = 0;
	register long a6 __asm__("a6") = 0, a7 __asm__("a7") = 0x53525354;
	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7));
#else
	struct {
		unsigned short limit;
		unsigned long base;
	} __attribute__((packed)) idtr = {0, 0};
	__asm__ volatile("lidt %0; int3" ::"m"(idtr));
#endif
}

/* Unbounded recursion in a thread with a 16 KiB stack: it must fault on
 * the guard page below the stack, not run into other memory. */
static volatile int keep_going = 1;

__attribute__((noinline)) static int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	return (keep_going ? recurse(depth + 1) : 0) + frame[0];
}

static void *overflow_thread(void *arg)
{
	(void)arg;
	return (void *)(long)recurse(0);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	printf("crash: %s\n", what);
	fflush(stdout);
	if (!strcmp(what, "exit"))
		return argc > 2 ? atoi(argv[2]) : 0;
	if (!strcmp(what, "args")) {
		for (int i = 0; i < argc; i++)
			printf("argv[%d]=<%s>\n", i, argv[i]);
		return 0;
	}
	if (!strcmp(what, "null"))
		crash_null_write();
	if (!strcmp(what, "divide"))
		crash_divide();
	if (!strcmp(what, "ud2"))
		crash_invalid_opcode();
	if (!strcmp(what, "panic"))
		crash_panic();
	if (!strcmp(what, "abort"))
		abort();
	if (!strcmp(what, "assert")) {
		volatile int answer = 41;
		assert(answer == 42);
	}
	if (!strcmp(what, "overflow")) {
		/* Restarted twice, then the third overflow stops the system. */
		struct thread_attr a = {.name = "deep", .stack_size = 16384, .restart_max = 2};
		thread_spawn(&a, overflow_thread, NULL);
		for (;;)
			thread_sleep_ms(1000);
	}
	if (!strcmp(what, "triple"))
		crash_triple_fault();
	printf("crash: unknown request '%s'\n", what);
	return 99;
}
