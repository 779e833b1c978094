/* The status page's system figures in the unikernel: threads, the
 * allocator, and each network interface's counters. heap_used is what
 * the tests compare before and after a load. */
#include <pthread.h>
#include <stdio.h>
#include <kernel/mm.h>
#include <dev/netdev.h>
#include <kernel/thread.h>

#include "http.h"

size_t status_system(char *buf, size_t len)
{
	/* Too big for a worker's stack, so shared by the workers. */
	static struct thread_info threads[64];
	static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
	struct mm_stats m;
	size_t n = 0;
	int k, nthreads;

#define PUT(...)                                                                                   \
	do {                                                                                       \
		k = snprintf(buf + n, len - n, __VA_ARGS__);                                       \
		if (k < 0 || (size_t)k >= len - n)                                                 \
			return n;                                                                  \
		n += (size_t)k;                                                                    \
	} while (0)

	pthread_mutex_lock(&threads_lock);
	nthreads = thread_snapshot(threads, 64);
	pthread_mutex_unlock(&threads_lock);
	mm_stats_get(&m);
	PUT("threads: %d%s\n", nthreads, nthreads == 64 ? " or more" : "");
	PUT("heap_used: %zu\nheap_free: %zu\nheap_total: %zu\n", m.used, m.free, m.total);
	for (struct netdev *d = netdev_first(); d; d = d->next)
		PUT("%s: rx %llu packets %llu bytes %llu dropped, tx %llu packets %llu bytes "
		    "%llu dropped\n",
		    d->name, (unsigned long long)d->stats.rx_packets,
		    (unsigned long long)d->stats.rx_bytes, (unsigned long long)d->stats.rx_dropped,
		    (unsigned long long)d->stats.tx_packets, (unsigned long long)d->stats.tx_bytes,
		    (unsigned long long)d->stats.tx_dropped);
#undef PUT
	return n;
}
