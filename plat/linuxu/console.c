/* linuxu console: standard output for the application, standard error for
 * the kernel's messages, standard input read without blocking; with the
 * shell, a terminal on standard input in raw mode. */
#include <signal.h>
#include <stdint.h>
#include <kernel/compiler.h>
#include <platform.h>

#include "host.h"
#include "linuxu.h"

static void host_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		long n = host_syscall(HOST_WRITE, fd, buf, len);
		if (n <= 0)
			return; /* the descriptor is gone: nothing sensible left to do */
		buf += n;
		len -= n;
	}
}

void plat_console_write(const char *buf, size_t len)
{
	host_write_all(1, buf, len);
}

/* The kernel's messages go where a Linux program's diagnostics go: the
 * application's standard output stays its own. */
void plat_log_write(const char *buf, size_t len)
{
	host_write_all(2, buf, len);
}

long plat_console_read(char *buf, size_t len)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {0, HOST_POLLIN, 0};

	if (host_syscall(HOST_POLL, &pfd, 1, 0) <= 0)
		return 0;
	long n = host_syscall(HOST_READ, 0, buf, len);
	if (n == 0 || (n < 0 && (pfd.revents & HOST_POLLHUP)))
		return -1;
	return n < 0 ? 0 : n;
}

/* With the shell, a terminal on stdin goes to raw mode, as a serial
 * console is: the shell's line editor echoes and edits itself (arrows,
 * history). Ctrl-C still ends the process; the mode is restored on every
 * way out. */
#define HOST_TCGETS 0x5401
#define HOST_TCSETS 0x5402
#define HOST_ICANON 0x2
#define HOST_ECHO 0x8
#define HOST_ICRNL 0x100
#define HOST_VMIN 6
#define HOST_VTIME 5

struct host_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};

static struct host_termios saved_tty;
static int tty_raw;

void linuxu_tty_restore(void)
{
	if (tty_raw)
		host_syscall(HOST_IOCTL, 0, HOST_TCSETS, &saved_tty);
	tty_raw = 0;
}

static void on_quit_signal(int sig, siginfo_t *info, void *uc)
{
	(void)info;
	(void)uc;
	linuxu_tty_restore();
	host_syscall(HOST_EXIT_GROUP, 128 + sig, 0, 0);
}

void linuxu_tty_init(void)
{
	struct host_termios t;

	if (!IS_ENABLED(CONFIG_SHELL) || host_syscall(HOST_IOCTL, 0, HOST_TCGETS, &saved_tty) < 0)
		return; /* not a terminal: piped input stays as it is */
	t = saved_tty;
	t.lflag &= ~(HOST_ICANON | HOST_ECHO);
	t.iflag &= ~HOST_ICRNL;
	t.cc[HOST_VMIN] = 1;
	t.cc[HOST_VTIME] = 0;
	if (host_syscall(HOST_IOCTL, 0, HOST_TCSETS, &t) == 0)
		tty_raw = 1;
	linuxu_sigaction(SIGINT, on_quit_signal, 0, 0);
	linuxu_sigaction(SIGTERM, on_quit_signal, 0, 0);
	linuxu_sigaction(SIGHUP, on_quit_signal, 0, 0);
}
