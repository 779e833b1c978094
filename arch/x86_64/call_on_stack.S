/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(void *), void *arg)
 * Call fn(arg) on another stack (a signal's alternate stack) and come back
 * to this one. The frame pointer chain goes on through the old stack, so
 * backtraces from the handler reach its caller.
 */
	.text
	.globl arch_call_on_stack
	.type arch_call_on_stack, @function
arch_call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	andq $-16, %rdi
	movq %rdi, %rsp
	movq %rdx, %rdi
	call *%rsi
	movq %rbp, %rsp
	popq %rbp
	ret
	.size arch_call_on_stack, . - arch_call_on_stack

	.section .note.GNU-stack, "", @progbits
