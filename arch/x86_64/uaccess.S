/*
 * Accesses to application memory that may fault. Each instruction that
 * touches the application's buffer is listed in the exception table
 * (section ush_extable: pairs of faulting address and where to resume);
 * arch_fault() resumes a fault there at the fixup, which returns an error
 * instead of crashing the caller. Nothing here takes a lock.
 */
#define EFAULT 14

.macro extable from, to
	.pushsection ush_extable, "a"
	.balign 8
	.quad \from, \to
	.popsection
.endm

	.text

/* size_t arch_user_copy(void *dst, const void *src, size_t n):
 * @retval the number of bytes NOT copied (0: all of them). */
	.globl arch_user_copy
	.type arch_user_copy, @function
arch_user_copy:
	movq %rdx, %rcx
1:	rep movsb
	xorl %eax, %eax
	ret
2:	movq %rcx, %rax
	ret
	extable 1b, 2b
	.size arch_user_copy, . - arch_user_copy

/* long arch_user_strnlen(const char *s, size_t max):
 * @retval the length (max when no NUL comes first), or -EFAULT */
	.globl arch_user_strnlen
	.type arch_user_strnlen, @function
arch_user_strnlen:
	xorl %eax, %eax
1:	cmpq %rsi, %rax
	jae 3f
2:	cmpb $0, (%rdi,%rax)
	je 3f
	incq %rax
	jmp 1b
3:	ret
4:	movq $-EFAULT, %rax
	ret
	extable 2b, 4b
	.size arch_user_strnlen, . - arch_user_strnlen

/* int arch_user_probe(const void *p, int write): one byte at p, read or
 * (atomically, unchanged) written. @retval 0 or -EFAULT */
	.globl arch_user_probe
	.type arch_user_probe, @function
arch_user_probe:
	testl %esi, %esi
	jnz 2f
1:	movzbl (%rdi), %eax
	xorl %eax, %eax
	ret
2:	lock orb $0, (%rdi)
	xorl %eax, %eax
	ret
3:	movl $-EFAULT, %eax
	ret
	extable 1b, 3b
	extable 2b, 3b
	.size arch_user_probe, . - arch_user_probe

/* int arch_user_cmpxchg32(int *p, int *old, int new): a compare-and-swap
 * on an application's word; *old gets the value found.
 * @retval 0 done (swapped when *old is unchanged), -EFAULT */
	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, @function
arch_user_cmpxchg32:
	movl (%rsi), %eax
1:	lock cmpxchgl %edx, (%rdi)
	movl %eax, (%rsi)
	xorl %eax, %eax
	ret
2:	movl $-EFAULT, %eax
	ret
	extable 1b, 2b
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32

	.section .note.GNU-stack, "", @progbits
