/* Thread commands: ps, kill TID, run TID. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <shell/shell.h>
#include <kernel/thread.h>
#include <kernel/zone.h>

#define PS_MAX 256 /* threads listed at most */

static const char *flag_names(unsigned flags)
{
	if (flags & THREAD_F_IDLE)
		return flags & THREAD_F_PROTECTED ? "  protected,idle" : "  idle";
	return flags & THREAD_F_PROTECTED ? "  protected" : "";
}

/* With zones, a column names each thread's zone. */
static void ps_row(const struct thread_info *t, bool zones)
{
	const char *state = thread_state_name(t->state);

	printf("%5d %-15.15s %-9s %4d %3d %11llu %8u", t->tid, t->name, state ? state : "?",
	       t->priority, t->cpu, (unsigned long long)(t->runtime_ns / 1000000), t->restarts);
	if (zones)
		printf("  %2d %-10.10s", t->zone, zone_name(t->zone));
	printf("%s\n", flag_names(t->flags));
}

static int cmd_ps(int argc, char **argv)
{
	struct thread_info *t;

	(void)argv;
	if (argc != 1) {
		printf("usage: ps\n");
		return SHELL_EXIT_USAGE;
	}
	t = malloc(PS_MAX * sizeof(*t));
	if (!t) {
		printf("ps: out of memory\n");
		return 1;
	}
	int n = thread_snapshot(t, PS_MAX);
	bool zones = zone_available();
	printf("%5s %-15s %-9s %4s %3s %11s %8s", "TID", "NAME", "STATE", "PRIO", "CPU",
	       "RUNTIME(ms)", "RESTARTS");
	if (zones)
		printf("  %-13s", "ZONE");
	printf("  %s\n", "FLAGS");
	for (int i = 0; i < n; i++)
		ps_row(&t[i], zones);
	if (n == PS_MAX)
		printf("(the first %d threads only)\n", PS_MAX);
	free(t);
	return 0;
}

SHELL_COMMAND(ps, "list the threads: id, name, state, priority, CPU, run time", cmd_ps);

/* The thread id in "CMD TID"; prints the usage and returns nonzero when
 * there is not exactly one argument or it is not a thread id. */
static int tid_arg(int argc, char **argv, int *tid)
{
	long v;

	if (argc != 2) {
		printf("usage: %s TID   (TID: a thread id from ps)\n", argv[0]);
		return SHELL_EXIT_USAGE;
	}
	if (shell_arg_long(argv[1], 1, INT_MAX, &v)) {
		printf("%s: %s: not a thread id\nusage: %s TID   (TID: a thread id from ps)\n",
		       argv[0], argv[1], argv[0]);
		return SHELL_EXIT_USAGE;
	}
	*tid = (int)v;
	return 0;
}

/* Why thread_kill() or thread_wake() refused, in words. */
static const char *reason(int err)
{
	switch (err) {
	case -ESRCH:
		return "no such thread";
	case -EPERM:
		return "permission denied (protected thread)";
	case -EBUSY:
		return "that is the terminal itself";
	case -EINVAL:
		return "not waiting (only a blocked or sleeping thread can be woken)";
	default:
		return strerror(-err);
	}
}

/* Act on thread TID with op(); report "<verb> thread N (name)". */
static int tid_command(int argc, char **argv, int (*op)(int tid), const char *verb)
{
	struct thread_info info;
	int tid, err = tid_arg(argc, argv, &tid);

	if (err)
		return err;
	if (thread_info_get(tid, &info))
		info.name[0] = '\0';
	err = op(tid);
	if (err) {
		printf("%s: %d: %s\n", argv[0], tid, reason(err));
		return 1;
	}
	printf("%s thread %d (%.*s)\n", verb, tid, THREAD_NAME_MAX, info.name);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	return tid_command(argc, argv, thread_kill, "killed");
}

static int cmd_run(int argc, char **argv)
{
	return tid_command(argc, argv, thread_wake, "woke");
}

SHELL_COMMAND_ARGS(kill, "[TID]", "end thread TID (protected threads refuse)", cmd_kill);
SHELL_COMMAND_ARGS(run, "[TID]", "wake thread TID now if it is blocked or sleeping", cmd_run);
