/*
 * The portable boot sequence: from the platform's hand-over to main().
 *
 *   kernel_start      syscall table, memory, then the C library's own start
 *   kernel_main       (called by the C library as "main") start-up hooks,
 *                     boot-time report, then the application's main()
 */
#include <elf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <arch.h>
#include <kernel/boot.h>
#include <kernel/fault_inject.h>
#include <kernel/zone_gate.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/mm.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <platform.h>

#include "cmdline.h"

int main(int argc, char **argv, char **envp);
int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv, void (*init)(void),
		      void (*fini)(void), void (*ldso)(void));

/* The ELF and program headers are part of the loaded image on every
 * platform; the C library finds the TLS template (PT_TLS) through them. */
extern const Elf64_Ehdr __ehdr_start;

static uint64_t boot_cycles_start;

static void add_region(void *start, size_t len, void *arg)
{
	(void)arg;
	mm_add_region(start, len);
}

/* What the C library's start expects on a process stack: argv, envp and the
 * auxiliary vector, laid out one after the other. */
static char *start_vector[CMDLINE_MAX_ARGS + 1 + CMDLINE_MAX_ENV + 1 + 12] APP_SHARED;
static char env_words[CMDLINE_MAX_LEN] APP_SHARED;
static unsigned char aux_random[16] APP_SHARED;
static char cmdline_words[CMDLINE_MAX_LEN] APP_SHARED;

static int build_start_vector(void)
{
	int argc = cmdline_split(plat_cmdline(), cmdline_words, sizeof(cmdline_words), start_vector,
				 CMDLINE_MAX_ARGS);
	size_t i = argc + 1; /* argv[argc] = NULL */
	uint64_t seed = plat_cycles();

	i += (size_t)cmdline_env(plat_cmdline(), env_words, sizeof(env_words), &start_vector[i],
				 CMDLINE_MAX_ENV) +
	     1; /* envp, NULL-terminated */
	for (size_t k = 0; k < sizeof(aux_random); k++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		aux_random[k] = seed >> 56;
	}
	const uintptr_t aux[] = {
	    AT_PHDR,   (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff,
	    AT_PHNUM,  __ehdr_start.e_phnum,
	    AT_PHENT,  sizeof(Elf64_Phdr),
	    AT_PAGESZ, 4096,
	    AT_RANDOM, (uintptr_t)aux_random,
	    AT_NULL,   0,
	};
	memcpy(&start_vector[i], aux, sizeof(aux));
	return argc;
}

static int kernel_main(int argc, char **argv, char **envp)
{
	if (IS_ENABLED(CONFIG_FAULT_INJECT))
		fault_inject_arm(); /* start-up hooks may be its targets */
	initcalls_run();
	uint64_t now = plat_cycles();
	log_info("boot: %llu us to main",
		 (unsigned long long)(time_cycles_to_ns(now - boot_cycles_start) / NSEC_PER_USEC));
	if (!IS_ENABLED(CONFIG_KTEST))
		zone_main_enter(); /* the kernel tests stay in the kernel's zone */
	int status = main(argc, argv, envp);
	/* With a shell, main() is one thread among others: the system runs
	 * on until the shell powers it off. */
	if (IS_ENABLED(CONFIG_SHELL))
		pthread_exit((void *)(long)status);
	return status;
}

static __attribute__((noreturn)) void start_libc(struct thread *prev)
{
	(void)prev;
	int argc = build_start_vector();
	__libc_start_main(kernel_main, argc, start_vector, NULL, NULL, NULL);
	__builtin_unreachable();
}

/* main() runs on a thread stack like any other, CONFIG_MAIN_STACK_SIZE
 * bytes with a guard page below, not on the platform's small boot stack:
 * deep recursion in it is then a stack overflow, reported, instead of
 * writes into whatever lies next to the boot stack. The boot context is
 * left for good by a first switch to that stack. */
void kernel_start(uint64_t boot_cycles)
{
	void *boot_sp;

	boot_cycles_start = boot_cycles;
	sched_early_init();
	syscall_init();
	plat_memory_foreach(add_region, NULL);
	zone_init();
	void *top = thread_init_boot(CONFIG_MAIN_STACK_SIZE);
	if (top)
		arch_context_switch(&boot_sp, arch_context_init(top, start_libc), current_thread());
	start_libc(NULL);
}

/* The exit hooks first: the VFS writes everything cached to the disk. */
void kernel_exit(int status)
{
	log_debug("exit %d", status);
	exitcalls_run();
	plat_poweroff(status);
}
