/* Fault injection (CONFIG_FAULT_INJECT, kernel/fault_inject.c): the kernel
 * options inject=alloc:N[:THREAD] and inject=call:FUNC:N. */
#ifndef KERNEL_FAULT_INJECT_H
#define KERNEL_FAULT_INJECT_H

/* Parse the options and start counting (start-up hooks may be targets). */
void fault_inject_arm(void);
/* Each malloc-family entry point asks: @retval 1 this allocation fails */
int fault_inject_alloc(void);

#endif
