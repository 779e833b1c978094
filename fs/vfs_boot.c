/* At boot, the first disk is mounted on "/" when a file system recognises
 * it; a disk nothing recognises is reported and left alone. */
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <fs/vfs.h>

static int vfs_mount_root(void)
{
	struct blkdev *d = IS_ENABLED(CONFIG_BLKDEV) ? blkdev_first() : NULL;

	if (!d)
		return 0;
	int r = vfs_mount(d, "/", NULL);
	if (r < 0)
		log_warn("vfs: %s: no file system mounted (%d): not FAT, or damaged", d->name, r);
	return 0;
}
INITCALL(INITCALL_FS, vfs_mount_root);
