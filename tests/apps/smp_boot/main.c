/* Boot test of the SMP platform functions on microvm: start every CPU the
 * firmware lists, check that each one takes its own timer interrupt and
 * IPIs, and that plat_mem_protect() takes a page away on every CPU at once
 * (the other CPUs' TLBs are shot down) and gives it back.
 *
 * The other CPUs run without a thread pointer, so they touch only volatile
 * variables and plat_* calls, never the C library. Prints
 * "smp_boot: N cpus ok" and exits 0, or a "smp_boot: FAIL" line per failed
 * check and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arch/smp.h>
#include <arch/trap.h>
#include <platform.h>

#define STACK_SIZE 16384
#define WAIT_NS                                                                                    \
	30000000000ull /* a hang guard: TCG with more vCPUs than host CPUs, on a loaded host, is   \
			  slow */
#define TICK_NS 1000000ull

enum { CMD_NONE, CMD_PROBE, CMD_PING, CMD_DONE };

static volatile int started[X86_MAX_CPUS], right_index[X86_MAX_CPUS];
static volatile unsigned timer_hits[X86_MAX_CPUS], ipi_hits[X86_MAX_CPUS];
static volatile int cmd[X86_MAX_CPUS], probe_result[X86_MAX_CPUS];
static volatile uintptr_t probe_addr;
static unsigned ncpus;
static int failures;

/* Read one byte at addr: 1, or 0 when that faulted (the fault hook resumes
 * the read at probe_fixup). */
int probe_read(uintptr_t addr);
extern const char probe_insn[], probe_fixup[];
__asm__(".text\n"
	".globl probe_read, probe_insn, probe_fixup\n"
	".type probe_read, @function\n"
	"probe_read:\n"
	"probe_insn: movb (%rdi), %al\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"probe_fixup: xorl %eax, %eax\n"
	"	ret\n"
	".size probe_read, . - probe_read\n");

