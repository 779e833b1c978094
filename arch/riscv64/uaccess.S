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
 * @retval the number of bytes NOT copied (0: all of them). Eight bytes at
 * a time, then the rest byte by byte. */
	.globl arch_user_copy
	.type arch_user_copy, %function
arch_user_copy:
	li t3, 8
	bltu a2, t3, 3f
1:	ld t0, 0(a1)
2:	sd t0, 0(a0)
	addi a1, a1, 8
	addi a0, a0, 8
	addi a2, a2, -8
	bgeu a2, t3, 1b
3:	beqz a2, 6f
4:	lbu t0, 0(a1)
5:	sb t0, 0(a0)
	addi a1, a1, 1
	addi a0, a0, 1
	addi a2, a2, -1
	j 3b
6:	li a0, 0
	ret
	/* a fault in a word: finish byte by byte up to the faulting one */
7:	j 3b
9:	mv a0, a2
	ret
	extable 1b, 7b
	extable 2b, 7b
	extable 4b, 9b
	extable 5b, 9b
	.size arch_user_copy, . - arch_user_copy

/* long arch_user_strnlen(const char *s, size_t max):
 * @retval the length (max when no NUL comes first), or -EFAULT */
	.globl arch_user_strnlen
	.type arch_user_strnlen, %function
arch_user_strnlen:
	li t1, 0
1:	bgeu t1, a1, 3f
	add t2, a0, t1
2:	lbu t0, 0(t2)
	beqz t0, 3f
	addi t1, t1, 1
	j 1b
3:	mv a0, t1
	ret
4:	li a0, -EFAULT
	ret
	extable 2b, 4b
	.size arch_user_strnlen, . - arch_user_strnlen

/* int arch_user_probe(const void *p, int write): one byte at p, read or
 * written (an atomic OR of zero into its word: unchanged).
 * @retval 0 or -EFAULT */
	.globl arch_user_probe
	.type arch_user_probe, %function
arch_user_probe:
	bnez a1, 2f
1:	lbu t0, 0(a0)
	li a0, 0
	ret
2:	andi t1, a0, -4
3:	amoor.w t0, zero, (t1)
	li a0, 0
	ret
4:	li a0, -EFAULT
	ret
	extable 1b, 4b
	extable 3b, 4b
	.size arch_user_probe, . - arch_user_probe

/* int arch_user_cmpxchg32(int *p, int *old, int new): a compare-and-swap
 * on an application's word; *old gets the value found.
 * @retval 0 done (swapped when *old is unchanged), -EFAULT */
	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, %function
arch_user_cmpxchg32:
	lw t3, 0(a1)
1:	lr.w.aqrl t0, (a0)
	bne t0, t3, 3f
2:	sc.w.rl t1, a2, (a0)
	bnez t1, 1b
3:	sw t0, 0(a1)
	li a0, 0
	ret
5:	li a0, -EFAULT
	ret
	extable 1b, 5b
	extable 2b, 5b
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32

	.section .note.GNU-stack, "", %progbits
