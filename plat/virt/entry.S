/*
 * QEMU virt: the first instructions. QEMU loads the ELF image at its link
 * address in RAM (0x40200000) and the device tree at the start of RAM
 * (0x40000000), and starts CPU 0 at EL1, or at EL2 with virtualization=on:
 * then we drop to EL1. The MMU goes on here with 1 GiB blocks (devices
 * below 1 GiB, RAM above, as normal write-back memory) so that C code may
 * make unaligned accesses; boot.c replaces the map with the final one
 * (4 KiB pages, W^X, NULL unmapped).
 */
#define MAIR_VALUE 0xff04 /* attr 0 device-nGnRE, attr 1 normal write-back */
#define TCR_VALUE ((25) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2ul << 32))
#define SCTLR_VALUE 0x30d0180d /* RES1 bits, M, C, SA, I */
#define BLOCK_DEV ((1ul << 54) | (1ul << 53) | (1 << 10) | 1)
#define BLOCK_RAM ((1 << 10) | (3 << 8) | (1 << 2) | 1)

	.section .text.boot, "ax"
	.globl _start
_start:
	mrs x9, CurrentEL
	cmp x9, #(2 << 2)
	b.ne 1f
	/* EL2: EL1 is AArch64, with its own timers and no traps */
	mov x9, #(1 << 31)
	msr hcr_el2, x9
	mov x9, #3
	msr cnthctl_el2, x9
	msr cntvoff_el2, xzr
	mov x9, #0x3c5 /* EL1h, all interrupts masked */
	msr spsr_el2, x9
	adr x9, 1f
	msr elr_el2, x9
	eret
1:	msr daifset, #0xf
	/* FP and SIMD at EL1 without traps: the C library uses them */
	mov x9, #(3 << 20)
	msr cpacr_el1, x9
	isb
	/* Clear .bss (aligned stores: fine with the MMU off), then the map. */
	ldr x9, =__bss_start
	ldr x10, =__image_end
2:	cmp x9, x10
	b.hs 3f
	str xzr, [x9], #8
	b 2b
3:	bl early_mmu_on
	/* The kernel runs on SP_EL0, exceptions on SP_EL1. */
	ldr x9, =virt_exc_stack0_top
	mov sp, x9
	msr spsel, #0
	ldr x9, =virt_boot_stack_top
	mov sp, x9
	mov x29, #0
	mrs x0, cntvct_el0
	bl virt_boot
	b .

/* 1 GiB blocks: 0-1 GiB devices (never executed), 1-4 GiB RAM. */
	.globl early_mmu_on
early_mmu_on:
	adrp x9, virt_early_l1
	add x9, x9, :lo12:virt_early_l1
	ldr x10, =BLOCK_DEV
	str x10, [x9]
	ldr x10, =(BLOCK_RAM | (1 << 30))
	mov x11, #(1 << 30)
	str x10, [x9, #8]
	add x10, x10, x11
	str x10, [x9, #16]
	add x10, x10, x11
	str x10, [x9, #24]
	ldr x10, =MAIR_VALUE
	msr mair_el1, x10
	ldr x10, =TCR_VALUE
	msr tcr_el1, x10
	msr ttbr0_el1, x9
	isb
	tlbi vmalle1
	dsb nsh
	isb
	ldr x10, =SCTLR_VALUE
	msr sctlr_el1, x10
	isb
	ret

	.section .bss.pagetables, "aw", %nobits
	.balign 4096
	.globl virt_early_l1
virt_early_l1:
	.space 4096

	.section .note.GNU-stack, "", %progbits