static int probe_hook(struct trap_frame *f)
{
	if (f->vector != TRAP_PAGE_FAULT || f->rip != (uintptr_t)probe_insn)
		return 0;
	f->rip = (uintptr_t)probe_fixup;
	return 1;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("smp_boot: FAIL %s: ", #cond);                                      \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static void on_timer(void)
{
	timer_hits[x86_cpu_index()]++;
}

static void on_ipi(void)
{
	ipi_hits[x86_cpu_index()]++;
}

/* Every other CPU: report, wait for its own timer, then serve requests:
 * read the probe page, or send an IPI back to CPU 0. The check of cmd and
 * the halt cannot miss the IPI that follows a request: plat_idle() enables
 * interrupts only at the halt. */
static void ap_entry(unsigned cpu)
{
	right_index[cpu] = x86_cpu_index() == cpu;
	started[cpu] = 1;
	plat_timer_arm(plat_time_ns() + TICK_NS);
	while (!timer_hits[cpu])
		plat_idle();
	for (;;) {
		if (cmd[cpu] == CMD_PROBE) {
			probe_result[cpu] = probe_read(probe_addr);
			cmd[cpu] = CMD_DONE;
		} else if (cmd[cpu] == CMD_PING) {
			cmd[cpu] = CMD_DONE;
			plat_ipi_send(0);
		}
		plat_idle();
	}
}

/* Idle on CPU 0 until done() or the bound; a 1 ms timer keeps it waking. */
static int wait_for(int (*done)(unsigned), unsigned arg)
{
	uint64_t end = plat_time_ns() + WAIT_NS;

	while (!done(arg)) {
		if (plat_time_ns() > end)
			return 0;
		plat_timer_arm(plat_time_ns() + TICK_NS);
		plat_idle();
	}
	return 1;
}

static int all_timers(unsigned unused)
{
	(void)unused;
	for (unsigned c = 1; c < ncpus; c++)
		if (!timer_hits[c])
			return 0;
	return 1;
}

static unsigned ipi_target;
static int ipi_arrived(unsigned before)
{
	return ipi_hits[ipi_target] > before;
}

static int probe_done(unsigned cpu)
{
	return cmd[cpu] == CMD_DONE;
}

static void start_all(void)
{
	for (unsigned c = 1; c < ncpus; c++) {
		char *stack = aligned_alloc(16, STACK_SIZE);
		CHECK(stack != NULL, "no stack for CPU %u", c);
		int ret = plat_cpu_start(c, ap_entry, stack + STACK_SIZE);
		CHECK(ret == 0, "plat_cpu_start(%u) = %d", c, ret);
	}
	CHECK(wait_for(all_timers, 0), "every CPU's own timer fired");
	for (unsigned c = 1; c < ncpus; c++) {
		CHECK(started[c], "CPU %u did not run its entry", c);
		CHECK(right_index[c], "CPU %u has the wrong TSS", c);
		CHECK(timer_hits[c] > 0, "CPU %u: no timer interrupt", c);
	}
}

/* One IPI at a time, each way: IPIs of one vector that arrive together
 * merge into one interrupt, so only one can be counted per wait. */
static void ipi_rounds(unsigned rounds)
{
	if (ncpus == 1)
		return;
	for (unsigned r = 0; r < rounds; r++)
		for (unsigned c = 1; c < ncpus; c++) {
			unsigned before = ipi_hits[c];
			ipi_target = c;
			plat_ipi_send(c);
			CHECK(wait_for(ipi_arrived, before), "IPI %u to CPU %u not handled", r, c);
			before = ipi_hits[0];
			ipi_target = 0;
			cmd[c] = CMD_PING;
			plat_ipi_send(c);
			CHECK(wait_for(ipi_arrived, before), "IPI %u from CPU %u not handled", r,
			      c);
			cmd[c] = CMD_NONE;
		}
	for (unsigned c = 0; c < ncpus; c++)
		CHECK(ipi_hits[c] >= rounds, "CPU %u handled %u of %u IPIs", c, ipi_hits[c],
		      rounds);
}

/* Every CPU reads the page; expect @want (1 readable, 0 faulted) on all. */
static void probe_all(uintptr_t page, int want, const char *when)
{
	probe_addr = page;
	CHECK(probe_read(page) == want, "CPU 0 %s", when);
	for (unsigned c = 1; c < ncpus; c++) {
		cmd[c] = CMD_PROBE;
		plat_ipi_send(c);
		CHECK(wait_for(probe_done, c), "CPU %u did not probe %s", c, when);
		CHECK(probe_result[c] == want, "CPU %u %s", c, when);
		cmd[c] = CMD_NONE;
	}
}

static void protect_page(void)
{
	char *page = aligned_alloc(4096, 4096);

	CHECK(page != NULL, "no page");
	memset(page, 0x5a, 4096);
	arch_set_fault_hook(probe_hook);
	probe_all((uintptr_t)page, 1, "reads the page before"); /* now in every TLB */
	CHECK(plat_mem_protect(page, 4096, 0) == 0, "protect");
	probe_all((uintptr_t)page, 0, "faults on the protected page");
	CHECK(probe_read((uintptr_t)page + 4096) == 1, "the next page is still mapped");
	CHECK(probe_read((uintptr_t)page - 4096) == 1, "the previous page is still mapped");
	CHECK(plat_mem_protect(page, 4096, 1) == 0, "unprotect");
	probe_all((uintptr_t)page, 1, "reads the page again");
	CHECK(page[100] == 0x5a, "the page kept its contents");
	arch_set_fault_hook(NULL);
	free(page);
}

int main(void)
{
	ncpus = plat_cpu_count();
	printf("smp_boot: %u cpus\n", ncpus);
	CHECK(ncpus >= 1 && ncpus <= X86_MAX_CPUS, "count");
	CHECK(x86_cpu_index() == 0, "the boot CPU is CPU 0");
	plat_timer_set_handler(on_timer);
	plat_ipi_set_handler(on_ipi);
	start_all();
	ipi_rounds(3);
	protect_page();
	if (failures) {
		printf("smp_boot: %d checks failed\n", failures);
		return 1;
	}
	printf("smp_boot: %u cpus ok\n", ncpus);
	return 0;
}
