/* The general heap: two-level segregated fit (TLSF).
 *
 * Free blocks sit in one list per size class. The first level splits sizes
 * by power of two, the second splits each power of two into MM_SL_COUNT
 * equal steps; a bitmap per level lets find-first-set pick the smallest
 * non-empty class that surely fits, so allocation and free take bounded
 * time. A freed block merges at once with free physical neighbours, so no
 * two free blocks are ever adjacent.
 *
 * All functions here expect mm_lock to be held.
 */
#include <errno.h>
#include <string.h>
#include "mm_internal.h"

#define MM_SL_LOG2 4
#define MM_SL_COUNT (1U << MM_SL_LOG2)
/* Below this size the classes are linear, 16 bytes apart. */
#define MM_FL_SHIFT (MM_SL_LOG2 + 4)
#define MM_SMALL_BLOCK ((size_t)1 << MM_FL_SHIFT)
#define MM_FL_MAX_LOG2 40
#define MM_FL_COUNT (MM_FL_MAX_LOG2 - MM_FL_SHIFT + 1)
/* Regions larger than this are added in pieces so every span maps to a class. */
#define MM_REGION_MAX ((size_t)1 << (MM_FL_MAX_LOG2 - 1))

/* Lives in the first bytes of each region. */
struct mm_region {
	struct mm_region *next;
	uintptr_t start, end;
	uintptr_t pad;
};

spinlock_t mm_lock = SPINLOCK_INIT;

static struct {
	uint64_t fl_map;
	uint32_t sl_map[MM_FL_COUNT];
	struct mm_block *heads[MM_FL_COUNT][MM_SL_COUNT];
	struct mm_region *regions;
	size_t total, free, peak;
	size_t dropped_lists;
} tlsf;

static inline unsigned int fls_size(size_t x)
{
	return 63 - __builtin_clzl(x);
}

static inline size_t blk_span(const struct mm_block *b)
{
	return b->size & ~MM_BLOCK_FLAGS;
}

static inline struct mm_block *blk_next(const struct mm_block *b)
{
	return (struct mm_block *)((uintptr_t)b + blk_span(b));
}

static inline void blk_set_span(struct mm_block *b, size_t span)
{
	b->size = span | (b->size & MM_BLOCK_FLAGS);
}

static inline struct mm_block *blk_of(const void *payload)
{
	return (struct mm_block *)((uintptr_t)payload - MM_BLOCK_HDR);
}

static inline void *blk_payload(struct mm_block *b)
{
	return (char *)b + MM_BLOCK_HDR;
}

/* Validation. Block headers sit next to payloads, so an overflow from a
 * block can rewrite its neighbour's size and links. Nothing read from a
 * header is followed before it is checked against the regions (kernel
 * memory the application never sees), so a damaged header costs the block
 * it describes, never a fault under mm_lock.
 */
static void mapping(size_t span, unsigned int *fl, unsigned int *sl);

static const struct mm_region *region_of(uintptr_t a)
{
	const struct mm_region *r;

	for (r = tlsf.regions; r; r = r->next)
		if (a >= r->start + sizeof(*r) && a + MM_BLOCK_MIN <= r->end)
			return r;
	return NULL;
}

/* Whether @b looks like a block header: aligned, inside a region, with a
 * span that ends inside the same region and no stray flag bits.
 */
static bool blk_sane(const struct mm_block *b)
{
	uintptr_t a = (uintptr_t)b;
	const struct mm_region *r = a % 16 ? NULL : region_of(a);
	size_t span;

	if (!r || (b->size & MM_BLOCK_FLAGS & ~(MM_BLOCK_FREE | MM_BLOCK_PREV_FREE)))
		return false;
	span = blk_span(b);
	return span >= MM_BLOCK_MIN && span <= r->end - MM_BLOCK_HDR - a;
}

/* Whether @b is a free block on its list, links included: the only kind
 * of block a merge or an allocation may take.
 */
