/* Kernel memory allocator.
 *
 * A TLSF general heap over the regions given with mm_add_region(), and
 * size-class slabs carved from it for small objects. Every block belongs to
 * exactly one struct mm_heap: one per thread plus the kernel heap, so the
 * memory of a thread that crashed can be taken back with
 * mm_heap_release_all().
 *
 * Concurrency: a thread heap is used only by its owner thread (the owner
 * allocates; anyone may free). Interrupt handlers and threads without a heap
 * must see mm_current_heap() return the kernel heap, which is shared and
 * takes its own lock. The general heap takes a global spinlock with
 * interrupts masked.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/spinlock.h>

#define MM_PAGE_SIZE 4096
/* Objects up to this size come from slabs, larger ones from the general heap. */
#define MM_SMALL_MAX 1024
#define MM_NCLASSES 20

struct mm_slab;
struct mm_large;

/* Per-owner allocation state. Embed it in the owner (e.g. the thread) and
 * treat it as opaque.
 */
struct mm_heap {
	/* The slab each class allocates from: read on every allocation. */
	struct mm_slab *cur[MM_NCLASSES];
	int shared; /* nonzero for the kernel heap: operations take ->lock */
	int owner_id;
	int key; /* zones: the protection key of its memory (0: the kernel's) */
	spinlock_t lock;
	/* Owner-private: slabs with free objects, and slabs found full. */
	struct mm_slab *partial[MM_NCLASSES];
	struct mm_slab *full[MM_NCLASSES];
	/* Under the global lock: every slab and large block of this heap. */
	struct mm_slab *slabs, *slabs_tail;
	struct mm_large *large, *large_tail;
	size_t large_bytes; /* usable bytes of the large blocks */
	size_t held;	    /* bytes taken from the general heap */
	size_t held_peak;
	struct mm_heap *next, *prev; /* registry of all heaps */
};

struct mm_stats {
	size_t total;	     /* bytes of all regions */
	size_t used;	     /* usable bytes of all live allocations */
	size_t peak;	     /* high-water mark of total - free */
	size_t free;	     /* bytes free in the general heap */
	size_t largest_free; /* largest free block of the general heap */
	size_t slab_bytes;   /* bytes held by slabs (live objects and their free space) */
	size_t large_count;  /* live blocks beyond the slab classes */
	size_t nheaps;
	/* Damage found and set aside (never reused): bytes of crashed
	 * threads' heaps that could not be walked safely, how many heaps
	 * that happened to, and free lists dropped with a damaged head.
	 */
	size_t quarantined;
	size_t quarantines;
	size_t dropped_lists;
	size_t class_size[MM_NCLASSES];
	size_t class_live[MM_NCLASSES]; /* live objects per class */
};

/* Forget every region and heap and start empty, with a fresh kernel heap.
 * Boot need not call it (the initial state is already empty); host tests
 * call it to start each test from scratch.
 */
void mm_init(void);

/* Give [start, start + len) to the general heap. Touches only a header at
 * each end of the range. Regions need not be contiguous.
 * @retval 0 the region was added
 * @retval -EINVAL the range is too small to hold a block, or its address
 *         bits above 48 differ from those of the first region
 */
int mm_add_region(void *start, size_t len);

/* Register @h, empty, for the owner @owner_id (a thread id; 0 is the
 * kernel). @h must not be registered already: a heap is registered until
 * mm_heap_abandon() or mm_heap_release_all(), after which its memory may be
 * reused.
 */
void mm_heap_init(struct mm_heap *h, int owner_id);
struct mm_heap *mm_kernel_heap(void);
/* The heap of the running thread. The default returns the kernel heap; the
 * thread module overrides it, and must return the kernel heap in interrupt
 * context.
 */
struct mm_heap *mm_current_heap(void);

/* Allocation: 16-byte aligned; NULL when out of memory. Only the owner of
 * @h may allocate from it (any thread may for the kernel heap).
 */
