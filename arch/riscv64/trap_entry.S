/*
 * The trap vector (stvec, direct mode). Threads and the kernel share
 * S-mode; sscratch always points at this CPU's struct riscv_hart, whose
 * scratch words let the entry free two registers before it touches any
 * stack. Interrupts save their frame on the interrupted thread's stack, as
 * on the other architectures: the scheduler may switch away at interrupt
 * exit, and the frame waits there until the thread runs again. Exceptions
 * (faults) move to the CPU's exception stack first, so that a thread whose
 * stack overflowed onto its guard page is still reported and recovered.
 * Every frame holds all registers, f0-f31 and fcsr included: the kernel
 * and the application share the floating-point registers. gp is the
 * per-CPU pointer: reloaded on entry, never restored from a frame (the
 * thread may resume on another CPU).
 */
#include <arch/trap.h>

	.section .text.vectors, "ax"
	.balign 4
	.globl arch_trap_vector
arch_trap_vector:
	csrrw t0, sscratch, t0
	sd t1, HART_T1(t0)
	csrrw t1, sscratch, t0 /* sscratch is the hart block again */
	sd t1, HART_T0(t0)
	sd sp, HART_SP(t0)
	csrr t1, scause
	bltz t1, 1f /* an interrupt: on the interrupted stack */
	ld t1, HART_STACK_BOTTOM(t0)
	bltu sp, t1, 2f
	ld t1, HART_STACK_TOP(t0)
	bltu sp, t1, 1f /* already on the exception stack: below its frames */
