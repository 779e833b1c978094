// unit-sources: shell/line_edit.c shell/line_ops.c shell/parse.c shell/registry.c shell/cmd_help.c shell/cmd_mem.c shell/cmd_thread.c
/*
 * Bounded random testing of the terminal's input path: seeded byte strings
 * (random bytes mixed with keys, escape sequences, quotes, command names
 * and numbers) go through the line editor; each completed line through the
 * parser and the command registry, with the real help, free, ps, kill and
 * run (on stand-ins) and a command that checks what it is given. Under ASan
 * and UBSan, any memory error ends the test. Checked throughout: the line
 * stays within its limit and NUL-terminated, the cursor within the line,
 * the output of one byte bounded, the screen equal to the line, the words
 * within their limit, inside the line and NUL-terminated.
 *
 * SHELL_FUZZ_SEED and SHELL_FUZZ_N change the seed and the number of
 * strings (200,000); the run also stops after SHELL_FUZZ_SECONDS (60).
 */
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <shell/shell.h>
#include "shell_harness.h"
#include "shell_stubs.h"
#include "../../shell/line_edit.h"
#include "../../shell/parse.h"

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ull) >> 32) % n;
}

static const char *const pieces[] = {
    "help",
    "kill",
    "run",
    "ps",
    "free",
    "check",
    " ",
    " ",
    "\t",
    "'",
    "\"",
    "\\",
    "#",
    "\x1b",
    "\x1b[",
    "\x1bO",
    "\x1b[A",
    "\x1b[B",
    "\x1b[C",
    "\x1b[D",
    "\x1b[3~",
    "\x1b[1;5",
    "\r",
    "\n",
    "\r\n",
    "\x7f",
    "\x08",
    "\x01",
    "\x05",
    "\x03",
    "\x0b",
    "\x15",
    "\x10",
    "\xe2\x98\xbb",
    "\xc3",
    "\x80",
    "\xff",
    "1",
    "2",
    "3",
    "42",
    "-1",
    "99999999999999999999",
};

static char str[SHELL_LINE_MAX * 2 + 1024];

/* One test string: up to ~600 bytes, half random bytes, half pieces. One
 * in four has no line end (nor ^C, ^K, ^U) and mostly printable bytes, so
 * that lines reach their limit. */
static size_t make_string(void)
{
	int long_line = !rnd(4);
	size_t n = 0, want = long_line ? rnd(SHELL_LINE_MAX * 2 + 400)
			     : !rnd(4) ? rnd(600)
				       : rnd(64);

	while (n < want) {
		size_t from = n;
		if (long_line && rnd(64)) {
			str[n++] = (char)(' ' + rnd(95)); /* mostly printable: the line grows */
		} else if (rnd(2)) {
			str[n++] = (char)rnd(256);
		} else {
			const char *p = pieces[rnd(sizeof(pieces) / sizeof(pieces[0]))];
			size_t len = strlen(p);
			memcpy(str + n, p, len);
			n += len;
		}
		for (size_t i = from; long_line && i < n; i++)
			if (str[i] && strchr("\r\n\x03\x0b\x15", str[i]))
				str[i] = 'x';
	}
	return n;
}

static int check_failed;
static unsigned long checks_run;

/* The command every word list reaches when it starts with "check". */
static int cmd_check(int argc, char **argv)
{
	checks_run++;
	if (argc < 1 || argc > SHELL_ARGS_MAX || argv[argc] || strcmp(argv[0], "check"))
		check_failed = 1;
	for (int i = 0; i < argc; i++)
		if (!argv[i] || strlen(argv[i]) > SHELL_LINE_MAX)
			check_failed = 1;
	return 0;
}

SHELL_COMMAND(check, "the fuzz test's own", cmd_check);

static unsigned long lines_done, words_total, full_lines;

/* Parse a copy, checking the words; then run another copy. */
static int line_ok(const char *line)
{
	char copy[SHELL_LINE_MAX + 1], *argv[SHELL_ARGS_MAX + 1];
	const char *why;
	size_t len = strlen(line);

	if (len > SHELL_LINE_MAX)
		return 0;
	memcpy(copy, line, len + 1);
	int argc = shell_parse(copy, argv, SHELL_ARGS_MAX, &why);
	if (argc < 0 && (!why || (argc != -EINVAL && argc != -E2BIG)))
		return 0;
	for (int i = 0; i < argc; i++) {
		if (argv[i] < copy || argv[i] + strlen(argv[i]) > copy + len)
			return 0;
	}
	if (argc >= 0 && (argc > SHELL_ARGS_MAX || argv[argc]))
		return 0;
	words_total += argc > 0 ? argc : 0;
	memcpy(copy, line, len + 1);
	shell_run_line(copy);
	lines_done++;
	return !check_failed;
}

static struct shell_le le;
static struct vt vt;

/* Feed one string; 0 when an invariant broke. */
static int feed_string(size_t n)
{
	int full = 0;

	for (size_t i = 0; i < n; i++) {
		size_t before = vt.bytes;
		enum shell_le_event e = shell_le_feed(&le, (unsigned char)str[i]);
		if (le.len > SHELL_LINE_MAX || le.pos > le.len || le.buf[le.len] ||
		    strlen(le.buf) != le.len || vt.bytes - before > 3 * SHELL_LINE_MAX + 64)
			return 0;
		if (e == SHELL_LE_LINE && !line_ok(shell_le_line(&le)))
			return 0;
		full |= le.len == SHELL_LINE_MAX;
	}
	full_lines += full;
	/* the screen check is slow: for some strings only */
	return rnd(8) || vt_shows(&vt, le.done ? "" : le.buf, le.done ? 0 : le.pos);
}

static unsigned long env_or(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void test_fuzz(void)
{
	unsigned long n = env_or("SHELL_FUZZ_N", 200000), i;
	time_t stop = time(NULL) + env_or("SHELL_FUZZ_SECONDS", 60);
	int devnull = open("/dev/null", O_WRONLY), saved = dup(1);

	rng = env_or("SHELL_FUZZ_SEED", 0x5eed) | 1;
	memset(&vt, 0, sizeof(vt));
	shell_le_init(&le, vt_out, &vt);
	fflush(stdout);
	dup2(devnull, 1); /* the commands' output */
	int broken = 0;
	for (i = 0; i < n && (i % 1024 || time(NULL) < stop); i++) {
		if (!feed_string(make_string())) {
			broken = 1;
			break;
		}
	}
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(devnull);
	printf("fuzz: %lu strings, %lu lines, %lu strings filled a line, %lu words, %lu reached "
	       "'check'%s\n",
	       i, lines_done, full_lines, words_total, checks_run,
	       broken ? " - the last string broke an invariant" : "");
	CHECK(!broken);
	CHECK(lines_done > i / 4 && full_lines > i / 100 && checks_run > i / 1000);
}

int main(void)
{
	run("fuzz_edit_parse_run", test_fuzz);
	return t_nfail != 0;
}
