/* x86 protection keys (PKU): the PKRU register and the gates that change it.
 *
 * Each page carries a 4-bit key (page-table bits 62:59) and PKRU holds two
 * bits per key: AD (no access) and WD (no write). The kernel runs with
 * PKRU 0 (everything allowed); an application thread runs with the value
 * of its zone (kernel/zone.c). Only the gates below write PKRU, and the
 * build checks that (tools/zone_scan.py): every WRPKRU in the image must be
 * followed by one of the two checks written here, so jumping straight to a
 * WRPKRU cannot grant rights:
 *  - entering the kernel writes 0 and checks that 0 was written;
 *  - leaving it writes the caller's value and checks that this is the
 *    running thread's own (struct thread's pkru, read after the write).
 */
#ifndef ARCH_PKRU_H
#define ARCH_PKRU_H

#include <stdint.h>

#define PKRU_AD(key) (1u << (2 * (key)))
#define PKRU_WD(key) (2u << (2 * (key)))

/* Offsets the leave gate reads through %gs (checked in kernel/zone.c). */
#define PKRU_CPU_CURRENT_OFFSET 24 /* struct cpu: current */
#define PKRU_THREAD_OFFSET 16	   /* struct thread: pkru */

static inline uint32_t arch_pkru_read(void)
{
	uint32_t a, d;

	__asm__ volatile("rdpkru" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

/* Into the kernel: PKRU 0. The value written is checked after the write. */
static inline __attribute__((always_inline)) void arch_pkru_enter(void)
{
	uint32_t c = 0;

	__asm__ volatile("xorl %%eax, %%eax\n\t"
			 "xorl %%edx, %%edx\n\t"
			 "wrpkru\n\t"
			 "testl %%eax, %%eax\n\t"
			 "je 1f\n\t"
			 "ud2\n"
			 "1:"
			 : "+c"(c)
			 :
			 : "rax", "rdx", "memory");
}

/* Back to the application's @pkru, which must be the running thread's. */
static inline __attribute__((always_inline)) void arch_pkru_leave(uint32_t pkru)
{
	uint64_t c = 0;

	__asm__ volatile("xorl %%edx, %%edx\n\t"
			 "wrpkru\n\t"
			 "movq %%gs:0, %%rcx\n\t"
			 "movq %c[cur](%%rcx), %%rcx\n\t"
			 "cmpl %c[pk](%%rcx), %%eax\n\t"
			 "je 1f\n\t"
			 "ud2\n"
			 "1:"
			 : "+c"(c), "+a"(pkru)
			 : [cur] "i"(PKRU_CPU_CURRENT_OFFSET), [pk] "i"(PKRU_THREAD_OFFSET)
			 : "rdx", "memory");
}

#endif
