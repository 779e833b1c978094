/* zones: each zone's key, name, threads, pages and violations so far. */
#include <stdio.h>
#include <shell/shell.h>
#include <kernel/zone.h>

static int cmd_zones(int argc, char **argv)
{
	struct zone_info z[ZONE_MAX];

	(void)argv;
	if (argc != 1) {
		printf("usage: zones\n");
		return SHELL_EXIT_USAGE;
	}
	if (!zone_available()) {
		printf("zones: unavailable (no protection keys): W^X only\n");
		return 0;
	}
	int n = zone_snapshot(z, ZONE_MAX);
	printf("%4s %-15s %7s %9s %11s %10s\n", "KEY", "NAME", "THREADS", "PAGES", "BYTES",
	       "VIOLATIONS");
	for (int i = 0; i < n; i++) {
		if (z[i].id == ZONE_KERNEL)
			printf("%4d %-15s %7u %9s %11s %10u\n", z[i].id, z[i].name, z[i].threads,
			       "(rest)", "", z[i].violations);
		else
			printf("%4d %-15s %7u %9zu %11zu %10u\n", z[i].id, z[i].name, z[i].threads,
			       z[i].pages, z[i].pages * 4096, z[i].violations);
	}
	return 0;
}

SHELL_COMMAND(zones, "list the memory zones: key, threads, pages, violations", cmd_zones);
