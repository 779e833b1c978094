/* Kernel log: format with the C library, write whole lines to the log
 * (plat_log_write: the console, or standard error on linuxu) under a lock
 * so lines from different CPUs do not interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <kernel/log.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <platform.h>

static spinlock_t console_lock = SPINLOCK_INIT;
static const char level_letter[] = " EWIDT";

static void console_emit(const char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	plat_log_write(buf, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	char buf[256];
	uint64_t us = time_now_ns() / 1000;
	int n = snprintf(buf, sizeof(buf), "[%llu.%06llu %c] ", (unsigned long long)(us / 1000000),
			 (unsigned long long)(us % 1000000), level_letter[level]);
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	console_emit(buf, n);
}

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	/* No lock: kprintf serves panic paths, which must not wait on a lock
	 * that the crashed code may hold. */
	plat_log_write(buf, n);
}
