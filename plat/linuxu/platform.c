/*
 * linuxu: the kernel as an ordinary Linux process, for fast tests, sanitizers
 * and debuggers. This file: start-up from the host's initial stack, the
 * command line and environment, memory (one anonymous mapping), one CPU,
 * power-off. The console is console.c, time time.c, interrupts (host
 * signals) irq.c, CPU exceptions (the host's fault signals) fault.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <kernel/boot.h>
#include <kernel/panic.h>
#include <platform.h>

#include "host.h"
#include "linuxu.h"

#define MEMORY_SIZE (256ul << 20)
#define HOST_ARCH_SET_FS 0x1002

void *linuxu_percpu;
static int have_fsgsbase; /* the host lets us write %fs base directly */

static char cmdline[1024];
static void *memory;

const char *plat_cmdline(void)
{
	return cmdline;
}

void plat_memory_foreach(void (*fn)(void *start, size_t len, void *arg), void *arg)
{
	fn(memory, MEMORY_SIZE, arg);
}

/* ------------------------------------------------------ start and stop */

void plat_poweroff(int status)
{
	linuxu_tty_restore();
	host_syscall(HOST_EXIT_GROUP, status, 0, 0);
	__builtin_unreachable();
}

void plat_set_thread_pointer(void *tp)
{
	if (have_fsgsbase)
		__asm__ volatile("wrfsbase %0" ::"r"(tp) : "memory");
	else
		host_syscall(HOST_ARCH_PRCTL, HOST_ARCH_SET_FS, tp, 0);
}

/* ------------------------------------------------------------ one CPU */

unsigned plat_cpu_count(void)
{
	return 1;
}

int plat_cpu_start(unsigned cpu, void (*entry)(unsigned cpu), void *stack_top)
{
	(void)cpu;
	(void)entry;
	(void)stack_top;
	return -ENOSYS;
}

void plat_ipi_send(unsigned cpu)
{
	(void)cpu;
}

void plat_ipi_set_handler(void (*handler)(void))
{
	(void)handler;
}

int plat_mem_protect(void *addr, size_t len, int prot)
{
	if ((uintptr_t)addr % 4096 || len % 4096)
		return -EINVAL;
	long r = host_syscall(HOST_MPROTECT, addr, len, prot ? 3 /* RW */ : 0);
	return r < 0 ? (int)r : 0;
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	(void)irq;
	(void)handler;
	(void)arg;
	return -EINVAL;
}

int plat_virtio_mmio_foreach(void (*fn)(uintptr_t base, unsigned irq, void *arg), void *arg)
{
	(void)fn;
	(void)arg;
	return 0; /* disks are host files instead (blk.c) */
}

/* The host's environment: envp follows argv on the start stack. */
static char **host_envp;

const char *linuxu_host_env(const char *name)
{
	size_t n = strlen(name);

	for (char **e = host_envp; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

#define HOST_AT_HWCAP2 26
#define HOST_HWCAP2_FSGSBASE 2
#define HOST_AT_MINSIGSTKSZ 51

/* The auxiliary vector follows argv and envp on the start stack: the CPU's
 * features, and the size of a signal frame with this CPU's vector state. */
static void find_hwcaps(long *sp)
{
	long *p = sp + 1 + sp[0] + 1;

	while (*p)
		p++;
	for (p++; p[0]; p += 2)
		if (p[0] == HOST_AT_HWCAP2)
			have_fsgsbase = (p[1] & HOST_HWCAP2_FSGSBASE) != 0;
		else if (p[0] == HOST_AT_MINSIGSTKSZ && p[1] > 0 && p[1] < 65536)
			linuxu_host_frame_size = p[1] + 128 + 64; /* + the red zone, + alignment */
}

/* The host's argv becomes the kernel command line, quoted so that the
 * kernel splits it back into the same words (kernel/cmdline.c): an
 * argument with blanks, quotes or backslashes goes in single quotes, a
 * quote inside it as '\''. */
static void build_cmdline(int argc, char **argv)
{
	size_t n = 0, room = sizeof(cmdline) - 8;

	for (int i = 1; i < argc && n < room; i++) {
		const char *a = argv[i];
		int quote = !*a || strpbrk(a, " \t\n'\"\\") != NULL;
		if (n)
			cmdline[n++] = ' ';
		if (quote)
			cmdline[n++] = '\'';
		for (; *a && n < room; a++) {
			if (*a == '\'' && quote) {
				memcpy(cmdline + n, "'\\''", 4);
				n += 4;
			} else {
				cmdline[n++] = *a;
			}
		}
		if (quote)
			cmdline[n++] = '\'';
	}
	cmdline[n] = '\0';
}

void linuxu_start(long *sp, uint64_t boot_cycles)
{
	linuxu_time_init();
	build_cmdline((int)sp[0], (char **)(sp + 1));
	host_envp = (char **)(sp + 1 + sp[0] + 1);
	find_hwcaps(sp);
	linuxu_tty_init();
	linuxu_signals_init();
	memory = (void *)host_syscall6(HOST_MMAP, 0, MEMORY_SIZE, 3 /* RW */,
				       0x22 | 0x4000 /* PRIVATE|ANON|NORESERVE */, -1, 0);
	if ((long)memory < 0 && (long)memory > -4096) {
		static const char msg[] = "linuxu: cannot map the kernel's memory\n";
		plat_log_write(msg, sizeof(msg) - 1);
		plat_poweroff(EXIT_PANIC);
	}
	kernel_start(boot_cycles);
}