void *mm_heap_alloc(struct mm_heap *h, size_t size);
/* @align must be a power of two; NULL otherwise. */
void *mm_heap_memalign(struct mm_heap *h, size_t align, size_t size);
/* Any thread may free any block. NULL is ignored. */
void mm_free(void *p);
/* Resize in place when possible; otherwise move to the current heap. */
void *mm_realloc(void *p, size_t size);
size_t mm_usable_size(const void *p);
/* Owner id of the heap that @p belongs to. */
int mm_owner_of(const void *p);

/* Zeroed memory from the kernel heap, for kernel objects that outlive the
 * system call that makes them and may be shared by threads (a file
 * system's nodes): a crash of the calling thread never takes it back.
 * NULL when out of memory. */
void *mm_kernel_zalloc(size_t size);

/* Memory that outlives the thread that allocates it.
 *
 * A thread's heap is its own: what it allocates is taken back whole if it
 * crashes, so a pointer it handed to another thread would then dangle.
 * Memory meant for another thread (a result, a message, a buffer in a
 * queue) comes from the shared heap, which belongs to no thread and is
 * never released by a crash; any thread frees it with free() (mm_free).
 * mm_shared_alloc() allocates there; mm_share() moves a block the caller
 * allocated there (a copy: the block gets a new address, the old one is
 * freed), to be done before the pointer is published. An ordinary exit
 * hands a thread's live blocks to the kernel heap, so pointers published
 * without this survive an exit, but not a crash.
 */
void *mm_shared_alloc(size_t size);
/* @retval the block's new address; NULL (nothing changed) out of memory */
void *mm_share(void *p);
struct mm_heap *mm_shared_heap(void);

/* Mappings (kernel/sys_memory.c): give a whole mapping back (a joiner
 * unmapping a thread's stack; @reap_threads: records of exited threads
 * whose thread block lived there go too); whether @addr is in a page made
 * inaccessible with mmap/mprotect (a guard). */
long sys_munmap_region(void *addr, size_t len, int reap_threads);
int mem_is_closed(uintptr_t addr);

/* Collect frees made by other threads into @h's slabs and give empty slabs
 * back to the general heap. Owner only; for idle time.
 */
void mm_heap_collect(struct mm_heap *h);
/* The owner crashed: return every slab and large block of @h to the
 * general heap, whatever state its free lists are in, and unregister @h.
 * Blocks handed to other threads become invalid. Each slab and block is
 * checked before it is trusted; what fails the checks is quarantined
 * (kept out of use for good, counted in mm_stats) and reported with
 * mm_heap_damaged().
 */
void mm_heap_release_all(struct mm_heap *h);
/* The owner exited: empty slabs go back to the general heap, slabs and
 * large blocks still in use are adopted by the kernel heap, and @h is
 * unregistered. Blocks handed to other threads stay valid.
 */
void mm_heap_abandon(struct mm_heap *h);

/* @npages pages, page-aligned, owned by @h. Free with mm_pages_free(). */
void *mm_pages_alloc(struct mm_heap *h, size_t npages);
void mm_pages_free(void *p);

void mm_stats_get(struct mm_stats *s);
/* Usable bytes of @h's live allocations. */
size_t mm_heap_used(const struct mm_heap *h);
/* High-water mark of the bytes @h took from the general heap. */
size_t mm_heap_peak(const struct mm_heap *h);

/* Called on detected misuse before anything is changed, with no allocator
 * lock held; if it returns, the operation is dropped. @what names it so
 * that "<what> of 0x<p>" reads well: "double free", "invalid free" (not
 * from the heap, or not the start of a block), "overflow detected at free"
 * (CONFIG_HEAP_CHECK). The weak default aborts; the kernel panics, which
 * in a thread ends that thread with the message in its fault record.
 */
void mm_corruption(const char *what, const void *p);
/* mm_heap_release_all() found @owner_id's heap damaged and set @bytes of
 * it aside; with CONFIG_HEAP_CHECK, @overflows large blocks had their
 * guard overwritten. The weak default does nothing; the kernel adds a note
 * to the owner's fault record.
 */
void mm_heap_damaged(int owner_id, size_t bytes, unsigned int overflows);

#endif
