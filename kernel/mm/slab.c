/* Slabs: small objects in size classes.
 *
 * Each heap allocates a class from its current slab by popping the slab's
 * free list; that is the fast path, in heap.c. A thread that frees an
 * object of another heap's slab pushes it onto the slab's remote list with
 * one compare-and-swap; the owner takes the whole list when its local list
 * runs dry. The owner keeps its other slabs on a partial list (local free
 * objects) or a full list (none, as far as it knows), and looks at a few
 * full slabs for remote frees before taking a new slab from the general
 * heap.
 */
#include <string.h>
#include <kernel/zone_gate.h>
#include "mm_internal.h"

/* 16 bytes apart up to 128, then four steps per power of two. */
// clang-format off
const uint16_t mm_class_size[MM_NCLASSES] = {
	16,  32,  48,  64,  80,  96,  112, 128, 160, 192,
	224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
};

/* Class of a size, indexed by (size + 15) / 16. */
const uint8_t mm_small_class[MM_SMALL_MAX / 16 + 1] = {
	0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  8,  9,  9,  10, 10, 11, 11,
	12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15, 16,
	16, 16, 16, 16, 16, 16, 16, 17, 17, 17, 17, 17, 17, 17, 17, 18, 18,
	18, 18, 18, 18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19,
};
// clang-format on

struct mm_slab mm_empty_slab = {.state = MM_SLAB_CUR};

/* Full slabs looked at for remote frees before a new slab is taken. */
#define MM_SCAN_MAX 8
/* The general-heap request for a slab: its block then spans exactly
 * MM_SLAB_SIZE, so slabs can tile; the last 16 bytes hold the next
 * block's header.
 */
#define MM_SLAB_REQUEST (MM_SLAB_SIZE - MM_BLOCK_HDR)

static inline uint64_t slab_magic(const struct mm_slab *s)
{
	return (uintptr_t)s ^ 0x736c61626d6d0000UL;
}

/* Circular doubly-linked class lists; *head is the next to look at. */
static void clist_push(struct mm_slab **head, struct mm_slab *s)
{
	struct mm_slab *h = *head;

	if (!h) {
		s->cnext = s->cprev = s;
	} else {
		s->cnext = h;
		s->cprev = h->cprev;
		h->cprev->cnext = s;
		h->cprev = s;
	}
	*head = s;
}

static void clist_unlink(struct mm_slab **head, struct mm_slab *s)
{
	if (s->cnext == s) {
		*head = NULL;
		return;
	}
	s->cprev->cnext = s->cnext;
	s->cnext->cprev = s->cprev;
	if (*head == s)
		*head = s->cnext;
}

void mm_slab_file(struct mm_heap *h, struct mm_slab *s)
{
	if (s->free || s->bump < s->end) {
		s->state = MM_SLAB_PARTIAL;
		clist_push(&h->partial[s->cls], s);
	} else {
		s->state = MM_SLAB_FULL;
		clist_push(&h->full[s->cls], s);
	}
}

void mm_slab_unfile(struct mm_heap *h, struct mm_slab *s)
{
	if (s->state == MM_SLAB_PARTIAL)
		clist_unlink(&h->partial[s->cls], s);
	else if (s->state == MM_SLAB_FULL)
		clist_unlink(&h->full[s->cls], s);
	else if (h->cur[s->cls] == s)
		h->cur[s->cls] = &mm_empty_slab;
}

static void slab_init(struct mm_slab *s, struct mm_heap *h, unsigned int cls)
{
	s->free = NULL;
	s->nused = 0;
	s->cls = cls;
	s->state = MM_SLAB_CUR;
	s->heap = h;
	s->size = mm_class_size[cls];
	s->capacity = (MM_SLAB_REQUEST - MM_SLAB_HDR) / s->size;
	s->div = UINT64_MAX / s->size + 1;
	s->bump = (char *)s + MM_SLAB_HDR;
	s->end = s->bump + (size_t)s->capacity * s->size;
	s->remote = 0;
	s->magic = slab_magic(s);
}

