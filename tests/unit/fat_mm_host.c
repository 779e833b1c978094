/* Host stand-in for the kernel heap calls the FAT driver makes (its
 * directory indexes live on the kernel heap): plain malloc and free. */
#include <stdlib.h>
#include <kernel/mm.h>

static int kernel_heap_token;

struct mm_heap *mm_kernel_heap(void)
{
	return (struct mm_heap *)&kernel_heap_token;
}

void *mm_heap_alloc(struct mm_heap *h, size_t size)
{
	(void)h;
	return malloc(size);
}

void mm_free(void *p)
{
	free(p);
}
