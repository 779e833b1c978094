/* Calls into the machine-mode firmware (the RISC-V Supervisor Binary
 * Interface, OpenSBI on QEMU virt): a0-a5 arguments, a6 the function, a7
 * the extension; a0 the error, a1 the value. */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_RFENCE 0x52464e43

struct sbi_ret {
	long error, value;
};

static inline struct sbi_ret sbi_call(long ext, long fn, long a0, long a1, long a2, long a3)
{
	register long r0 __asm__("a0") = a0, r1 __asm__("a1") = a1, r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r6 __asm__("a6") = fn, r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbi_ret){r0, r1};
}

#endif