static bool blk_free_sane(const struct mm_block *b)
{
	const struct mm_block *n, *p;

	if (!blk_sane(b) || !(b->size & MM_BLOCK_FREE))
		return false;
	n = b->next_free;
	p = b->prev_free;
	if (n && ((uintptr_t)n % 16 || !region_of((uintptr_t)n) || n->prev_free != b))
		return false;
	if (p && ((uintptr_t)p % 16 || !region_of((uintptr_t)p) || p->next_free != b))
		return false;
	if (!p) {
		unsigned int fl, sl;

		mapping(blk_span(b), &fl, &sl);
		return tlsf.heads[fl][sl] == b;
	}
	return true;
}

/* Tell the next block that @b is free and where it starts. */
static void blk_mark_free(struct mm_block *b)
{
	struct mm_block *n = blk_next(b);

	b->size |= MM_BLOCK_FREE;
	n->prev_phys = b;
	n->size |= MM_BLOCK_PREV_FREE;
}

static void blk_mark_used(struct mm_block *b)
{
	b->size &= ~MM_BLOCK_FREE;
	blk_next(b)->size &= ~MM_BLOCK_PREV_FREE;
}

/* Span of a block whose payload holds @size bytes: the payload may use the
 * next block's prev_phys word, hence the 8.
 */
static inline size_t span_for(size_t size)
{
	size_t span = (size + 8 + 15) & ~(size_t)15;

	return span < MM_BLOCK_MIN ? MM_BLOCK_MIN : span;
}

static void mapping(size_t span, unsigned int *fl, unsigned int *sl)
{
	unsigned int f;

	if (span < MM_SMALL_BLOCK) {
		*fl = 0;
		*sl = span >> 4;
		return;
	}
	f = fls_size(span);
	*fl = f - MM_FL_SHIFT + 1;
	*sl = (span >> (f - MM_SL_LOG2)) ^ MM_SL_COUNT;
}

static void list_insert(struct mm_block *b)
{
	unsigned int fl, sl;
	struct mm_block *head;

	mapping(blk_span(b), &fl, &sl);
	head = tlsf.heads[fl][sl];
	b->next_free = head;
	b->prev_free = NULL;
	if (head)
		head->prev_free = b;
	tlsf.heads[fl][sl] = b;
	tlsf.fl_map |= 1ULL << fl;
	tlsf.sl_map[fl] |= 1U << sl;
	tlsf.free += blk_span(b);
}

static void list_remove(struct mm_block *b)
{
	unsigned int fl, sl;

	mapping(blk_span(b), &fl, &sl);
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else
		tlsf.heads[fl][sl] = b->next_free;
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
	if (!tlsf.heads[fl][sl]) {
		tlsf.sl_map[fl] &= ~(1U << sl);
		if (!tlsf.sl_map[fl])
			tlsf.fl_map &= ~(1ULL << fl);
	}
	tlsf.free -= blk_span(b);
}

/* A free block of at least @span bytes, taken off its list, or NULL. The
 * request is rounded up to the next class boundary so that any block of
 * the class found is large enough: that is what keeps the search O(1).
 * When that finds nothing, the head of the request's own class may still
 * fit; one look at it saves requests close to the largest free block.
 */
static void drop_list(unsigned int fl, unsigned int sl);

static struct mm_block *take_fit_once(size_t span)
{
	unsigned int fl, sl, fl0, sl0;
	uint32_t slm = 0;
	uint64_t flm;
	struct mm_block *b = NULL;

	mapping(span, &fl0, &sl0);
	if (fl0 >= MM_FL_COUNT)
		return NULL;
	if (span >= MM_SMALL_BLOCK)
		mapping(span + ((size_t)1 << (fls_size(span) - MM_SL_LOG2)) - 1, &fl, &sl);
	else
		fl = fl0, sl = sl0;
	if (fl < MM_FL_COUNT)
		slm = tlsf.sl_map[fl] & (~0U << sl);
	if (!slm && fl + 1 < MM_FL_COUNT) {
		flm = tlsf.fl_map & (~0ULL << (fl + 1));
		if (flm) {
			fl = __builtin_ctzll(flm);
			slm = tlsf.sl_map[fl];
		}
	}
	if (slm)
		sl = __builtin_ctz(slm);
	else if (tlsf.heads[fl0][sl0] && blk_span(tlsf.heads[fl0][sl0]) >= span)
		fl = fl0, sl = sl0;
	else
		return NULL;
	b = tlsf.heads[fl][sl];
	if (mm_unlikely(!blk_free_sane(b) || b->prev_free || blk_span(b) < span)) {
		drop_list(fl, sl);
		return NULL;
	}
	list_remove(b);
	return b;
}

