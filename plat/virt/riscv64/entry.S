/*
 * QEMU virt on riscv64: the first instructions. OpenSBI (QEMU's -bios
 * default) runs in M-mode, then enters the image's ELF entry in S-mode
 * with the MMU off, the hart id in a0 and the device tree in a1; the image
 * is linked at 0x80200000, above the firmware. C runs from here with the
 * MMU off (the identity map comes in boot.c: arch/riscv64/mmu.c). Other
 * harts start at virt_secondary_entry (SBI HSM, smp.c).
 */
#include <arch/trap.h>

/* The image's lowest address, where QEMU's firmware enters it. */
	.section .boot.head, "ax"
	j _start

	.section .text.boot, "ax"
	.globl _start
_start:
	csrw sie, zero
	csrci sstatus, SSTATUS_SIE
	li t0, SSTATUS_FS_INITIAL /* the floating-point unit on */
	csrs sstatus, t0
	fscsr zero
	mv gp, zero
	mv tp, zero
	mv s1, a0
	mv s2, a1
	la t0, __bss_start
	la t1, __image_end
1:	bgeu t0, t1, 2f
	sd zero, 0(t0)
	addi t0, t0, 8
	j 1b
2:	la sp, virt_boot_stack_top
	mv s0, zero
	rdtime a0
	mv a1, s2
	mv a2, s1
	call virt_boot
	j .

/* A hart started by SBI HSM (smp.c): a1 is its struct virt_start, whose
 * second word is its kernel stack. */
	.globl virt_secondary_entry
virt_secondary_entry:
	csrw sie, zero
	csrci sstatus, SSTATUS_SIE
	li t0, SSTATUS_FS_INITIAL
	csrs sstatus, t0
	fscsr zero
	mv gp, zero
	mv tp, zero
	ld sp, 8(a1)
	mv s0, zero
	mv a0, a1
	call virt_secondary_main
	j .

	.section .note.GNU-stack, "", %progbits
