/*
 * libFuzzer target for the terminal's input path: the input bytes go
 * through a fresh line editor; each completed line through the parser and
 * the command registry (help, free, ps, kill, run on the host stand-ins of
 * tests/unit/shell_stubs.h). Invariants trap; ASan/UBSan catch the rest.
 * Build and run with tests/fuzz/run.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <shell/shell.h>
#include "shell_stubs.h"
#include "../../shell/line_edit.h"
#include "../../shell/parse.h"

#define REQUIRE(e) ((e) ? (void)0 : __builtin_trap())

static size_t out_bytes;

static void count_out(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	out_bytes += len;
}

static void check_words(const char *line)
{
	char copy[SHELL_LINE_MAX + 1], *argv[SHELL_ARGS_MAX + 1];
	const char *why;
	size_t len = strlen(line);

	REQUIRE(len <= SHELL_LINE_MAX);
	memcpy(copy, line, len + 1);
	int argc = shell_parse(copy, argv, SHELL_ARGS_MAX, &why);
	REQUIRE(argc >= 0 ? argc <= SHELL_ARGS_MAX && !argv[argc] : why != NULL);
	for (int i = 0; i < argc; i++)
		REQUIRE(argv[i] >= copy && argv[i] + strlen(argv[i]) <= copy + len);
	memcpy(copy, line, len + 1);
	shell_run_line(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shell_le le;

	shell_le_init(&le, count_out, NULL);
	for (size_t i = 0; i < size; i++) {
		size_t before = out_bytes;
		enum shell_le_event e = shell_le_feed(&le, data[i]);
		REQUIRE(le.len <= SHELL_LINE_MAX && le.pos <= le.len && !le.buf[le.len]);
		REQUIRE(strlen(le.buf) == le.len && out_bytes - before <= 3 * SHELL_LINE_MAX + 64);
		if (e == SHELL_LE_LINE)
			check_words(shell_le_line(&le));
	}
	return 0;
}
