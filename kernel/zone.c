/* Zones (CONFIG_ZONE, include/kernel/zone.h): which key each zone's memory
 * carries, what PKRU value its threads run with, and the calls that make
 * and describe zones. The keys themselves are set by the architecture
 * (arch_zone_*), the gates into the kernel are include/kernel/zone_gate.h.
 *
 * A thread of zone Z runs with: key 0 (the kernel) readable, not
 * writable; key 15 (shared) and key Z usable; every other key denied.
 * Reading the kernel stays allowed so that calls that only read kernel
 * state (getpid, clock_gettime, the allocator's size lookups) need no
 * gate, and so that kernel data handed out by pointer (a thread's name in
 * a snapshot) needs no copy; what zones stop is writes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <musl_offsets.h>
#include <kernel/compiler.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/zone.h>
#include <kernel/zone_gate.h>

bool zone_on;
extern char __libc[]; /* the C library's struct __libc */

struct zone {
	int used;
	char name[ZONE_NAME_MAX];
	unsigned violations;
	long pages;
	struct mm_heap heap; /* zone_alloc() */
};

static struct zone zones[ZONE_MAX];
static spinlock_t zones_lock = SPINLOCK_INIT;

_Static_assert(offsetof(struct cpu, current) == PKRU_CPU_CURRENT_OFFSET, "pkru gate offsets");
_Static_assert(offsetof(struct thread, pkru) == PKRU_THREAD_OFFSET, "pkru gate offsets");

uint32_t zone_pkru(int zone)
{
	uint32_t v = ~0u;

	if (zone == ZONE_KERNEL)
		return 0;
	v &= ~(PKRU_AD(ZONE_SHARED) | PKRU_WD(ZONE_SHARED));
	v &= ~(PKRU_AD(zone) | PKRU_WD(zone));
	v &= ~PKRU_AD(ZONE_KERNEL); /* read, not write */
	return v;
}

static bool valid_app_zone(int zone)
{
	return zone > 0 && zone < ZONE_MAX && zones[zone].used;
}

void zone_tag(void *addr, size_t len, int zone)
{
	if (!zone_on || !len)
		return;
	int old = arch_zone_key_of(addr);
	if (old == zone)
		return;
	if (arch_zone_set_key(addr, len, zone) < 0) {
		log_warn("zone: cannot give %p (+%zu) key %d", addr, len, zone);
		return;
	}
	/* The kernel's pages are all the others: only the zones' are counted. */
	long pages = (long)(len / MM_PAGE_SIZE);
	if (old > 0 && old < ZONE_MAX)
		__atomic_sub_fetch(&zones[old].pages, pages, __ATOMIC_RELAXED);
	if (zone > 0)
		__atomic_add_fetch(&zones[zone].pages, pages, __ATOMIC_RELAXED);
}

/* Boot, before any thread but main exists and before the application's
 * memory is handed out: the keys of the image's data and of the shared
 * heap. */
void zone_init(void)
{
	extern char __appdata_start[], __appdata_end[], __kbss_end[], __appbss_end[];

	strcpy(zones[ZONE_KERNEL].name, "kernel");
	strcpy(zones[ZONE_SHARED].name, "shared");
	zones[ZONE_KERNEL].used = zones[ZONE_SHARED].used = 1;
	if (!arch_zone_init()) {
		log_info("zone: this CPU has no protection keys: zones unavailable (W^X only)");
		return;
	}
	zone_on = true;
	mm_shared_heap()->key = ZONE_SHARED;
	zone_tag(__appdata_start, (size_t)(__appdata_end - __appdata_start), ZONE_SHARED);
	zone_tag(__kbss_end, (size_t)(__appbss_end - __kbss_end), ZONE_SHARED);
	log_info("zone: protection keys on: kernel 0, shared 15");
}

/* main() is the application's: it runs in the shared zone, with a new
 * heap (what the start-up hooks allocated in it stays the kernel's), and
 * its stack and TLS get the shared key. */
