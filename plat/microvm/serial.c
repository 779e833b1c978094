/* The 16550 UART at 0x3f8, which QEMU connects to -serial. Every port access
 * is a VM exit, so transmit waits for an empty FIFO once per 16 bytes rather
 * than once per byte.
 *
 * Receive interrupt (IRQ 4): the handler only tells the console that input
 * is there (console_rx_notify()); plat_console_read() takes the bytes later,
 * in thread context. Left alone, the UART keeps its interrupt line raised as
 * long as a byte waits, and QEMU's I/O APIC delivers an edge-triggered line
 * again on every update of the UART's state (each byte transmitted, for
 * one), which would mean an interrupt per byte printed while input waits.
 * So the handler masks the receive interrupt (IER), and plat_console_read()
 * unmasks it once it has found the UART empty. A byte arriving after that
 * check raises the line when the interrupt is unmasked, so none is missed. */
#include <arch/cpu.h>
#include <kernel/console.h>
#include <kernel/initcall.h>
#include <kernel/spinlock.h>
#include <platform.h>

#include "microvm.h"

#define COM1 0x3f8
#define COM1_IRQ 4
#define REG_DATA 0
#define REG_IER 1
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT2 0x08 /* gates the UART's interrupt output on PCs */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define FIFO_DEPTH 16

static unsigned fifo_room;
static spinlock_t rx_lock = SPINLOCK_INIT;
static int rx_masked; /* under rx_lock: IER's receive bit is off */
unsigned microvm_serial_rx_irqs;

static void serial_put(char c)
{
	if (!fifo_room) {
		while (!(arch_inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
			arch_cpu_relax();
		fifo_room = FIFO_DEPTH;
	}
	arch_outb(COM1 + REG_DATA, c);
	fifo_room--;
}

/* Terminals want CR LF; the kernel and applications write LF. */
void plat_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			serial_put('\r');
		serial_put(buf[i]);
	}
}

/* One serial line carries the kernel's messages too. */
void plat_log_write(const char *buf, size_t len)
{
	plat_console_write(buf, len);
}

static void serial_rx_irq(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&microvm_serial_rx_irqs, 1, __ATOMIC_RELAXED);
	spin_lock(&rx_lock);
	if (!rx_masked) {
		rx_masked = 1;
		arch_outb(COM1 + REG_IER, 0);
	}
	spin_unlock(&rx_lock);
	console_rx_notify();
}

/* Unmask only after seeing the UART empty: with a full buffer the caller
 * comes back for the rest, and interrupts would only repeat that news. */
long plat_console_read(char *buf, size_t len)
{
	size_t n = 0;
	int empty = 0;

	while (n < len && !(empty = !(arch_inb(COM1 + REG_LSR) & LSR_DATA_READY)))
		buf[n++] = arch_inb(COM1 + REG_DATA);
	if (empty && __atomic_load_n(&rx_masked, __ATOMIC_RELAXED)) {
		unsigned long flags = spin_lock_irqsave(&rx_lock);
		if (rx_masked) {
			rx_masked = 0;
			arch_outb(COM1 + REG_IER, IER_RX);
		}
		spin_unlock_irqrestore(&rx_lock, flags);
	}
	return n;
}

static int serial_rx_init(void)
{
	int ret = plat_irq_attach(COM1_IRQ, serial_rx_irq, NULL);

	if (ret)
		return ret;
	arch_outb(COM1 + REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	arch_outb(COM1 + REG_IER, IER_RX);
	return 0;
}

INITCALL(INITCALL_DRIVER, serial_rx_init);
