/*
 * The terminal: a thread named "terminal", started at boot, that reads the
 * console through the line editor and runs each line. It is protected (kill
 * refuses it) and outlives main(). When the console input ends for good
 * (stdin closed on linuxu) the system powers off with status 0, so that a
 * session piped into an image ends cleanly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kernel/console.h>
#include <kernel/initcall.h>
#include <shell/shell.h>
#include <kernel/thread.h>

#include "line_edit.h"

/* One terminal per system: its editor (history included) lives here
 * rather than on the thread's stack. */
static struct shell_le editor;

/* Echo and redraws go through stdout like the commands' output, so the
 * two stay in order. */
static void echo_out(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	fwrite(s, 1, len, stdout);
}

static void prompt(void)
{
	fputs(SHELL_PROMPT, stdout);
}

static void input_byte(unsigned char c)
{
	switch (shell_le_feed(&editor, c)) {
	case SHELL_LE_LINE:
		shell_run_line(shell_le_line(&editor));
		prompt();
		break;
	case SHELL_LE_CANCEL:
		prompt();
		break;
	case SHELL_LE_MORE:
		break;
	}
}

/* The input ended: a last line without its newline still runs, as in
 * other shells; then power off. */
static __attribute__((noreturn)) void input_closed(void)
{
	if (!editor.done && editor.len)
		input_byte('\n');
	fputs("\n", stdout);
	exit(0);
}

void shell_main(void)
{
	char in[64];

	shell_le_init(&editor, echo_out, NULL);
	prompt();
	for (;;) {
		fflush(stdout); /* the prompt and echo have no newline to flush them */
		long n = console_read(in, sizeof(in));
		if (n < 0)
			input_closed();
		for (long i = 0; i < n; i++)
			input_byte(in[i]);
	}
}

static void *terminal_thread(void *arg)
{
	(void)arg;
	shell_main();
}

static int shell_start(void)
{
	const struct thread_attr attr = {
	    .name = "terminal",
	    .flags = THREAD_F_PROTECTED | THREAD_F_KERNEL,
	    .detached = 1,
	};
	int tid = thread_spawn(&attr, terminal_thread, NULL);

	return tid < 0 ? tid : 0;
}

INITCALL(INITCALL_APP, shell_start);
