/* Compiler helpers used across the kernel. */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#include <generated/autoconf.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* Kernel variables the application owns once main() runs (argv and the
 * environment, which C lets a program write): the shared zone's. */
#define APP_SHARED __attribute__((section(".bss.app_shared")))

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* IS_ENABLED(CONFIG_X): 1 when the option is y, 0 when it is unset; usable
 * in plain C conditions so both branches are always compiled and checked. */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

#endif
