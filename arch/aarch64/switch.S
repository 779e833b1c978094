/*
 * Thread context switch. What AAPCS64 says survives a call: x19-x29, the
 * link register, d8-d15, and the floating-point control and status
 * registers (FPCR, FPSR). A thread preempted by an interrupt keeps its full
 * register set in the trap frame on its own stack, below this.
 *
 * struct thread *arch_context_switch(void **save_sp, void *new_sp,
 *                                    struct thread *prev)
 * returns, on the stack it switched to, the prev its switcher passed.
 * Frame (176 bytes): x19..x30, d8..d15, fpcr, fpsr (context.c builds one).
 */
	.text
	.globl arch_context_switch
	.type arch_context_switch, %function
arch_context_switch:
	sub sp, sp, #176
	stp x19, x20, [sp, #0]
	stp x21, x22, [sp, #16]
	stp x23, x24, [sp, #32]
	stp x25, x26, [sp, #48]
	stp x27, x28, [sp, #64]
	stp x29, x30, [sp, #80]
	stp d8, d9, [sp, #96]
	stp d10, d11, [sp, #112]
	stp d12, d13, [sp, #128]
	stp d14, d15, [sp, #144]
	mrs x9, fpcr
	mrs x10, fpsr
	stp x9, x10, [sp, #160]
	mov x9, sp
	str x9, [x0]
	mov sp, x1
	ldp x9, x10, [sp, #160]
	msr fpcr, x9
	msr fpsr, x10
	ldp d14, d15, [sp, #144]
	ldp d12, d13, [sp, #128]
	ldp d10, d11, [sp, #112]
	ldp d8, d9, [sp, #96]
	ldp x29, x30, [sp, #80]
	ldp x27, x28, [sp, #64]
	ldp x25, x26, [sp, #48]
	ldp x23, x24, [sp, #32]
	ldp x21, x22, [sp, #16]
	ldp x19, x20, [sp, #0]
	add sp, sp, #176
	mov x0, x2
	ret
	.size arch_context_switch, . - arch_context_switch

/* First instructions of a new thread: x19 holds its entry, x0 the thread
 * switched from (arch_context_switch's return value). */
	.globl arch_thread_trampoline
	.type arch_thread_trampoline, %function
arch_thread_trampoline:
	mov x29, #0
	mov x30, #0
	blr x19
	brk #0x800
	.size arch_thread_trampoline, . - arch_thread_trampoline

/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(void *), void *arg)
 * Call fn(arg) on another stack and come back; the frame record chain goes
 * on through the old stack, so backtraces from fn reach its caller.
 */
	.globl arch_call_on_stack
	.type arch_call_on_stack, %function
arch_call_on_stack:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	and x0, x0, #~15
	mov sp, x0
	mov x0, x2
	blr x1
	mov sp, x29
	ldp x29, x30, [sp], #16
	ret
	.size arch_call_on_stack, . - arch_call_on_stack

/*
 * The C library's cancellable system call: the same call as any other, but
 * between __cp_begin and __cp_end a pending cancellation acts first.
 * long __syscall_cp_asm(volatile int *cancel, long nr, long a1, ..., long a6)
 */
	.globl __syscall_cp_asm, __cp_begin, __cp_end, __cp_cancel
	.type __syscall_cp_asm, %function
__syscall_cp_asm:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
__cp_begin:
	ldr w9, [x0]
	cbnz w9, 1f
	mov x0, x1
	mov x1, x2
	mov x2, x3
	mov x3, x4
	mov x4, x5
	mov x5, x6
	mov x6, x7
	bl syscall_dispatch
__cp_end:
	ldp x29, x30, [sp], #16
	ret
1:	ldp x29, x30, [sp], #16
__cp_cancel:
	b __cancel
	.size __syscall_cp_asm, . - __syscall_cp_asm

	.section .note.GNU-stack, "", %progbits