/* Under mm_lock: put @s at the head of @h's list of slabs, and count it. */
static void slab_list_push(struct mm_heap *h, struct mm_slab *s)
{
	s->prev = NULL;
	s->next = h->slabs;
	if (h->slabs)
		h->slabs->prev = s;
	else
		h->slabs_tail = s;
	h->slabs = s;
	mm_heap_hold(h, mm_tlsf_span(s), true);
}

/* Under mm_lock: take @s off @h's list of slabs, and uncount it. */
static void slab_list_remove(struct mm_heap *h, struct mm_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->slabs = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		h->slabs_tail = s->prev;
	mm_heap_hold(h, mm_tlsf_span(s), false);
}

/* A new slab for class @cls of @h, linked into @h's slab list, or NULL. */
static struct mm_slab *slab_new(struct mm_heap *h, unsigned int cls)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	struct mm_slab *s = mm_tlsf_alloc(MM_SLAB_REQUEST, MM_SLAB_SIZE, 0);

	if (s && mm_map_set(s, true) < 0) {
		mm_tlsf_free(s);
		s = NULL;
	}
	if (s) {
		if (h->key)
			zone_tag(s, MM_SLAB_SIZE, h->key);
		slab_init(s, h, cls);
		/* Link only once the slab is whole: a release after a
		 * crash walks this list.
		 */
		slab_list_push(h, s);
	}
	spin_unlock_irqrestore(&mm_lock, flags);
	return s;
}

void mm_slab_release(struct mm_slab *s)
{
	struct mm_heap *h = s->heap;

	slab_list_remove(h, s);
	s->magic = 0;
	mm_map_set(s, false);
	if (h->key)
		zone_tag(s, MM_SLAB_SIZE, 0);
	mm_tlsf_free(s);
}

bool mm_slab_trusted(const struct mm_heap *h, const struct mm_slab *s)
{
	return (uintptr_t)s % MM_SLAB_SIZE == 0 && mm_map_is_slab(s) && mm_tlsf_in_use(s, 0) &&
	       s->magic == slab_magic(s) && s->heap == h;
}

void mm_slab_drop(struct mm_heap *h, struct mm_slab *s)
{
	mm_heap_hold(h, mm_tlsf_span(s), false);
	s->magic = 0;
	mm_map_set(s, false);
	if (h->key)
		zone_tag(s, MM_SLAB_SIZE, 0);
	mm_tlsf_free(s);
}

static void slab_release_locked(struct mm_slab *s)
{
	unsigned long flags = spin_lock_irqsave(&mm_lock);

	mm_slab_release(s);
	spin_unlock_irqrestore(&mm_lock, flags);
}

uint32_t mm_slab_live(const struct mm_slab *s)
{
	uint64_t r = __atomic_load_n(&s->remote, __ATOMIC_RELAXED);

	return __atomic_load_n(&s->nused, __ATOMIC_RELAXED) - (uint32_t)(r >> 32);
}

void mm_slab_take_remote(struct mm_slab *s)
{
	uint64_t r;
	uint32_t n;
	void **head, **tail;

	if (!__atomic_load_n(&s->remote, __ATOMIC_RELAXED))
		return;
	r = __atomic_exchange_n(&s->remote, 0, __ATOMIC_ACQUIRE);
	n = r >> 32;
	head = (void **)((char *)s + (uint32_t)r);
	s->nused -= n;
	if (s->free) {
		for (tail = head; --n && *tail;)
			tail = *tail;
		*tail = s->free;
	}
	s->free = head;
}

/* Put up to a page's worth of never-used objects on the free list, so a
 * new slab's memory is touched only as it is handed out.
 */
