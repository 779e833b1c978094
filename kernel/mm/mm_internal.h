/* Private to kernel/mm: the shapes of blocks, slabs and the slab map. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/mm.h>

#define mm_likely(x) __builtin_expect(!!(x), 1)
#define mm_unlikely(x) __builtin_expect(!!(x), 0)

_Static_assert(sizeof(void *) == 8, "the slab map assumes 64-bit pointers");

/* ---- General heap (tlsf.c) ---------------------------------------------
 * A block starts with its header; the payload follows at +16. While a block
 * is in use its payload runs 8 bytes into the next block, over the next
 * block's prev_phys word, which is only needed while this block is free.
 */
struct mm_block {
	struct mm_block *prev_phys; /* valid only while the previous block is free */
	size_t size;		    /* span to the next block | flags below */
	struct mm_block *next_free; /* the two links exist only while free */
	struct mm_block *prev_free;
};

#define MM_BLOCK_FREE 1UL
#define MM_BLOCK_PREV_FREE 2UL
#define MM_BLOCK_FLAGS 15UL
#define MM_BLOCK_HDR 16
#define MM_BLOCK_MIN 32
/* The largest request the general heap accepts; keeps size arithmetic far
 * from overflow.
 */
#define MM_ALLOC_MAX ((size_t)1 << 38)

/* Serialises the general heap, the slab map and every heap's slab and
 * large-block lists. Taken with interrupts masked, after a heap's own lock.
 */
extern spinlock_t mm_lock;

void mm_tlsf_reset(void);
int mm_tlsf_add(void *start, size_t len);
/* A payload P of at least @size bytes with (P + @gap) a multiple of
 * @align, or NULL. @align is a power of two, @gap a multiple of 16.
 */
void *mm_tlsf_alloc(size_t size, size_t align, size_t gap);
/* @retval 0 freed; -1 the block was not in use (caller reports it);
 *         -2 its header is damaged: nothing was changed
 */
int mm_tlsf_free(void *payload);
/* Whether @payload starts a block in use with a sound header, of @span
 * bytes when @span is not 0. Reads nothing outside the regions.
 */
bool mm_tlsf_in_use(const void *payload, size_t span);
/* Grow or shrink in place. @retval true done; false nothing changed */
bool mm_tlsf_resize(void *payload, size_t size);
/* Bytes usable from @payload to the end of its block. */
size_t mm_tlsf_usable(const void *payload);
/* Bytes of the general heap that @payload's block occupies. */
size_t mm_tlsf_span(const void *payload);
/* Whether [p - before, p) lies in a region and p is 16-byte aligned. */
bool mm_tlsf_contains(const void *p, size_t before);
void mm_tlsf_stats(struct mm_stats *s);

/* ---- Slab map (map.c) ---------------------------------------------------
 * One bit per 16 KiB of address space tells whether a slab starts there, so
 * free() can tell a slab object from a large block without reading memory
 * that user data could forge. Three levels: 9 + 9 + 16 bits of the address.
 */
#define MM_SLAB_SHIFT 14
#define MM_SLAB_SIZE ((size_t)1 << MM_SLAB_SHIFT)

#define MM_MAP_L1_SHIFT 39
#define MM_MAP_L2_SHIFT 30
#define MM_MAP_FAN 512
#define MM_MAP_LEAF_BITS ((size_t)1 << (MM_MAP_L2_SHIFT - MM_SLAB_SHIFT))

extern uint64_t **mm_map_root[MM_MAP_FAN];

void mm_map_reset(void);
/* Under mm_lock: whether the map can tell apart the addresses of a region
 * at [@start, @start + @len) from those of the regions before it (the
 * address bits above 48 must be the same for all).
 */
bool mm_map_covers(const void *start, size_t len);
/* Under mm_lock. @retval 0 done; -ENOMEM no memory for the map's nodes */
int mm_map_set(const void *slab, bool on);

static inline bool mm_map_is_slab(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	uint64_t **l2 =
	    __atomic_load_n(&mm_map_root[(a >> MM_MAP_L1_SHIFT) % MM_MAP_FAN], __ATOMIC_RELAXED);
	uint64_t *leaf;
	size_t bit;

	if (!l2)
		return false;
	leaf = __atomic_load_n(&l2[(a >> MM_MAP_L2_SHIFT) % MM_MAP_FAN], __ATOMIC_RELAXED);
	if (!leaf)
		return false;
	bit = (a >> MM_SLAB_SHIFT) % MM_MAP_LEAF_BITS;
	return (__atomic_load_n(&leaf[bit / 64], __ATOMIC_RELAXED) >> (bit % 64)) & 1;
}

/* ---- Slabs (slab.c) -----------------------------------------------------
 * A slab is a 16 KiB general-heap block aligned to 16 KiB, so masking an
 * object's address finds its header. Objects are carved lazily from the
 * bump pointer so a new slab touches only the memory it hands out.
 */
enum mm_slab_state { MM_SLAB_CUR, MM_SLAB_PARTIAL, MM_SLAB_FULL };

struct mm_slab {
	/* Owner's cache line. */
	void **free;	/* local free list: word 0 links, word 1 holds the key */
	uint32_t nused; /* objects handed out, counting those on ->remote */
	uint16_t cls;
	uint8_t state; /* enum mm_slab_state; owner-private */
	uint8_t pad0;
	struct mm_heap *heap; /* owner; changes only when the kernel heap adopts */
	uint32_t size;
	uint32_t capacity;
	uint64_t div; /* offset % size == 0 iff offset * div < div */
	char *bump;   /* never handed out: [bump, end) */
	char *end;
	/* Written by other threads: kept off the owner's line. */
	uint64_t remote __attribute__((aligned(64))); /* count << 32 | offset of head */
	uint64_t magic;
	struct mm_slab *cnext, *cprev; /* heap's circular partial or full list */
	struct mm_slab *next, *prev;   /* heap's list of all slabs, under mm_lock */
};

