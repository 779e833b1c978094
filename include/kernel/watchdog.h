/*
 * The runaway-thread watchdog (CONFIG_WATCHDOG, kernel/sched/watchdog.c).
 *
 * Each thread has a CPU-time budget: the time it may run without waiting.
 * Waiting (blocking on a lock or an event, sleeping) or calling
 * watchdog_heartbeat() starts a new budget; being preempted or yielding
 * does not (a thread that yields at the top priority still starves every
 * lower one). A thread found over its budget by the timer interrupt is a
 * runaway: it is recorded as a fault of kind "runaway" and ends at its
 * next interrupt exit through the crash exit, which applies its restart
 * policy after a pause of one budget, so that the threads it starved run.
 * main() over its budget stops the system, as a crash of main does. Idle
 * and protected threads are exempt. Time the host did not run the machine
 * (a late timer interrupt) is not counted.
 *
 * The system's budget is CONFIG_WATCHDOG_BUDGET_MS, or the kernel option
 * watchdog=MS (before "--"); watchdog=0 turns the watchdog off. Without
 * CONFIG_WATCHDOG these calls do nothing.
 */
#ifndef KERNEL_WATCHDOG_H
#define KERNEL_WATCHDOG_H

#define WATCHDOG_EXEMPT (~0u)

#ifdef CONFIG_WATCHDOG
/* The running thread is alive and well: start a new budget. Cheap enough
 * for an inner loop (a few loads and stores, no lock). */
void watchdog_heartbeat(void);

/* Thread @tid's budget in ms (0 for the calling thread): 0 the system's,
 * WATCHDOG_EXEMPT never checked. It lasts for the thread's life; a
 * restarted thread starts with the system's (set it again at its start).
 * @retval 0 done; -ESRCH no such thread */
int watchdog_set_budget(int tid, unsigned ms);

/* The system's budget in ms; 0 when the watchdog is off. */
unsigned watchdog_budget_ms(void);
#else
static inline void watchdog_heartbeat(void)
{
}

static inline int watchdog_set_budget(int tid, unsigned ms)
{
	(void)tid;
	(void)ms;
	return 0;
}

static inline unsigned watchdog_budget_ms(void)
{
	return 0;
}
#endif

#endif