2:	ld sp, HART_STACK_TOP(t0)
1:	addi sp, sp, -TRAP_FRAME_SIZE
	sd x1, 8(sp)
	sd x4, 32(sp)
	sd x7, 56(sp)
	sd x8, 64(sp)
	sd x9, 72(sp)
	sd x10, 80(sp)
	sd x11, 88(sp)
	sd x12, 96(sp)
	sd x13, 104(sp)
	sd x14, 112(sp)
	sd x15, 120(sp)
	sd x16, 128(sp)
	sd x17, 136(sp)
	sd x18, 144(sp)
	sd x19, 152(sp)
	sd x20, 160(sp)
	sd x21, 168(sp)
	sd x22, 176(sp)
	sd x23, 184(sp)
	sd x24, 192(sp)
	sd x25, 200(sp)
	sd x26, 208(sp)
	sd x27, 216(sp)
	sd x28, 224(sp)
	sd x29, 232(sp)
	sd x30, 240(sp)
	sd x31, 248(sp)
	ld t1, HART_SP(t0)
	sd t1, 16(sp)
	ld t1, HART_T0(t0)
	sd t1, 40(sp)
	ld t1, HART_T1(t0)
	sd t1, 48(sp)
	ld gp, HART_PERCPU(t0)
	csrr t1, sepc
	sd t1, TRAP_FRAME_SEPC(sp)
	sd t1, (TRAP_FRAME_RECORD + 8)(sp)
	sd s0, TRAP_FRAME_RECORD(sp)
	csrr t1, sstatus
	sd t1, TRAP_FRAME_SSTATUS(sp)
	csrr t1, scause
	sd t1, TRAP_FRAME_SCAUSE(sp)
	csrr t1, stval
	sd t1, TRAP_FRAME_STVAL(sp)
	fsd f0, (TRAP_FRAME_F + 0)(sp)
	fsd f1, (TRAP_FRAME_F + 8)(sp)
	fsd f2, (TRAP_FRAME_F + 16)(sp)
	fsd f3, (TRAP_FRAME_F + 24)(sp)
	fsd f4, (TRAP_FRAME_F + 32)(sp)
	fsd f5, (TRAP_FRAME_F + 40)(sp)
	fsd f6, (TRAP_FRAME_F + 48)(sp)
	fsd f7, (TRAP_FRAME_F + 56)(sp)
	fsd f8, (TRAP_FRAME_F + 64)(sp)
	fsd f9, (TRAP_FRAME_F + 72)(sp)
	fsd f10, (TRAP_FRAME_F + 80)(sp)
	fsd f11, (TRAP_FRAME_F + 88)(sp)
	fsd f12, (TRAP_FRAME_F + 96)(sp)
	fsd f13, (TRAP_FRAME_F + 104)(sp)
	fsd f14, (TRAP_FRAME_F + 112)(sp)
	fsd f15, (TRAP_FRAME_F + 120)(sp)
	fsd f16, (TRAP_FRAME_F + 128)(sp)
	fsd f17, (TRAP_FRAME_F + 136)(sp)
	fsd f18, (TRAP_FRAME_F + 144)(sp)
	fsd f19, (TRAP_FRAME_F + 152)(sp)
	fsd f20, (TRAP_FRAME_F + 160)(sp)
	fsd f21, (TRAP_FRAME_F + 168)(sp)
	fsd f22, (TRAP_FRAME_F + 176)(sp)
	fsd f23, (TRAP_FRAME_F + 184)(sp)
	fsd f24, (TRAP_FRAME_F + 192)(sp)
	fsd f25, (TRAP_FRAME_F + 200)(sp)
	fsd f26, (TRAP_FRAME_F + 208)(sp)
	fsd f27, (TRAP_FRAME_F + 216)(sp)
	fsd f28, (TRAP_FRAME_F + 224)(sp)
	fsd f29, (TRAP_FRAME_F + 232)(sp)
	fsd f30, (TRAP_FRAME_F + 240)(sp)
	fsd f31, (TRAP_FRAME_F + 248)(sp)
	frcsr t1
	sd t1, TRAP_FRAME_FCSR(sp)
	/* The frame record above makes backtraces run through the trap. */
	addi s0, sp, TRAP_FRAME_RECORD + 16
	mv a0, sp
	call trap_handler

	csrci sstatus, SSTATUS_SIE
	ld t1, TRAP_FRAME_FCSR(sp)
	fscsr t1
	fld f0, (TRAP_FRAME_F + 0)(sp)
	fld f1, (TRAP_FRAME_F + 8)(sp)
	fld f2, (TRAP_FRAME_F + 16)(sp)
	fld f3, (TRAP_FRAME_F + 24)(sp)
	fld f4, (TRAP_FRAME_F + 32)(sp)
	fld f5, (TRAP_FRAME_F + 40)(sp)
	fld f6, (TRAP_FRAME_F + 48)(sp)
	fld f7, (TRAP_FRAME_F + 56)(sp)
	fld f8, (TRAP_FRAME_F + 64)(sp)
	fld f9, (TRAP_FRAME_F + 72)(sp)
	fld f10, (TRAP_FRAME_F + 80)(sp)
	fld f11, (TRAP_FRAME_F + 88)(sp)
	fld f12, (TRAP_FRAME_F + 96)(sp)
	fld f13, (TRAP_FRAME_F + 104)(sp)
	fld f14, (TRAP_FRAME_F + 112)(sp)
	fld f15, (TRAP_FRAME_F + 120)(sp)
	fld f16, (TRAP_FRAME_F + 128)(sp)
	fld f17, (TRAP_FRAME_F + 136)(sp)
	fld f18, (TRAP_FRAME_F + 144)(sp)
	fld f19, (TRAP_FRAME_F + 152)(sp)
	fld f20, (TRAP_FRAME_F + 160)(sp)
	fld f21, (TRAP_FRAME_F + 168)(sp)
	fld f22, (TRAP_FRAME_F + 176)(sp)
	fld f23, (TRAP_FRAME_F + 184)(sp)
	fld f24, (TRAP_FRAME_F + 192)(sp)
	fld f25, (TRAP_FRAME_F + 200)(sp)
	fld f26, (TRAP_FRAME_F + 208)(sp)
	fld f27, (TRAP_FRAME_F + 216)(sp)
	fld f28, (TRAP_FRAME_F + 224)(sp)
	fld f29, (TRAP_FRAME_F + 232)(sp)
	fld f30, (TRAP_FRAME_F + 240)(sp)
	fld f31, (TRAP_FRAME_F + 248)(sp)
	ld t1, TRAP_FRAME_SEPC(sp)
	csrw sepc, t1
	ld t1, TRAP_FRAME_SSTATUS(sp)
	csrw sstatus, t1
	ld x1, 8(sp)
	ld x4, 32(sp)
	ld x5, 40(sp)
	ld x6, 48(sp)
	ld x7, 56(sp)
	ld x8, 64(sp)
	ld x9, 72(sp)
	ld x10, 80(sp)
	ld x11, 88(sp)
	ld x12, 96(sp)
	ld x13, 104(sp)
	ld x14, 112(sp)
	ld x15, 120(sp)
	ld x16, 128(sp)
	ld x17, 136(sp)
	ld x18, 144(sp)
	ld x19, 152(sp)
	ld x20, 160(sp)
	ld x21, 168(sp)
	ld x22, 176(sp)
	ld x23, 184(sp)
	ld x24, 192(sp)
	ld x25, 200(sp)
	ld x26, 208(sp)
	ld x27, 216(sp)
	ld x28, 224(sp)
	ld x29, 232(sp)
	ld x30, 240(sp)
	ld x31, 248(sp)
	ld sp, 16(sp)
	sret
	.globl arch_trap_entry_end
arch_trap_entry_end:

	.section .note.GNU-stack, "", %progbits
