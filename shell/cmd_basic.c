/* Commands that need nothing but the C library: echo, uptime, poweroff. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <shell/shell.h>

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return 0;
}

SHELL_COMMAND_ARGS(echo, "[WORD...]", "print the words, separated by spaces", cmd_echo);

static int cmd_uptime(int argc, char **argv)
{
	struct timespec ts;

	(void)argv;
	if (argc != 1) {
		printf("usage: uptime\n");
		return SHELL_EXIT_USAGE;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &ts)) {
		printf("uptime: no clock\n");
		return 1;
	}
	long long s = ts.tv_sec;
	printf("up %lld.%03ld s (%lldd %02lld:%02lld:%02lld)\n", s, ts.tv_nsec / 1000000, s / 86400,
	       s / 3600 % 24, s / 60 % 60, s % 60);
	return 0;
}

SHELL_COMMAND(uptime, "time since boot", cmd_uptime);

/* exit() rather than a direct power-off: the C library flushes its
 * buffers and runs the application's atexit handlers first. */
static int cmd_poweroff(int argc, char **argv)
{
	long code = 0;

	if (argc > 2 || (argc == 2 && shell_arg_long(argv[1], 0, 124, &code))) {
		printf("usage: poweroff [CODE]   (CODE: exit status 0..124, default 0)\n");
		return SHELL_EXIT_USAGE;
	}
	printf("powering off (exit code %ld)\n", code);
	exit((int)code);
}

SHELL_COMMAND_ARGS(poweroff, "[CODE]", "stop the system with exit status CODE (default 0)",
		   cmd_poweroff);
