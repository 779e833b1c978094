/*
 * The line editor's operations: each changes the line and redraws what
 * changed. The screen is assumed to show the line with the cursor at
 * le->pos; every operation keeps the two in step, using only BS, CSI n D
 * (cursor left) and CSI K (erase to the end of the line), which every
 * VT100-like terminal has. The cursor counts characters, not bytes: a UTF-8
 * character is inserted and removed whole.
 */
#include <stdio.h>
#include <string.h>

#include "line_edit.h"
#include "line_ops.h"

static void out(struct shell_le *le, const char *s, size_t len)
{
	if (len)
		le->out(le->ctx, s, len);
}

static void outs(struct shell_le *le, const char *s)
{
	out(le, s, strlen(s));
}

/* Screen cells taken by s[0..len): one per character. */
static size_t chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += !IS_CONT(s[i]);
	return n;
}

static void cursor_left(struct shell_le *le, size_t cells)
{
	char seq[32];

	if (cells == 1)
		outs(le, "\b");
	else if (cells > 1)
		out(le, seq, snprintf(seq, sizeof(seq), "\x1b[%zuD", cells));
}

/* Bytes of the character before / at the cursor; 0 at the start / end. */
static size_t prev_len(const struct shell_le *le)
{
	size_t p = le->pos;

	while (p > 0 && IS_CONT(le->buf[--p]))
		;
	return le->pos - p;
}

static size_t next_len(const struct shell_le *le)
{
	size_t p = le->pos;

	if (p < le->len)
		while (++p < le->len && IS_CONT(le->buf[p]))
			;
	return p - le->pos;
}

/* Insert a whole character at the cursor; a line that would grow past the
 * limit rings the bell instead. */
void shell_le_insert(struct shell_le *le, const char *s, size_t n)
{
	if (le->len + n > SHELL_LINE_MAX) {
		outs(le, "\a");
		le->overflow = 1;
		return;
	}
	memmove(le->buf + le->pos + n, le->buf + le->pos, le->len - le->pos + 1);
	memcpy(le->buf + le->pos, s, n);
	le->len += n;
	out(le, le->buf + le->pos, le->len - le->pos); /* the character and the tail after it */
	le->pos += n;
	cursor_left(le, chars(le->buf + le->pos, le->len - le->pos));
}

/* Remove the n bytes at the cursor: the tail moves left over them. */
static void delete_at_cursor(struct shell_le *le, size_t n)
{
	memmove(le->buf + le->pos, le->buf + le->pos + n, le->len - le->pos - n + 1);
	le->len -= n;
	out(le, le->buf + le->pos, le->len - le->pos);
	outs(le, " ");
	cursor_left(le, chars(le->buf + le->pos, le->len - le->pos) + 1);
}

void shell_le_backspace(struct shell_le *le)
{
	size_t n = prev_len(le);

	if (!n)
		return;
	le->pos -= n;
	cursor_left(le, 1);
	delete_at_cursor(le, n);
}

void shell_le_delete(struct shell_le *le)
{
	size_t n = next_len(le);

	if (n)
		delete_at_cursor(le, n);
}

void shell_le_move_left(struct shell_le *le)
{
	size_t n = prev_len(le);

	if (n) {
		le->pos -= n;
		cursor_left(le, 1);
	}
}

/* Moving right rewrites the character under the cursor: no sequence needed. */
void shell_le_move_right(struct shell_le *le)
{
	size_t n = next_len(le);

	out(le, le->buf + le->pos, n);
	le->pos += n;
}

void shell_le_move_home(struct shell_le *le)
{
	cursor_left(le, chars(le->buf, le->pos));
	le->pos = 0;
}

void shell_le_move_end(struct shell_le *le)
{
	out(le, le->buf + le->pos, le->len - le->pos);
	le->pos = le->len;
}

void shell_le_cut_to_end(struct shell_le *le)
{
	outs(le, "\x1b[K");
	le->len = le->pos;
	le->buf[le->len] = '\0';
}

/* Show @s instead of the current line, cursor at its end. */
static void replace_line(struct shell_le *le, const char *s)
{
	size_t n = strlen(s);

	shell_le_move_home(le);
	memmove(le->buf, s, n + 1);
	le->len = le->pos = n;
	out(le, le->buf, n);
	outs(le, "\x1b[K");
}

void shell_le_cut_to_start(struct shell_le *le)
{
	replace_line(le, le->buf + le->pos); /* memmove: the tail may overlap */
	shell_le_move_home(le);
}

/* ---------------------------------------------------------------- history */

/* The n-th newest line, n in 1..hist_count. */
static const char *hist_get(const struct shell_le *le, unsigned n)
{
	return le->hist[(le->hist_next + SHELL_HISTORY - n) % SHELL_HISTORY];
}

/* Remember a finished line, unless empty or the same as the newest. */
static void hist_add(struct shell_le *le)
{
	if (!le->len || (le->hist_count && !strcmp(hist_get(le, 1), le->buf)))
		return;
	memcpy(le->hist[le->hist_next], le->buf, le->len + 1);
	le->hist_next = (le->hist_next + 1) % SHELL_HISTORY;
	if (le->hist_count < SHELL_HISTORY)
		le->hist_count++;
}

void shell_le_hist_up(struct shell_le *le)
{
	if (le->hist_view >= le->hist_count) {
		outs(le, "\a");
		return;
	}
	if (!le->hist_view)
		memcpy(le->draft, le->buf, le->len + 1);
	replace_line(le, hist_get(le, ++le->hist_view));
}

void shell_le_hist_down(struct shell_le *le)
{
	if (!le->hist_view) {
		outs(le, "\a");
		return;
	}
	le->hist_view--;
	replace_line(le, le->hist_view ? hist_get(le, le->hist_view) : le->draft);
}

/* ---------------------------------------------------------------- line ends */

void shell_le_clear(struct shell_le *le)
{
	le->buf[0] = '\0';
	le->len = le->pos = 0;
	le->hist_view = 0;
	le->overflow = 0;
}

void shell_le_finish(struct shell_le *le)
{
	outs(le, "\n");
	hist_add(le);
	le->hist_view = 0;
	le->done = 1;
}

void shell_le_cancel(struct shell_le *le)
{
	outs(le, "^C\n");
	shell_le_clear(le);
}

void shell_le_refuse(struct shell_le *le)
{
	char msg[80];

	snprintf(msg, sizeof(msg), "\nline too long (more than %d bytes): not run\n",
		 SHELL_LINE_MAX);
	outs(le, msg);
	shell_le_clear(le);
}
