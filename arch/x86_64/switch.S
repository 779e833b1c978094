/*
 * Thread context switch. Only what the C calling convention says survives a
 * call needs saving: rbx, rbp, r12-r15, and the control words of SSE and
 * x87 (MXCSR, FPU control word). A thread preempted by an interrupt keeps
 * its full register set in the trap frame on its own stack, below this.
 *
 * struct thread *arch_context_switch(void **save_sp, void *new_sp,
 *                                    struct thread *prev)
 * returns, on the stack it switched to, the prev its switcher passed.
 *
 * Loading MXCSR and the x87 control word costs tens of cycles and nearly
 * every thread has the default ones: they are loaded only when the saved
 * pair differs from the one just stored (the word's spare bytes are zero).
 */
	.text
	.code64
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq $0
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq (%rsp), %rcx
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	cmpq (%rsp), %rcx
	je 1f
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
1:	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movq %rdx, %rax
	ret
	.size arch_context_switch, . - arch_context_switch

/* First instructions of a new thread: r12 holds its entry, rax the thread
 * switched from (arch_context_switch's return value). */
	.globl arch_thread_trampoline
	.type arch_thread_trampoline, @function
arch_thread_trampoline:
	movq %rax, %rdi
	xorl %ebp, %ebp
	andq $-16, %rsp
	call *%r12
	ud2
	.size arch_thread_trampoline, . - arch_thread_trampoline

	.section .note.GNU-stack, "", @progbits
