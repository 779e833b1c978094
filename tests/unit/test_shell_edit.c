// unit-sources: shell/line_edit.c shell/line_ops.c
/* The terminal's line editor: keys, history, limits and junk input; after
 * each test the emulated screen must show exactly the editor's line. */
#include "shell_harness.h"
#include "../../shell/line_edit.h"

static struct shell_le le;
static struct vt vt;
static char got[20][SHELL_LINE_MAX + 1]; /* lines completed, in order */
static int ngot, ncancel;

static void start(void)
{
	memset(&vt, 0, sizeof(vt));
	shell_le_init(&le, vt_out, &vt);
	ngot = ncancel = 0;
}

static void type_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum shell_le_event e = shell_le_feed(&le, (unsigned char)s[i]);
		if (e == SHELL_LE_LINE && ngot < 20)
			strcpy(got[ngot++], shell_le_line(&le));
		if (e == SHELL_LE_CANCEL)
			ncancel++;
	}
}

static void type(const char *s)
{
	type_n(s, strlen(s));
}

/* The line being edited (not yet ended) and its screen agree. */
#define CHECK_EDIT(text, cursor)                                                                   \
	do {                                                                                       \
		CHECK(!strcmp(le.buf, text));                                                      \
		CHECK(le.pos == (cursor));                                                         \
		CHECK(vt_shows(&vt, text, cursor));                                                \
	} while (0)

#define LEFT "\x1b[D"
#define RIGHT "\x1b[C"
#define UP "\x1b[A"
#define DOWN "\x1b[B"

static void test_typing(void)
{
	start();
	type("hello");
	CHECK_EDIT("hello", 5);
	type("\r");
	CHECK(ngot == 1 && !strcmp(got[0], "hello"));
	CHECK(vt.lines == 1 && vt_shows(&vt, "", 0));
	type("x");
	CHECK_EDIT("x", 1); /* the next byte starts a new line */
}

static void test_arrows_insert(void)
{
	start();
	type("helo" LEFT "l");
	CHECK_EDIT("hello", 4);
	type(LEFT LEFT LEFT LEFT LEFT LEFT "[" RIGHT RIGHT "+"
					   "\x1b[F"
					   "]");
	CHECK_EDIT("[he+llo]", 8);
	type("\x01"
	     "<"
	     "\x05"
	     ">");
	CHECK_EDIT("<[he+llo]>", 10);
	type("\x1b[H"
	     "a"
	     "\x1b[4~"
	     "z"
	     "\x1b[1~"
	     "\x1bOF"
	     "!");
	CHECK_EDIT("a<[he+llo]>z!", 13);
	type("\x02\x02"
	     "_"
	     "\x06"
	     "-");
	CHECK_EDIT("a<[he+llo]>_z-!", 14);
}

static void test_utf8(void)
{
	start();
	type("a\xe2\x98\xbb"
	     "b" LEFT LEFT "\xc3\xa9");
	CHECK_EDIT("a\xc3\xa9\xe2\x98\xbb"
		   "b",
		   3);
	type(RIGHT "\x7f");
	CHECK_EDIT("a\xc3\xa9"
		   "b",
		   3);
	type("\x1b[3~");
	CHECK_EDIT("a\xc3\xa9", 3);
	/* bytes that cannot be UTF-8, and characters cut short, are dropped */
	type("\xff\xfe\xc0\xc1\x80\xbf\xf8"
	     "\xe2\x98"
	     "x"
	     "\xf0\x9f\x98" LEFT);
	CHECK_EDIT("a\xc3\xa9x", 3);
	type("\xf0\x9f\x98\x80\r");
	CHECK(ngot == 1 && !strcmp(got[0], "a\xc3\xa9\xf0\x9f\x98\x80x"));
}

static void test_backspace(void)
{
	start();
	type("\x7f\x08" LEFT "ab\x01\x7f\x08");
	CHECK_EDIT("ab", 0); /* backspace at the start does nothing */
	type("\x05\x08");
	CHECK_EDIT("a", 1);
	type("bcd" LEFT LEFT "\x7f");
	CHECK_EDIT("acd", 1);
	type("\x7f\x7f\x7f");
	CHECK_EDIT("cd", 0);
	type("\x1b[3~\x1b[3~\x1b[3~");
	CHECK_EDIT("", 0);
	CHECK(vt.bells == 0);
}

static void test_cut(void)
{
	start();
	type("one two three" LEFT LEFT LEFT LEFT LEFT "\x0b");
	CHECK_EDIT("one two ", 8);
	type(LEFT LEFT LEFT LEFT "\x15");
	CHECK_EDIT("two ", 0);
	type("\x15\x05\x15");
	CHECK_EDIT("", 0);
}

