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

/* The application's environment: the words of CONFIG_ENV, then each
 * env=NAME=VALUE among the kernel's options (before "--"); a later
 * NAME replaces an earlier one. Strings are copied into buf; envp has room
 * for max + 1 pointers and ends with NULL.
 * @retval the number of variables */
#define CMDLINE_MAX_ENV 16
int cmdline_env(const char *cmdline, char *buf, size_t buflen, char **envp, int max);

#endif
