/*
 * The line editor's input side (see line_edit.h): bytes are decoded into
 * keys (control bytes, escape sequences, UTF-8 characters) and the keys
 * run the editing operations of line_ops.c.
 */
#include <string.h>

#include "line_edit.h"
#include "line_ops.h"

enum { ST_NORMAL, ST_ESC, ST_CSI, ST_SS3 };

#define CTRL(c) ((c)&0x1f)

typedef void (*key_fn)(struct shell_le *le);

/* What each control byte does; the others are ignored. */
static const key_fn ctrl_keys[32] = {
    [CTRL('A')] = shell_le_move_home,	 [CTRL('B')] = shell_le_move_left,
    [CTRL('E')] = shell_le_move_end,	 [CTRL('F')] = shell_le_move_right,
    [CTRL('H')] = shell_le_backspace,	 [CTRL('K')] = shell_le_cut_to_end,
    [CTRL('N')] = shell_le_hist_down,	 [CTRL('P')] = shell_le_hist_up,
    [CTRL('U')] = shell_le_cut_to_start,
};

/* The final byte of ESC [ <params> <final> or ESC O <final>: arrows and
 * Home/End (with any parameters: modifiers are ignored). */
static key_fn final_key(unsigned char final)
{
	switch (final) {
	case 'A':
		return shell_le_hist_up;
	case 'B':
		return shell_le_hist_down;
	case 'C':
		return shell_le_move_right;
	case 'D':
		return shell_le_move_left;
	case 'H':
		return shell_le_move_home;
	case 'F':
		return shell_le_move_end;
	}
	return NULL;
}

/* ESC [ n ~, the VT220 editing keys: 1 and 7 Home, 4 and 8 End, 3 Delete. */
static key_fn tilde_key(const struct shell_le *le)
{
	if (le->csi_len != 1)
		return NULL;
	switch (le->csi[0]) {
	case '1':
	case '7':
		return shell_le_move_home;
	case '4':
	case '8':
		return shell_le_move_end;
	case '3':
		return shell_le_delete;
	}
	return NULL;
}

static void press(struct shell_le *le, key_fn fn)
{
	if (fn)
		fn(le);
}

/* Bytes of the UTF-8 character that lead byte @c begins; 0 for C0, C1
 * and F5..FF, which begin none. */
static unsigned utf8_length(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	return c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* A byte >= 0x80: characters are inserted once whole; bytes that cannot be
 * part of one are dropped. */
static void utf8_byte(struct shell_le *le, unsigned char c)
{
	if (!IS_CONT(c)) {
		le->utf8_need = utf8_length(c);
		le->utf8[0] = c;
		le->utf8_have = 1;
	} else if (le->utf8_need) {
		le->utf8[le->utf8_have++] = c;
		if (le->utf8_have == le->utf8_need) {
			shell_le_insert(le, le->utf8, le->utf8_have);
			le->utf8_need = 0;
		}
	}
}

static enum shell_le_event end_line(struct shell_le *le)
{
	if (le->overflow) {
		/* Running what fitted would run another command than the
		 * one typed: refuse the whole line. */
		shell_le_refuse(le);
		return SHELL_LE_CANCEL;
	}
	shell_le_finish(le);
	return SHELL_LE_LINE;
}

static enum shell_le_event normal_byte(struct shell_le *le, unsigned char c, int after_cr)
{
	if (c == '\r') {
		le->after_cr = 1;
		return end_line(le);
	}
	if (c == '\n')
		return after_cr ? SHELL_LE_MORE : end_line(le);
	if (c == CTRL('C')) {
		shell_le_cancel(le);
		return SHELL_LE_CANCEL;
	}
	if (c == 0x1b)
		le->state = ST_ESC;
	else if (c < 0x20)
		press(le, ctrl_keys[c]);
	else if (c == 0x7f)
		shell_le_backspace(le);
	else if (c < 0x80)
		shell_le_insert(le, (const char *)&c, 1);
	else
		utf8_byte(le, c);
	return SHELL_LE_MORE;
}

/* A byte inside an escape sequence. @retval 1 it was taken; 0 it ended the
 * sequence without belonging to it (a control byte or a non-ASCII byte, as
 * from a half-sent sequence) and must be handled as ordinary input. */
static int escape_byte(struct shell_le *le, unsigned char c)
{
	int state = le->state;

	le->state = ST_NORMAL;
	if (c < 0x20 || c >= 0x80)
		return 0;
	if (state == ST_ESC && (c == '[' || c == 'O')) {
		le->state = c == '[' ? ST_CSI : ST_SS3;
		le->csi_len = 0;
	} else if (state == ST_SS3) {
		press(le, final_key(c));
	} else if (state == ST_CSI && c >= 0x40 && c <= 0x7e) {
		press(le, c == '~' ? tilde_key(le) : final_key(c));
	} else if (state == ST_CSI) {
		/* parameter and intermediate bytes (and DEL, ignored); a long
		 * run is no key we know but is swallowed all the same */
		le->state = ST_CSI;
		if (c != 0x7f && le->csi_len < sizeof(le->csi))
			le->csi[le->csi_len++] = c;
	}
	/* ESC followed by anything else (Alt+key): both swallowed */
	return 1;
}

enum shell_le_event shell_le_feed(struct shell_le *le, unsigned char byte)
{
	int after_cr = le->after_cr;

	if (le->done) {
		shell_le_clear(le);
		le->done = 0;
	}
	le->after_cr = 0;
	if (!IS_CONT(byte))
		le->utf8_need = 0; /* an unfinished character is abandoned */
	if (le->state != ST_NORMAL && escape_byte(le, byte))
		return SHELL_LE_MORE;
	return normal_byte(le, byte, after_cr);
}

void shell_le_init(struct shell_le *le, shell_le_out_fn out, void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->out = out;
	le->ctx = ctx;
}
