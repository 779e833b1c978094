/* Access to riscv64's control and status registers by name. */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#define csr_read(name)                                                                             \
	({                                                                                         \
		unsigned long v_;                                                                  \
		__asm__ volatile("csrr %0, " #name : "=r"(v_)::"memory");                          \
		v_;                                                                                \
	})
#define csr_write(name, v)                                                                         \
	__asm__ volatile("csrw " #name ", %0" ::"rK"((unsigned long)(v)) : "memory")
#define csr_set(name, v)                                                                           \
	__asm__ volatile("csrs " #name ", %0" ::"rK"((unsigned long)(v)) : "memory")
#define csr_clear(name, v)                                                                         \
	__asm__ volatile("csrc " #name ", %0" ::"rK"((unsigned long)(v)) : "memory")

#endif