#define MM_SLAB_HDR 128
_Static_assert(sizeof(struct mm_slab) <= MM_SLAB_HDR, "slab header too big");

extern const uint16_t mm_class_size[MM_NCLASSES];
extern const uint8_t mm_small_class[MM_SMALL_MAX / 16 + 1];
/* Every heap's current slab before it has one: its free list is empty. */
extern struct mm_slab mm_empty_slab;

static inline struct mm_slab *mm_slab_of(const void *p)
{
	return (struct mm_slab *)((uintptr_t)p & ~(MM_SLAB_SIZE - 1));
}

/* Whether @p is at an object boundary of @s, without dividing: for n below
 * 2^32, n is a multiple of d exactly when n * (2^64 / d rounded up) wraps
 * below that factor.
 */
static inline bool mm_slab_at_object(const struct mm_slab *s, const void *p)
{
	uint32_t off = (uint32_t)((uintptr_t)p & (MM_SLAB_SIZE - 1)) - MM_SLAB_HDR;

	return off < MM_SLAB_SIZE - MM_SLAB_HDR && off * s->div < s->div;
}

/* Marks a free object so a second free of it is noticed. */
static inline void *mm_slab_free_key(const struct mm_slab *s)
{
	return (void *)((uintptr_t)s ^ 0x5a5a5a5a00000000UL);
}

void *mm_slab_alloc(struct mm_heap *h, unsigned int cls);
/* Whether @p is an object handed out of live slab @s. */
bool mm_slab_valid(const struct mm_slab *s, const void *p);
/* After a local free: move @s between lists, or release it, as its use
 * count now requires. Owner (or heap lock) only.
 */
void mm_slab_settle(struct mm_heap *h, struct mm_slab *s);
/* Every free that the inline fast path in heap.c does not finish. */
void mm_slab_free_slow(struct mm_heap *cur, struct mm_slab *s, void **obj);
/* Live objects: handed out and not waiting on the remote list. */
uint32_t mm_slab_live(const struct mm_slab *s);
/* Move remote frees onto the local list. Owner (or heap lock) only. */
void mm_slab_take_remote(struct mm_slab *s);
/* Under mm_lock: unlink from its heap and give back to the general heap. */
void mm_slab_release(struct mm_slab *s);
/* Owner only: put @s on @h's partial or full list to suit its state. */
void mm_slab_file(struct mm_heap *h, struct mm_slab *s);
void mm_slab_unfile(struct mm_heap *h, struct mm_slab *s);
/* Owner (or heap lock): take remote frees and release empty slabs. */
void mm_slab_collect(struct mm_heap *h);
/* Under @to's lock and mm_lock: move @s from its heap to @to. */
void mm_slab_adopt(struct mm_heap *to, struct mm_slab *s);
/* Under mm_lock, for a release after a crash: whether @s can be trusted
 * as a slab of @h (reads only memory the checks have vouched for), and
 * giving it back without touching its list neighbours.
 */
bool mm_slab_trusted(const struct mm_heap *h, const struct mm_slab *s);
void mm_slab_drop(struct mm_heap *h, struct mm_slab *s);

/* ---- Large blocks (large.c) ---------------------------------------------
 * Beyond the slab classes: a general-heap block whose payload starts with
 * this header, linking it into its heap.
 */
struct mm_large {
	struct mm_large *next, *prev;
	struct mm_heap *heap;
	uintptr_t magic;
};

void *mm_large_alloc(struct mm_heap *h, size_t size, size_t align);
void mm_large_free(void *p);
/* Owner id of live large block @p, or -1 after reporting misuse. */
int mm_large_owner(const void *p);
/* Resize in place. @retval true done */
bool mm_large_resize(void *p, size_t size);
/* Usable bytes of live block @p, or 0 when it is not one (not reported). */
size_t mm_large_usable(const void *p);
/* The same pair as mm_slab_trusted() and mm_slab_drop(), for large blocks. */
bool mm_large_trusted(const struct mm_heap *h, const struct mm_large *l);
void mm_large_drop(struct mm_heap *h, struct mm_large *l);

/* ---- Guard bytes (check.c, CONFIG_HEAP_CHECK) ------------------------------
 * Requests grow by MM_CHECK_EXTRA: at least 8 guard bytes, then the
 * request's length in the last 8 bytes of the usable space (which is a
 * multiple of 8 for slabs and large blocks alike).
 */
#define MM_CHECK_EXTRA 16
/* Fill the guard after @n bytes of block @p (@usable bytes); @p may be NULL. */
void *mm_check_arm(void *p, size_t n, size_t usable);
/* The request length of @p, or SIZE_MAX when its guard or length word was
 * overwritten.
 */
size_t mm_check_length(const void *p, size_t usable);

/* ---- Heaps (heap.c) ------------------------------------------------------ */
extern struct mm_heap *mm_heaps; /* registry, under mm_lock */

void mm_heap_reset(struct mm_heap *h, int owner_id);
void mm_heap_register(struct mm_heap *h);
void mm_heap_unregister(struct mm_heap *h);
/* Under mm_lock: account @bytes taken from (positive) or returned to the
 * general heap by @h.
 */
void mm_heap_hold(struct mm_heap *h, size_t bytes, bool take);
/* Under mm_lock: bytes of damaged heaps set aside, and how many heaps. */
extern size_t mm_quarantined, mm_quarantines;

#endif