void zone_main_enter(void)
{
	extern char __appdata_start[], __appbss_end[];
	struct thread *t = current_thread();

	if (!zone_on)
		return;
	mm_heap_abandon(&t->heap);
	mm_heap_init(&t->heap, t->tid);
	zone_thread_set(t, ZONE_SHARED);
	if (t->stack)
		zone_tag(t->stack, t->stack_size, ZONE_SHARED);
	char *tp = t->tls;
	size_t tls_size = *(size_t *)(__libc + MUSL_LIBC_TLS_SIZE);
	if (tp && (tp < __appdata_start || tp >= __appbss_end)) {
		uintptr_t lo =
		    ALIGN_DOWN((uintptr_t)tp + MUSL_PTHREAD_SIZE - tls_size, MM_PAGE_SIZE);
		uintptr_t hi = ALIGN_UP((uintptr_t)tp + MUSL_PTHREAD_SIZE, MM_PAGE_SIZE);
		zone_tag((void *)lo, hi - lo, ZONE_SHARED);
	}
	zone_enter_app();
}

bool zone_available(void)
{
	return zone_on;
}

/* The zone a new thread gets: the one its attributes name, else its
 * creator's; the kernel's threads (THREAD_F_KERNEL from kernel code)
 * stay in the kernel's. */
int zone_for_new_thread(const struct thread *creator, int asked, bool kernel)
{
	if (kernel)
		return ZONE_KERNEL;
	if (asked && (asked == ZONE_SHARED || valid_app_zone(asked)))
		return asked;
	return creator ? creator->zone : ZONE_KERNEL;
}

void zone_thread_set(struct thread *t, int zone)
{
	t->zone = zone;
	t->pkru = zone_on ? zone_pkru(zone) : 0;
	t->heap.key = zone_on ? zone : 0;
}

/* The running thread leaves kernel code for its own (thread start,
 * main(), a signal handler). */
void zone_enter_app(void)
{
	struct thread *t = current_thread();

	if (zone_on && t->pkru)
		arch_pkru_leave(t->pkru);
}

void zone_enter_kernel(void)
{
	if (zone_on && arch_pkru_read())
		arch_pkru_enter();
}

/* Whether the running thread could itself write [addr, addr + len): a
 * system call must not write for it where it may not (a read() into the
 * run queue). */
bool zone_user_writable(const void *addr, size_t len)
{
	struct thread *t = current_thread();

	if (!zone_on || !t || !t->pkru || !len)
		return true;
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(MM_PAGE_SIZE - 1);
	uintptr_t end = (uintptr_t)addr + len;
	for (; p < end && p >= (uintptr_t)addr - MM_PAGE_SIZE; p += MM_PAGE_SIZE) {
		int key = arch_zone_key_of((void *)p);
		if (key >= 0 && key < ZONE_MAX && (t->pkru & (PKRU_AD(key) | PKRU_WD(key))))
			return false;
	}
	return true;
}

/* A protection-key fault: who wrote where, for the fault record. */
void zone_describe_violation(const struct thread *t, uintptr_t addr, bool write, char *buf,
			     size_t size)
{
	int key = arch_zone_key_of((void *)addr);

	if (t->zone >= 0 && t->zone < ZONE_MAX)
		__atomic_add_fetch(&zones[t->zone].violations, 1, __ATOMIC_RELAXED);
	snprintf(buf, size, "zone %d (%s) %s 0x%lx in zone %d (%s)", t->zone, zone_name(t->zone),
		 write ? "wrote" : "read", (unsigned long)addr, key, zone_name(key));
}

struct mm_heap *zone_heap_of(int key)
{
	if (key == ZONE_SHARED || key <= 0 || key >= ZONE_MAX)
		return key == ZONE_SHARED ? mm_shared_heap() : mm_kernel_heap();
	return &zones[key].heap;
}

const char *zone_name(int id)
{
	return id >= 0 && id < ZONE_MAX && zones[id].used ? zones[id].name : "?";
}

