/* In-kernel tests of device interrupt routing on microvm: plat_irq_attach()
 * arguments, and a real interrupt through the I/O APIC: the 16550 in
 * loopback mode receives what it sends, which raises IRQ 4. While in
 * loopback the console prints nothing, so results are checked after. */
#include <errno.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <kernel/ktest.h>
#include <plat/irq.h>
#include <platform.h>

#include "microvm.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_MCR 4
#define REG_LSR 5
#define MCR_NORMAL 0x0b /* DTR, RTS, OUT2 as serial.c sets them */
#define MCR_LOOP 0x10
#define LSR_TX_IDLE 0x40
#define WAIT_NS 30000000000ull /* a hang guard: a loaded host may be slow */

static void no_handler(void *arg)
{
	(void)arg;
}

TEST(irq, attach_rejects_bad_lines)
{
	EXPECT_EQ(plat_irq_attach(4, no_handler, NULL), -EINVAL); /* the console has it */
	EXPECT_EQ(plat_irq_attach(IRQ_DEVICE_LINES, no_handler, NULL), -EINVAL);
	EXPECT_EQ(plat_irq_attach(3, NULL, NULL), -EINVAL);
}

/* Send @c to ourselves and wait, interrupts on, for the receive interrupt;
 * then read it back. @retval the byte read, -1 none, -2 no interrupt */
static int loop_byte(char c)
{
	unsigned before = __atomic_load_n(&microvm_serial_rx_irqs, __ATOMIC_RELAXED);
	uint64_t end = plat_time_ns() + WAIT_NS;
	char got;

	arch_outb(COM1 + REG_DATA, c);
	irq_enable();
	while (__atomic_load_n(&microvm_serial_rx_irqs, __ATOMIC_RELAXED) == before &&
	       plat_time_ns() < end)
		arch_cpu_relax();
	irq_disable();
	if (__atomic_load_n(&microvm_serial_rx_irqs, __ATOMIC_RELAXED) == before)
		return -2;
	long n = plat_console_read(&got, 1);
	/* A second read finds the UART empty and unmasks the interrupt. */
	char extra;
	while (plat_console_read(&extra, 1) > 0)
		;
	return n == 1 ? (unsigned char)got : -1;
}

TEST(irq, serial_receive_interrupt_fires_per_byte)
{
	char drain;
	unsigned long flags = irq_save();

	while (!(arch_inb(COM1 + REG_LSR) & LSR_TX_IDLE)) /* earlier output leaves first */
		arch_cpu_relax();
	while (plat_console_read(&drain, 1) > 0)
		;
	arch_outb(COM1 + REG_MCR, MCR_NORMAL | MCR_LOOP);
	int first = loop_byte('U');
	int second = loop_byte('k');
	arch_outb(COM1 + REG_MCR, MCR_NORMAL);
	irq_restore(flags);
	EXPECT_EQ(first, 'U');
	EXPECT_EQ(second, 'k');
}
