/*
 * Start-up code of the other CPUs. x86_cpu_boot() copies the bytes between
 * x86_ap_trampoline and x86_ap_trampoline_end to a page below 1 MiB and
 * points the start-up IPI at it: the CPU begins there in real mode with
 * CS = page >> 4, IP = 0. The code runs wherever it was copied: real and
 * protected mode address through %ebx (the page's address, computed first),
 * and long mode relative to %rip.
 *
 * 16-bit -> 32-bit (a GDT of its own, carried in the page) -> 64-bit with
 * the boot CPU's page tables, then x86_ap_main() on the stack it was given.
 * Caches: INIT leaves CR0.CD and CR0.NW set, so CR0 is loaded whole rather
 * than or-ed into.
 */
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_ET (1 << 4)
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

#define OFF(label) (label - x86_ap_trampoline)

	/* Data as far as the kernel is concerned: it is only ever copied. */
	.section .rodata.ap_trampoline, "a"
	.balign 16
	.globl x86_ap_trampoline, x86_ap_trampoline_end, x86_ap_trampoline_params
	.code16
x86_ap_trampoline:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %ebx
	shll $4, %ebx
	/* Patch the linear addresses that depend on where the page is. */
	leal OFF(tr_gdt)(%ebx), %eax
	movl %eax, OFF(tr_gdt_desc) + 2
	leal OFF(tr_start32)(%ebx), %eax
	movl %eax, OFF(tr_jmp32)
	leal OFF(tr_start64)(%ebx), %eax
	movl %eax, OFF(tr_jmp64)
	lgdtl OFF(tr_gdt_desc)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_jmp32)

	.code32
tr_start32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl OFF(tr_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $EFER_MSR, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl $(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	ljmpl *OFF(tr_jmp64)(%ebx)

	.code64
tr_start64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq tr_stack(%rip), %rsp
	xorl %ebp, %ebp
	movq tr_entry(%rip), %rax
	call *%rax
	ud2

	.balign 8
	/* null, 0x08 64-bit code, 0x10 data, 0x18 32-bit code */
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff
	.quad 0x00cf92000000ffff
	.quad 0x00cf9a000000ffff
tr_gdt_desc:
	.word 4 * 8 - 1
	.long 0			/* patched: linear address of tr_gdt */
tr_jmp32:
	.long 0			/* patched: linear address of tr_start32 */
	.word 0x18
tr_jmp64:
	.long 0			/* patched: linear address of tr_start64 */
	.word 0x08

	/* Filled in by x86_cpu_boot() (struct ap_trampoline_params). */
	.balign 8
x86_ap_trampoline_params:
tr_cr3:
	.quad 0
tr_stack:
	.quad 0
tr_entry:
	.quad 0
x86_ap_trampoline_end:

	.section .note.GNU-stack, "", @progbits
