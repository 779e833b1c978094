/* Private to plat/linuxu: what platform.c shares with the other files. */
#ifndef PLAT_LINUXU_H
#define PLAT_LINUXU_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* start.S's call: the host's initial stack (argc, argv, envp, auxv). */
void linuxu_start(long *sp, uint64_t boot_cycles);

/* Start-up (platform.c calls them in this order). */
void linuxu_time_init(void);
void linuxu_tty_init(void);
void linuxu_signals_init(void);
/* Before the process ends: the terminal as it was. */
void linuxu_tty_restore(void);

/* Interrupts (irq.c). A bit per kind, set while masked and replayed. */
#define LINUXU_IRQ_TIMER 1
#define LINUXU_IRQ_DEVICE 2
extern volatile int linuxu_irq_on, linuxu_irq_pending;
/* The size of the frame the host pushes for a signal (auxv). */
extern size_t linuxu_host_frame_size;
/* The timer (time.c): its handler, and the one-shot deadline armed. */
extern void (*linuxu_timer_handler)(void);
extern uint64_t linuxu_armed_deadline_ns;
void linuxu_host_timer_set(uint64_t deadline_ns);

/* Host signals: install @handler with the host's flags; @mask: the signals
 * the host holds back while it runs. */
void linuxu_sigaction(int sig, void (*handler)(int, siginfo_t *, void *), unsigned long flags,
		      uint64_t mask);

/* Faults (fault.c): the handler of the host's fault signals. A SIGSEGV
 * that stands for an interrupt frame the host could not push (irq.c) is
 * the thread's stack overflow. */
struct trap_frame;
void linuxu_on_fault(int sig, siginfo_t *info, void *ucp);
int linuxu_signal_frame_lost(struct trap_frame *f, uint64_t *addr);

/* The value of the host environment variable @name, or NULL. */
const char *linuxu_host_env(const char *name);

/* Make host descriptor @fd non-blocking and signal-driven: whenever it
 * becomes ready, handler(arg) runs as an interrupt handler (interrupts
 * off, in_irq), possibly spuriously (one signal serves every device).
 * @retval 0 attached
 * @retval -ENOSPC too many devices
 * @retval -ENOSYS not built in (only with CONFIG_VIRTIO_NET or CONFIG_UNILIB_FS)
 * @retval the host's negative errno from fcntl */
int linuxu_irq_fd(long fd, void (*handler)(void *arg), void *arg);

#endif
