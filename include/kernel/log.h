/* Kernel log with compile-time levels (LOG=error|warn|info|debug|trace).
 * A message above CONFIG_LOG_LEVEL costs nothing: the call is compiled out. */
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include <kernel/compiler.h>

enum log_level { LOG_ERROR = 1, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE };

__attribute__((format(printf, 2, 3))) void log_printf(enum log_level level, const char *fmt, ...);

/* Format into the console without a level prefix (panic and fault dumps). */
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

#define log_at(level, ...)                                                                         \
	do {                                                                                       \
		if ((level) <= CONFIG_LOG_LEVEL)                                                   \
			log_printf(level, __VA_ARGS__);                                            \
	} while (0)

#define log_error(...) log_at(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_at(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)
#define log_trace(...) log_at(LOG_TRACE, __VA_ARGS__)

#endif
