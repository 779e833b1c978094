/* Signals between the threads of the one process: handlers, masks,
 * pending sets, sigsuspend, alternate stacks, SA_RESTART, interval
 * timers. Checks print through CHECK (posix_test.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posix_test.h"

static volatile int hits[65];
static volatile int last_code, alt_ok;
static char *alt_base;
static size_t alt_size;

static void on_signal(int sig)
{
	hits[sig]++;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_code = si->si_signo;
}

static void on_alt(int sig)
{
	char here;

	hits[sig]++;
	alt_ok = &here >= alt_base && &here < alt_base + alt_size;
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int pipe_fds[2];
static pthread_t reader_thread;

static void *reader(void *arg)
{
	char c;

	(void)arg;
	long n = read(pipe_fds[0], &c, 1);
	return (void *)(n == 1 ? 1l : n < 0 && errno == EINTR ? -4l : 0l);
}

static void *poke_then_write(void *arg)
{
	usleep(30000);
	pthread_kill(reader_thread, SIGUSR2);
	usleep(30000);
	if (arg)
		write(pipe_fds[1], "x", 1);
	return NULL;
}

/* A reader blocked in read() takes a signal: with SA_RESTART the read goes
 * on and gets the byte written later; without, it ends with EINTR. */
static long interrupted_read(int restart)
{
	pthread_t poker;
	void *r;

	handle(SIGUSR2, on_signal, restart ? SA_RESTART : 0);
	pipe(pipe_fds);
	pthread_create(&reader_thread, NULL, reader, NULL);
	pthread_create(&poker, NULL, poke_then_write, restart ? (void *)1 : NULL);
	pthread_join(reader_thread, &r);
	pthread_join(poker, NULL);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	return (long)r;
}

static void *kill_process_later(void *arg)
{
	(void)arg;
	usleep(20000);
	kill(getpid(), SIGUSR1);
	return NULL;
}

static volatile int spin_stop;

static void stop_spinning(int sig)
{
	(void)sig;
	spin_stop = 1;
}

/* Pure computation: no system call until the handler has run. */
static void *spinner(void *arg)
{
	unsigned long n = 0;

	(void)arg;
	while (!spin_stop)
		n++;
	return (void *)n;
}

void signal_checks(void)
{
	sigset_t set, old;
	pthread_t t;

	handle(SIGUSR1, on_signal, 0);
	raise(SIGUSR1);
	CHECK("signal_handler_runs_on_raise", hits[SIGUSR1] == 1);

	struct sigaction sa = {.sa_sigaction = on_info, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK("signal_siginfo", hits[SIGUSR2] == 1 && last_code == SIGUSR2);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	sigset_t pending;
	sigpending(&pending);
	CHECK("signal_blocked_stays_pending", hits[SIGUSR1] == 1 && sigismember(&pending, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("signal_delivered_when_unblocked", hits[SIGUSR1] == 2);

	handle(SIGWINCH, SIG_IGN, 0);
	raise(SIGWINCH);
	raise(SIGCHLD); /* default: ignored */
	CHECK("signal_ignored", hits[SIGWINCH] == 0);

	/* pause() ends when another thread's kill() reaches this one. */
	pthread_create(&t, NULL, kill_process_later, NULL);
	int r = pause();
	CHECK("signal_pause_interrupted", r == -1 && errno == EINTR && hits[SIGUSR1] == 3);
	pthread_join(t, NULL);

	/* sigsuspend: wait with SIGUSR1 unblocked, the mask back after. */
	sigprocmask(SIG_BLOCK, &set, &old);
	pthread_create(&t, NULL, kill_process_later, NULL);
	sigset_t none;
	sigemptyset(&none);
	r = sigsuspend(&none);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK("signal_sigsuspend",
	      r == -1 && errno == EINTR && hits[SIGUSR1] == 4 && sigismember(&now, SIGUSR1));
	pthread_join(t, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);

	CHECK("signal_sa_restart_read_goes_on", interrupted_read(1) == 1);
	CHECK("signal_without_restart_read_is_eintr", interrupted_read(0) == -4);

	alt_size = 65536;
	alt_base = malloc(alt_size);
	stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size};
	sigaltstack(&ss, NULL);
	handle(SIGPROF, on_alt, SA_ONSTACK);
	raise(SIGPROF);
	CHECK("signal_alternate_stack", hits[SIGPROF] == 1 && alt_ok);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(alt_base);

	/* An interval timer: SIGALRM every 20 ms, three times, then off. */
	handle(SIGALRM, on_signal, 0);
	struct itimerval it = {.it_value = {0, 20000}, .it_interval = {0, 20000}};
	setitimer(ITIMER_REAL, &it, NULL);
	while (hits[SIGALRM] < 3)
		pause();
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK("signal_interval_timer", hits[SIGALRM] >= 3);
	CHECK("signal_alarm_returns_what_was_left", alarm(100) == 0 && alarm(0) >= 99);
	/* A thread that never enters the kernel takes its signal at an
	 * interrupt's end. */
	handle(SIGUSR1, stop_spinning, 0);
	pthread_create(&t, NULL, spinner, NULL);
	usleep(20000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	CHECK("signal_reaches_a_spinning_thread", spin_stop == 1);

	CHECK("signal_kill_bad_signal", kill(getpid(), 99) == -1 && errno == EINVAL);
	CHECK("signal_sigkill_cannot_be_caught",
	      sigaction(SIGKILL, &(struct sigaction){.sa_handler = on_signal}, NULL) == -1);
}

/* SIGPIPE: a write to a pipe whose reader is gone, ignored and caught
 * (the default action is the "sigpipe" mode of main). */
void sigpipe_checks(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK("sigpipe_ignored_write_is_epipe", write(p[1], "x", 1) == -1 && errno == EPIPE);
	hits[SIGPIPE] = 0;
	handle(SIGPIPE, on_signal, 0);
	CHECK("sigpipe_handler_runs",
	      write(p[1], "x", 1) == -1 && errno == EPIPE && hits[SIGPIPE] == 1);
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	CHECK("sigpipe_on_a_socketpair",
	      write(sv[0], "x", 1) == -1 && errno == EPIPE && hits[SIGPIPE] == 2);
	struct iovec iov = {"x", 1};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	CHECK("sigpipe_on_a_socketpair_sendmsg",
	      sendmsg(sv[0], &m, 0) == -1 && errno == EPIPE && hits[SIGPIPE] == 3);
	signal(SIGPIPE, SIG_DFL);
	close(sv[0]);
	close(p[1]);
}

/* "intr": wait for ^C on the console; with @handler, catch it and go on. */
int wait_for_intr(int handler)
{
	hits[SIGINT] = 0;
	if (handler)
		handle(SIGINT, on_signal, 0);
	printf("posix_test: waiting for ^C\n");
	fflush(stdout);
	while (!hits[SIGINT])
		pause();
	printf("posix_test: SIGINT handled\n");
	return 0;
}
