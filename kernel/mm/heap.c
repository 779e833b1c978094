/* Heaps and the allocation entry points.
 *
 * mm_heap_alloc() and mm_free() hold the fast paths for a thread heap's
 * own slabs: a table lookup for the class and a pop from, or a push onto, a
 * slab's free list, with no lock and no atomic operation. Everything else
 * (the kernel heap, other heaps' objects, large blocks) goes to slab.c or
 * large.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/zone_gate.h>
#include "mm_internal.h"

#define MM_NO_SLABS                                                                                \
	{                                                                                          \
		[0 ... MM_NCLASSES - 1] = &mm_empty_slab                                           \
	}

static struct mm_heap shared_heap;

static struct mm_heap kernel_heap = {
    .cur = MM_NO_SLABS,
    .shared = 1,
    .lock = SPINLOCK_INIT,
    .next = &shared_heap,
};

/* Memory threads hand to each other (mm_shared_alloc): owned by no thread,
 * so no crash takes it back.
 */
static struct mm_heap shared_heap = {
    .cur = MM_NO_SLABS,
    .shared = 1,
    .lock = SPINLOCK_INIT,
    .prev = &kernel_heap,
};

struct mm_heap *mm_heaps = &kernel_heap;

void mm_heap_reset(struct mm_heap *h, int owner_id)
{
	unsigned int c;

	memset(h, 0, sizeof(*h));
	for (c = 0; c < MM_NCLASSES; c++)
		h->cur[c] = &mm_empty_slab;
	h->owner_id = owner_id;
	h->lock = (spinlock_t)SPINLOCK_INIT;
}

void mm_heap_register(struct mm_heap *h)
{
	h->prev = NULL;
	h->next = mm_heaps;
	if (mm_heaps)
		mm_heaps->prev = h;
	mm_heaps = h;
}

void mm_heap_unregister(struct mm_heap *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		mm_heaps = h->next;
	if (h->next)
		h->next->prev = h->prev;
	h->next = h->prev = NULL;
}

void mm_heap_hold(struct mm_heap *h, size_t bytes, bool take)
{
	if (!take) {
		h->held -= bytes;
		return;
	}
	h->held += bytes;
	if (h->held > h->held_peak)
		h->held_peak = h->held;
}

void mm_init(void)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);

	mm_tlsf_reset();
	mm_map_reset();
	mm_quarantined = mm_quarantines = 0;
	mm_heap_reset(&kernel_heap, 0);
	kernel_heap.shared = 1;
	mm_heap_reset(&shared_heap, 0);
	shared_heap.shared = 1;
	mm_heaps = NULL;
	mm_heap_register(&shared_heap);
	mm_heap_register(&kernel_heap);
	spin_unlock_irqrestore(&mm_lock, flags);
}

int mm_add_region(void *start, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	int ret = -EINVAL;

	if (len >= MM_PAGE_SIZE / 16 && mm_map_covers(start, len))
		ret = mm_tlsf_add(start, len);
	spin_unlock_irqrestore(&mm_lock, flags);
	return ret;
}

void mm_heap_init(struct mm_heap *h, int owner_id)
{
	unsigned long flags;

	mm_heap_reset(h, owner_id);
	flags = spin_lock_irqsave(&mm_lock);
	mm_heap_register(h);
	spin_unlock_irqrestore(&mm_lock, flags);
}

struct mm_heap *mm_kernel_heap(void)
{
	return &kernel_heap;
}

struct mm_heap *mm_shared_heap(void)
{
	return &shared_heap;
}

__attribute__((weak)) struct mm_heap *mm_current_heap(void)
{
	return &kernel_heap;
}

__attribute__((weak)) void mm_corruption(const char *what, const void *p)
{
	(void)what;
	(void)p;
	abort();
}

static inline void *alloc_raw(struct mm_heap *h, size_t size)
{
	struct mm_slab *s;
	void **obj;

	if (mm_likely(size <= MM_SMALL_MAX && !h->shared)) {
		s = h->cur[mm_small_class[(size + 15) >> 4]];
		obj = s->free;
		if (mm_likely(obj != NULL)) {
			s->free = obj[0];
			obj[1] = NULL;
			s->nused++;
			return obj;
		}
	}
	if (size <= MM_SMALL_MAX)
		return mm_slab_alloc(h, mm_small_class[(size + 15) >> 4]);
	return mm_large_alloc(h, size, 16);
}

/* Slab objects of a class whose size is a multiple of @align are aligned to
 * it, as long as @align divides the slab header size too.
 */
