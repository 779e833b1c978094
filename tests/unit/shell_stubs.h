/* Stand-ins for the kernel calls the shell's commands make, for host tests:
 * three threads, of which 1 is protected, 2 is an ordinary worker and 3 is
 * the caller (the terminal); the allocator statistics are fixed. */
#ifndef SHELL_STUBS_H
#define SHELL_STUBS_H

#include <errno.h>
#include <string.h>
#include <kernel/mm.h>
#include <kernel/thread.h>
#include <kernel/zone.h>

static const struct thread_info stub_threads[] = {
    {.tid = 1,
     .name = "main",
     .state = THREAD_RUNNING,
     .priority = 10,
     .cpu = 0,
     .runtime_ns = 12345678,
     .flags = THREAD_F_PROTECTED},
    {.tid = 2,
     .name = "worker-with-a-l",
     .state = THREAD_SLEEPING,
     .priority = 5,
     .cpu = 1,
     .runtime_ns = 2000000000,
     .restarts = 3},
    {.tid = 3,
     .name = "terminal",
     .state = THREAD_BLOCKED,
     .priority = 10,
     .cpu = 0,
     .flags = THREAD_F_PROTECTED},
};

bool zone_available(void)
{
	return false;
}

const char *zone_name(int id)
{
	return id ? "shared" : "kernel";
}

int thread_snapshot(struct thread_info *out, int max)
{
	int n = 0;

	for (; n < max && n < 3; n++)
		out[n] = stub_threads[n];
	return n;
}

int thread_info_get(int tid, struct thread_info *out)
{
	if (tid < 1 || tid > 3)
		return -ESRCH;
	*out = stub_threads[tid - 1];
	return 0;
}

int thread_kill(int tid)
{
	return tid == 1 ? -EPERM : tid == 2 ? 0 : tid == 3 ? -EBUSY : -ESRCH;
}

int thread_wake(int tid)
{
	return tid == 2 ? 0 : tid == 1 || tid == 3 ? -EINVAL : -ESRCH;
}

const char *thread_state_name(enum thread_state state)
{
	static const char *const names[] = {"ready", "running", "blocked", "sleeping", "exited"};

	return (unsigned)state < 5 ? names[state] : "?";
}

void mm_stats_get(struct mm_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->total = 268435456;
	s->used = 10240;
	s->free = 268000000;
	s->peak = 300000;
	s->largest_free = 267000000;
	s->slab_bytes = 65536;
	s->large_count = 2;
	s->nheaps = 3;
	for (int c = 0; c < MM_NCLASSES; c++)
		s->class_size[c] = 16 << (c % 7);
	s->class_live[0] = 12;
	s->class_live[3] = 1;
}

#endif
