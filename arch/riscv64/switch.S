/*
 * Thread context switch. What the RISC-V calling convention says survives
 * a call: ra, sp, s0-s11, fs0-fs11, and the floating-point control and
 * status register (fcsr: rounding mode, flags). tp (the thread pointer) is
 * reloaded by the scheduler; gp is the per-CPU pointer and stays. A thread
 * preempted by an interrupt keeps its full register set in the trap frame
 * on its own stack, below this.
 *
 * struct thread *arch_context_switch(void **save_sp, void *new_sp,
 *                                    struct thread *prev)
 * returns, on the stack it switched to, the prev its switcher passed.
 * Frame (208 bytes): ra, s0-s11, fs0-fs11, fcsr (context.c builds one).
 */
	.text
	.globl arch_context_switch
	.type arch_context_switch, %function
arch_context_switch:
	addi sp, sp, -208
	sd ra, 0(sp)
	sd s0, 8(sp)
	sd s1, 16(sp)
	sd s2, 24(sp)
	sd s3, 32(sp)
	sd s4, 40(sp)
	sd s5, 48(sp)
	sd s6, 56(sp)
	sd s7, 64(sp)
	sd s8, 72(sp)
	sd s9, 80(sp)
	sd s10, 88(sp)
	sd s11, 96(sp)
	fsd fs0, 104(sp)
	fsd fs1, 112(sp)
	fsd fs2, 120(sp)
	fsd fs3, 128(sp)
	fsd fs4, 136(sp)
	fsd fs5, 144(sp)
	fsd fs6, 152(sp)
	fsd fs7, 160(sp)
	fsd fs8, 168(sp)
	fsd fs9, 176(sp)
	fsd fs10, 184(sp)
	fsd fs11, 192(sp)
	frcsr t0
	sd t0, 200(sp)
	sd sp, 0(a0)
	mv sp, a1
	ld t0, 200(sp)
	fscsr t0
	fld fs0, 104(sp)
	fld fs1, 112(sp)
	fld fs2, 120(sp)
	fld fs3, 128(sp)
	fld fs4, 136(sp)
	fld fs5, 144(sp)
	fld fs6, 152(sp)
	fld fs7, 160(sp)
	fld fs8, 168(sp)
	fld fs9, 176(sp)
	fld fs10, 184(sp)
	fld fs11, 192(sp)
	ld s0, 8(sp)
	ld s1, 16(sp)
	ld s2, 24(sp)
	ld s3, 32(sp)
	ld s4, 40(sp)
	ld s5, 48(sp)
	ld s6, 56(sp)
	ld s7, 64(sp)
	ld s8, 72(sp)
	ld s9, 80(sp)
	ld s10, 88(sp)
	ld s11, 96(sp)
	ld ra, 0(sp)
	addi sp, sp, 208
	mv a0, a2
	ret
	.size arch_context_switch, . - arch_context_switch

/* First instructions of a new thread: s1 holds its entry, a0 the thread
 * switched from (arch_context_switch's return value). */
	.globl arch_thread_trampoline
	.type arch_thread_trampoline, %function
arch_thread_trampoline:
	mv s0, zero
	mv ra, zero
	jalr s1
	ebreak
	.size arch_thread_trampoline, . - arch_thread_trampoline

/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(void *), void *arg)
 * Call fn(arg) on another stack and come back; the frame record chain goes
 * on through the old stack, so backtraces from fn reach its caller.
 */
	.globl arch_call_on_stack
	.type arch_call_on_stack, %function
arch_call_on_stack:
	addi sp, sp, -16
	sd ra, 8(sp)
	sd s0, 0(sp)
	addi s0, sp, 16
	andi a0, a0, -16
	mv sp, a0
	mv a0, a2
	jalr a1
	addi sp, s0, -16
	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
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
	addi sp, sp, -16
	sd ra, 8(sp)
	sd s0, 0(sp)
	addi s0, sp, 16
__cp_begin:
	lw t0, 0(a0)
	bnez t0, 1f
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	mv a6, a7
	call syscall_dispatch
__cp_end:
	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
	ret
1:	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
__cp_cancel:
	tail __cancel
	.size __syscall_cp_asm, . - __syscall_cp_asm

	.section .note.GNU-stack, "", %progbits