/* ------------------------------------------------------ application API */

int zone_create(const char *name)
{
	KERNEL_ENTRY();
	static int said;
	char copy[ZONE_NAME_MAX];

	if (!name || !name[0])
		return -EINVAL;
	snprintf(copy, sizeof(copy), "%s", name);
	if (!zone_on)
		return ZONE_SHARED;
	unsigned long flags = spin_lock_irqsave(&zones_lock);
	int z = 1;
	while (z < ZONE_SHARED && zones[z].used)
		z++;
	if (z < ZONE_SHARED) {
		zones[z].used = 1;
		memcpy(zones[z].name, copy, sizeof(copy));
		zones[z].violations = 0;
	}
	spin_unlock_irqrestore(&zones_lock, flags);
	if (z == ZONE_SHARED) {
		if (!__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
			log_warn("zone: all keys in use: \"%s\" and later zones share key 15",
				 copy);
		return ZONE_SHARED;
	}
	mm_heap_init(&zones[z].heap, 0);
	zones[z].heap.shared = 1;
	zones[z].heap.key = z;
	return z;
}

void *zone_alloc(int zone, size_t size)
{
	KERNEL_ENTRY();
	struct mm_heap *h;

	if (zone == ZONE_SHARED || !zone_on)
		h = mm_shared_heap();
	else if (valid_app_zone(zone))
		h = &zones[zone].heap;
	else
		return NULL;
	void *p = mm_heap_alloc(h, size);
	if (p)
		memset(p, 0, size);
	return p;
}

int zone_self(void)
{
	struct thread *t = current_thread();

	return t ? t->zone : ZONE_KERNEL;
}

/* pthread_attr_t words the C library leaves unused (see thread_ops.c). */
#define ATTR_ZONE 13

int pthread_attr_setzone_np(pthread_attr_t *attr, int zone)
{
	if (zone < 0 || zone >= ZONE_MAX || zone == ZONE_KERNEL)
		return EINVAL;
	attr->__u.__i[ATTR_ZONE] = zone;
	return 0;
}

int pthread_attr_getzone_np(const pthread_attr_t *attr, int *zone)
{
	*zone = attr->__u.__i[ATTR_ZONE];
	return 0;
}

int zone_snapshot(struct zone_info *out, int max)
{
	KERNEL_ENTRY();
	int n = 0;
	unsigned threads[ZONE_MAX] = {0};
	struct thread_info *ti = mm_heap_alloc(mm_kernel_heap(), 256 * sizeof(*ti));
	int nt = ti ? thread_snapshot(ti, 256) : 0;

	for (int i = 0; i < nt; i++)
		if (ti[i].zone >= 0 && ti[i].zone < ZONE_MAX)
			threads[ti[i].zone]++;
	mm_free(ti);
	for (int z = 0; z < ZONE_MAX && n < max; z++) {
		if (!zones[z].used)
			continue;
		out[n] = (struct zone_info){
		    .id = z, .threads = threads[z], .violations = zones[z].violations};
		long pages = __atomic_load_n(&zones[z].pages, __ATOMIC_RELAXED);
		out[n].pages = pages > 0 ? (size_t)pages : 0;
		memcpy(out[n].name, zones[z].name, ZONE_NAME_MAX);
		n++;
	}
	return n;
}

/* For make bench: one leave and one enter gate from kernel code, the
 * instructions of a gate pair with nothing around them, in TSC cycles. */
uint64_t zone_gate_pair_cycles(void)
{
	KERNEL_ENTRY();
	struct thread *t = current_thread();
	uint32_t lo, hi, lo2, hi2;

	if (!zone_on || !t->pkru)
		return 0;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	arch_pkru_leave(t->pkru);
	arch_pkru_enter();
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo2), "=d"(hi2)::"memory");
	return ((uint64_t)hi2 << 32 | lo2) - ((uint64_t)hi << 32 | lo);
}
