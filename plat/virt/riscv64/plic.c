/* The PLIC: device interrupts, each routed to CPU 0's supervisor context
 * (the device tree says which context is which hart's). Per-CPU
 * interrupts come from the CPU itself: the timer (STIP) and the IPI, a
 * supervisor software interrupt sent through SBI. */
#include <errno.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <platform.h>
#include <arch/csr.h>
#include <arch/sbi.h>
#include <arch/trap.h>

#include "virt_riscv64.h"

#define PLIC_PRIORITY(irq) (4u * (irq))
#define PLIC_ENABLE(ctx) (0x2000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx) (0x200004u + 0x1000u * (ctx))
#define MAX_IRQ 128
#define SIE_SSIE (1ul << 1)
#define SIE_SEIE (1ul << 9)
#define SIP_SSIP (1ul << 1)

static struct {
	void (*fn)(void *);
	void *arg;
} handlers[MAX_IRQ];
static void (*ipi_handler)(void);

static unsigned ndev(void)
{
	return virt.plic_ndev && virt.plic_ndev < MAX_IRQ ? virt.plic_ndev : MAX_IRQ - 1;
}

void virt_irq_init_cpu(unsigned cpu)
{
	int ctx = virt.plic_context[cpu];

	if (ctx >= 0)
		mmio_write32(virt.plic + PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, SIE_SEIE | SIE_SSIE);
}

void virt_irq_init(void)
{
	if (!virt.plic || virt.plic_context[0] < 0)
		panic("no PLIC context for the boot hart in the device tree");
	virt_irq_init_cpu(0);
}

int plat_irq_attach(unsigned irq, void (*handler)(void *arg), void *arg)
{
	int ctx = virt.plic_context[0];

	if (irq == 0 || irq > ndev() || handlers[irq].fn)
		return -EINVAL;
	handlers[irq].fn = handler;
	handlers[irq].arg = arg;
	mmio_write32(virt.plic + PLIC_PRIORITY(irq), 1);
	uintptr_t en = virt.plic + PLIC_ENABLE(ctx) + irq / 32 * 4;
	mmio_write32(en, mmio_read32(en) | 1u << (irq % 32));
	return 0;
}

void plat_ipi_set_handler(void (*handler)(void))
{
	__atomic_store_n(&ipi_handler, handler, __ATOMIC_RELEASE);
}

void plat_ipi_send(unsigned cpu)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	sbi_call(SBI_EXT_IPI, 0, 1, (long)virt.cpu_id[cpu], 0, 0);
}

/* Claim, run, complete, until the PLIC has nothing more for this hart. */
static void external(void)
{
	int ctx = virt.plic_context[this_cpu()->id];
	uint32_t irq;

	while ((irq = mmio_read32(virt.plic + PLIC_CLAIM(ctx))) != 0) {
		if (irq < MAX_IRQ && handlers[irq].fn)
			handlers[irq].fn(handlers[irq].arg);
		mmio_write32(virt.plic + PLIC_CLAIM(ctx), irq);
	}
}

void plat_irq_dispatch(unsigned long cause)
{
	if (cause == IRQ_S_TIMER) {
		virt_timer_irq();
	} else if (cause == IRQ_S_SOFT) {
		csr_clear(sip, SIP_SSIP);
		void (*h)(void) = __atomic_load_n(&ipi_handler, __ATOMIC_ACQUIRE);
		if (h)
			h();
	} else if (cause == IRQ_S_EXT) {
		external();
	}
}
