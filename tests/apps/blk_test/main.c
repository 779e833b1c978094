/* The block device boot test: runs the blk.* in-kernel tests on the first
 * disk, which must be a scratch image (tools/mkdisk.sh --scratch), and
 * says so on its last line. With "ro" as argument the disk must be
 * read-only (QEMU readonly=on, or UNISHYPER_DISK_READONLY=1 on linuxu). */
#include <stdio.h>
#include <string.h>
#include <dev/blkdev.h>
#include <kernel/ktest.h>

/* The marker of drivers/virtio/ktest_virtio_blk.c and tools/mkdisk.sh. */
#define SCRATCH_MAGIC "UNISHYPER SCRATCH DISK"

static int is_scratch(struct blkdev *d)
{
	static char sec[4096];

	return d->sector_size <= sizeof(sec) && d->sectors &&
	       !blkdev_read(d, d->sectors - 1, sec, 1) &&
	       !memcmp(sec, SCRATCH_MAGIC, strlen(SCRATCH_MAGIC));
}

int main(int argc, char **argv)
{
	int want_ro = argc > 1 && !strcmp(argv[1], "ro");
	struct blkdev *d = blkdev_first();

	if (!d) {
		printf("blk_test: FAILED: no disk\n");
		return 1;
	}
	printf("blk_test: %s, %llu sectors of %u bytes%s\n", d->name,
	       (unsigned long long)d->sectors, d->sector_size, d->readonly ? ", read-only" : "");
	if (!is_scratch(d)) {
		printf("blk_test: FAILED: %s is not a scratch disk\n", d->name);
		return 1;
	}
	if (d->readonly != want_ro) {
		printf("blk_test: FAILED: expected a %s disk\n",
		       want_ro ? "read-only" : "writable");
		return 1;
	}
	int failed = ktest_run("blk.");
	if (failed) {
		printf("blk_test: FAILED: %d tests\n", failed);
		return 1;
	}
	printf("blk_test: ok%s\n", want_ro ? " (read-only)" : "");
	return 0;
}
