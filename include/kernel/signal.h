/*
 * Signals (kernel/signal.c), with Linux's system calls: handlers
 * (sigaction, SA_SIGINFO, SA_RESTART, SA_NODEFER, SA_RESETHAND,
 * SA_ONSTACK), per-thread masks and pending sets, process- and
 * thread-directed signals, sigsuspend, sigaltstack, and SIGALRM from
 * setitimer/alarm.
 *
 * A handler runs on its thread when that thread leaves the kernel: at the
 * end of a system call (a blocked call is woken and ends with EINTR, or is
 * restarted with SA_RESTART), or at the end of an interrupt that found the
 * thread running application code. System calls are function calls, so a
 * handler is simply called there, on the thread's stack (or its
 * alternate stack), and returns to where the thread was.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

struct thread;

/* Send @sig to the process: the first application thread that does not
 * block it takes it (the main thread first); any context, interrupts
 * included. @retval 0, -EINVAL */
int signal_send_process(int sig);
/* Send @sig to thread @t. @retval 0, -EINVAL, -EPERM (a kernel thread) */
int signal_send_thread(struct thread *t, int sig);

/* Called by syscall_dispatch() as the outermost call ends, and by the
 * interrupt exit when the thread was in application code: run the
 * handlers of the deliverable signals.
 * @retval 1 a handler with SA_RESTART ran (an -EINTR call may be
 *         restarted); 0 otherwise */
int signal_deliver(void);

/* Signals sent to the process that no thread has taken yet. */
extern uint64_t signal_process_pending;

/* Something is deliverable to thread @t now (cheap: three loads). */
#define signal_deliverable(t)                                                                      \
	((((t)->sig_pending | signal_process_pending) & ~(t)->sig_blocked) != 0)

#endif