static void *memalign_raw(struct mm_heap *h, size_t align, size_t size)
{
	unsigned int c;

	if (align == 0 || (align & (align - 1)))
		return NULL;
	if (align <= 16)
		return alloc_raw(h, size);
	if (size <= MM_SMALL_MAX && align <= MM_SLAB_HDR) {
		for (c = mm_small_class[(size + 15) >> 4]; c < MM_NCLASSES; c++)
			if (mm_class_size[c] % align == 0)
				return mm_slab_alloc(h, c);
	}
	return mm_large_alloc(h, size, align);
}

static inline void free_raw(void *p)
{
	struct mm_slab *s;
	struct mm_heap *h;
	void **obj = p;

	if (!p)
		return;
	if (mm_unlikely(!mm_map_is_slab(p))) {
		mm_large_free(p);
		return;
	}
	s = mm_slab_of(p);
	h = mm_current_heap();
	if (mm_likely(s->heap == h && !h->shared && obj[1] != mm_slab_free_key(s) &&
		      mm_slab_at_object(s, p))) {
		obj[0] = s->free;
		obj[1] = mm_slab_free_key(s);
		s->free = obj;
		s->nused--;
		/* A full slab has free objects now; an empty one may go. */
		if (mm_unlikely(s->state == MM_SLAB_FULL ||
				(s->nused == 0 && s->state != MM_SLAB_CUR)))
			mm_slab_settle(h, s);
		return;
	}
	mm_slab_free_slow(h, s, obj);
}

/* Usable bytes of live block @p as the allocator sees them (guard
 * included), or 0 when @p is not one; reports nothing.
 */
static size_t usable_raw(const void *p)
{
	const struct mm_slab *s;

	if (!mm_map_is_slab(p))
		return mm_large_usable(p);
	s = mm_slab_of(p);
	return mm_slab_valid(s, p) ? s->size : 0;
}

/* CONFIG_HEAP_CHECK: whether @p's guard holds. A pointer that is not a
 * live block passes, so that free() names the misuse precisely.
 */
static bool guard_holds(void *p)
{
	size_t u = usable_raw(p);

	if (!u || (mm_map_is_slab(p) && ((void **)p)[1] == mm_slab_free_key(mm_slab_of(p))))
		return true;
	if (mm_check_length(p, u) != SIZE_MAX)
		return true;
	mm_corruption("overflow detected at free", p);
	return false;
}

void *mm_heap_alloc(struct mm_heap *h, size_t size)
{
	KERNEL_ENTRY();
	if (!IS_ENABLED(CONFIG_HEAP_CHECK))
		return alloc_raw(h, size);
	if (size > MM_ALLOC_MAX)
		return NULL;
	void *p = alloc_raw(h, size + MM_CHECK_EXTRA);
	return p ? mm_check_arm(p, size, usable_raw(p)) : NULL;
}

void *mm_heap_memalign(struct mm_heap *h, size_t align, size_t size)
{
	KERNEL_ENTRY();
	if (!IS_ENABLED(CONFIG_HEAP_CHECK))
		return memalign_raw(h, align, size);
	if (size > MM_ALLOC_MAX)
		return NULL;
	void *p = memalign_raw(h, align, size + MM_CHECK_EXTRA);
	return p ? mm_check_arm(p, size, usable_raw(p)) : NULL;
}

void mm_free(void *p)
{
	KERNEL_ENTRY();
	if (IS_ENABLED(CONFIG_HEAP_CHECK) && p && !guard_holds(p))
		return;
	free_raw(p);
}

size_t mm_usable_size(const void *p)
{
	KERNEL_ENTRY();
	size_t u, n;

	if (!p)
		return 0;
	u = usable_raw(p);
	if (!u) {
		mm_corruption("malloc_usable_size() of an invalid pointer", p);
		return 0;
	}
	if (!IS_ENABLED(CONFIG_HEAP_CHECK))
		return u;
	n = mm_check_length(p, u);
	return n == SIZE_MAX ? 0 : n;
}

int mm_owner_of(const void *p)
{
	KERNEL_ENTRY();
	const struct mm_slab *s;

	if (!mm_map_is_slab(p))
		return mm_large_owner(p);
	s = mm_slab_of(p);
	if (!mm_slab_valid(s, p)) {
		mm_corruption("mm_owner_of() of an invalid pointer", p);
		return -1;
	}
	return __atomic_load_n(&s->heap, __ATOMIC_ACQUIRE)->owner_id;
}

/* Large blocks shrinking into the slab range move there, to free the
 * general heap; otherwise they resize in place when the neighbour allows.
 */
/* CONFIG_HEAP_CHECK: always a new block, so each has its own guard. */
static void *realloc_checked(void *p, size_t size)
{
	size_t u = usable_raw(p), old;
	void *n;

	if (!u) {
		mm_corruption("invalid realloc", p);
		return NULL;
	}
	old = mm_check_length(p, u);
	if (old == SIZE_MAX) {
		mm_corruption("overflow detected at realloc", p);
		return NULL;
	}
	n = mm_heap_alloc(mm_current_heap(), size);
	if (n) {
		memcpy(n, p, old < size ? old : size);
		mm_free(p);
	}
	return n;
}

