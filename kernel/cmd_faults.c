/* The shell's `faults`: the fault log, oldest first. */
#include <stdio.h>
#include <kernel/fault.h>
#include <kernel/ksyms.h>
#include <shell/shell.h>

static int cmd_faults(int argc, char **argv)
{
	static struct fault_record recs[FAULT_LOG_SIZE];

	(void)argv;
	if (argc != 1) {
		printf("usage: faults\n");
		return SHELL_EXIT_USAGE;
	}
	int n = fault_log_get(recs, FAULT_LOG_SIZE);
	printf("%llu faults since boot%s\n", (unsigned long long)fault_count(),
	       fault_count() > (uint64_t)n ? " (the last ones below)" : "");
	for (int i = 0; i < n; i++) {
		const struct fault_record *r = &recs[i];
		uintptr_t off;
		const char *fn = ksyms_lookup(r->pc, &off);
		printf("#%llu %8.3f s  tid %d (%s) cpu %u  %s", (unsigned long long)r->seq,
		       r->time_ns / 1e9, r->tid, r->name, r->cpu, r->kind);
		if (r->message[0])
			printf(": %s", r->message);
		else
			printf(" at 0x%lx in %s+0x%lx", (unsigned long)r->addr, fn ? fn : "?",
			       fn ? (unsigned long)off : 0);
		printf("  -> %s\n", r->action);
	}
	return 0;
}

SHELL_COMMAND(faults, "the fault log: crashed threads, what and where, and what followed",
	      cmd_faults);
