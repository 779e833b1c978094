/* The kernel's GDT: flat code and data, then one TSS descriptor per CPU.
 * Each CPU needs a TSS of its own because the TSS names the IST stack that
 * double faults, NMIs and machine checks switch to, and two CPUs faulting at
 * once must not share it. The boot GDT (plat entry code) has the same code
 * and data selectors, so switching to this one reloads no segment. */
#include <stdint.h>
#include <arch/smp.h>
#include <arch/x86.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

#define GDT_FIXED (X86_GDT_TSS0 / 8) /* null, code (0x08), data (0x10) */

/* Zeroes in .bss rather than a kilobyte of them in the image. */
static uint64_t gdt[GDT_FIXED + 2 * X86_MAX_CPUS] __attribute__((aligned(16)));
static struct tss tss[X86_MAX_CPUS] __attribute__((aligned(16)));

void x86_gdt_load(unsigned cpu, void *ist_top)
{
	struct tss *t = &tss[cpu];
	uint64_t base = (uint64_t)t, limit = sizeof(*t) - 1;
	uint64_t *desc = &gdt[GDT_FIXED + 2 * cpu];
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint64_t)gdt};

	gdt[1] = 0x00af9a000000ffff; /* 0x08: kernel code, 64-bit */
	gdt[2] = 0x00cf92000000ffff; /* 0x10: kernel data */
	t->ist[0] = (uint64_t)ist_top;
	t->iomap_base = sizeof(*t); /* no I/O permission bitmap */
	/* 64-bit available TSS (type 9), present. ltr marks it busy, which is
	 * why every CPU has a descriptor of its own. */
	desc[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		  ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	desc[1] = base >> 32;
	__asm__ volatile("lgdt %0" ::"m"(gdtr) : "memory");
	__asm__ volatile("ltr %w0" ::"r"(X86_GDT_TSS0 + 16 * cpu));
}
