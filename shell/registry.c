/* The commands that modules registered with SHELL_COMMAND(), found through
 * the linker section ush_shell_cmds, and running a line against them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <shell/shell.h>

#include "parse.h"

/* Weak: an image (or host test) with no command at all has no section. */
extern const struct shell_cmd __start_ush_shell_cmds[] __attribute__((weak));
extern const struct shell_cmd __stop_ush_shell_cmds[] __attribute__((weak));

const struct shell_cmd *shell_cmd_find(const char *name)
{
	for (const struct shell_cmd *c = __start_ush_shell_cmds; c < __stop_ush_shell_cmds; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The first command after @prev in name order (the first of all when @prev
 * is NULL). Quadratic over a few dozen commands, but needs no memory. */
static const struct shell_cmd *next_by_name(const struct shell_cmd *prev)
{
	const struct shell_cmd *best = NULL;

	for (const struct shell_cmd *c = __start_ush_shell_cmds; c < __stop_ush_shell_cmds; c++) {
		if (prev && strcmp(c->name, prev->name) <= 0)
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

void shell_cmd_foreach_sorted(void (*fn)(const struct shell_cmd *cmd, void *arg), void *arg)
{
	for (const struct shell_cmd *c = next_by_name(NULL); c; c = next_by_name(c))
		fn(c, arg);
}

int shell_run_line(char *line)
{
	char *argv[SHELL_ARGS_MAX + 1];
	const char *why;
	int argc = shell_parse(line, argv, SHELL_ARGS_MAX, &why);

	if (argc < 0) {
		if (argc == -E2BIG)
			printf("shell: %s (at most %d words)\n", why, SHELL_ARGS_MAX);
		else
			printf("shell: %s\n", why);
		return SHELL_EXIT_USAGE;
	}
	if (!argc)
		return 0;
	const struct shell_cmd *cmd = shell_cmd_find(argv[0]);
	if (!cmd) {
		printf("unknown command '%s' (try 'help')\n", argv[0]);
		return SHELL_EXIT_UNKNOWN;
	}
	return cmd->fn(argc, argv);
}
