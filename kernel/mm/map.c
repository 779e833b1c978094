/* The slab map: which 16 KiB-aligned addresses start a slab.
 *
 * free() must tell a slab object from a large block. Reading a tag next to
 * the pointer would let user data that happens to look like the tag
 * decide, and masking the pointer may land outside every region; the map
 * answers from memory only the allocator writes. Its nodes come from the
 * general heap when the first slab of a 1 GiB range appears and are kept:
 * a fixed 4 KiB root, a 4 KiB middle node per 512 GiB, an 8 KiB leaf per
 * GiB. Writers hold mm_lock; readers need no lock, because a slab is
 * published before any object in it can be handed to another thread.
 */
#include <errno.h>
#include <string.h>
#include "mm_internal.h"

uint64_t **mm_map_root[MM_MAP_FAN];

/* Bits above the map's reach, shared by every region (0 until the first). */
static uintptr_t map_high;
static bool map_high_set;

#define MM_MAP_HIGH(a) ((uintptr_t)(a) >> (MM_MAP_L1_SHIFT + 9))

void mm_map_reset(void)
{
	memset(mm_map_root, 0, sizeof(mm_map_root));
	map_high_set = false;
}

bool mm_map_covers(const void *start, size_t len)
{
	uintptr_t a = (uintptr_t)start, e = a + len - 1;

	if (MM_MAP_HIGH(a) != MM_MAP_HIGH(e))
		return false;
	if (map_high_set && MM_MAP_HIGH(a) != map_high)
		return false;
	map_high = MM_MAP_HIGH(a);
	map_high_set = true;
	return true;
}

/* A zeroed node of @bytes, published in *@slot. */
static void *node_get(void **slot, size_t bytes)
{
	void *n = __atomic_load_n(slot, __ATOMIC_RELAXED);

	if (n)
		return n;
	n = mm_tlsf_alloc(bytes, 16, 0);
	if (!n)
		return NULL;
	memset(n, 0, bytes);
	__atomic_store_n(slot, n, __ATOMIC_RELEASE);
	return n;
}

int mm_map_set(const void *slab, bool on)
{
	uintptr_t a = (uintptr_t)slab;
	uint64_t **l2, *leaf, word;
	size_t bit;

	l2 = node_get((void **)&mm_map_root[(a >> MM_MAP_L1_SHIFT) % MM_MAP_FAN],
		      MM_MAP_FAN * sizeof(*l2));
	if (!l2)
		return -ENOMEM;
	leaf = node_get((void **)&l2[(a >> MM_MAP_L2_SHIFT) % MM_MAP_FAN], MM_MAP_LEAF_BITS / 8);
	if (!leaf)
		return -ENOMEM;
	bit = (a >> MM_SLAB_SHIFT) % MM_MAP_LEAF_BITS;
	word = __atomic_load_n(&leaf[bit / 64], __ATOMIC_RELAXED);
	if (on)
		word |= 1ULL << (bit % 64);
	else
		word &= ~(1ULL << (bit % 64));
	__atomic_store_n(&leaf[bit / 64], word, __ATOMIC_RELEASE);
	return 0;
}
