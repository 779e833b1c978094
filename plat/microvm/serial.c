/* The 16550 UART at 0x3f8, which QEMU connects to -serial. Every port access
 * is a VM exit, so transmit waits for an empty FIFO once per 16 bytes rather
 * than once per byte. */
#include <arch/cpu.h>
#include <platform.h>

#define COM1 0x3f8
#define REG_DATA 0
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define FIFO_DEPTH 16

static unsigned fifo_room;

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

long plat_console_read(char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && (arch_inb(COM1 + REG_LSR) & LSR_DATA_READY))
		buf[n++] = arch_inb(COM1 + REG_DATA);
	return n;
}
