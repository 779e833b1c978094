/*
 * Exception and interrupt entry. Each vector has a stub that makes the stack
 * look the same (error code or a zero, then the vector number) and jumps to
 * trap_common, which saves the general registers (struct trap_frame) and the
 * x87/SSE state, since the interrupted code may be using it and the handlers
 * are ordinary C.
 */
	.altmacro
	.section .text.trap, "ax"
	.code64

/* Local labels: 256 stub names would add 6 KiB to the embedded symbol
 * table, and no backtrace stops inside a stub. */
.macro STUB vec
	.balign 16
.Ltrap_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

	.set v, 0
	.rept 256
	STUB %v
	.set v, v + 1
	.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq $0			/* frame->pkru */
#ifdef CONFIG_ZONE
	/* Zones: the kernel runs with every key usable. The interrupted
	 * code's rights are kept in the frame (include/arch/pkru.h). */
	cmpb $0, zone_on(%rip)
	je 1f
	xorl %ecx, %ecx
	rdpkru
	movl %eax, (%rsp)
	testl %eax, %eax
	je 1f
	xorl %eax, %eax
	xorl %edx, %edx
	wrpkru
	testl %eax, %eax
	je 1f
	ud2
1:
#endif
	cld
	movq %rsp, %r12			/* the frame, kept in a callee-saved reg */
	andq $-16, %rsp
	subq $512, %rsp
	fxsave64 (%rsp)
	/* Make the interrupted code look like the caller for backtraces. */
	pushq 128+16(%r12)		/* frame->rip */
	pushq 72(%r12)			/* frame->rbp */
	movq %rsp, %rbp
	movq %r12, %rdi
	call trap_handler
	leaq 16(%rsp), %rsp
	fxrstor64 (%rsp)
	movq %r12, %rsp
#ifdef CONFIG_ZONE
	/* Back to the interrupted code's rights, which must be its thread's
	 * (a frame rewritten to resume elsewhere in the kernel says 0). */
	movl (%rsp), %eax
	testl %eax, %eax
	je 2f
	xorl %ecx, %ecx
	xorl %edx, %edx
	wrpkru
	movq %gs:0, %rcx
	movq 24(%rcx), %rcx
	cmpl 16(%rcx), %eax
	je 2f
	ud2
2:
#endif
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector and error code */
	iretq

	.section .rodata.trap, "a"
	.balign 8
	.globl trap_stubs
trap_stubs:
.macro STUB_ADDR vec
	.quad .Ltrap_stub_\vec
.endm
	.set v, 0
	.rept 256
	STUB_ADDR %v
	.set v, v + 1
	.endr

	.section .note.GNU-stack, "", @progbits