static bool slab_carve(struct mm_slab *s)
{
	size_t n = 4096 / s->size;
	char *p = s->bump, *last;

	if (p >= s->end)
		return false;
	last = p + (n ? n - 1 : 0) * s->size;
	if (last >= s->end)
		last = s->end - s->size;
	for (; p < last; p += s->size)
		*(void **)p = p + s->size;
	*(void **)last = s->free;
	s->free = (void **)s->bump;
	s->bump = last + s->size;
	return true;
}

static inline void *slab_pop(struct mm_slab *s)
{
	void **obj = s->free;

	s->free = obj[0];
	obj[1] = NULL;
	s->nused++;
	return obj;
}

static bool slab_ready(struct mm_slab *s)
{
	if (s->free)
		return true;
	mm_slab_take_remote(s);
	return s->free || slab_carve(s);
}

/* A full slab of @h with remote frees waiting, off its list, or NULL. The
 * list rotates so that successive searches look at different slabs.
 */
static struct mm_slab *scan_full(struct mm_heap *h, unsigned int cls)
{
	struct mm_slab *s;
	int i;

	for (i = 0; i < MM_SCAN_MAX && (s = h->full[cls]); i++) {
		h->full[cls] = s->cnext;
		if (__atomic_load_n(&s->remote, __ATOMIC_RELAXED)) {
			clist_unlink(&h->full[cls], s);
			return s;
		}
	}
	return NULL;
}

/* The current slab of @cls is dry: refill it or replace it. */
static void *slab_refill(struct mm_heap *h, unsigned int cls)
{
	struct mm_slab *s = h->cur[cls];

	if (s != &mm_empty_slab) {
		if (slab_ready(s))
			return slab_pop(s);
		h->cur[cls] = &mm_empty_slab;
		s->state = MM_SLAB_FULL;
		clist_push(&h->full[cls], s);
	}
	for (;;) {
		s = h->partial[cls];
		if (s)
			clist_unlink(&h->partial[cls], s);
		else
			s = scan_full(h, cls);
		if (!s)
			s = slab_new(h, cls);
		if (!s)
			return NULL;
		s->state = MM_SLAB_CUR;
		h->cur[cls] = s;
		if (slab_ready(s))
			return slab_pop(s);
		/* Listed as partial without free objects: a bug, but
		 * recoverable by filing it as full.
		 */
		h->cur[cls] = &mm_empty_slab;
		s->state = MM_SLAB_FULL;
		clist_push(&h->full[cls], s);
	}
}

void *mm_slab_alloc(struct mm_heap *h, unsigned int cls)
{
	unsigned long flags;
	struct mm_slab *s;
	void *p;

	if (!h->shared) {
		s = h->cur[cls];
		return s->free ? slab_pop(s) : slab_refill(h, cls);
	}
	flags = spin_lock_irqsave(&h->lock);
	s = h->cur[cls];
	p = s->free ? slab_pop(s) : slab_refill(h, cls);
	spin_unlock_irqrestore(&h->lock, flags);
	return p;
}

bool mm_slab_valid(const struct mm_slab *s, const void *p)
{
	return s->magic == slab_magic(s) && mm_slab_at_object(s, p) && (const char *)p < s->bump;
}

/* Whether @obj is on @s's local or remote free list (owner only). The
 * walks are bounded in case the lists are damaged.
 */
static bool slab_has_free(const struct mm_slab *s, void **obj)
{
	uint64_t r = __atomic_load_n(&s->remote, __ATOMIC_ACQUIRE);
	void **p;
	uint32_t n;

	for (p = s->free, n = 0; p && n <= s->capacity; p = p[0], n++)
		if (p == obj)
			return true;
	p = r ? (void **)((uintptr_t)s + (uint32_t)r) : NULL;
	for (n = r >> 32; p && n; p = p[0], n--)
		if (p == obj)
			return true;
	return false;
}

/* Free into a slab of @h by its owner (or under the kernel heap's lock).
 * @retval false @obj was free already: nothing changed, the caller reports
 * it once no lock is held (the report may end the thread).
 */
