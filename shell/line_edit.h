/*
 * The terminal's line editor: a state machine fed one input byte at a time,
 * which echoes and redraws through an output callback (VT100 sequences), so
 * that it has no I/O of its own and host tests can drive it.
 *
 * Keys: printable characters (UTF-8 kept whole), backspace (DEL or ^H),
 * Delete (ESC [ 3 ~), left/right, Home/End and ^A/^E, up/down through the
 * history, ^C abandons the line, ^U/^K cut to the start/end. CR, LF or CR LF
 * ends the line. Other control bytes, unknown escape sequences and bytes
 * that cannot be UTF-8 are dropped without echo.
 */
#ifndef SHELL_LINE_EDIT_H
#define SHELL_LINE_EDIT_H

#include <stddef.h>

#define SHELL_LINE_MAX 4096 /* bytes of a line, without its NUL */
#define SHELL_HISTORY 16    /* lines kept for up/down */

/* What shell_le_feed() says about the byte it was given. */
enum shell_le_event {
	SHELL_LE_MORE,	 /* keep feeding */
	SHELL_LE_LINE,	 /* a line is complete: shell_le_line() */
	SHELL_LE_CANCEL, /* ^C, or a line longer than SHELL_LINE_MAX ended (it
			  * is refused with a message, never run cut):
			  * the line was abandoned; prompt again */
};

typedef void (*shell_le_out_fn)(void *ctx, const char *s, size_t len);

struct shell_le {
	char buf[SHELL_LINE_MAX + 1]; /* the line, NUL-terminated */
	size_t len, pos;	      /* bytes in buf; cursor as a byte offset */
	char utf8[4];		      /* a character still missing bytes */
	unsigned utf8_have, utf8_need;
	int state;   /* escape-sequence parser state (line_edit.c) */
	char csi[8]; /* parameter bytes of the current CSI sequence */
	unsigned csi_len;
	int after_cr; /* the last byte ended a line with CR: an LF now is its pair */
	int done;     /* buf holds a completed line; the next byte starts anew */
	int overflow; /* bytes were refused: the line is not whole, never run */
	char hist[SHELL_HISTORY][SHELL_LINE_MAX + 1];
	unsigned hist_count;		/* lines in hist, at most SHELL_HISTORY */
	unsigned hist_next;		/* slot the next line goes to */
	unsigned hist_view;		/* 0: editing a new line; n: showing the n-th newest */
	char draft[SHELL_LINE_MAX + 1]; /* the new line, kept while browsing */
	shell_le_out_fn out;
	void *ctx;
};

/* Start with an empty line and history; output goes to out(ctx, ...). */
void shell_le_init(struct shell_le *le, shell_le_out_fn out, void *ctx);

/* Feed one input byte. After SHELL_LE_LINE the line stays readable until
 * the next call, which starts a new, empty line. */
enum shell_le_event shell_le_feed(struct shell_le *le, unsigned char byte);

/* The completed line (NUL-terminated, at most SHELL_LINE_MAX bytes). */
static inline char *shell_le_line(struct shell_le *le)
{
	return le->buf;
}

#endif
