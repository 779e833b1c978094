/* Kernel command line: split into the application's argv. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stddef.h>

#define CMDLINE_MAX_ARGS 32
#define CMDLINE_MAX_LEN 1024

/* Split cmdline at spaces into argv[0..n-1] with argv[n] = NULL (argv has
 * room for max_args + 1 pointers); the words are copied into buf; argv[0] is
 * the application's name. Words before a lone "--" are the kernel's own
 * options and are skipped; without "--" every word goes to the application.
 * Quotes ('...' or "...") keep spaces inside one argument.
 * @retval argc (at least 1) */
int cmdline_split(const char *cmdline, char *buf, size_t buflen, char **argv, int max_args);

#endif
