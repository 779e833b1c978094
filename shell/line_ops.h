/* The line editor's operations (line_ops.c), which its input side
 * (line_edit.c) runs for each key. Each edits le's line and redraws it. */
#ifndef SHELL_LINE_OPS_H
#define SHELL_LINE_OPS_H

#include <stddef.h>

#include "line_edit.h"

#define IS_CONT(c) (((unsigned char)(c)&0xc0) == 0x80) /* UTF-8 continuation byte */

/* Insert one whole character (1 to 4 bytes) at the cursor; when the line
 * has no room for it, ring the bell instead. */
void shell_le_insert(struct shell_le *le, const char *s, size_t n);

void shell_le_backspace(struct shell_le *le); /* the character before the cursor */
void shell_le_delete(struct shell_le *le);    /* the character under the cursor */
void shell_le_move_left(struct shell_le *le);
void shell_le_move_right(struct shell_le *le);
void shell_le_move_home(struct shell_le *le);
void shell_le_move_end(struct shell_le *le);
void shell_le_cut_to_end(struct shell_le *le);
void shell_le_cut_to_start(struct shell_le *le);
void shell_le_hist_up(struct shell_le *le);   /* older line; bell at the oldest */
void shell_le_hist_down(struct shell_le *le); /* newer line; bell at the new one */

void shell_le_clear(struct shell_le *le); /* empty line, nothing drawn */
/* The line is complete: move to the next screen line and remember it. */
void shell_le_finish(struct shell_le *le);
/* ^C: show it, move to the next screen line and forget the line. */
void shell_le_cancel(struct shell_le *le);
/* A line that overflowed ended: say so, drop it (not into the history). */
void shell_le_refuse(struct shell_le *le);

#endif
