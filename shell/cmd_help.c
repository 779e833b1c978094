/* help: what the system is, then every command, one line each, in the
 * original system's form "name [ARG]   -- what it does". */
#include <stdio.h>
#include <string.h>
#include <shell/shell.h>

static size_t synopsis_len(const struct shell_cmd *c)
{
	return strlen(c->name) + (c->args[0] ? 1 + strlen(c->args) : 0);
}

static void widest(const struct shell_cmd *c, void *arg)
{
	size_t *w = arg, n = synopsis_len(c);

	if (n > *w)
		*w = n;
}

static void print_line(const struct shell_cmd *c, void *arg)
{
	int pad = (int)(*(size_t *)arg - synopsis_len(c));

	printf("  %s%s%s%*s   -- %s\n", c->name, c->args[0] ? " " : "", c->args, pad, "", c->help);
}

static int cmd_help(int argc, char **argv)
{
	size_t width = 0;

	if (argc > 2) {
		printf("usage: help [COMMAND]\n");
		return SHELL_EXIT_USAGE;
	}
	if (argc == 2) {
		const struct shell_cmd *c = shell_cmd_find(argv[1]);
		if (!c) {
			printf("help: no command '%s'\n", argv[1]);
			return 1;
		}
		width = synopsis_len(c);
		print_line(c, &width);
		return 0;
	}
	printf("Unishyper terminal: a shell inside the unikernel, running as the protected\n"
	       "thread 'terminal' beside the application (one image, one address space).\n"
	       "Commands:\n");
	shell_cmd_foreach_sorted(widest, &width);
	shell_cmd_foreach_sorted(print_line, &width);
	return 0;
}

SHELL_COMMAND_ARGS(help, "[COMMAND]", "list the commands, or show one", cmd_help);
