// unit-sources: shell/parse.c shell/registry.c
/* Splitting lines into words, numbers, and running lines against the
 * command registry (with commands of the test's own). */
#include <errno.h>
#include <shell/shell.h>
#include "shell_harness.h"
#include "../../shell/parse.h"

static char line[1024];
static char *argv[SHELL_ARGS_MAX + 1];
static const char *why;

/* Parse @text (copied); compare with the expected words, NULL-ended. */
static int words_are(const char *text, const char *const *want)
{
	int n = 0;

	snprintf(line, sizeof(line), "%s", text);
	int argc = shell_parse(line, argv, SHELL_ARGS_MAX, &why);
	while (want[n])
		n++;
	if (argc != n || argv[argc] != NULL || why)
		return 0;
	for (int i = 0; i < n; i++)
		if (strcmp(argv[i], want[i]))
			return 0;
	return 1;
}

#define WORDS(text, ...) words_are(text, (const char *const[]){__VA_ARGS__, NULL})
#define NO_WORDS(text) words_are(text, (const char *const[]){NULL})

static void test_words(void)
{
	CHECK(NO_WORDS(""));
	CHECK(NO_WORDS(" \t  "));
	CHECK(WORDS("echo hello world", "echo", "hello", "world"));
	CHECK(WORDS("\t a   b\t", "a", "b"));
	CHECK(WORDS("x", "x"));
}

static void test_quotes(void)
{
	CHECK(WORDS("a\"b c\"d", "ab cd"));
	CHECK(WORDS("'a \"b\" \\n'", "a \"b\" \\n"));
	CHECK(WORDS("\"x\\\"y\\\\z\\q\"", "x\"y\\z\\q"));
	CHECK(WORDS("a\\ b \\'c\\\" \\\\", "a b", "'c\"", "\\"));
	CHECK(WORDS("\"\"", ""));
	CHECK(WORDS("'' x \"\"''", "", "x", ""));
	CHECK(WORDS("\"a'b\" 'c\"d'", "a'b", "c\"d"));
	CHECK(WORDS("\xe2\x98\xbb '\xe2\x98\xbb x'", "\xe2\x98\xbb", "\xe2\x98\xbb x"));
}

static void test_comments(void)
{
	CHECK(WORDS("echo # a comment 'x", "echo"));
	CHECK(NO_WORDS("#echo"));
	CHECK(NO_WORDS("   # only"));
	CHECK(WORDS("a#b '#' \\# \"#\"", "a#b", "#", "#", "#"));
}

static int error_is(const char *text, int err, const char *msg)
{
	snprintf(line, sizeof(line), "%s", text);
	return shell_parse(line, argv, SHELL_ARGS_MAX, &why) == err && why && !strcmp(why, msg);
}

static void test_errors(void)
{
	CHECK(error_is("echo \"abc", -EINVAL, "unterminated double quote"));
	CHECK(error_is("echo 'abc", -EINVAL, "unterminated single quote"));
	CHECK(error_is("'", -EINVAL, "unterminated single quote"));
	CHECK(error_is("a \"b\\\"", -EINVAL, "unterminated double quote"));
	CHECK(error_is("echo abc\\", -EINVAL, "the line ends with a backslash"));
	CHECK(error_is("\\", -EINVAL, "the line ends with a backslash"));
}

static void test_too_many(void)
{
	char *small[3];
	size_t n = 0;

	for (int i = 0; i < SHELL_ARGS_MAX; i++)
		n += snprintf(line + n, sizeof(line) - n, "w%d ", i);
	CHECK(shell_parse(line, argv, SHELL_ARGS_MAX, &why) == SHELL_ARGS_MAX);
	CHECK(argv[SHELL_ARGS_MAX] == NULL && !strcmp(argv[SHELL_ARGS_MAX - 1], "w31"));
	n = 0;
	for (int i = 0; i <= SHELL_ARGS_MAX; i++)
		n += snprintf(line + n, sizeof(line) - n, "w%d ", i);
	CHECK(shell_parse(line, argv, SHELL_ARGS_MAX, &why) == -E2BIG);
	CHECK(!strcmp(why, "too many arguments"));
	strcpy(line, "a b c");
	CHECK(shell_parse(line, small, 2, &why) == -E2BIG);
	strcpy(line, "a b # c");
	CHECK(shell_parse(line, small, 2, &why) == 2 && small[2] == NULL);
}

