/* Shared by the shell's host tests: the [PASS]/[FAIL] harness, and a tiny
 * terminal that interprets what the line editor writes (printable bytes,
 * BS, CSI n D, CSI K, BEL, LF) on one row, so tests can check that the
 * screen shows exactly the editor's line with the cursor in its place. */
#ifndef SHELL_HARNESS_H
#define SHELL_HARNESS_H

#include <stdio.h>
#include "harness.h"
#include <stdlib.h>
#include <string.h>

static inline void run(const char *name, void (*fn)(void))
{
	t_failed = 0;
	fn();
	t_report("shell", name);
}

/* ---------------------------------------------------------------- stdout */

#include <unistd.h>

static int capture_saved = -1;
static FILE *capture_file;

/* Send stdout to a temporary file until capture_end(), which returns what
 * was written there (at most @size - 1 bytes, NUL-terminated). */
static inline void capture_begin(void)
{
	fflush(stdout);
	capture_file = tmpfile();
	capture_saved = dup(1);
	if (!capture_file || capture_saved < 0 || dup2(fileno(capture_file), 1) < 0)
		abort();
}

static inline char *capture_end(char *buf, size_t size)
{
	fflush(stdout);
	dup2(capture_saved, 1);
	close(capture_saved);
	rewind(capture_file);
	size_t n = fread(buf, 1, size - 1, capture_file);
	buf[n] = '\0';
	fclose(capture_file);
	return buf;
}

/* ---------------------------------------------------------------- screen */

#define VT_COLS 4200 /* wider than any line (SHELL_LINE_MAX): a line never wraps */

struct vt {
	char cell[VT_COLS][5]; /* one UTF-8 character per cell, "" for blank */
	size_t cursor;
	size_t bells, lines, bytes;
	int bad; /* the editor wrote something this terminal does not know */
	int esc; /* 0, 1 after ESC, 2 in CSI */
	size_t csi_n;
};

static inline void vt_put(struct vt *vt, unsigned char c)
{
	if ((c & 0xc0) == 0x80) { /* continuation: belongs to the cell just written */
		size_t n;
		if (!vt->cursor || (n = strlen(vt->cell[vt->cursor - 1])) >= 4)
			vt->bad = 1;
		else
			vt->cell[vt->cursor - 1][n] = c;
		return;
	}
	if (vt->cursor >= VT_COLS) {
		vt->bad = 1;
		return;
	}
	memset(vt->cell[vt->cursor], 0, 5);
	vt->cell[vt->cursor++][0] = c;
}

static inline void vt_csi(struct vt *vt, unsigned char c)
{
	if (c >= '0' && c <= '9') {
		vt->csi_n = vt->csi_n * 10 + (c - '0');
		return;
	}
	vt->esc = 0;
	if (c == 'D' && vt->csi_n && vt->csi_n <= vt->cursor)
		vt->cursor -= vt->csi_n;
	else if (c == 'K' && !vt->csi_n)
		for (size_t i = vt->cursor; i < VT_COLS; i++)
			vt->cell[i][0] = '\0';
	else
		vt->bad = 1;
}

static inline void vt_byte(struct vt *vt, unsigned char c)
{
	vt->bytes++;
	if (vt->esc == 1) {
		vt->esc = c == '[' ? 2 : 0;
		vt->csi_n = 0;
		vt->bad |= c != '[';
	} else if (vt->esc == 2) {
		vt_csi(vt, c);
	} else if (c == 0x1b) {
		vt->esc = 1;
	} else if (c == '\b') {
		vt->bad |= !vt->cursor;
		vt->cursor -= !!vt->cursor;
	} else if (c == '\a') {
		vt->bells++;
	} else if (c == '\n') {
		memset(vt->cell, 0, sizeof(vt->cell));
		vt->cursor = 0;
		vt->lines++;
	} else if (c >= 0x20 && c != 0x7f) {
		vt_put(vt, c);
	} else {
		vt->bad = 1;
	}
}

/* The editor's output callback, with a struct vt as context. */
static inline void vt_out(void *ctx, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		vt_byte(ctx, s[i]);
}

/* Does the row show exactly @line (trailing blanks aside), with the
 * cursor after the first @pos bytes? */
static inline int vt_shows(const struct vt *vt, const char *line, size_t pos)
{
	char row[VT_COLS * 4 + 1] = "";
	size_t n = 0, cursor_bytes = (size_t)-1;

	for (size_t i = 0; i < VT_COLS; i++) {
		if (i == vt->cursor)
			cursor_bytes = n;
		const char *c = vt->cell[i][0] ? vt->cell[i] : " ";
		memcpy(row + n, c, strlen(c));
		n += strlen(c);
	}
	while (n && row[n - 1] == ' ')
		n--;
	row[n] = '\0';
	size_t len = strlen(line);
	while (len && line[len - 1] == ' ')
		len--;
	return !vt->bad && !vt->esc && n == len && !memcmp(row, line, len) && cursor_bytes == pos;
}

#endif
