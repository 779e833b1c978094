/*
 * Sleeping locks that guard the kernel's own shared state (the VFS, the
 * block cache, a FAT volume). They are the C library's mutexes, counted
 * per thread: a thread that faults while it holds one is in the middle of
 * changing state that every other thread uses, so ending that thread
 * alone cannot recover it (the lock would stay held, or be handed on over
 * half-changed state). The fault path then stops the system with a message
 * saying so (kernel/fault.c). Application buffers are checked before such
 * a lock is taken (include/kernel/uaccess.h), so a bad pointer never gets
 * that far.
 */
#ifndef KERNEL_KMUTEX_H
#define KERNEL_KMUTEX_H

#include <pthread.h>

void kmutex_lock(pthread_mutex_t *m);
void kmutex_unlock(pthread_mutex_t *m);

/* Kernel locks the calling thread holds now. */
unsigned kmutex_held(void);

#endif
