/* Allocator micro-benchmark inside the unikernel: malloc and free from the
 * C library, which are the kernel's allocator, timed with the TSC. The same
 * benchmark code runs on the host against glibc (tools/bench/alloc_host.c). */
#include <stdio.h>
#include <stdlib.h>
#include <alloc_bench.h>

static uint64_t cycles(void)
{
#if defined(__aarch64__)
	/* the generic timer's count (62.5 MHz on QEMU virt), not CPU cycles */
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(v)::"memory");
	return v;
#elif defined(__riscv)
	/* the time CSR (10 MHz on QEMU virt), not CPU cycles: under TCG the
	 * cycle CSR counts host clock ticks at a rate nobody states */
	uint64_t v;

	__asm__ volatile("fence; rdtime %0; fence" : "=r"(v)::"memory");
	return v;
#else
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
#endif
}

static void report(const char *line)
{
	printf("%s\n", line);
}

int main(void)
{
	const struct alloc_bench_ops ops = {
	    .name = "unishyper",
	    .malloc = malloc,
	    .free = free,
	    .cycles = cycles,
	    .report = report,
	};

	alloc_bench_run(&ops);
	return 0;
}
