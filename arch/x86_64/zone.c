/* Protection keys on bare-metal x86_64 (CONFIG_ZONE): the CPU must have
 * PKU (CR4.PKE is set by x86_cpu_enable on every CPU); every page of memory
 * gets its own page-table entry once, at boot, so that keys change later
 * without allocating page tables; the double-fault stacks become
 * supervisor pages, where keys do not apply, so that the CPU can push a
 * frame there whatever PKRU the faulting code had. */
#include <arch.h>
#include <kernel/compiler.h>
#include <kernel/log.h>
#include <kernel/zone_gate.h>
#include <arch/x86.h>
#include <platform.h>

extern char __image_start[], __image_end[];

static int split_failed;

static void split_region(void *start, size_t len, void *arg)
{
	(void)arg;
	if (x86_paging_split_4k((uintptr_t)start, (uintptr_t)start + len) < 0)
		split_failed = 1;
}

bool arch_zone_init(void)
{
	if (!x86_cpu.pku)
		return false;
	split_region(__image_start, (size_t)(__image_end - __image_start), NULL);
	plat_memory_foreach(split_region, NULL);
	if (split_failed) {
		log_warn("zone: no memory for page tables");
		return false;
	}
	x86_paging_set_key((uintptr_t)x86_ist_stack0, sizeof(x86_ist_stack0), X86_KEY_SUPERVISOR);
	return true;
}

int arch_zone_set_key(void *addr, size_t len, int key)
{
	return x86_paging_set_key((uintptr_t)addr, len, key);
}

int arch_zone_key_of(const void *addr)
{
	return x86_paging_key_of((uintptr_t)addr);
}

/* A stack the CPU switches to by itself (IST): no key applies to it. */
void arch_zone_supervisor_stack(void *base, size_t len)
{
	if (zone_on)
		x86_paging_set_key((uintptr_t)base, len, X86_KEY_SUPERVISOR);
}
