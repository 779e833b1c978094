/* The PL011 UART is the console: output polled (QEMU's transmitter never
 * fills), input announced by the receive interrupt. Semihosting ends the
 * run with the application's exit code. */
#include <kernel/console.h>
#include <kernel/initcall.h>
#include <kernel/spinlock.h>
#include <platform.h>

#include "../virt.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define INT_RX (1u << 4)
#define INT_RT (1u << 6) /* receive timeout: characters wait in the FIFO */

static spinlock_t rx_lock = SPINLOCK_INIT;
static int rx_masked; /* under rx_lock: the receive interrupts are off */

/* Until the kernel's console module is linked in, nobody waits for input. */
__attribute__((weak)) void console_rx_notify(void)
{
}

/* QEMU virt's UART; the device tree confirms it before anything else runs. */
static uintptr_t uart_base(void)
{
	return virt.uart ? virt.uart : 0x09000000;
}

static void putc_raw(char c)
{
	uintptr_t u = uart_base();

	while (mmio_read32(u + UART_FR) & FR_TXFF)
		;
	mmio_write32(u + UART_DR, (uint8_t)c);
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
	uintptr_t u = uart_base();
	size_t n = 0;
	int empty = 0;

	while (n < len && !(empty = mmio_read32(u + UART_FR) & FR_RXFE))
		buf[n++] = (char)mmio_read32(u + UART_DR);
	if (empty && __atomic_load_n(&rx_masked, __ATOMIC_RELAXED)) {
		unsigned long flags = spin_lock_irqsave(&rx_lock);
		if (rx_masked) {
			rx_masked = 0;
			mmio_write32(u + UART_IMSC, INT_RX | INT_RT);
		}
		spin_unlock_irqrestore(&rx_lock, flags);
	}
	return (long)n;
}

static void uart_rx_irq(void *arg)
{
	(void)arg;
	spin_lock(&rx_lock);
	if (!rx_masked) {
		rx_masked = 1;
		mmio_write32(uart_base() + UART_IMSC, 0);
	}
	mmio_write32(uart_base() + UART_ICR, INT_RX | INT_RT);
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
	mmio_write32(uart_base() + UART_IMSC, INT_RX | INT_RT);
	return 0;
}

INITCALL(INITCALL_DRIVER, uart_rx_init);

#define SEMIHOSTING_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

/* SYS_EXIT with a parameter block (the 64-bit form): QEMU exits with the
 * subcode. Like isa-debug-exit on microvm, the code goes out as
 * (status << 1) | 1, so that an exit status of 0 (a reset with -no-reboot)
 * is never a clean power-off; tools/run.sh maps it back. */
__attribute__((noreturn)) void plat_poweroff(int status)
{
	static uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = ((uint64_t)(status & 0x7f) << 1) | 1;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}
