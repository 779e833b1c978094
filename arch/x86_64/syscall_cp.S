/*
 * The C library's cancellable system call: the same call as any other, but
 * between __cp_begin and __cp_end a pending cancellation acts first.
 * long __syscall_cp_asm(volatile int *cancel, long nr, long a1, ..., long a6)
 */
	.text
	.globl __syscall_cp_asm, __cp_begin, __cp_end, __cp_cancel
	.type __syscall_cp_asm, @function
__syscall_cp_asm:
__cp_begin:
	movl (%rdi), %eax
	testl %eax, %eax
	jnz __cp_cancel
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %rcx
	movq %r9, %r8
	movq 8(%rsp), %r9
	pushq 16(%rsp)
	call syscall_dispatch
	addq $8, %rsp
__cp_end:
	ret
__cp_cancel:
	jmp __cancel
	.size __syscall_cp_asm, . - __syscall_cp_asm

	.section .note.GNU-stack, "", @progbits