static void test_history(void)
{
	start();
	type("one\rtwo\r\rtwo\rthree\rdra");
	CHECK(ngot == 5);
	type(UP);
	CHECK_EDIT("three", 5);
	type(UP UP);
	CHECK_EDIT("one", 3); /* the empty line and the repeated "two" were not kept */
	type(UP);
	CHECK_EDIT("one", 3);
	CHECK(vt.bells == 1);
	type(DOWN);
	CHECK_EDIT("two", 3);
	type(DOWN DOWN);
	CHECK_EDIT("dra", 3); /* back to the line being typed */
	type(DOWN);
	CHECK(vt.bells == 2);
	type(UP "!"
		"\r");
	CHECK(!strcmp(got[5], "three!"));
	type("\x10");
	CHECK_EDIT("three!", 6);
	type("\x10\x0e\x0e");
	CHECK_EDIT("", 0); /* a new line was never typed: empty draft */
}

static void test_history_limit(void)
{
	char line[16];

	start();
	for (int i = 0; i < SHELL_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "cmd%d\r", i);
		type(line);
	}
	for (int i = 0; i < SHELL_HISTORY; i++)
		type(UP);
	CHECK_EDIT("cmd5", 4); /* the oldest kept */
	CHECK(vt.bells == 0);
	type(UP);
	CHECK(vt.bells == 1);
}

static void test_ctrl_c(void)
{
	start();
	type("abc" LEFT "\x03");
	CHECK(ncancel == 1 && ngot == 0);
	CHECK(vt.lines == 1);
	CHECK_EDIT("", 0);
	type("d\r");
	CHECK(ngot == 1 && !strcmp(got[0], "d"));
	type(UP UP);
	CHECK_EDIT("d", 1); /* the cancelled line is not in the history */
}

static void test_line_ends(void)
{
	start();
	type("a\r\nb\r\n\nc\n\rd\r\re\n");
	CHECK(ngot == 8);
	const char *want[] = {"a", "b", "", "c", "", "d", "", "e"};
	for (int i = 0; i < 8; i++)
		CHECK(!strcmp(got[i], want[i]));
	type_n("\r", 1);
	type_n("\n", 1); /* CR and LF in separate reads: still one end */
	CHECK(ngot == 9);
	type("x\r"
	     "\x1b[D\n");
	CHECK(ngot == 11); /* an LF after CR and something else is a new end */
}

static void test_overlong(void)
{
	char big[SHELL_LINE_MAX + 50];

	start();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	type(big);
	CHECK(le.len == SHELL_LINE_MAX && vt.bells == 49);
	CHECK(vt_shows(&vt, le.buf, SHELL_LINE_MAX));
	type(LEFT "\xe2\x98\xbb"
		  "\x01"
		  "y\x7f\r");
	/* bytes were lost: the line is refused, never run cut */
	CHECK(ngot == 0 && vt.bells == 51 && le.len == 0);
	/* a full line that lost nothing runs, and still takes editing keys */
	type(big + 49);
	CHECK(le.len == SHELL_LINE_MAX && vt.bells == 51);
	type("\r");
	CHECK(ngot == 1 && strlen(got[0]) == SHELL_LINE_MAX);
	type(UP "\x7f\x7f"
		"\xe2\x98\xbb");
	CHECK(le.len == SHELL_LINE_MAX - 2 && vt.bells == 52);
	type("\x7f"
	     "\xe2\x98\xbb");
	CHECK(le.len == SHELL_LINE_MAX && vt.bells == 52);
	CHECK(vt_shows(&vt, le.buf, le.pos));
}

static void test_escape_junk(void)
{
	start();
	type("a\x1bxb\x1b[200~c\x1b[201~\x1bOPd\x1b[15~e\x1b[1;5Q\x1b[99;99;99;99;99;99;99;99z");
	type("\x1b[?1;2c\x1b\x1b[Cf\x1b[5;3R\x1bOzg\x1b[3;5~");
	CHECK_EDIT("abcdefg", 7);
	/* a control byte ends a sequence and counts as itself */
	type("\x1b[12\rh\x1b\x7fi\x1b[\xc3\xa9");
	CHECK(ngot == 1 && !strcmp(got[0], "abcdefg"));
	CHECK_EDIT("hi\xc3\xa9", 4); /* ESC DEL (Alt+Backspace) is swallowed */
	/* a sequence longer than any key is still swallowed to its end */
	type("\x1b[0000000000000000000000000000000000000000000000000000000000000Cj");
	CHECK_EDIT("hi\xc3\xa9j", 5);
	/* other control bytes: no echo, no effect */
	type_n("\x00\x04\x07\x09\x0c\x0f\x11\x1a\x1c\x1f", 10);
	CHECK_EDIT("hi\xc3\xa9j", 5);
	CHECK(vt.bells == 0);
}

int main(void)
{
	run("edit_typing", test_typing);
	run("edit_arrows_insert", test_arrows_insert);
	run("edit_utf8", test_utf8);
	run("edit_backspace", test_backspace);
	run("edit_cut", test_cut);
	run("edit_history", test_history);
	run("edit_history_limit", test_history_limit);
	run("edit_ctrl_c", test_ctrl_c);
	run("edit_line_ends", test_line_ends);
	run("edit_overlong", test_overlong);
	run("edit_escape_junk", test_escape_junk);
	return t_nfail != 0;
}
