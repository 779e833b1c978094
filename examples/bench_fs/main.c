/* File system benchmark on the disk mounted at /: sequential write and
 * read of a 64 MiB file, create+write+close of 1,000 small files, 20,000
 * appends of 100 bytes to one file (then fsync), the removal of the
 * 1,000 small files (then sync), and 5,000 empty files created in one
 * directory (then sync) and looked up again.
 * Prints "bench_fs: <what> <value> <unit>" lines. The disk should be a
 * fresh FAT32 image (make bench makes one). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIG (64u << 20)
#define CHUNK (256u << 10)
#define SMALL_FILES 1000
#define APPENDS 20000
#define MANY 5000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	printf("bench_fs: %s failed: %s\n", what, strerror(errno));
	return 1;
}

int main(void)
{
	static char buf[CHUNK];
	double t0, t1;

	memset(buf, 0xa5, sizeof(buf));
	int fd = open("/big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("create");
	t0 = now();
	for (unsigned done = 0; done < BIG; done += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			return fail("write");
	if (fsync(fd) || close(fd))
		return fail("fsync");
	t1 = now();
	printf("bench_fs: seq_write %.1f MB/s\n", BIG / 1e6 / (t1 - t0));

	fd = open("/big.bin", O_RDONLY);
	if (fd < 0)
		return fail("open");
	t0 = now();
	unsigned total = 0;
	ssize_t n;
	while ((n = read(fd, buf, CHUNK)) > 0)
		total += n;
	close(fd);
	t1 = now();
	if (total != BIG)
		return fail("read");
	printf("bench_fs: seq_read %.1f MB/s\n", BIG / 1e6 / (t1 - t0));

	if (mkdir("/small", 0755))
		return fail("mkdir");
	t0 = now();
	for (int i = 0; i < SMALL_FILES; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/small/file%04d.txt", i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, 100) != 100 || close(fd))
			return fail("small file");
	}
	sync();
	t1 = now();
	printf("bench_fs: small_files %.0f files/s\n", SMALL_FILES / (t1 - t0));

	fd = open("/log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		return fail("create log");
	t0 = now();
	for (int i = 0; i < APPENDS; i++)
		if (write(fd, buf, 100) != 100)
			return fail("append");
	if (fsync(fd) || close(fd))
		return fail("fsync log");
	t1 = now();
	printf("bench_fs: appends %.0f writes/s\n", APPENDS / (t1 - t0));

	t0 = now();
	for (int i = 0; i < SMALL_FILES; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/small/file%04d.txt", i);
		if (unlink(path))
			return fail("unlink");
	}
	sync();
	t1 = now();
	printf("bench_fs: deletes %.0f files/s\n", SMALL_FILES / (t1 - t0));

	if (mkdir("/many", 0755))
		return fail("mkdir many");
	t0 = now();
	for (int i = 0; i < MANY; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/many/entry-%05d.txt", i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			return fail("create many");
	}
	sync();
	t1 = now();
	printf("bench_fs: creates5000 %.0f ms\n", (t1 - t0) * 1e3);
	t0 = now();
	for (int i = 0; i < MANY; i++) {
		char path[64];
		struct stat st;
		snprintf(path, sizeof(path), "/many/entry-%05d.txt", (i * 7919) % MANY);
		if (stat(path, &st))
			return fail("stat many");
	}
	t1 = now();
	printf("bench_fs: lookup5000 %.1f us/lookup\n", (t1 - t0) * 1e6 / MANY);
	printf("bench_fs: ok\n");
	return 0;
}
