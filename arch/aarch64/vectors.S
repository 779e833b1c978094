/*
 * Exception vectors (VBAR_EL1). Threads and the kernel run at EL1 on
 * SP_EL0; an exception switches the CPU to SP_EL1, a per-CPU stack that is
 * always good. Synchronous exceptions (faults) are handled there, so a
 * thread whose stack overflowed onto its guard page is still reported and
 * recovered. Interrupts go back to SP_EL0 and save their frame on the
 * interrupted thread's stack, as on x86_64: the scheduler may switch away
 * at interrupt exit, and the frame waits there until the thread runs again.
 * Every frame holds all registers, q0-q31 and FPCR/FPSR included: the
 * kernel and the application share the floating-point registers.
 */
#include <arch/trap.h>

/* Slot n of 16 starts at arch_vectors + 128 * n. .org, not .balign: the
 * section keeps a small alignment, and the platform's linker script puts
 * the table on a 2 KiB boundary without padding the image. */
.macro ventry kind, to_sp0
	.org slot * 128
	.set slot, slot + 1
	.if \to_sp0
	msr spsel, #0
	.endif
	sub sp, sp, #TRAP_FRAME_SIZE
	stp x0, x1, [sp]
	stp x29, x30, [sp, #232]
	mov x0, #(\kind)
	b trap_common
.endm

.macro vbad kind
	.org slot * 128
	.set slot, slot + 1
	sub sp, sp, #TRAP_FRAME_SIZE
	stp x0, x1, [sp]
	stp x29, x30, [sp, #232]
	mov x0, #(\kind)
	b trap_common
.endm

	.section .text.vectors, "ax"
	.globl arch_vectors
arch_vectors:
	.set slot, 0
	/* current EL, SP_EL0: a thread or the kernel on its stack */
	ventry TRAP_SYNC | TRAP_FROM_SP0, 0
	ventry TRAP_IRQ, 1
	ventry TRAP_FIQ | TRAP_FROM_SP0, 0
	ventry TRAP_SERROR | TRAP_FROM_SP0, 0
	/* current EL, SP_EL1: inside an exception handler */
	vbad TRAP_SYNC
	vbad TRAP_IRQ
	vbad TRAP_FIQ
	vbad TRAP_SERROR
	/* lower EL (never: everything runs at EL1) */
	vbad TRAP_SYNC
	vbad TRAP_IRQ
	vbad TRAP_FIQ
	vbad TRAP_SERROR
	vbad TRAP_SYNC
	vbad TRAP_IRQ
	vbad TRAP_FIQ
	vbad TRAP_SERROR
	.org slot * 128

	.text
	.type trap_common, %function
trap_common:
	stp x2, x3, [sp, #16]
	stp x4, x5, [sp, #32]
	stp x6, x7, [sp, #48]
	stp x8, x9, [sp, #64]
	stp x10, x11, [sp, #80]
	stp x12, x13, [sp, #96]
	stp x14, x15, [sp, #112]
	stp x16, x17, [sp, #128]
	stp x18, x19, [sp, #144]
	stp x20, x21, [sp, #160]
	stp x22, x23, [sp, #176]
	stp x24, x25, [sp, #192]
	stp x26, x27, [sp, #208]
	str x28, [sp, #224]
	add x1, sp, #TRAP_FRAME_SIZE
	tbz x0, #4, 1f
	mrs x1, sp_el0
1:	mrs x2, elr_el1
	stp x1, x2, [sp, #248]
	mrs x1, spsr_el1
	mrs x2, esr_el1
	stp x1, x2, [sp, #264]
	mrs x1, far_el1
	stp x1, x0, [sp, #280]
	add x1, sp, #304
	stp q0, q1, [x1, #0]
	stp q2, q3, [x1, #32]
	stp q4, q5, [x1, #64]
	stp q6, q7, [x1, #96]
	stp q8, q9, [x1, #128]
	stp q10, q11, [x1, #160]
	stp q12, q13, [x1, #192]
	stp q14, q15, [x1, #224]
	stp q16, q17, [x1, #256]
	stp q18, q19, [x1, #288]
	stp q20, q21, [x1, #320]
	stp q22, q23, [x1, #352]
	stp q24, q25, [x1, #384]
	stp q26, q27, [x1, #416]
	stp q28, q29, [x1, #448]
	stp q30, q31, [x1, #480]
	mrs x2, fpcr
	mrs x3, fpsr
	str x2, [sp, #816]
	str x3, [sp, #824]
	/* A frame record for backtraces through the exception. */
	add x29, sp, #232
	mov x0, sp
	bl trap_handler

	msr daifset, #2
	ldr x0, [sp, #288]
	tbz x0, #4, 2f
	ldr x1, [sp, #248]
	msr sp_el0, x1
2:	ldp x1, x2, [sp, #256]
	msr elr_el1, x1
	msr spsr_el1, x2
	add x1, sp, #304
	ldr x2, [sp, #816]
	ldr x3, [sp, #824]
	msr fpcr, x2
	msr fpsr, x3
	ldp q0, q1, [x1, #0]
	ldp q2, q3, [x1, #32]
	ldp q4, q5, [x1, #64]
	ldp q6, q7, [x1, #96]
	ldp q8, q9, [x1, #128]
	ldp q10, q11, [x1, #160]
	ldp q12, q13, [x1, #192]
	ldp q14, q15, [x1, #224]
	ldp q16, q17, [x1, #256]
	ldp q18, q19, [x1, #288]
	ldp q20, q21, [x1, #320]
	ldp q22, q23, [x1, #352]
	ldp q24, q25, [x1, #384]
	ldp q26, q27, [x1, #416]
	ldp q28, q29, [x1, #448]
	ldp q30, q31, [x1, #480]
	ldp x2, x3, [sp, #16]
	ldp x4, x5, [sp, #32]
	ldp x6, x7, [sp, #48]
	ldp x8, x9, [sp, #64]
	ldp x10, x11, [sp, #80]
	ldp x12, x13, [sp, #96]
	ldp x14, x15, [sp, #112]
	ldp x16, x17, [sp, #128]
	ldp x18, x19, [sp, #144]
	ldp x20, x21, [sp, #160]
	ldp x22, x23, [sp, #176]
	ldp x24, x25, [sp, #192]
	ldp x26, x27, [sp, #208]
	ldr x28, [sp, #224]
	ldp x29, x30, [sp, #232]
	ldp x0, x1, [sp]
	add sp, sp, #TRAP_FRAME_SIZE
	eret
	.globl arch_trap_entry_end
arch_trap_entry_end:
	.size trap_common, . - trap_common

	.section .note.GNU-stack, "", %progbits
