/* Clunks off the caller's path. Giving a fid back is a request whose
 * answer nobody needs: a thread closing a file, or the VFS dropping a
 * directory it walked through, should not wait a round trip for it. Fids
 * go into a ring that a thread of its own empties; with the ring full (or
 * no thread), the caller clunks itself. The server still holds each fid
 * until its clunk is done, and the count says so. */
#include <pthread.h>
#include <semaphore.h>
#include <kernel/kmutex.h>
#include <kernel/thread.h>

#include "p9_client.h"

#define RING 128

static struct {
	pthread_mutex_t lock;
	sem_t items;
	unsigned head, tail; /* free-running */
	struct {
		uint32_t fid, session;
	} e[RING];
	int running;
} q = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void *clunker(void *arg)
{
	(void)arg;
	for (;;) {
		while (sem_wait(&q.items))
			;
		kmutex_lock(&q.lock);
		uint32_t fid = q.e[q.tail % RING].fid, session = q.e[q.tail % RING].session;
		q.tail++;
		kmutex_unlock(&q.lock);
		p9_clunk_now(fid, session);
	}
	return NULL;
}

void p9_clunk(uint32_t fid, uint32_t session)
{
	int queued = 0;

	if (__atomic_load_n(&q.running, __ATOMIC_ACQUIRE)) {
		kmutex_lock(&q.lock);
		if (q.head - q.tail < RING) {
			q.e[q.head % RING].fid = fid;
			q.e[q.head % RING].session = session;
			q.head++;
			queued = 1;
		}
		kmutex_unlock(&q.lock);
	}
	if (queued)
		sem_post(&q.items);
	else
		p9_clunk_now(fid, session);
}

int p9_clunker_start(void)
{
	struct thread_attr a = {.name = "unilib-clunk", .detached = 1, .flags = THREAD_F_PROTECTED};

	sem_init(&q.items, 0, 0);
	int tid = thread_spawn(&a, clunker, NULL);
	if (tid < 0)
		return tid;
	__atomic_store_n(&q.running, 1, __ATOMIC_RELEASE);
	return 0;
}
