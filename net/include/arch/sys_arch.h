/* The types behind lwIP's operating-system layer (lwip/sys.h), on the C
 * library's threads: counting semaphores, mutexes, and mailboxes (bounded
 * queues of pointers). net/sys_arch.c implements them. */
#ifndef UNISHYPER_LWIP_SYS_ARCH_H
#define UNISHYPER_LWIP_SYS_ARCH_H

#include <pthread.h>
#include <semaphore.h>

typedef struct {
	sem_t sem;
	int valid;
} sys_sem_t;

typedef struct {
	pthread_mutex_t mutex;
	int valid;
	int owner; /* the holder's thread id, 0 none (for the lock checks) */
} sys_mutex_t;

struct net_mbox;
typedef struct net_mbox *sys_mbox_t;

typedef int sys_thread_t; /* thread id */
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s) ((s)->valid)
#define sys_sem_set_invalid(s) ((s)->valid = 0)
#define sys_mutex_valid(m) ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = 0)
#define sys_mbox_valid(m) (*(m) != NULL)
#define sys_mbox_set_invalid(m) (*(m) = NULL)

#endif
