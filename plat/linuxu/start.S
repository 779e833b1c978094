/* linuxu entry: the host kernel starts us with argc, argv, envp on the
 * stack. Record the first cycle count and the stack, then enter C. */
	.section .text.boot, "ax"
	.globl _start
_start:
	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movq %rsp, %rdi			/* argc, argv... */
	movq %rax, %rsi			/* boot cycles */
	xorl %ebp, %ebp
	andq $-16, %rsp
	call linuxu_start
	ud2

/* Return path of host signal handlers. */
	.globl linuxu_sigreturn
linuxu_sigreturn:
	movl $15, %eax			/* rt_sigreturn */
	syscall
	ud2

	.section .note.GNU-stack, "", @progbits
