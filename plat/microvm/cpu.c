/* The CPU side of the platform contract on microvm: idling, the thread
 * pointer, page protection. */
#include <arch/x86.h>
#include <platform.h>

void plat_idle(void)
{
	/* sti takes effect after the next instruction, so no interrupt can
	 * slip in between the check the caller made and the halt. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

void plat_set_thread_pointer(void *tp)
{
	x86_set_fs_base(tp);
}

int plat_mem_protect(void *addr, size_t len, int prot)
{
	return x86_paging_protect(addr, len, prot);
}