static void test_numbers(void)
{
	long v = 0;

	CHECK(shell_arg_long("12", 1, 100, &v) == 0 && v == 12);
	CHECK(shell_arg_long("007", 1, 100, &v) == 0 && v == 7);
	CHECK(shell_arg_long("-5", -10, 10, &v) == 0 && v == -5);
	CHECK(shell_arg_long("", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long("-", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long("+1", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long(" 1", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long("1x", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long("abc", 0, 10, &v) == -EINVAL);
	CHECK(shell_arg_long("0", 1, 10, &v) == -ERANGE);
	CHECK(shell_arg_long("-5", 1, 10, &v) == -ERANGE);
	CHECK(shell_arg_long("99999999999999999999999", 1, 10, &v) == -ERANGE);
	CHECK(v == -5);
}

/* ---------------------------------------------------------------- registry */

static int last_argc;
static char last_args[256];

static int cmd_record(int argc, char **argv)
{
	last_argc = argc;
	last_args[0] = '\0';
	for (int i = 0; i < argc; i++)
		snprintf(last_args + strlen(last_args), sizeof(last_args) - strlen(last_args),
			 "<%s>", argv[i]);
	return argc == 3 ? 42 : 0;
}

SHELL_COMMAND(zeta, "the last by name", cmd_record);
SHELL_COMMAND_ARGS(alpha, "[X]", "the first by name", cmd_record);
SHELL_COMMAND(mid, "in the middle", cmd_record);

static void collect(const struct shell_cmd *c, void *arg)
{
	strcat(arg, c->name);
	strcat(arg, " ");
}

static int run_line(const char *text, char *out, size_t size)
{
	snprintf(line, sizeof(line), "%s", text);
	capture_begin();
	int status = shell_run_line(line);
	capture_end(out, size);
	return status;
}

static void test_registry(void)
{
	char names[64] = "", out[256];

	shell_cmd_foreach_sorted(collect, names);
	CHECK(!strcmp(names, "alpha mid zeta "));
	CHECK(shell_cmd_find("mid") && !strcmp(shell_cmd_find("alpha")->args, "[X]"));
	CHECK(!shell_cmd_find("mi") && !shell_cmd_find("midd") && !shell_cmd_find(""));
	CHECK(run_line("  mid 'a b' c  ", out, sizeof(out)) == 42 && !out[0]);
	CHECK(last_argc == 3 && !strcmp(last_args, "<mid><a b><c>"));
	CHECK(run_line("zeta", out, sizeof(out)) == 0 && last_argc == 1);
	CHECK(run_line("   # nothing", out, sizeof(out)) == 0 && !out[0]);
	CHECK(run_line("xyz 1 2", out, sizeof(out)) == SHELL_EXIT_UNKNOWN);
	CHECK(!strcmp(out, "unknown command 'xyz' (try 'help')\n"));
	CHECK(run_line("mid \"oops", out, sizeof(out)) == SHELL_EXIT_USAGE);
	CHECK(!strcmp(out, "shell: unterminated double quote\n"));
	snprintf(out, sizeof(out), "%0*d", 2 * (SHELL_ARGS_MAX + 1), 0);
	for (int i = 0; out[i]; i += 2)
		out[i + 1] = ' ';
	CHECK(run_line(out, out, sizeof(out)) == SHELL_EXIT_USAGE);
	CHECK(!strcmp(out, "shell: too many arguments (at most 32 words)\n"));
}

int main(void)
{
	run("parse_words", test_words);
	run("parse_quotes", test_quotes);
	run("parse_comments", test_comments);
	run("parse_errors", test_errors);
	run("parse_too_many", test_too_many);
	run("parse_numbers", test_numbers);
	run("registry", test_registry);
	return t_nfail != 0;
}
