/* Taking back the heap of a thread that crashed.
 *
 * The thread may have crashed because it damaged its heap: an overflow
 * from one block rewrites the next block's headers, a stray write lands in
 * a slab header. So nothing it left is trusted: each slab and large block
 * is checked (in a region, a sound general-heap header, its magic, its
 * owner, its list links) before it is given back, and given back without
 * touching its neighbours in the list. The first node that fails stops the
 * walk from the head; a second walk comes back from the tail to it. A node
 * that only lost its list header goes back too; what has a damaged block
 * header, or lies between two damaged nodes, is quarantined: left in use,
 * owned by nobody, counted in mm_stats. The
 * general heap checks every neighbour it merges with (tlsf.c), so a
 * quarantined block with a garbage header is never merged into free space.
 */
#include <kernel/compiler.h>
#include "mm_internal.h"

size_t mm_quarantined, mm_quarantines;
/* CONFIG_HEAP_CHECK: large blocks of the heap being released whose guard
 * was overwritten (under mm_lock). */
static unsigned int overflows;

struct walk_ops {
	void *(*next)(void *n);
	void *(*prev)(void *n);
	bool (*trusted)(const struct mm_heap *h, const void *n);
	/* Whether a node whose own list header is damaged still has a sound
	 * general-heap block under it, so it can be given back. */
	bool (*sound)(const void *n);
	void (*drop)(struct mm_heap *h, void *n);
};

static void *slab_next(void *n)
{
	return ((struct mm_slab *)n)->next;
}

static void *slab_prev(void *n)
{
	return ((struct mm_slab *)n)->prev;
}

static bool slab_trusted(const struct mm_heap *h, const void *n)
{
	return mm_slab_trusted(h, n);
}

static bool slab_sound(const void *n)
{
	return (uintptr_t)n % MM_SLAB_SIZE == 0 && mm_map_is_slab(n) && mm_tlsf_in_use(n, 0);
}

static void slab_drop(struct mm_heap *h, void *n)
{
	mm_slab_drop(h, n);
}

static void *large_next(void *n)
{
	return ((struct mm_large *)n)->next;
}

static void *large_prev(void *n)
{
	return ((struct mm_large *)n)->prev;
}

static bool large_trusted(const struct mm_heap *h, const void *n)
{
	return mm_large_trusted(h, n);
}

static bool large_sound(const void *n)
{
	return mm_tlsf_in_use(n, 0);
}

static void large_drop(struct mm_heap *h, void *n)
{
	struct mm_large *l = n;

	if (IS_ENABLED(CONFIG_HEAP_CHECK) &&
	    mm_check_length(l + 1, mm_tlsf_usable(l) - sizeof(*l)) == SIZE_MAX)
		overflows++;
	mm_large_drop(h, n);
}

static const struct walk_ops slab_ops = {slab_next, slab_prev, slab_trusted, slab_sound, slab_drop};
static const struct walk_ops large_ops = {large_next, large_prev, large_trusted, large_sound,
					  large_drop};

/* Under mm_lock: give back the nodes of one of @h's lists that check out,
 * from the head on until one does not, then from the tail back to it. A
 * node's links are read before it is given back (the general heap may
 * write over them). When both walks end at the same node, both of its
 * neighbours vouch for its address, and it is given back if the block
 * under it is sound: only its list header was hit. At most @max nodes: a
 * damaged list may loop.
 * @retval 0 the list was whole; 1 damaged but all given back; 2 damaged,
 *         some left in place
 */
static int walk(struct mm_heap *h, const struct walk_ops *o, void *head, void *tail, size_t max)
{
	void *n = head, *last = NULL, *stop, *nx;
	size_t k = 0;

	while (n && k < max && o->trusted(h, n) && o->prev(n) == last) {
		nx = o->next(n);
		o->drop(h, n);
		last = n;
		n = nx;
		k++;
	}
	if (!n)
		return 0;
	stop = n;
	n = tail;
	last = NULL;
	while (n && n != stop && k < max && o->trusted(h, n) && o->next(n) == last) {
		nx = o->prev(n);
		o->drop(h, n);
		last = n;
		n = nx;
		k++;
	}
	if (n != stop || !o->sound(stop))
		return 2;
	o->drop(h, stop);
	return 1;
}

/* The default for host tests; the kernel notes it in the fault record. */
__attribute__((weak)) void mm_heap_damaged(int owner_id, size_t bytes, unsigned int overflows)
{
	(void)owner_id;
	(void)bytes;
	(void)overflows;
}

void mm_heap_release_all(struct mm_heap *h)
{
	unsigned long flags;
	size_t max, lost = 0;
	unsigned int over;
	int damage;

	if (h->shared) {
		mm_corruption("release of a shared heap", h);
		return;
	}
	flags = spin_lock_irqsave(&mm_lock);
	max = h->held / MM_BLOCK_MIN + 2;
	overflows = 0;
	damage = walk(h, &slab_ops, h->slabs, h->slabs_tail, max);
	damage |= walk(h, &large_ops, h->large, h->large_tail, max);
	if (h->held) {
		lost = h->held;
		mm_quarantined += lost;
		mm_quarantines++;
	}
	over = overflows;
	mm_heap_unregister(h);
	spin_unlock_irqrestore(&mm_lock, flags);
	if (damage || lost || over)
		mm_heap_damaged(h->owner_id, lost, over);
	int key = h->key;
	mm_heap_reset(h, h->owner_id);
	h->key = key;
}
