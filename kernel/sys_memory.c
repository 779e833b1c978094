/* Memory calls: anonymous mmap from the kernel's page allocator. There is no
 * brk heap: malloc is the kernel's own allocator.
 *
 * PROT_NONE is honoured page by page (the C library maps thread stacks
 * PROT_NONE and opens all but the guard page with mprotect), so a stack
 * overflow faults. Such ranges are recorded, and opened again before their
 * memory goes back to the heap. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <kernel/compiler.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/mmap_file.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/zone.h>
#include <kernel/zone_gate.h>
#include <platform.h>

#define PAGE_SIZE 4096ul

struct closed_range {
	char *start, *end;
	struct closed_range *next;
};

static struct closed_range *closed;
static spinlock_t closed_lock = SPINLOCK_INIT;

static int close_range(char *start, char *end)
{
	struct closed_range *r = mm_heap_alloc(mm_kernel_heap(), sizeof(*r));

	if (!r)
		return -ENOMEM;
	int e = plat_mem_protect(start, end - start, 0);
	if (e < 0) {
		mm_free(r);
		return e == -ENOSYS ? 0 : e;
	}
	r->start = start;
	r->end = end;
	unsigned long flags = spin_lock_irqsave(&closed_lock);
	r->next = closed;
	closed = r;
	spin_unlock_irqrestore(&closed_lock, flags);
	return 0;
}

/* Make every closed page in [start, end) accessible again. */
static int open_range(char *start, char *end)
{
	unsigned long flags = spin_lock_irqsave(&closed_lock);
	struct closed_range **pp = &closed, *r, *split = NULL;
	int err = 0;

	while ((r = *pp)) {
		if (r->end <= start || r->start >= end) {
			pp = &r->next;
			continue;
		}
		char *lo = r->start > start ? r->start : start;
		char *hi = r->end < end ? r->end : end;
		int e = plat_mem_protect(lo, hi - lo, 1);
		if (e < 0) {
			err = e;
			pp = &r->next;
			continue;
		}
		if (r->start < lo && r->end > hi) {
			/* The middle opened: keep both ends closed. Needs one
			 * more record, allocated outside the lock below. */
			split = r;
			break;
		}
		if (r->start < lo) {
			r->end = lo;
			pp = &r->next;
		} else if (r->end > hi) {
			r->start = hi;
			pp = &r->next;
		} else {
			*pp = r->next;
			spin_unlock_irqrestore(&closed_lock, flags);
			mm_free(r);
			flags = spin_lock_irqsave(&closed_lock);
			pp = &closed;
		}
	}
	spin_unlock_irqrestore(&closed_lock, flags);
	if (split) {
		char *tail = split->end;
		split->end = start;
		close_range(end, tail); /* already closed: this only records it */
		return open_range(start, end);
	}
	return err;
}

/* For fault reports: trylock only, the fault may have hit with the lock
 * held. */
int mem_is_closed(uintptr_t addr)
{
	int hit = 0;
	unsigned long flags = irq_save();

	if (!spin_trylock(&closed_lock)) {
		irq_restore(flags);
		return 0;
	}
	for (struct closed_range *r = closed; r && !hit; r = r->next)
		hit = addr >= (uintptr_t)r->start && addr < (uintptr_t)r->end;
	spin_unlock_irqrestore(&closed_lock, flags);
	return hit;
}

static long sys_mmap(void *addr, size_t len, long prot, long flags, long fd, long off)
{
	(void)addr;
	if (flags & MAP_FIXED)
		return -EINVAL; /* one address space: nothing may be placed at will */
	if (!len || len > (1ul << 40))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return IS_ENABLED(CONFIG_FS)
			   ? mmap_file(len, (int)prot, (int)flags, (int)fd, (uint64_t)off)
			   : -ENODEV;
	size_t pages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	/* Inaccessible mappings are thread stacks in the making: they
	 * belong to no thread's heap, so that none takes them along. */
	struct mm_heap *h = prot == PROT_NONE ? mm_kernel_heap() : mm_current_heap();
	char *p = mm_pages_alloc(h, pages);
	if (!p)
		return -ENOMEM;
	memset(p, 0, pages * PAGE_SIZE);
	if (prot == PROT_NONE && close_range(p, p + pages * PAGE_SIZE) < 0) {
		mm_pages_free(p);
		return -ENOMEM;
	}
	return (long)p;
}

