/* The C library's allocation functions, on the running thread's heap.
 *
 * musl is built without its own malloc; its remaining code calls the
 * internal __libc_* names, so those are provided as well. Only the kernel
 * links this file: on a host it would replace the host C library's malloc.
 * The bodies call only mm_ functions, never the names defined here, so the
 * compiler's knowledge of the malloc family cannot fold one into another.
 * With CONFIG_FAULT_INJECT every allocating entry point counts towards
 * inject=alloc:N (kernel/fault_inject.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/compiler.h>
#include <kernel/fault_inject.h>
#include <kernel/mm.h>
#include <kernel/zone_gate.h>

void *memalign(size_t align, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);
size_t malloc_usable_size(void *p);
void *__libc_malloc(size_t size);
void *__libc_malloc_impl(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);
void __malloc_donate(char *start, char *end);

/* Donated ranges smaller than this are not worth a region's overhead. */
#define DONATE_MIN 1024

/* An allocation that CONFIG_FAULT_INJECT makes fail. */
static inline int injected(void)
{
	return IS_ENABLED(CONFIG_FAULT_INJECT) && fault_inject_alloc();
}

static void *nomem(void *p)
{
	if (!p)
		errno = ENOMEM;
	return p;
}

static void *counted_malloc(size_t size)
{
	if (injected())
		return nomem(NULL);
	return nomem(mm_heap_alloc(mm_current_heap(), size));
}

/* An injected failure leaves @p as it was, as a real one would. */
static void *counted_realloc(void *p, size_t size)
{
	if (injected())
		return nomem(NULL);
	return nomem(mm_realloc(p, size));
}

void *malloc(size_t size)
{
	KERNEL_ENTRY();
	return counted_malloc(size);
}

void free(void *p)
{
	KERNEL_ENTRY();
	mm_free(p);
}

static void *zeroed(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total) || injected()) {
		errno = ENOMEM;
		return NULL;
	}
	p = nomem(mm_heap_alloc(mm_current_heap(), total));
	if (p)
		memset(p, 0, total);
	return p;
}

void *calloc(size_t n, size_t size)
{
	KERNEL_ENTRY();
	return zeroed(n, size);
}

void *realloc(void *p, size_t size)
{
	KERNEL_ENTRY();
	return counted_realloc(p, size);
}

static void *aligned(size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	if (injected())
		return nomem(NULL);
	return nomem(mm_heap_memalign(mm_current_heap(), align, size));
}

void *aligned_alloc(size_t align, size_t size)
{
	KERNEL_ENTRY();
	return aligned(align, size);
}

void *memalign(size_t align, size_t size)
{
	KERNEL_ENTRY();
	return aligned(align, size);
}

int posix_memalign(void **res, size_t align, size_t size)
{
	KERNEL_ENTRY();
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	if (injected())
		return ENOMEM;
	p = mm_heap_memalign(mm_current_heap(), align, size);
	if (!p)
		return ENOMEM;
	*res = p;
	return 0;
}

void *valloc(size_t size)
{
	KERNEL_ENTRY();
	return aligned(MM_PAGE_SIZE, size);
}

void *pvalloc(size_t size)
{
	KERNEL_ENTRY();
	if (size > SIZE_MAX - (MM_PAGE_SIZE - 1)) {
		errno = ENOMEM;
		return NULL;
	}
	size = (size + MM_PAGE_SIZE - 1) & ~(size_t)(MM_PAGE_SIZE - 1);
	return aligned(MM_PAGE_SIZE, size ? size : MM_PAGE_SIZE);
}

size_t malloc_usable_size(void *p)
{
	KERNEL_ENTRY();
	return mm_usable_size(p);
}

void *__libc_malloc(size_t size)
{
	KERNEL_ENTRY();
	return counted_malloc(size);
}

void *__libc_malloc_impl(size_t size)
{
	KERNEL_ENTRY();
	return counted_malloc(size);
}

void *__libc_calloc(size_t n, size_t size)
{
	KERNEL_ENTRY();
	return zeroed(n, size);
}

void *__libc_realloc(void *p, size_t size)
{
	KERNEL_ENTRY();
	return counted_realloc(p, size);
}

void __libc_free(void *p)
{
	KERNEL_ENTRY();
	mm_free(p);
}

void __malloc_donate(char *start, char *end)
{
	KERNEL_ENTRY();
	if (end > start && (size_t)(end - start) >= DONATE_MIN)
		mm_add_region(start, end - start);
}
