/* Exceptions on aarch64: the frame vectors.S saves, and its kinds. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TRAP_FRAME_SIZE 832
#define TRAP_SYNC 0
#define TRAP_IRQ 1
#define TRAP_FIQ 2
#define TRAP_SERROR 3
/* Taken from a thread (EL1 with SP_EL0) onto SP_EL1: the frame's sp is
 * SP_EL0, written back on the way out (a recovered fault moves it). */
#define TRAP_FROM_SP0 0x10

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr, spsr, esr, far;
	uint64_t kind, pad;
	__uint128_t q[32];
	uint64_t fpcr, fpsr;
};
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S frame");

/* ESR_EL1 exception classes this kernel names. */
#define EC_UNKNOWN 0x00
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_BRK 0x3c

void trap_handler(struct trap_frame *f);
void arch_fault(struct trap_frame *f);
void arch_dump_frame(const struct trap_frame *f);
/* The platform's interrupt controller: acknowledge, run, end one IRQ. */
void plat_irq_dispatch(void);
void arch_trap_init(void);

#endif
#endif
