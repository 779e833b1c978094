/* Zones (CONFIG_ZONE): memory isolation between threads with protection
 * keys.
 *
 * Every page has a key. Key 0 is the kernel's: its data, its heap, the
 * thread table, drivers, file systems and the network stack; application
 * code may read it but not write it. Key 15 is the shared zone: the
 * application's and the C library's globals, and what zone_alloc()
 * returns for ZONE_SHARED; every application thread may use it. Keys 1..14
 * are application zones made by zone_create(): a thread started in one
 * (struct thread_attr.zone, pthread_attr_setzone_np) allocates its heap,
 * stack and TLS there, and threads of other zones can neither read nor
 * write them. Threads that name no zone stay in their creator's; main()
 * runs in the shared zone. A write (or a read) where the thread may not is
 * a fault of that thread ("zone violation"), recovered by its restart
 * policy.
 *
 * Without CONFIG_ZONE, or on a CPU without protection keys, every call
 * here still works: zone_create() returns ZONE_SHARED, zone_alloc() is a
 * plain allocation, and nothing is isolated.
 */
#ifndef KERNEL_ZONE_H
#define KERNEL_ZONE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZONE_KERNEL 0
#define ZONE_SHARED 15
#define ZONE_MAX 16
#define ZONE_NAME_MAX 16

/* A new zone named @name (for ps, zones and fault records). When the 15
 * keys are all in use the shared zone is returned, and that is said once
 * on the console.
 * @retval 1..14 the zone; ZONE_SHARED no key left, or zones unavailable;
 * -EINVAL no name */
int zone_create(const char *name);

/* Zeroed memory in zone @zone (ZONE_SHARED or a zone_create() zone),
 * owned by the zone rather than the calling thread: no crash takes it
 * back. Freed with free(). NULL for a bad zone or no memory. */
void *zone_alloc(int zone, size_t size);

/* The calling thread's zone (ZONE_KERNEL for the kernel's threads). */
int zone_self(void);

/* Whether protection keys isolate anything in this image on this CPU. */
bool zone_available(void);

/* The restart policy's and pthread_create()'s zone for threads made with
 * @attr: 0 (the default) is the creator's zone.
 * @retval 0; EINVAL not a zone (a positive error, as pthread_attr_*) */
int pthread_attr_setzone_np(pthread_attr_t *attr, int zone);
int pthread_attr_getzone_np(const pthread_attr_t *attr, int *zone);

struct zone_info {
	int id;
	char name[ZONE_NAME_MAX];
	unsigned threads;    /* live threads in it */
	size_t pages;	     /* pages carrying its key */
	unsigned violations; /* faults of its threads where they may not go */
};

/* Fill @out with up to @max zones in use, in key order (the kernel's and
 * the shared one included). @retval the number filled */
int zone_snapshot(struct zone_info *out, int max);

/* For benchmarks: TSC cycles of one gate pair (leave, enter) with
 * nothing around it, measured in the kernel; 0 without zones. */
uint64_t zone_gate_pair_cycles(void);

/* The name of zone @id ("kernel", "shared", ...), or "?". */
const char *zone_name(int id);

#endif
