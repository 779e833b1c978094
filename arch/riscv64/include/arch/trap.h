/* Traps on riscv64 (S-mode): the frame trap_entry.S saves, and the
 * per-CPU block it finds through sscratch. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TRAP_FRAME_SIZE 576
#define TRAP_FRAME_SEPC 256
#define TRAP_FRAME_SSTATUS 264
#define TRAP_FRAME_SCAUSE 272
#define TRAP_FRAME_STVAL 280
#define TRAP_FRAME_F 288
#define TRAP_FRAME_FCSR 544
#define TRAP_FRAME_RECORD 560 /* a frame record: interrupted s0, sepc */

/* struct riscv_hart (sscratch points at it): offsets for trap_entry.S. */
#define HART_T0 0
#define HART_T1 8
#define HART_SP 16
#define HART_STACK_TOP 24
#define HART_STACK_BOTTOM 32
#define HART_PERCPU 40

#define SCAUSE_INTERRUPT (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS 1
#define EXC_ILLEGAL_INSN 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_INSN_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

#define SSTATUS_SIE (1ul << 1)
#define SSTATUS_SPIE (1ul << 5)
#define SSTATUS_SPP (1ul << 8)
#define SSTATUS_FS_INITIAL (1ul << 13)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	uint64_t x[32]; /* x[0] unused; x[2] is the interrupted sp */
	uint64_t sepc, sstatus, scause, stval;
	uint64_t f[32];
	uint64_t fcsr, pad;
	uint64_t record[2];
};
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap_entry.S frame");
_Static_assert(__builtin_offsetof(struct trap_frame, f) == TRAP_FRAME_F, "trap_entry.S frame");

/* One per CPU: trap entry's scratch words and its stack for exceptions,
 * the per-CPU pointer it reloads into gp. */
struct riscv_hart {
	uint64_t t0, t1, sp;
	uint64_t stack_top, stack_bottom;
	void *percpu;
};

void trap_handler(struct trap_frame *f);
void arch_fault(struct trap_frame *f);
void arch_dump_frame(const struct trap_frame *f);
/* This CPU's trap vector and exception stack (CPU index @cpu). */
void arch_trap_init(unsigned cpu);
/* The platform's interrupts (plat/virt/riscv64): @cause is scause
 * without its interrupt bit. */
void plat_irq_dispatch(unsigned long cause);

#endif
#endif