void *mm_realloc(void *p, size_t size)
{
	KERNEL_ENTRY();
	struct mm_heap *h = mm_current_heap();
	size_t old;
	void *n;

	if (!p)
		return mm_heap_alloc(h, size);
	if (IS_ENABLED(CONFIG_HEAP_CHECK))
		return realloc_checked(p, size);
	old = mm_usable_size(p);
	if (!old)
		return NULL;
	if (mm_map_is_slab(p)) {
		if (size <= old && (size > old / 2 || old <= 16))
			return p;
	} else if (size > MM_SMALL_MAX && mm_large_resize(p, size)) {
		return p;
	}
	n = mm_heap_alloc(h, size);
	if (!n) {
		if (size <= old && !mm_map_is_slab(p) && mm_large_resize(p, size))
			return p;
		return NULL;
	}
	memcpy(n, p, old < size ? old : size);
	mm_free(p);
	return n;
}

void *mm_kernel_zalloc(size_t size)
{
	KERNEL_ENTRY();
	void *p = mm_heap_alloc(&kernel_heap, size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *mm_shared_alloc(size_t size)
{
	KERNEL_ENTRY();
	return mm_heap_alloc(&shared_heap, size);
}

void *mm_share(void *p)
{
	KERNEL_ENTRY();
	size_t n;
	void *q;

	if (!p)
		return NULL;
	n = mm_usable_size(p);
	q = mm_heap_alloc(&shared_heap, n);
	if (q) {
		memcpy(q, p, n);
		mm_free(p);
	}
	return q;
}

void mm_heap_collect(struct mm_heap *h)
{
	KERNEL_ENTRY();
	unsigned long flags;

	if (!h->shared) {
		mm_slab_collect(h);
		return;
	}
	flags = spin_lock_irqsave(&h->lock);
	mm_slab_collect(h);
	spin_unlock_irqrestore(&h->lock, flags);
}

/* Hand every large block of @h to @to, keeping the list walkable. */
static void adopt_large(struct mm_heap *to, struct mm_heap *h)
{
	struct mm_large *l, *tail = NULL;

	for (l = h->large; l; l = l->next) {
		l->heap = to;
		tail = l;
	}
	if (!tail)
		return;
	tail->next = to->large;
	if (to->large)
		to->large->prev = tail;
	else
		to->large_tail = tail;
	to->large = h->large;
	to->large_bytes += h->large_bytes;
}

/* Under mm_lock: whether every slab and large block of @h checks out as
 * mm_heap_release_all() checks them.
 */
static bool heap_sound(struct mm_heap *h)
{
	struct mm_slab *s, *sp = NULL;
	struct mm_large *l, *lp = NULL;
	size_t n = 0, max = h->held / MM_BLOCK_MIN + 2;

	for (s = h->slabs; s; sp = s, s = s->next)
		if (++n > max || !mm_slab_trusted(h, s) || s->prev != sp)
			return false;
	for (l = h->large; l; lp = l, l = l->next)
		if (++n > max || !mm_large_trusted(h, l) || l->prev != lp)
			return false;
	return true;
}

void mm_heap_abandon(struct mm_heap *h)
{
	struct mm_slab *s, *sn;
	unsigned long flags;

	if (h->shared) {
		mm_corruption("abandon of a shared heap", h);
		return;
	}
	/* What is left goes to the heap of the same key (zones): the kernel's,
	 * or the zone's, whose threads may still use it. */
	struct mm_heap *to = h->key ? zone_heap_of(h->key) : &kernel_heap;
	flags = spin_lock_irqsave(&to->lock);
	spin_lock(&mm_lock);
	/* A thread may damage its heap and still exit normally: what it
	 * leaves is then not handed on but taken back as after a crash. */
	if (!heap_sound(h)) {
		spin_unlock(&mm_lock);
		spin_unlock_irqrestore(&to->lock, flags);
		mm_heap_release_all(h);
		return;
	}
	for (s = h->slabs; s; s = sn) {
		sn = s->next;
		mm_slab_take_remote(s);
		if (s->nused == 0)
			mm_slab_release(s);
		else
			mm_slab_adopt(to, s);
	}
	adopt_large(to, h);
	mm_heap_hold(to, h->held, true);
	mm_heap_unregister(h);
	spin_unlock(&mm_lock);
	spin_unlock_irqrestore(&to->lock, flags);
	int key = h->key;
	mm_heap_reset(h, h->owner_id);
	h->key = key;
}
