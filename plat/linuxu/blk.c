/* A disk on linuxu: the host file that the host environment variable
 * UNISHYPER_DISK names, read and written with the host's pread64/pwrite64
 * and made durable with fsync. Opened read-write, or read-only (said once
 * in the log) when the host does not allow writing, or when
 * UNISHYPER_DISK_READONLY=1 asks for it.
 *
 * A power cut, for tests: UNISHYPER_DISK_WRITE_LIMIT=N lets N write
 * requests through; the next one ends the process (status 3, "blk: power
 * cut after N writes" on the console) with the disk holding exactly the
 * first N. With the limit set, every flush logs the count so far, which
 * tells a test how many cut points a workload has. Host calls block the
 * whole process, so there is one request at a time; the lock only keeps
 * the calls of several threads from interleaving. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <dev/blkdev.h>
#include <kernel/initcall.h>
#include <kernel/log.h>

#include "host.h"
#include "linuxu.h"

#define SECTOR 512u
#define HOST_S_IFMT 0170000
#define HOST_S_IFREG 0100000

/* The host's struct stat (x86_64): only the mode and the size are used. */
struct host_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t times[6];
	int64_t unused[3];
};

static struct blkdev disk;
static long host_fd = -1;
static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static long write_limit = -1; /* -1: none */
static long writes;

#define POWER_CUT_STATUS 3

static long parse_count(const char *s)
{
	long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Whole transfers: the host may move fewer bytes than asked. */
static int host_io(int write, uint64_t sector, void *buf, uint32_t count)
{
	uint64_t off = sector * SECTOR, left = (uint64_t)count * SECTOR;
	char *p = buf;
	int ret = 0;

	if (sector > disk.sectors || count > disk.sectors - sector)
		return -EINVAL;
	pthread_mutex_lock(&io_lock);
	if (write && write_limit >= 0 && writes++ == write_limit) {
		log_info("blk: power cut after %ld writes", write_limit);
		host_syscall(HOST_EXIT_GROUP, POWER_CUT_STATUS, 0, 0);
	}
	while (left) {
		long n = host_syscall6(write ? HOST_PWRITE64 : HOST_PREAD64, host_fd, (long)p,
				       (long)left, (long)off, 0, 0);
		if (n == -EINTR)
			continue;
		if (n <= 0) { /* an error, or a file that shrank under us */
			ret = -EIO;
			break;
		}
		p += n;
		off += n;
		left -= n;
	}
	pthread_mutex_unlock(&io_lock);
	return ret;
}

static int file_read(struct blkdev *d, uint64_t sector, void *buf, uint32_t count)
{
	(void)d;
	return host_io(0, sector, buf, count);
}

static int file_write(struct blkdev *d, uint64_t sector, const void *buf, uint32_t count)
{
	if (d->readonly)
		return -EROFS;
	return host_io(1, sector, (void *)(uintptr_t)buf, count); /* only read */
}

static int file_flush(struct blkdev *d)
{
	if (d->readonly)
		return 0;
	if (write_limit >= 0)
		log_info("blk: %ld writes", writes);
	return host_syscall(HOST_FSYNC, host_fd, 0, 0) < 0 ? -EIO : 0;
}

static const struct blkdev_ops file_ops = {
    .read = file_read,
    .write = file_write,
    .flush = file_flush,
};

/* Open @path read-write unless @readonly, falling back to read-only.
 * @retval the host descriptor, or the host's negative errno */
static long open_disk(const char *path, int readonly)
{
	long fd = -EACCES;

	if (!readonly)
		fd = host_syscall(HOST_OPEN, path, HOST_O_RDWR | HOST_O_CLOEXEC, 0);
	if (fd < 0) {
		fd = host_syscall(HOST_OPEN, path, HOST_O_RDONLY | HOST_O_CLOEXEC, 0);
		if (fd >= 0 && !readonly)
			log_info("blk: %s is not writable here: read-only", path);
		disk.readonly = 1;
	}
	return fd;
}

/* @retval 0 registered, or no UNISHYPER_DISK (no disk is not an error)
 * @retval -ENOENT, -EACCES... the host's answer to open or fstat
 * @retval -EINVAL not a regular file */
static int linuxu_blk_init(void)
{
	const char *path = linuxu_host_env("UNISHYPER_DISK");
	const char *ro = linuxu_host_env("UNISHYPER_DISK_READONLY");
	struct host_stat st;
	long ret;

	if (!path || !*path)
		return 0;
	host_fd = open_disk(path, ro && *ro == '1');
	if (host_fd < 0) {
		log_error("blk: cannot open %s (%ld)", path, host_fd);
		return (int)host_fd;
	}
	ret = host_syscall(HOST_FSTAT, host_fd, &st, 0);
	if (ret < 0 || (st.mode & HOST_S_IFMT) != HOST_S_IFREG) {
		log_error("blk: %s: not a regular file", path);
		host_syscall(HOST_CLOSE, host_fd, 0, 0);
		return ret < 0 ? (int)ret : -EINVAL;
	}
	write_limit = parse_count(linuxu_host_env("UNISHYPER_DISK_WRITE_LIMIT"));
	disk.sector_size = SECTOR;
	disk.sectors = (uint64_t)st.size / SECTOR;
	disk.ops = &file_ops;
	return blkdev_register(&disk);
}

INITCALL(INITCALL_DRIVER, linuxu_blk_init);
