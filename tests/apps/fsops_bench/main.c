/* File operations timed in one directory, the same source for the
 * unikernel (FAT on virtio-blk, or Unilib-fs) and for the host (Linux, as
 * the reference; tools/bench_unilib.sh builds it with the host's gcc):
 *
 *   fsops_bench DIR
 *
 * creates   1,000 files of 1 KiB: open(O_CREAT) + write + close
 * stat      stat() of those files
 * openclose open() + close() of those files
 * write     a 32 MiB file in 128 KiB writes, then fsync
 * read      that file back in 128 KiB reads
 * Then everything is removed. Prints "fsops_bench: <what> <value> <unit>". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILES 1000
#define SMALL 1024
#define BIG (32u << 20)
#define CHUNK (128u << 10)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what)
{
	printf("fsops_bench: %s failed: %s\n", what, strerror(errno));
	return 1;
}

static char path[FILES][300];
static char buf[CHUNK];

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/bench";
	char big[300];
	struct stat st;
	double t;

	mkdir(dir, 0755);
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < FILES; i++)
		snprintf(path[i], sizeof(path[i]), "%s/small%04d.dat", dir, i);
	t = now();
	for (int i = 0; i < FILES; i++) {
		int fd = open(path[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, SMALL) != SMALL || close(fd))
			return fail("create");
	}
	printf("fsops_bench: creates %.0f files/s\n", FILES / (now() - t));
	t = now();
	for (int i = 0; i < FILES; i++)
		if (stat(path[i], &st) || st.st_size != SMALL)
			return fail("stat");
	printf("fsops_bench: stat %.2f us\n", (now() - t) * 1e6 / FILES);
	t = now();
	for (int i = 0; i < FILES; i++) {
		int fd = open(path[i], O_RDONLY);
		if (fd < 0 || close(fd))
			return fail("open");
	}
	printf("fsops_bench: openclose %.2f us\n", (now() - t) * 1e6 / FILES);
	snprintf(big, sizeof(big), "%s/big.dat", dir);
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open big");
	t = now();
	for (unsigned done = 0; done < BIG; done += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			return fail("write");
	if (fsync(fd) || close(fd))
		return fail("fsync");
	printf("fsops_bench: write %.1f MB/s\n", BIG / (now() - t) / 1e6);
	fd = open(big, O_RDONLY);
	t = now();
	for (unsigned done = 0; done < BIG; done += CHUNK)
		if (read(fd, buf, CHUNK) != CHUNK)
			return fail("read");
	printf("fsops_bench: read %.1f MB/s\n", BIG / (now() - t) / 1e6);
	close(fd);
	unlink(big);
	for (int i = 0; i < FILES; i++)
		unlink(path[i]);
	rmdir(dir);
	printf("fsops_bench: done\n");
	return 0;
}
