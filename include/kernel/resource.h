/* CPU time, for clocks and usage reports (kernel/sys_resource.c). */
#ifndef KERNEL_RESOURCE_H
#define KERNEL_RESOURCE_H

#include <stdint.h>

/* The calling thread's time on a CPU. */
uint64_t thread_cpu_ns(void);
/* Every CPU's busy time since boot (not idle), summed. */
uint64_t process_cpu_ns(void);

#endif