static bool slab_free_local(struct mm_heap *h, struct mm_slab *s, void **obj)
{
	if (obj[1] == mm_slab_free_key(s) && slab_has_free(s, obj))
		return false;
	obj[0] = s->free;
	obj[1] = mm_slab_free_key(s);
	s->free = obj;
	s->nused--;
	mm_slab_settle(h, s);
	return true;
}

void mm_slab_settle(struct mm_heap *h, struct mm_slab *s)
{
	if (s->state == MM_SLAB_CUR)
		return;
	if (s->nused == 0) {
		mm_slab_unfile(h, s);
		slab_release_locked(s);
	} else if (s->state == MM_SLAB_FULL) {
		clist_unlink(&h->full[s->cls], s);
		s->state = MM_SLAB_PARTIAL;
		clist_push(&h->partial[s->cls], s);
	}
}

static void slab_free_remote(struct mm_slab *s, void **obj)
{
	uint64_t old = __atomic_load_n(&s->remote, __ATOMIC_RELAXED), new;
	uint32_t off = (char *)obj - (char *)s;

	do {
		obj[0] = (uint32_t)old ? (char *)s + (uint32_t)old : NULL;
		obj[1] = mm_slab_free_key(s);
		new = (((old >> 32) + 1) << 32) | off;
	} while (!__atomic_compare_exchange_n(&s->remote, &old, new, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

void mm_slab_free_slow(struct mm_heap *cur, struct mm_slab *s, void **obj)
{
	struct mm_heap *owner = __atomic_load_n(&s->heap, __ATOMIC_RELAXED);
	unsigned long flags;
	bool done = true;

	if (!mm_slab_valid(s, obj)) {
		mm_corruption("invalid free", obj);
		return;
	}
	if (owner == cur && !cur->shared) {
		done = slab_free_local(cur, s, obj);
	} else if (owner->shared) {
		/* A shared heap (the kernel's, the one threads hand memory
		 * over in) is locked anyway, so free into it directly: a
		 * slab it adopted from an exited thread is then given back
		 * as soon as its last object goes. The slab stays the
		 * heap's until it is freed, which this live object prevents.
		 */
		flags = spin_lock_irqsave(&owner->lock);
		done = slab_free_local(owner, s, obj);
		spin_unlock_irqrestore(&owner->lock, flags);
	} else {
		slab_free_remote(s, obj);
	}
	if (!done)
		mm_corruption("double free", obj);
}

/* Owner (or heap lock): take remote frees into every slab of a detached
 * class list and give back those left empty.
 */
static void collect_list(struct mm_heap *h, struct mm_slab *ring)
{
	struct mm_slab *s;

	while ((s = ring)) {
		clist_unlink(&ring, s);
		mm_slab_take_remote(s);
		if (s->nused == 0)
			slab_release_locked(s);
		else
			mm_slab_file(h, s);
	}
}

void mm_slab_collect(struct mm_heap *h)
{
	struct mm_slab *ring, *s;
	unsigned int c;

	for (c = 0; c < MM_NCLASSES; c++) {
		s = h->cur[c];
		if (s != &mm_empty_slab) {
			mm_slab_take_remote(s);
			if (s->nused == 0) {
				h->cur[c] = &mm_empty_slab;
				slab_release_locked(s);
			}
		}
		ring = h->partial[c];
		h->partial[c] = NULL;
		collect_list(h, ring);
		ring = h->full[c];
		h->full[c] = NULL;
		collect_list(h, ring);
	}
}

/* The kernel heap takes over @s from the heap of an exited thread. Remote
 * frees in flight still land on ->remote, which stays with the slab.
 */
void mm_slab_adopt(struct mm_heap *to, struct mm_slab *s)
{
	slab_list_remove(s->heap, s);
	slab_list_push(to, s);
	__atomic_store_n(&s->heap, to, __ATOMIC_RELEASE);
	mm_slab_file(to, s);
}
