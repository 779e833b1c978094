/* The kernel's own symbol table, embedded at link time (CONFIG_KSYMS). */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stddef.h>
#include <stdint.h>

/* Find the function containing addr.
 * @retval its name, with *offset set to addr minus its start
 * @retval NULL when addr is in no known function (or CONFIG_KSYMS is off) */
const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset);

/* Address of the named function, or 0. For tests and the shell. */
uintptr_t ksyms_address(const char *name);

#endif
