/* Host stand-in for kernel/kmutex.c: plain mutexes, nothing counted. */
#include <kernel/kmutex.h>

void kmutex_lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
}

void kmutex_unlock(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}

unsigned kmutex_held(void)
{
	return 0;
}
