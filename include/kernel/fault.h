/*
 * Fault recovery: a thread that takes a CPU exception or panics is
 * recorded, its resources are released and it is restarted by its policy
 * (include/kernel/thread.h), while the rest of the system runs on.
 *
 * A fault in an interrupt handler, with interrupts masked (a kernel
 * critical section), in an idle thread, in the main thread (the
 * application itself), or in a thread already dying of a fault is not
 * recoverable: it panics as before.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdint.h>
#include <arch.h>
#include <kernel/thread.h>

#define FAULT_LOG_SIZE 16
#define FAULT_BACKTRACE_MAX 12

/* What the architecture tells about a CPU exception. */
struct fault_info {
	const char *kind;	     /* "page fault", "divide error", "panic", ... */
	enum arch_fault_class class; /* ARCH_FAULT_NONE for a panic */
	uintptr_t addr;		     /* the faulting data address (page faults) */
	uintptr_t pc, sp, fp;
	uintptr_t ret;	     /* a return address no frame record holds yet (a leaf's), or 0 */
	int irqs_were_on;    /* interrupts enabled where it happened */
	const char *message; /* more about it (a zone violation), or NULL */
};

struct fault_record {
	uint64_t seq; /* 1, 2, ... over the whole run */
	uint64_t time_ns;
	int tid;
	char name[THREAD_NAME_MAX];
	unsigned cpu;
	char kind[24]; /* "page fault", "stack overflow", "panic", ... */
	uintptr_t addr, pc, sp;
	char message[80];			  /* a panic's text */
	uintptr_t backtrace[FAULT_BACKTRACE_MAX]; /* the faulting pc, then return addresses */
	int nframes;
	int first_is_pc;   /* backtrace[0] is where it faulted (not a return address) */
	unsigned restarts; /* of this thread before this fault */
	char action[24];   /* "restarted as 12", "ended", "system stopped" */
	char note[64];	   /* what taking back its resources found */
};

/* The architecture's exception path calls this before giving up.
 * @retval 1 the fault was recorded and the thread must continue at
 *         *resume_pc on stack *resume_sp with interrupts on (the caller
 *         rewrites its frame; the code there never returns)
 * @retval 0 not recoverable: the caller panics */
int fault_thread(const struct fault_info *info, uintptr_t *resume_pc, uintptr_t *resume_sp);

/* Is @addr in the guard page below the running thread's stack? (the trap
 * code names a fault there a stack overflow) */
int fault_in_stack_guard(uintptr_t addr);

/* panic() in a thread: record and end the thread if recoverable; returns
 * only when it is not. */
void fault_panic_in_thread(const char *message, void *fp);

/* The watchdog found the running thread over its CPU budget (at an
 * interrupt exit, interrupts off, on the thread's own stack): record a
 * "runaway" fault, wait @pause_ns (the threads it starved run), then end
 * it in the crash exit, which applies its restart policy. A thread that
 * cannot be recovered (main) stops the system. Never returns. */
__attribute__((noreturn)) void fault_thread_runaway(unsigned long ran_ms, uint64_t pause_ns,
						    void *fp);

/* The calling thread @tid is dying (it crashed or was killed): give back
 * the C library's FILE locks it holds. */
void release_stdio_locks(int tid);

/* What a dying thread (crashed or killed) held that others may wait for:
 * the C library's stdio locks and FILEs, its descriptors. One path for
 * both ends. */
struct thread;
void thread_release_held(struct thread *t);

/* Add a note to the latest record of thread @tid (found while its
 * resources were taken back, e.g. "heap damaged: 16384 bytes
 * quarantined"), printed when that record was. Any context.
 * @retval 0; -ENOENT no record of @tid in the ring */
int fault_note(int tid, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copy up to @max records, oldest first. @retval the number copied. */
int fault_log_get(struct fault_record *out, int max);
/* Faults recorded since boot. */
uint64_t fault_count(void);
/* Whether the next fault gets a full console report (the first few, then
 * one in a hundred). */
int fault_should_print(void);

#endif
