#ifndef RECOVERY_LIBC_H
#define RECOVERY_LIBC_H

#include <stddef.h>

extern volatile int zero;
extern int failures;

void crash_now(void);
void check(int ok, const char *what);
size_t heap_used(void);
int open_fds(void);
int spawn_once(const char *name, void *(*fn)(void *), void *arg);

int mutex_mode(int cond, const char *kind, int cycles);
int restart_mode(int cycles);
int restart_limit_mode(void);

#endif
