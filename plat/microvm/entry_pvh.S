/*
 * PVH entry for QEMU microvm: QEMU loads this ELF, reads the Xen PVH note and
 * starts the CPU at pvh_start32 in 32-bit protected mode, paging off, with
 * %ebx holding the physical address of struct hvm_start_info.
 *
 * The page tables live in pages of their own (in .bss, away from other data
 * that the hypervisor would otherwise have to write-protect with them): one
 * PML4 and one PDPT of 1 GiB pages that identity-map the first 512 GiB,
 * filled by a short loop here rather than shipped as 8 KiB of image. The
 * pages cost the same VM exit on first touch either way. CPUs without
 * 1 GiB pages get 2 MiB pages for the first 4 GiB instead.
 */
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80
#define PTE_G 0x100

	.section .note.Xen, "a", @note
	.balign 4
	.long 4			/* name size: "Xen\0" */
	.long 4			/* descriptor size */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_start32
	.balign 4

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	/* Boot time is measured from this instruction. */
	rdtsc
	movl %eax, boot_tsc_start
	movl %edx, boot_tsc_start + 4
	movl %ebx, boot_start_info
	movl $boot_stack_top, %esp

	/* 1 GiB pages? CPUID.80000001h:EDX[26]. */
	movl $0x80000001, %eax
	cpuid
	btl $26, %edx
	jc 1f
	call build_2m_tables
	jmp 2f
1:	call build_1g_tables
2:
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $EFER_MSR, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	andl $~(1 << 2), %eax		/* EM off: the FPU is real */
	orl $(CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_entry

/* PML4[0] -> a PDPT of 512 1 GiB pages; the fourth GiB (MMIO) uncached. */
build_1g_tables:
	movl $boot_pdpt, %edi
	xorl %eax, %eax			/* GiB number */
5:	movl %eax, %edx
	shll $30, %edx
	orl $(PTE_P | PTE_W | PTE_PS | PTE_G), %edx
	cmpl $3, %eax
	jne 6f
	orl $(PTE_PCD | PTE_PWT), %edx
6:	movl %edx, (%edi)
	movl %eax, %edx
	shrl $2, %edx			/* bits 32 and up of the address */
	movl %edx, 4(%edi)
	addl $8, %edi
	incl %eax
	cmpl $512, %eax
	jb 5b
	movl $(boot_pdpt + PTE_P + PTE_W), boot_pml4
	ret

/* Point PML4[0] at a PDPT whose first four entries reference 2 MiB page
 * directories covering 0-4 GiB; the last GiB (MMIO) is uncached. */
build_2m_tables:
	movl $boot_pdpt_2m, %edi
	movl $boot_pd_2m, %eax
	movl $4, %ecx
2:	movl %eax, %edx
	orl $(PTE_P | PTE_W), %edx
	movl %edx, (%edi)
	movl $0, 4(%edi)
	addl $8, %edi
	addl $4096, %eax
	loop 2b
	movl $boot_pd_2m, %edi
	xorl %eax, %eax
	movl $2048, %ecx
3:	movl %eax, %edx
	orl $(PTE_P | PTE_W | PTE_PS | PTE_G), %edx
	cmpl $0xc0000000, %eax
	jb 4f
	orl $(PTE_PCD | PTE_PWT), %edx
4:	movl %edx, (%edi)
	movl $0, 4(%edi)
	addl $8, %edi
	addl $0x200000, %eax
	loop 3b
	movl $(boot_pdpt_2m + PTE_P + PTE_W), boot_pml4
	ret

	.code64
long_mode_entry:
	psrlq $0x20, %xmm10
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl boot_start_info, %edi
	call microvm_boot
	ud2

	.section .data.boot, "aw"
	.balign 8
	.globl boot_tsc_start
boot_tsc_start:
	.quad 0
boot_start_info:
	.long 0

	/* Flat 64-bit code and data, until arch_trap_init() loads the GDT
	 * that has a TSS per CPU (arch/x86_64/gdt.c, same selectors). */
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
	.globl boot_gdt_ptr
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.pagetables, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
boot_pdpt_2m:
	.skip 4096
boot_pd_2m:
	.skip 4 * 4096

	.section .bss.boot_stack, "aw", @nobits
	.balign 16
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip 32768
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