/* The head of a free list is damaged (an overflow into a free block): the
 * list cannot be walked, so it is set aside whole. Its blocks stay counted
 * as neither free nor in use; mm_stats reports the event.
 */
static void drop_list(unsigned int fl, unsigned int sl)
{
	tlsf.heads[fl][sl] = NULL;
	tlsf.sl_map[fl] &= ~(1U << sl);
	if (!tlsf.sl_map[fl])
		tlsf.fl_map &= ~(1ULL << fl);
	tlsf.dropped_lists++;
}

/* A damaged list found on the way is dropped and the search made again. */
static struct mm_block *take_fit(size_t span)
{
	struct mm_block *b;
	size_t dropped;
	int tries = 0;

	do {
		dropped = tlsf.dropped_lists;
		b = take_fit_once(span);
	} while (!b && dropped != tlsf.dropped_lists && ++tries < 8);
	return b;
}

/* Free the tail of used block @b beyond @span bytes if it can hold a block,
 * merging it with a free successor.
 */
static void trim_tail(struct mm_block *b, size_t span)
{
	size_t rest = blk_span(b) - span;
	struct mm_block *r, *n;

	if (rest < MM_BLOCK_MIN)
		return;
	blk_set_span(b, span);
	r = blk_next(b);
	r->size = rest;
	n = blk_next(r);
	if ((n->size & MM_BLOCK_FREE) && blk_free_sane(n)) {
		list_remove(n);
		blk_set_span(r, rest + blk_span(n));
	}
	blk_mark_free(r);
	list_insert(r);
}

/* Split free block @b so a block starts @lead bytes in; the front stays
 * free and goes back on its list. Returns the new block (free, off-list).
 */
static struct mm_block *trim_lead(struct mm_block *b, size_t lead)
{
	struct mm_block *n = (struct mm_block *)((char *)b + lead);

	n->size = blk_span(b) - lead;
	blk_set_span(b, lead);
	blk_mark_free(b);
	list_insert(b);
	return n;
}

void *mm_tlsf_alloc(size_t size, size_t align, size_t gap)
{
	size_t span, lead = 0;
	uintptr_t p, a;
	struct mm_block *b;

	if (size > MM_ALLOC_MAX || align > MM_ALLOC_MAX)
		return NULL;
	span = span_for(size);
	if (align <= 16) {
		b = take_fit(span);
		if (!b)
			return NULL;
	} else {
		/* Room for the worst lead: a fragment below MM_BLOCK_MIN
		 * cannot stand alone, so it costs one more alignment step.
		 */
		b = take_fit(span + align + MM_BLOCK_MIN);
		if (!b)
			return NULL;
		p = (uintptr_t)blk_payload(b);
		a = ((p + gap + align - 1) & ~(uintptr_t)(align - 1)) - gap;
		if (a != p && a - p < MM_BLOCK_MIN)
			a += align;
		lead = a - p;
		if (lead)
			b = trim_lead(b, lead);
	}
	blk_mark_used(b);
	trim_tail(b, span);
	if (tlsf.total - tlsf.free > tlsf.peak)
		tlsf.peak = tlsf.total - tlsf.free;
	return blk_payload(b);
}

int mm_tlsf_free(void *payload)
{
	struct mm_block *b = blk_of(payload), *n, *p;

	if (!blk_sane(b))
		return -2;
	if (b->size & MM_BLOCK_FREE)
		return -1;
	/* Even once merged away, the stale header refuses a second free
	 * until the memory is handed out again.
	 */
	b->size |= MM_BLOCK_FREE;
	p = b->prev_phys;
	if ((b->size & MM_BLOCK_PREV_FREE) && blk_free_sane(p) && blk_next(p) == b) {
		list_remove(p);
		blk_set_span(p, blk_span(p) + blk_span(b));
		b = p;
	}
	n = blk_next(b);
	if ((n->size & MM_BLOCK_FREE) && blk_free_sane(n)) {
		list_remove(n);
		blk_set_span(b, blk_span(b) + blk_span(n));
	}
	blk_mark_free(b);
	list_insert(b);
	return 0;
}