/* Zones: a thread may change only memory it may write, or a mapping
 * still closed (a stack in the making), never the kernel's. */
static bool caller_owns(char *start, char *end)
{
	if (!zone_on)
		return true;
	for (char *p = start; p < end; p += PAGE_SIZE)
		if (!mem_is_closed((uintptr_t)p) && !zone_user_writable(p, PAGE_SIZE))
			return thread_region_exited(start, (size_t)(end - start));
	return true;
}

/* The memory of a whole mapping goes back to the heap; the C library never
 * unmaps part of its own. Also called for a detached thread that ended. */
long sys_munmap_region(void *addr, size_t len, int reap_threads)
{
	if ((uintptr_t)addr & (PAGE_SIZE - 1) || !len)
		return -EINVAL;
	size_t size = mm_usable_size(addr);
	if (size < len)
		size = len;
	if (reap_threads && !caller_owns(addr, (char *)addr + ALIGN_UP(size, PAGE_SIZE)))
		return -EACCES;
	if (open_range(addr, (char *)addr + ALIGN_UP(size, PAGE_SIZE)) < 0) {
		log_warn("munmap: %p stays reserved: its pages cannot be opened", addr);
		return 0;
	}
	zone_tag(addr, ALIGN_UP(size, PAGE_SIZE), 0); /* the kernel's again */
	mm_pages_free(addr);
	if (reap_threads)
		thread_region_unmapped(addr, size);
	return 0;
}

static long sys_munmap(void *addr, size_t len)
{
	if (IS_ENABLED(CONFIG_FS)) {
		int r = mmap_file_unmap(addr);
		if (r)
			return r < 0 ? r : 0;
	}
	return sys_munmap_region(addr, len, 1);
}

static long sys_mprotect(void *addr, size_t len, long prot)
{
	char *start = addr, *end = start + ALIGN_UP(len, PAGE_SIZE);

	if ((uintptr_t)addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!len)
		return 0;
	if (!caller_owns(start, end))
		return -EACCES;
	if (prot == PROT_NONE)
		return close_range(start, end);
	/* Anything readable is also writable and executable: one privilege
	 * level, and the kernel's own pages need all three. */
	int r = open_range(start, end);
	if (!r)
		zone_tag(start, (size_t)(end - start), zone_self() ? ZONE_SHARED : ZONE_KERNEL);
	return r;
}

/* An anonymous mapping grows by moving (MREMAP_MAYMOVE), or stays where
 * it is when its block already has the room; it shrinks in place. File
 * mappings keep their size. */
static long sys_mremap(void *addr, size_t old_len, size_t new_len, long flags)
{
	if ((uintptr_t)addr & (PAGE_SIZE - 1) || !new_len || new_len > (1ul << 40) ||
	    (flags & ~(long)MREMAP_MAYMOVE))
		return -EINVAL; /* MREMAP_FIXED: nothing is placed at will */
	if (IS_ENABLED(CONFIG_FS) && mmap_file_is_mapped(addr))
		return -EINVAL;
	size_t have = mm_usable_size(addr);
	if (have < old_len)
		return -EFAULT;
	if (new_len <= have)
		return (long)addr;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	size_t pages = ALIGN_UP(new_len, PAGE_SIZE) / PAGE_SIZE;
	char *p = mm_pages_alloc(mm_current_heap(), pages);
	if (!p)
		return -ENOMEM;
	size_t keep = old_len < have ? old_len : have;
	memcpy(p, addr, keep);
	memset(p + keep, 0, pages * PAGE_SIZE - keep);
	sys_munmap_region(addr, old_len, 0);
	return (long)p;
}

static long sys_brk(void)
{
	return 0; /* "no heap to grow": the C library then uses mmap */
}

static long sys_madvise(void)
{
	return 0;
}

SYSCALL(mmap, sys_mmap);
SYSCALL(munmap, sys_munmap);
SYSCALL(brk, sys_brk);
SYSCALL(mremap, sys_mremap);
SYSCALL(mprotect, sys_mprotect);
SYSCALL(madvise, sys_madvise);
