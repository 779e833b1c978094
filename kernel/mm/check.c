/* CONFIG_HEAP_CHECK: guard bytes after each block, checked at free.
 *
 * A block of n requested bytes is allocated 16 bytes larger. Its usable
 * tail holds, after the n bytes, guard bytes up to the last 8, and those
 * hold n mixed with the block's address. free() finds n again, checks
 * every guard byte, and reports an overflow instead of freeing. A write of
 * even one byte past the request is caught, at the cost of a fill at
 * allocation and a compare at free of the block's slack (at least 8
 * bytes). Without the option none of this is compiled in.
 */
#include <string.h>
#include "mm_internal.h"

#define GUARD_BYTE 0xa5

static inline uint64_t length_key(const void *p)
{
	return (uintptr_t)p * 0x9e3779b97f4a7c15UL;
}

void *mm_check_arm(void *p, size_t n, size_t usable)
{
	if (!p)
		return NULL;
	memset((char *)p + n, GUARD_BYTE, usable - MM_CHECK_EXTRA / 2 - n);
	*(uint64_t *)((char *)p + usable - 8) = n ^ length_key(p);
	return p;
}

size_t mm_check_length(const void *p, size_t usable)
{
	const unsigned char *g;
	uint64_t n = *(const uint64_t *)((const char *)p + usable - 8) ^ length_key(p);

	if (usable < MM_CHECK_EXTRA || n > usable - MM_CHECK_EXTRA)
		return SIZE_MAX;
	for (g = (const unsigned char *)p + n; g < (const unsigned char *)p + usable - 8; g++)
		if (*g != GUARD_BYTE)
			return SIZE_MAX;
	return n;
}
