/*
 * The terminal shell's command registry. A module adds a command with one
 * line in its own file, and the shell's `help` lists it:
 *
 *     static int cmd_ls(int argc, char **argv) { ... return 0; }
 *     SHELL_COMMAND_ARGS(ls, "[DIR]", "list a directory (needs fs)", cmd_ls);
 *     SHELL_COMMAND(uptime, "time since boot", cmd_uptime);
 *
 * A command gets the words of its line (argv[0] is its name, argv[argc] is
 * NULL), prints to stdout, and returns 0 on success or nonzero on failure
 * (bad arguments: print a "usage: ..." line and return 2). The words are
 * the shell's: a command may modify but not keep them.
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

struct shell_cmd {
	const char *name;
	const char *args; /* argument synopsis for help, "" for none: "[TID]" */
	const char *help; /* one line, no final period */
	int (*fn)(int argc, char **argv);
};

#define SHELL_COMMAND_ARGS(name, args, help, fn)                                                   \
	static const struct shell_cmd __shell_cmd_##name                                           \
	    __attribute__((used, section("ush_shell_cmds"), aligned(8))) = {#name, args, help, fn}
#define SHELL_COMMAND(name, help, fn) SHELL_COMMAND_ARGS(name, "", help, fn)

/* Exit status of a command given bad arguments, and of an unknown one. */
#define SHELL_EXIT_USAGE 2
#define SHELL_EXIT_UNKNOWN 127

/* The registered command called @name; NULL when there is none. */
const struct shell_cmd *shell_cmd_find(const char *name);

/* Calls fn for each registered command, in name order. */
void shell_cmd_foreach_sorted(void (*fn)(const struct shell_cmd *cmd, void *arg), void *arg);

/* Split @line into words and run the command they name; messages for parse
 * errors and unknown commands go to stdout. @line is modified.
 * @retval the command's status; 0 for an empty line; SHELL_EXIT_USAGE for a
 *         line that does not parse; SHELL_EXIT_UNKNOWN for an unknown command */
int shell_run_line(char *line);

/* Parse a decimal integer in [min, max] that fills the whole of @s.
 * @retval 0 *out set; -EINVAL not a number; -ERANGE out of range */
int shell_arg_long(const char *s, long min, long max, long *out);

/* The terminal loop on the console: prompt, edit, run, until the input
 * closes. Runs in the thread "terminal" that the shell module starts at
 * boot. Never returns: end of input powers off with exit(0). */
__attribute__((noreturn)) void shell_main(void);

/* "☻ SHELL➜ ", as the original system prints it (UTF-8 spelled out so the
 * bytes do not depend on the compiler's execution character set). */
#define SHELL_PROMPT "\xe2\x98\xbb SHELL\xe2\x9e\x9c "

#endif
