/* Large blocks: requests beyond the slab classes, served by the general
 * heap. The payload starts with a struct mm_large that links the block into
 * its heap's list, so a heap can be released without knowing its blocks'
 * addresses. Everything here runs under mm_lock, since any thread may free
 * a block and so unlink it from another heap's list.
 */
#include <kernel/compiler.h>
#include <kernel/zone_gate.h>
#include "mm_internal.h"

#define LARGE_HDR sizeof(struct mm_large)

static inline uintptr_t large_magic(const struct mm_large *l)
{
	return (uintptr_t)l ^ 0x6c617267656d6d00UL;
}

/* What a freed block's header says until its memory is handed out again:
 * a second free of it is then told from a pointer that never was a block.
 */
static inline uintptr_t large_freed_magic(const struct mm_large *l)
{
	return large_magic(l) ^ 1;
}

/* Under mm_lock: why @p is not a live block, for the report. */
static const char *large_misuse(const void *p, const char *what)
{
	const struct mm_large *l = (const struct mm_large *)p - 1;

	if (mm_tlsf_contains(p, LARGE_HDR + MM_BLOCK_HDR) && l->magic == large_freed_magic(l))
		return "double free";
	return what;
}

/* Under mm_lock: the header of live block @p, or NULL. */
static struct mm_large *large_of(const void *p)
{
	struct mm_large *l = (struct mm_large *)(uintptr_t)p - 1;

	if (!mm_tlsf_contains(p, LARGE_HDR + MM_BLOCK_HDR) || l->magic != large_magic(l))
		return NULL;
	return l;
}

/* Zones: a block of a heap with a key has whole pages of its own, which
 * get the key; its header stays on the page before, the kernel's. */
static size_t zone_pages(const struct mm_large *l)
{
	return ALIGN_DOWN(mm_tlsf_usable(l) - LARGE_HDR, MM_PAGE_SIZE);
}

void *mm_large_alloc(struct mm_heap *h, size_t size, size_t align)
{
	unsigned long flags;
	struct mm_large *l;

	if (size > MM_ALLOC_MAX)
		return NULL;
	if (h->key) {
		size = ALIGN_UP(size, MM_PAGE_SIZE);
		align = align > MM_PAGE_SIZE ? align : MM_PAGE_SIZE;
	}
	flags = spin_lock_irqsave(&mm_lock);
	l = mm_tlsf_alloc(size + LARGE_HDR, align, LARGE_HDR);
	if (l && h->key)
		zone_tag(l + 1, zone_pages(l), h->key);
	if (l) {
		l->heap = h;
		l->magic = large_magic(l);
		l->prev = NULL;
		l->next = h->large;
		if (h->large)
			h->large->prev = l;
		else
			h->large_tail = l;
		h->large = l;
		h->large_bytes += mm_tlsf_usable(l) - LARGE_HDR;
		mm_heap_hold(h, mm_tlsf_span(l), true);
	}
	spin_unlock_irqrestore(&mm_lock, flags);
	return l ? l + 1 : NULL;
}

void mm_large_free(void *p)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	struct mm_large *l = large_of(p);
	const char *why = NULL;
	struct mm_heap *h;

	if (l) {
		h = l->heap;
		if (l->prev)
			l->prev->next = l->next;
		else
			h->large = l->next;
		if (l->next)
			l->next->prev = l->prev;
		else
			h->large_tail = l->prev;
		h->large_bytes -= mm_tlsf_usable(l) - LARGE_HDR;
		mm_heap_hold(h, mm_tlsf_span(l), false);
		l->magic = large_freed_magic(l);
		if (h->key)
			zone_tag(l + 1, zone_pages(l), 0);
		mm_tlsf_free(l);
	} else {
		why = large_misuse(p, "invalid free");
	}
	spin_unlock_irqrestore(&mm_lock, flags);
	if (why)
		mm_corruption(why, p);
}

bool mm_large_trusted(const struct mm_heap *h, const struct mm_large *l)
{
	return mm_tlsf_in_use(l, 0) && l->magic == large_magic(l) && l->heap == h;
}

void mm_large_drop(struct mm_heap *h, struct mm_large *l)
{
	mm_heap_hold(h, mm_tlsf_span(l), false);
	l->magic = large_freed_magic(l);
	if (h->key)
		zone_tag(l + 1, zone_pages(l), 0);
	mm_tlsf_free(l);
}

int mm_large_owner(const void *p)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	struct mm_large *l = large_of(p);
	int id = l ? l->heap->owner_id : -1;

	spin_unlock_irqrestore(&mm_lock, flags);
	if (!l)
		mm_corruption("mm_owner_of() of an invalid pointer", p);
	return id;
}

bool mm_large_resize(void *p, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	struct mm_large *l = large_of(p);
	size_t usable, span;
	bool done = false;

	/* A block with a key keeps its pages: it moves instead. */
	if (l && size <= MM_ALLOC_MAX && !l->heap->key) {
		usable = mm_tlsf_usable(l);
		span = mm_tlsf_span(l);
		done = mm_tlsf_resize(l, size + LARGE_HDR);
		if (done) {
			l->heap->large_bytes += mm_tlsf_usable(l) - usable;
			mm_heap_hold(l->heap, span, false);
			mm_heap_hold(l->heap, mm_tlsf_span(l), true);
		}
	}
	spin_unlock_irqrestore(&mm_lock, flags);
	if (!l)
		mm_corruption("invalid realloc", p);
	return done;
}

size_t mm_large_usable(const void *p)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	struct mm_large *l = large_of(p);
	size_t n = l ? mm_tlsf_usable(l) - LARGE_HDR : 0;

	spin_unlock_irqrestore(&mm_lock, flags);
	return n;
}

void *mm_pages_alloc(struct mm_heap *h, size_t npages)
{
	if (npages == 0 || npages > MM_ALLOC_MAX / MM_PAGE_SIZE)
		return NULL;
	return mm_large_alloc(h, npages * MM_PAGE_SIZE, MM_PAGE_SIZE);
}

void mm_pages_free(void *p)
{
	if (!p)
		return;
	if ((uintptr_t)p % MM_PAGE_SIZE || mm_map_is_slab(p)) {
		mm_corruption("mm_pages_free() of a pointer not from mm_pages_alloc()", p);
		return;
	}
	mm_large_free(p);
}
