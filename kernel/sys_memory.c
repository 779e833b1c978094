/* Memory calls: anonymous mmap from the kernel's page allocator. There is no
 * brk heap: malloc is the kernel's own allocator. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <kernel/compiler.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>

#define PAGE_SIZE 4096ul

static long sys_mmap(void *addr, size_t len, long prot, long flags, long fd, long off)
{
	(void)addr;
	(void)prot;
	(void)off;
	if (!(flags & MAP_ANONYMOUS) || fd != -1)
		return -ENODEV;
	if (flags & MAP_FIXED)
		return -EINVAL; /* one address space: nothing may be placed at will */
	if (!len || len > (1ul << 40))
		return -EINVAL;
	size_t pages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	void *p = mm_pages_alloc(mm_current_heap(), pages);
	if (!p)
		return -ENOMEM;
	memset(p, 0, pages * PAGE_SIZE);
	return (long)p;
}

/* Only whole mappings are unmapped; the C library never splits its own. */
static long sys_munmap(void *addr, size_t len)
{
	if ((uintptr_t)addr & (PAGE_SIZE - 1) || !len)
		return -EINVAL;
	mm_pages_free(addr);
	return 0;
}

static long sys_brk(void)
{
	return 0; /* "no heap to grow": the C library then uses mmap */
}

static long sys_mprotect(void)
{
	return 0; /* one privilege level, everything is read-write */
}

SYSCALL(mmap, sys_mmap);
SYSCALL(munmap, sys_munmap);
SYSCALL(brk, sys_brk);
SYSCALL(mprotect, sys_mprotect);
SYSCALL(madvise, sys_mprotect);
