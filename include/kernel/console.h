/* The console as threads see it: blocking reads on top of the platform's
 * non-blocking plat_console_read(). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* Read at least one byte, blocking the calling thread (not the CPU) until
 * input arrives.
 * @retval >0 bytes read
 * @retval -1 the input is closed for good (end of file on linuxu) */
long console_read(char *buf, size_t len);

/* Would console_read() return without waiting (input, or its end)?
 * May take a byte from the platform and keep it for the next read. */
int console_poll(void);

/* Input has arrived: wake a thread blocked in console_read(). Called by the
 * platform from its console receive interrupt; safe in interrupt context. */
void console_rx_notify(void);

#endif
