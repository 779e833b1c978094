// unit-sources: shell/parse.c shell/registry.c shell/cmd_help.c shell/cmd_basic.c shell/cmd_mem.c shell/cmd_thread.c
/* The built-in commands' output and exit status, against stand-ins for
 * the thread and memory calls (shell_stubs.h). poweroff is only given bad
 * arguments: a good one would end the test. */
#include <shell/shell.h>
#include "shell_harness.h"
#include "shell_stubs.h"

static char out[4096];

static int sh(const char *text)
{
	char line[512];

	snprintf(line, sizeof(line), "%s", text);
	capture_begin();
	int status = shell_run_line(line);
	capture_end(out, sizeof(out));
	return status;
}

#define OUT_IS(s) (!strcmp(out, s))
#define OUT_HAS(s) (strstr(out, s) != NULL)

static void test_help(void)
{
	CHECK(sh("help") == 0);
	CHECK(OUT_HAS("Unishyper terminal"));
	/* sorted, one line each, "name [ARG]   -- what", aligned */
	const char *order[] = {
	    "  echo [WORD...]    -- ", "  free              -- ", "  help [COMMAND]    -- ",
	    "  kill [TID]        -- ", "  poweroff [CODE]   -- ", "  ps                -- ",
	    "  run [TID]         -- ", "  uptime            -- ",
	};
	const char *at = out;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(at, order[i]);
		CHECK(p != NULL);
		at = p + 1;
	}
	CHECK(sh("help kill") == 0 &&
	      OUT_IS("  kill [TID]   -- end thread TID (protected threads refuse)\n"));
	CHECK(sh("help nope") == 1 && OUT_IS("help: no command 'nope'\n"));
	CHECK(sh("help a b") == SHELL_EXIT_USAGE && OUT_IS("usage: help [COMMAND]\n"));
}

static void test_echo_uptime(void)
{
	CHECK(sh("echo") == 0 && OUT_IS("\n"));
	CHECK(sh("echo  a   'b  c' \"\" d") == 0 && OUT_IS("a b  c  d\n"));
	CHECK(sh("uptime") == 0 && !strncmp(out, "up ", 3) && OUT_HAS(" s (") && OUT_HAS("d "));
	CHECK(sh("uptime now") == SHELL_EXIT_USAGE && OUT_IS("usage: uptime\n"));
}

static void test_poweroff_usage(void)
{
	const char *usage = "usage: poweroff [CODE]   (CODE: exit status 0..124, default 0)\n";

	CHECK(sh("poweroff x") == SHELL_EXIT_USAGE && OUT_IS(usage));
	CHECK(sh("poweroff 125") == SHELL_EXIT_USAGE && OUT_IS(usage));
	CHECK(sh("poweroff -1") == SHELL_EXIT_USAGE && OUT_IS(usage));
	CHECK(sh("poweroff 1 2") == SHELL_EXIT_USAGE && OUT_IS(usage));
}

static void test_ps(void)
{
	CHECK(sh("ps") == 0);
	CHECK(OUT_HAS("  TID NAME            STATE     PRIO CPU RUNTIME(ms) RESTARTS  FLAGS\n"));
	CHECK(
	    OUT_HAS("    1 main            running     10   0          12        0  protected\n"));
	CHECK(OUT_HAS("    2 worker-with-a-l sleeping     5   1        2000        3\n"));
	CHECK(
	    OUT_HAS("    3 terminal        blocked     10   0           0        0  protected\n"));
	CHECK(sh("ps -a") == SHELL_EXIT_USAGE && OUT_IS("usage: ps\n"));
}

static void test_kill_run(void)
{
	const char *kill_usage = "usage: kill TID   (TID: a thread id from ps)\n";

	CHECK(sh("kill 2") == 0 && OUT_IS("killed thread 2 (worker-with-a-l)\n"));
	CHECK(sh("kill 1") == 1 && OUT_IS("kill: 1: permission denied (protected thread)\n"));
	CHECK(sh("kill 3") == 1 && OUT_IS("kill: 3: that is the terminal itself\n"));
	CHECK(sh("kill 99") == 1 && OUT_IS("kill: 99: no such thread\n"));
	CHECK(sh("kill") == SHELL_EXIT_USAGE && OUT_IS(kill_usage));
	CHECK(sh("kill 2 3") == SHELL_EXIT_USAGE && OUT_IS(kill_usage));
	CHECK(sh("kill abc") == SHELL_EXIT_USAGE &&
	      !strncmp(out, "kill: abc: not a thread id\n", 27));
	CHECK(OUT_HAS(kill_usage));
	CHECK(sh("kill 0") == SHELL_EXIT_USAGE && OUT_HAS("kill: 0: not a thread id\n"));
	CHECK(sh("kill -2") == SHELL_EXIT_USAGE && OUT_HAS("kill: -2: not a thread id\n"));
	CHECK(sh("kill 99999999999") == SHELL_EXIT_USAGE && OUT_HAS("not a thread id"));
	CHECK(sh("run 2") == 0 && OUT_IS("woke thread 2 (worker-with-a-l)\n"));
	CHECK(sh("run 3") == 1 &&
	      OUT_IS("run: 3: not waiting (only a blocked or sleeping thread can be woken)\n"));
	CHECK(sh("run 7") == 1 && OUT_IS("run: 7: no such thread\n"));
	CHECK(sh("run") == SHELL_EXIT_USAGE &&
	      OUT_IS("usage: run TID   (TID: a thread id from ps)\n"));
}

static void test_free(void)
{
	CHECK(sh("free") == 0);
	CHECK(OUT_HAS("memory          bytes         KiB\n"));
	CHECK(OUT_HAS("total       268435456    262144.0\n"));
	CHECK(OUT_HAS("used            10240        10.0   (live allocations)\n"));
	CHECK(OUT_HAS("peak           300000       292.9   (most ever in use)\n"));
	CHECK(OUT_HAS("large blocks: 2, heaps: 3\n"));
	CHECK(OUT_HAS("    16 B           12\n"));
	CHECK(OUT_HAS("   128 B            1\n"));
	CHECK(!OUT_HAS("    32 B"));
	CHECK(sh("free -h") == SHELL_EXIT_USAGE && OUT_IS("usage: free\n"));
}

static void test_unknown(void)
{
	CHECK(sh("xyz") == SHELL_EXIT_UNKNOWN && OUT_IS("unknown command 'xyz' (try 'help')\n"));
	CHECK(sh("  ") == 0 && OUT_IS(""));
}

int main(void)
{
	run("cmd_help", test_help);
	run("cmd_echo_uptime", test_echo_uptime);
	run("cmd_poweroff_usage", test_poweroff_usage);
	run("cmd_ps", test_ps);
	run("cmd_kill_run", test_kill_run);
	run("cmd_free", test_free);
	run("cmd_unknown", test_unknown);
	return t_nfail != 0;
}
