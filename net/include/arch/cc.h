/* lwIP's compiler and platform definitions for Unishyper (lwip/arch.h
 * lists them): x86_64 little endian, the C library's headers, and the
 * kernel's log for diagnostics. */
#ifndef UNISHYPER_LWIP_ARCH_CC_H
#define UNISHYPER_LWIP_ARCH_CC_H

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <endian.h> /* BYTE_ORDER, LITTLE_ENDIAN */
#define LWIP_NO_UNISTD_H 0

void net_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void net_assert_failed(const char *msg, const char *file, int line) __attribute__((noreturn));

#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		net_diag x;                                                                        \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) net_assert_failed(x, __FILE__, __LINE__)

#endif
