/*
 * QEMU virt: the first instructions. QEMU loads the ELF image at its link
 * address in RAM (0x40200000) and the device tree at the start of RAM
 * (0x40000000), and starts CPU 0 at EL1, or at EL2 with virtualization=on:
 * then we drop to EL1. The MMU goes on here with 1 GiB blocks (devices
 * below 1 GiB, RAM above, as normal write-back memory) so that C code may
 * make unaligned accesses; boot.c replaces the map with the final one
 * (arch/aarch64/mmu.c: 4 KiB pages, W^X, NULL unmapped). Other CPUs start
 * at virt_secondary_entry (PSCI CPU_ON, smp.c) and take that final map.
 */
#define MAIR_VALUE 0xff04 /* attr 0 device-nGnRE, attr 1 normal write-back */
#define TCR_VALUE ((25) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2ul << 32))
#define SCTLR_VALUE 0x30d0180d /* RES1 bits, M, C, SA, I */
#define BLOCK_DEV ((1ul << 54) | (1ul << 53) | (1 << 10) | 1)
#define BLOCK_RAM ((1 << 10) | (3 << 8) | (1 << 2) | 1)

	.section .text.boot, "ax"
	.globl _start
_start:
	bl cpu_setup
	/* Clear .bss (aligned stores: fine with the MMU off), then the map. */
	ldr x9, =__bss_start
	ldr x10, =__image_end
1:	cmp x9, x10
	b.hs 2f
	str xzr, [x9], #8
	b 1b
2:	bl early_mmu_on
	/* The kernel runs on SP_EL0, exceptions on SP_EL1. */
	ldr x9, =virt_exc_stack0_top
	mov sp, x9
	msr spsel, #0
	ldr x9, =virt_boot_stack_top
	mov sp, x9
	mov x29, #0
	mrs x0, cntvct_el0
	mov x1, #0x40000000 /* the device tree (VIRT_DTB_ADDR) */
	mov x2, #-1 /* the first CPU in the tree booted */
	bl virt_boot
	b .

/* A CPU started by PSCI CPU_ON (smp.c): x0 is its struct virt_start
 * (ttbr0, exception stack, stack, ...). */
	.globl virt_secondary_entry
virt_secondary_entry:
	mov x19, x0
	bl cpu_setup
	ldr x0, [x19, #0]
	bl mmu_on
	ldr x9, [x19, #8]
	mov sp, x9
	msr spsel, #0
	ldr x9, [x19, #16]
	mov sp, x9
	mov x29, #0
	mov x0, x19
	bl virt_secondary_main
	b .

/* At EL1 (from EL2 if started there: EL1 in AArch64, its timers free),
 * interrupts masked, FP and SIMD on without traps (the C library uses
 * them). Returns to the caller at EL1. Clobbers x9. */
cpu_setup:
	mrs x9, CurrentEL
	cmp x9, #(2 << 2)
	b.ne 1f
	mov x9, #(1 << 31)
	msr hcr_el2, x9
	mov x9, #3
	msr cnthctl_el2, x9
	msr cntvoff_el2, xzr
	mov x9, #0x33ff /* no FP/SIMD traps to EL2 */
	msr cptr_el2, x9
	msr hstr_el2, xzr
	mov x9, #0x3c5 /* EL1h, all interrupts masked */
	msr spsr_el2, x9
	adr x9, 1f
	msr elr_el2, x9
	eret
1:	msr daifset, #0xf
	mov x9, #(3 << 20)
	msr cpacr_el1, x9
	isb
	ret

/* The boot CPU's first map, 1 GiB blocks: 0-1 GiB devices (never
 * executed), 1-4 GiB RAM. */
early_mmu_on:
	adrp x0, virt_early_l1
	add x0, x0, :lo12:virt_early_l1
	ldr x10, =BLOCK_DEV
	str x10, [x0]
	ldr x10, =(BLOCK_RAM | (1 << 30))
	mov x11, #(1 << 30)
	str x10, [x0, #8]
	add x10, x10, x11
	str x10, [x0, #16]
	add x10, x10, x11
	str x10, [x0, #24]
	/* fall through */

/* MMU and caches on with the tables at x0. */
mmu_on:
	ldr x10, =MAIR_VALUE
	msr mair_el1, x10
	ldr x10, =TCR_VALUE
	msr tcr_el1, x10
	msr ttbr0_el1, x0
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
