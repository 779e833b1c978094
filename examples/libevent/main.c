/* Runs one of libevent's own programs, named by the first argument:
 *   libevent signal-test   waits for SIGINT three times (^C on the console)
 *   libevent test-weof     writes into a socketpair whose reader is gone
 *   libevent test-time     random timers, each must fire
 * and returns its status. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

int signal_test_main(int argc, char **argv);
int test_weof_main(int argc, char **argv);
int test_time_main(int argc, char **argv);

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} programs[] = {
    {"signal-test", signal_test_main},
    {"test-weof", test_weof_main},
    {"test-time", test_time_main},
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(programs) / sizeof(programs[0]); i++)
		if (!strcmp(argv[1], programs[i].name)) {
			/* A ^C before the program's own handler is there is
			 * lost, not the end: a test types ^C until it exits. */
			signal(SIGINT, SIG_IGN);
			printf("libevent: running %s\n", programs[i].name);
			fflush(stdout);
			int r = programs[i].main(argc - 1, argv + 1);
			printf("libevent: %s exited with %d\n", programs[i].name, r);
			return r;
		}
	fprintf(stderr, "usage: libevent signal-test|test-weof|test-time\n");
	return 2;
}
