/* free: the allocator's statistics as a table. */
#include <stdio.h>
#include <kernel/mm.h>
#include <shell/shell.h>

/* KiB with one decimal, in integers: no floating point in the kernel's
 * output paths. */
static void row(const char *label, size_t bytes, const char *note)
{
	printf("%-8s %12zu %9zu.%zu%s\n", label, bytes, bytes / 1024, bytes % 1024 * 10 / 1024,
	       note);
}

static int cmd_free(int argc, char **argv)
{
	struct mm_stats st;

	(void)argv;
	if (argc != 1) {
		printf("usage: free\n");
		return SHELL_EXIT_USAGE;
	}
	mm_stats_get(&st);
	printf("%-8s %12s %11s\n", "memory", "bytes", "KiB");
	row("total", st.total, "");
	row("used", st.used, "   (live allocations)");
	row("free", st.free, "");
	row("peak", st.peak, "   (most ever in use)");
	row("largest", st.largest_free, "   (largest free block)");
	row("slabs", st.slab_bytes, "");
	printf("large blocks: %zu, heaps: %zu\n", st.large_count, st.nheaps);
	if (st.quarantined || st.dropped_lists)
		printf("quarantined: %zu bytes of %zu damaged heaps, %zu free lists dropped\n",
		       st.quarantined, st.quarantines, st.dropped_lists);
	printf("%-8s %12s\n", "class", "live objs");
	int shown = 0;
	for (int c = 0; c < MM_NCLASSES; c++) {
		if (st.class_size[c] && st.class_live[c]) {
			printf("%6zu B %12zu\n", st.class_size[c], st.class_live[c]);
			shown++;
		}
	}
	if (!shown)
		printf("  (no small objects live)\n");
	return 0;
}

SHELL_COMMAND(free, "memory: total, used, free, peak, live objects per size class", cmd_free);
