/*
 * Thread stacks for thread_spawn(): page-aligned, with an inaccessible
 * guard page below, so that an overflow faults instead of overwriting the
 * next block. Protecting a page edits page tables and flushes TLBs on every
 * CPU, so freed stacks keep their guard and wait in a small cache for the
 * next spawn of the same size.
 */
#include <errno.h>
#include <kernel/log.h>
#include <kernel/sched.h>
#include <kernel/zone_gate.h>
#include <platform.h>

#define GUARD MM_PAGE_SIZE
#define CACHE_SLOTS 16

struct cached_stack {
	void *base; /* the guard page */
	size_t size;
};

static struct cached_stack cache[CACHE_SLOTS];
static unsigned cached;
static spinlock_t cache_lock = SPINLOCK_INIT;

/* @size: usable bytes, a multiple of the page size. Returns the lowest
 * usable address (the guard is the page below) or NULL. */
void *sched_stack_alloc(size_t size)
{
	unsigned long flags = spin_lock_irqsave(&cache_lock);

	for (unsigned i = cached; i-- > 0;) {
		if (cache[i].size == size) {
			void *base = cache[i].base;
			cache[i] = cache[--cached];
			spin_unlock_irqrestore(&cache_lock, flags);
			return (char *)base + GUARD;
		}
	}
	spin_unlock_irqrestore(&cache_lock, flags);

	char *base = mm_pages_alloc(mm_kernel_heap(), (size + GUARD) / MM_PAGE_SIZE);
	if (!base)
		return NULL;
	int r = plat_mem_protect(base, GUARD, 0);
	if (r < 0 && r != -ENOSYS) {
		mm_pages_free(base);
		return NULL;
	}
	return base + GUARD;
}

void sched_stack_free(void *stack, size_t size)
{
	char *base = (char *)stack - GUARD;
	unsigned long flags = spin_lock_irqsave(&cache_lock);

	if (cached < CACHE_SLOTS) {
		cache[cached++] = (struct cached_stack){base, size};
		spin_unlock_irqrestore(&cache_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&cache_lock, flags);
	int r = plat_mem_protect(base, GUARD, 1);
	zone_tag(stack, size, 0); /* the kernel's heap's again (zones) */
	if (r == 0 || r == -ENOSYS)
		mm_pages_free(base);
	else /* cannot give an inaccessible page back to the heap */
		log_warn("sched: stack guard at %p stays reserved (%d)", base, r);
}
