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
	cmp x2, #8
	b.lo 3f
1:	ldr x3, [x1]
2:	str x3, [x0]
	add x1, x1, #8
	add x0, x0, #8
	sub x2, x2, #8
	cmp x2, #8
	b.hs 1b
3:	cbz x2, 6f
4:	ldrb w3, [x1], #1
5:	strb w3, [x0], #1
	sub x2, x2, #1
	b 3b
6:	mov x0, #0
	ret
	/* a fault in a word: finish byte by byte up to the faulting one */
7:	cbz x2, 8f
	b 4b
8:	mov x0, x2
	ret
9:	mov x0, x2
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
	mov x2, #0
1:	cmp x2, x1
	b.hs 3f
2:	ldrb w3, [x0, x2]
	cbz w3, 3f
	add x2, x2, #1
	b 1b
3:	mov x0, x2
	ret
4:	mov x0, #-EFAULT
	ret
	extable 2b, 4b
	.size arch_user_strnlen, . - arch_user_strnlen

/* int arch_user_probe(const void *p, int write): one byte at p, read or
 * (atomically, unchanged) written. @retval 0 or -EFAULT */
	.globl arch_user_probe
	.type arch_user_probe, %function
arch_user_probe:
	cbnz w1, 2f
1:	ldrb w2, [x0]
	mov w0, #0
	ret
2:	ldxrb w2, [x0]
3:	stxrb w3, w2, [x0]
	cbnz w3, 2b
	mov w0, #0
	ret
4:	mov w0, #-EFAULT
	ret
	extable 1b, 4b
	extable 2b, 4b
	extable 3b, 4b
	.size arch_user_probe, . - arch_user_probe

/* int arch_user_cmpxchg32(int *p, int *old, int new): a compare-and-swap
 * on an application's word; *old gets the value found.
 * @retval 0 done (swapped when *old is unchanged), -EFAULT */
	.globl arch_user_cmpxchg32
	.type arch_user_cmpxchg32, %function
arch_user_cmpxchg32:
	ldr w3, [x1]
1:	ldaxr w4, [x0]
	cmp w4, w3
	b.ne 3f
2:	stlxr w5, w2, [x0]
	cbnz w5, 1b
	b 4f
3:	clrex
4:	str w4, [x1]
	mov w0, #0
	ret
5:	mov w0, #-EFAULT
	ret
	extable 1b, 5b
	extable 2b, 5b
	.size arch_user_cmpxchg32, . - arch_user_cmpxchg32

	.section .note.GNU-stack, "", %progbits
