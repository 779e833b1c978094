/* The NS16550A UART is the console: output polled, input announced by the
 * receive interrupt (through the PLIC). The SiFive test device ends the
 * run with the application's exit code. */
#include <kernel/console.h>
#include <kernel/initcall.h>
#include <kernel/spinlock.h>
#include <platform.h>
#include <arch/sbi.h>

#include "virt_riscv64.h"

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1
#define IER_RX 1u /* received data available */
#define UART_LSR 5
#define LSR_DR 0x01u
#define LSR_THRE 0x20u

static spinlock_t rx_lock = SPINLOCK_INIT;
static int rx_masked; /* under rx_lock: the receive interrupt is off */

/* Until the kernel's console module is linked in, nobody waits for input. */
__attribute__((weak)) void console_rx_notify(void)
{
}

/* QEMU virt's UART; the device tree confirms it before anything else runs. */
static uintptr_t uart_base(void)
{
	return virt.uart ? virt.uart : 0x10000000;
}

static uint8_t reg_read(unsigned r)
{
	return *(volatile uint8_t *)(uart_base() + r);
}

static void reg_write(unsigned r, uint8_t v)
{
	*(volatile uint8_t *)(uart_base() + r) = v;
}

static void putc_raw(char c)
{
	while (!(reg_read(UART_LSR) & LSR_THRE))
		;
	reg_write(UART_THR, (uint8_t)c);
}

void plat_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			putc_raw('\r');
		putc_raw(buf[i]);
	}
}

void plat_log_write(const char *buf, size_t len)
{
	plat_console_write(buf, len);
}

/* Unmask only after seeing the UART empty: with a full buffer the caller
 * comes back for the rest, and interrupts would only repeat that news. */
long plat_console_read(char *buf, size_t len)
{
	size_t n = 0;
	int empty = 0;

	/* NUL bytes are dropped: tools/run.sh sends one ahead of scripted
	 * input for the firmware, which empties the receive register when it
	 * starts, to swallow (and a terminal sends one only for ctrl-@). */
	while (n < len && !(empty = !(reg_read(UART_LSR) & LSR_DR))) {
		char c = (char)reg_read(UART_RBR);
		if (c)
			buf[n++] = c;
	}
	if (empty && __atomic_load_n(&rx_masked, __ATOMIC_RELAXED)) {
		unsigned long flags = spin_lock_irqsave(&rx_lock);
		if (rx_masked) {
			rx_masked = 0;
			reg_write(UART_IER, IER_RX);
		}
		spin_unlock_irqrestore(&rx_lock, flags);
	}
	return (long)n;
}

/* The interrupt stays asserted while data waits: mask it until the reader
 * has emptied the UART. */
static void uart_rx_irq(void *arg)
{
	(void)arg;
	spin_lock(&rx_lock);
	if (!rx_masked) {
		rx_masked = 1;
		reg_write(UART_IER, 0);
	}
	spin_unlock(&rx_lock);
	console_rx_notify();
}

static int uart_rx_init(void)
{
	if (!virt.uart_irq)
		return 0; /* no interrupt in the tree: the console polls */
	int ret = plat_irq_attach(virt.uart_irq, uart_rx_irq, NULL);
	if (ret)
		return ret;
	reg_write(UART_IER, IER_RX);
	return 0;
}

INITCALL(INITCALL_DRIVER, uart_rx_init);

#define FINISHER_FAIL 0x3333

/* The test device's "fail" code makes QEMU exit with the 16 bits above
 * it. Like isa-debug-exit on microvm, the code goes out as
 * (status << 1) | 1, so that an exit status of 0 (a reset with -no-reboot)
 * is never a clean power-off; tools/run.sh maps it back. Without the
 * device, SBI system reset powers off (status lost). */
__attribute__((noreturn)) void plat_poweroff(int status)
{
	uint32_t code = ((uint32_t)(status & 0x7f) << 1) | 1;

	if (virt.finisher)
		mmio_write32(virt.finisher, code << 16 | FINISHER_FAIL);
	sbi_call(SBI_EXT_SRST, 0, 0, status ? 1 : 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
