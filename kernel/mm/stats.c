/* Statistics for the `free` command and the tests.
 *
 * Live counts are not kept on the fast paths: they are worked out here from
 * each slab's use count and remote-free count, walking every heap under
 * mm_lock. Counts of slabs in use by running threads may be a few objects
 * stale.
 */
#include <string.h>
#include "mm_internal.h"
#include <kernel/zone_gate.h>

/* Under mm_lock: add @h's live bytes, and per-class counts if @st. The
 * heap may be one a thread damaged before it crashed, not yet taken back:
 * each node is checked as mm_heap_release_all() would, and a walk stops
 * at the first that fails (the figures then miss the rest).
 */
static size_t heap_used(const struct mm_heap *h, struct mm_stats *st)
{
	struct mm_slab *s, *sp = NULL;
	struct mm_large *l, *lp = NULL;
	size_t used = h->large_bytes, live, n = 0, max = h->held / MM_BLOCK_MIN + 2;

	for (s = h->slabs; s && n < max && mm_slab_trusted(h, s) && s->prev == sp; s = s->next) {
		live = mm_slab_live(s);
		used += live * s->size;
		if (st) {
			st->class_live[s->cls] += live;
			st->slab_bytes += mm_tlsf_span(s);
		}
		sp = s;
		n++;
	}
	if (st)
		for (l = h->large; l && n < max && mm_large_trusted(h, l) && l->prev == lp;
		     l = l->next) {
			st->large_count++;
			lp = l;
			n++;
		}
	return used;
}

void mm_stats_get(struct mm_stats *st)
{
	KERNEL_ENTRY();
	unsigned long flags;
	struct mm_heap *h;
	unsigned int c;

	memset(st, 0, sizeof(*st));
	for (c = 0; c < MM_NCLASSES; c++)
		st->class_size[c] = mm_class_size[c];
	flags = spin_lock_irqsave(&mm_lock);
	mm_tlsf_stats(st);
	st->quarantined = mm_quarantined;
	st->quarantines = mm_quarantines;
	for (h = mm_heaps; h; h = h->next) {
		st->nheaps++;
		st->used += heap_used(h, st);
	}
	spin_unlock_irqrestore(&mm_lock, flags);
}

size_t mm_heap_used(const struct mm_heap *h)
{
	KERNEL_ENTRY();
	unsigned long flags = spin_lock_irqsave(&mm_lock);
	size_t used = heap_used(h, NULL);

	spin_unlock_irqrestore(&mm_lock, flags);
	return used;
}

size_t mm_heap_peak(const struct mm_heap *h)
{
	KERNEL_ENTRY();
	return __atomic_load_n(&h->held_peak, __ATOMIC_RELAXED);
}
