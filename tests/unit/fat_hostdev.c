/* See fat_hostdev.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat_hostdev.h"

static int check(struct hostdev *h, uint64_t sector, uint32_t count)
{
	return sector > h->bd.sectors || count > h->bd.sectors - sector ? -EINVAL : 0;
}

static int hd_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count)
{
	struct hostdev *h = d->priv;
	size_t len = (size_t)count * d->sector_size;
	off_t off = (off_t)(sector * d->sector_size);

	if (check(h, sector, count))
		return -EINVAL;
	h->nreads++;
	if (h->fail_reads >= 0 && h->fail_reads-- == 0) {
		h->fail_reads = 0;
		return -EIO;
	}
	if (h->fd < 0) {
		memcpy(buf, h->mem + off, len);
		return 0;
	}
	return pread(h->fd, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

static int hd_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t count)
{
	struct hostdev *h = d->priv;
	size_t len = (size_t)count * d->sector_size;
	off_t off = (off_t)(sector * d->sector_size);

	if (check(h, sector, count))
		return -EINVAL;
	if (d->readonly)
		return -EROFS;
	h->nwrites++;
	if (h->fail_writes >= 0 && h->fail_writes-- == 0) {
		h->fail_writes = 0;
		return -EIO;
	}
	if (sector < h->last_write)
		h->ordered = 0;
	h->last_write = sector;
	if (h->fd < 0) {
		memcpy(h->mem + off, buf, len);
		return 0;
	}
	return pwrite(h->fd, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

static int hd_flush(struct blkdev *d)
{
	struct hostdev *h = d->priv;

	h->nflushes++;
	h->last_write = 0; /* a new ordered batch may start */
	return h->fd < 0 || fsync(h->fd) == 0 ? 0 : -EIO;
}

static const struct blkdev_ops hd_ops = {.read = hd_read, .write = hd_write, .flush = hd_flush};

static void init(struct hostdev *h, uint64_t bytes)
{
	strcpy(h->bd.name, "hd0");
	h->bd.sector_size = 512;
	h->bd.sectors = bytes / 512;
	h->bd.ops = &hd_ops;
	h->bd.priv = h;
	h->fail_reads = h->fail_writes = -1;
	h->ordered = 1;
}

int hostdev_open(struct hostdev *h, const char *path, int readonly)
{
	struct stat st;

	memset(h, 0, sizeof(*h));
	h->fd = open(path, readonly ? O_RDONLY : O_RDWR);
	if (h->fd < 0)
		return -errno;
	if (fstat(h->fd, &st) < 0) {
		close(h->fd);
		return -errno;
	}
	init(h, (uint64_t)st.st_size);
	h->bd.readonly = readonly;
	return 0;
}

void hostdev_mem(struct hostdev *h, uint8_t *mem, size_t len)
{
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->mem = mem;
	init(h, len);
}

void hostdev_close(struct hostdev *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

/* The kernel heap, on the host: the C library's. */
void *mm_kernel_zalloc(size_t size)
{
	return calloc(1, size);
}
