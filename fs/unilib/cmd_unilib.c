/* The shell's `unilib`: the state of the host file service, to see that
 * requests flow, that several are in flight, and that fids come back. */
#include <stdio.h>
#include <shell/shell.h>
#include <kernel/unilib.h>

static int cmd_unilib(int argc, char **argv)
{
	struct unilib_fs_stats st;

	(void)argv;
	if (argc != 1) {
		printf("usage: unilib\n");
		return SHELL_EXIT_USAGE;
	}
	unilib_fs_stats(&st);
	printf("unilib-fs: %ld requests, %ld in flight (at most %ld), %ld fids held, %ld errors\n",
	       st.requests, st.in_flight, st.max_in_flight, st.fids, st.errors);
	return 0;
}

SHELL_COMMAND(unilib, "host files (Unilib-fs): requests, fids held, errors", cmd_unilib);
