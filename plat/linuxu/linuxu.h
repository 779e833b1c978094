/* Private to plat/linuxu: what platform.c shares with the other files. */
#ifndef PLAT_LINUXU_H
#define PLAT_LINUXU_H

#include <stdint.h>

/* start.S's call: the host's initial stack (argc, argv, envp, auxv). */
void linuxu_start(long *sp, uint64_t boot_cycles);

/* The value of the host environment variable @name, or NULL. */
const char *linuxu_host_env(const char *name);

/* Make host descriptor @fd non-blocking and signal-driven: whenever it
 * becomes ready, handler(arg) runs as an interrupt handler (interrupts
 * off, in_irq), possibly spuriously (one signal serves every device).
 * @retval 0 attached
 * @retval -ENOSPC too many devices
 * @retval -ENOSYS not built in (only with CONFIG_VIRTIO_NET or CONFIG_UNILIB_FS)
 * @retval the host's negative errno from fcntl */
int linuxu_irq_fd(long fd, void (*handler)(void *arg), void *arg);

#endif
