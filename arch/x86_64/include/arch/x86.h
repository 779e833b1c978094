/* x86_64 CPU set-up shared by the bare-metal platforms. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#include <stddef.h>
#include <stdint.h>

struct x86_features {
	unsigned x2apic : 1, tsc_deadline : 1, fsgsbase : 1, hypervisor : 1, kvm : 1, kvmclock : 1,
	    pku : 1, rdrand : 1, invariant_tsc : 1;
	uint32_t max_leaf, max_hv_leaf;
	uint32_t apic_id; /* the boot CPU's initial APIC id (CPUID 1, 8 bits) */
};

extern struct x86_features x86_cpu;

/* Read the CPUID leaves the kernel uses, once, on the boot CPU: each CPUID
 * is a VM exit, so nothing else should ask the CPU again. */
void x86_cpu_detect(void);

/* Enable what the kernel relies on (FSGSBASE for cheap TLS switches). */
void x86_cpu_enable(void);

/* Unmap the page at address 0 (NULL dereferences fault). */
void x86_paging_init(void);

/* W^X on the identity map, once at boot: [text, text_end) read-only and
 * executable, [text_end, rodata_end) read-only, everything else writable
 * and no-execute. Page-aligned bounds. */
void x86_paging_protect_image(uintptr_t text, uintptr_t text_end, uintptr_t rodata_end);

/* Take pages away (@prot 0) or give them back (1), splitting large pages
 * around them (plat_mem_protect on bare metal).
 * @retval -EINVAL unaligned, page 0 or beyond the map; -ENOMEM */
int x86_paging_protect(void *addr, size_t len, int prot);

/* Change the rights of pages outside the image (X86_PAGE_WRITE,
 * X86_PAGE_EXEC; both only for a short time, such as while the AP
 * trampoline runs). Flushes every CPU's TLB.
 * @retval -EINVAL unaligned, page 0, beyond the map, or in the image
 * @retval -ENOMEM no page for a table */
#define X86_PAGE_WRITE 1
#define X86_PAGE_EXEC 2
int x86_paging_set_rights(uintptr_t va, size_t len, int rights);

/* Protection keys (CONFIG_ZONE): map [start, end) with 4 KiB pages so that
 * keys can be set page by page without allocating; give pages a key (0..15)
 * or make them supervisor pages, where keys do not apply; read a page's key
 * (-1 not mapped).
 * @retval -EINVAL unaligned, outside the map, or not split; -ENOMEM */
#define X86_KEY_SUPERVISOR (-2)
int x86_paging_split_4k(uintptr_t start, uintptr_t end);
int x86_paging_set_key(uintptr_t va, size_t len, int key);
int x86_paging_key_of(uintptr_t va);
/* The boot CPU's double-fault stack; arch_zone_supervisor_stack() puts an
 * IST stack out of reach of keys. */
#define X86_IST_STACK_SIZE 16384
extern uint8_t x86_ist_stack0[X86_IST_STACK_SIZE];
void arch_zone_supervisor_stack(void *base, size_t len);
/* Set CR4.PKE on this CPU (x86_cpu.pku): PKRU starts at 0, all allowed. */
void x86_pku_enable(void);

/* TSC frequency in Hz, found without waiting where the hypervisor tells it
 * (kvmclock, CPUID 0x15/0x16), by measuring against the PIT otherwise. */
uint64_t x86_tsc_calibrate(void);

/* What x86_tsc_calibrate() found; 0 before. */
extern uint64_t x86_tsc_hz;

/* Spin for at least @us microseconds (TSC; needs x86_tsc_hz). */
void x86_delay_us(uint64_t us);

/* The GDT with one TSS per CPU: load it on this CPU and make its TSS, whose
 * first IST stack ends at ist_top, the task register. */
void x86_gdt_load(unsigned cpu, void *ist_top);

/* The leaf page-table entry that maps @va, and the size of the page it maps
 * (4 KiB, 2 MiB or 1 GiB); 0 when no table on the way is present. For tests
 * and diagnostics. */
uint64_t x86_pte_get(uintptr_t va, uint64_t *page_size);

static inline void x86_set_fs_base(void *p)
{
	if (x86_cpu.fsgsbase)
		__asm__ volatile("wrfsbase %0" ::"r"(p) : "memory");
	else
		__asm__ volatile("wrmsr" ::"c"(0xc0000100u), "a"((uint32_t)(uintptr_t)p),
				 "d"((uint32_t)((uintptr_t)p >> 32))
				 : "memory");
}

#endif