bool mm_tlsf_in_use(const void *payload, size_t span)
{
	const struct mm_block *b = blk_of(payload);

	return (uintptr_t)payload % 16 == 0 && blk_sane(b) && !(b->size & MM_BLOCK_FREE) &&
	       (!span || blk_span(b) == span);
}

bool mm_tlsf_resize(void *payload, size_t size)
{
	struct mm_block *b = blk_of(payload), *n;
	size_t span, have;

	if (size > MM_ALLOC_MAX)
		return false;
	span = span_for(size);
	have = blk_span(b);
	if (span > have) {
		n = blk_next(b);
		if (!(n->size & MM_BLOCK_FREE) || !blk_free_sane(n) || have + blk_span(n) < span)
			return false;
		list_remove(n);
		blk_set_span(b, have + blk_span(n));
		blk_mark_used(b);
	}
	trim_tail(b, span);
	if (tlsf.total - tlsf.free > tlsf.peak)
		tlsf.peak = tlsf.total - tlsf.free;
	return true;
}

size_t mm_tlsf_usable(const void *payload)
{
	return blk_span(blk_of(payload)) - 8;
}

size_t mm_tlsf_span(const void *payload)
{
	return blk_span(blk_of(payload));
}

bool mm_tlsf_contains(const void *p, size_t before)
{
	uintptr_t a = (uintptr_t)p;
	struct mm_region *r;

	if (a % 16)
		return false;
	for (r = tlsf.regions; r; r = r->next)
		if (a - before >= r->start + sizeof(*r) && a < r->end && a >= before)
			return true;
	return false;
}

void mm_tlsf_reset(void)
{
	memset(&tlsf, 0, sizeof(tlsf));
}

/* Lay out one region: its descriptor, one free block, and a zero-span used
 * sentinel at the end that stops merging. Nothing else is written.
 */
static void add_one(uintptr_t start, uintptr_t end)
{
	struct mm_region *r = (struct mm_region *)start;
	struct mm_block *b = (struct mm_block *)(start + sizeof(*r));
	struct mm_block *sentinel = (struct mm_block *)(end - MM_BLOCK_HDR);

	r->start = start;
	r->end = end;
	r->next = tlsf.regions;
	tlsf.regions = r;
	b->size = (uintptr_t)sentinel - (uintptr_t)b;
	sentinel->size = 0;
	blk_mark_free(b);
	list_insert(b);
	tlsf.total += end - start;
}

int mm_tlsf_add(void *start, size_t len)
{
	uintptr_t a = ((uintptr_t)start + 15) & ~(uintptr_t)15;
	uintptr_t e = ((uintptr_t)start + len) & ~(uintptr_t)15;
	const size_t min = sizeof(struct mm_region) + MM_BLOCK_MIN + MM_BLOCK_HDR;

	if ((uintptr_t)start + len < (uintptr_t)start || e < a || e - a < min)
		return -EINVAL;
	while (e - a > MM_REGION_MAX + min) {
		add_one(a, a + MM_REGION_MAX);
		a += MM_REGION_MAX;
	}
	add_one(a, e);
	return 0;
}

/* The largest free block: the last non-empty list holds it, but a list
 * spans a range of sizes, so look through that list.
 */
static size_t largest_free(void)
{
	unsigned int fl, sl;
	struct mm_block *b;
	size_t best = 0;

	if (!tlsf.fl_map)
		return 0;
	fl = 63 - __builtin_clzll(tlsf.fl_map);
	sl = 31 - __builtin_clz(tlsf.sl_map[fl]);
	for (b = tlsf.heads[fl][sl]; b && blk_free_sane(b); b = b->next_free)
		if (blk_span(b) > best)
			best = blk_span(b);
	return best;
}

void mm_tlsf_stats(struct mm_stats *s)
{
	s->total = tlsf.total;
	s->free = tlsf.free;
	s->peak = tlsf.peak;
	s->largest_free = largest_free();
	s->dropped_lists = tlsf.dropped_lists;
}
