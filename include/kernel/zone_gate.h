/* The kernel's side of zones (include/kernel/zone.h): the gates and what
 * the rest of the kernel asks of zones. Kernel code runs with every key
 * usable; the gates switch to that on the way in from application code and
 * back on the way out:
 *  - syscall_dispatch(), interrupt and exception entry (arch), and
 *  - every kernel function that an application calls directly and that
 *    writes kernel memory (the malloc family, thread_spawn, ...): it starts
 *    with KERNEL_ENTRY(), which switches for the function's whole body and
 *    back when it returns. From kernel code, KERNEL_ENTRY() costs one
 *    PKRU read.
 * The build checks that every PKRU write in the image is one of these
 * gates (tools/zone_scan.py).
 */
#ifndef KERNEL_ZONE_GATE_H
#define KERNEL_ZONE_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct thread;
struct mm_heap;

#ifdef CONFIG_ZONE
#include <arch.h>
#include <arch/pkru.h>

extern bool zone_on;

static inline __attribute__((always_inline)) uint32_t zone_gate_in(void)
{
	uint32_t old;

	if (!zone_on)
		return 0;
	old = arch_pkru_read();
	if (old)
		arch_pkru_enter();
	return old;
}

static inline __attribute__((always_inline)) void zone_gate_out(const uint32_t *old)
{
	if (*old)
		arch_pkru_leave(*old);
}

#define KERNEL_ENTRY()                                                                             \
	uint32_t zone_caller_pkru __attribute__((cleanup(zone_gate_out))) = zone_gate_in()
/* In a function that began with KERNEL_ENTRY(): called from kernel code. */
#define KERNEL_CALLER_IS_KERNEL() (zone_caller_pkru == 0)

void zone_init(void);
void zone_main_enter(void);
uint32_t zone_pkru(int zone);
void zone_tag(void *addr, size_t len, int zone);
int zone_for_new_thread(const struct thread *creator, int asked, bool kernel);
void zone_thread_set(struct thread *t, int zone);
void zone_enter_app(void);
void zone_enter_kernel(void);
bool zone_user_writable(const void *addr, size_t len);
void zone_describe_violation(const struct thread *t, uintptr_t addr, bool write, char *buf,
			     size_t size);
/* The heap that a zone's memory goes to when a thread of it exits. */
struct mm_heap *zone_heap_of(int key);
#else
static inline struct mm_heap *zone_heap_of(int key)
{
	(void)key;
	return 0;
}
#define zone_on false
#define KERNEL_ENTRY()                                                                             \
	do {                                                                                       \
	} while (0)
#define KERNEL_CALLER_IS_KERNEL() 1
static inline void zone_init(void)
{
}
static inline void zone_main_enter(void)
{
}
static inline void zone_tag(void *addr, size_t len, int zone)
{
	(void)addr, (void)len, (void)zone;
}
static inline void zone_thread_set(struct thread *t, int zone)
{
	(void)t, (void)zone;
}
static inline int zone_for_new_thread(const struct thread *c, int asked, bool kernel)
{
	(void)c, (void)asked, (void)kernel;
	return 0;
}
static inline void zone_enter_app(void)
{
}
static inline void zone_enter_kernel(void)
{
}
static inline bool zone_user_writable(const void *addr, size_t len)
{
	(void)addr, (void)len;
	return true;
}
static inline void zone_describe_violation(const struct thread *t, uintptr_t addr, bool write,
					   char *buf, size_t size)
{
	(void)t, (void)addr, (void)write, (void)buf, (void)size;
}
#endif

#endif
