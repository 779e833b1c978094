/* The host's file system for bench_fs's directory figures: 5,000 empty
 * files created and closed in one new directory (then an fsync of it),
 * and each looked up again with stat, in the same order as bench_fs.
 * Prints "fs_host: creates5000 <ms> ms" and "fs_host: lookup5000 <us>
 * us/lookup".
 *
 *   fs_host DIR */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MANY 5000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char p[4096];
	struct stat st;

	if (argc != 2 || mkdir(argv[1], 0755))
		return 2;
	double t0 = now();
	for (int i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/entry-%05d.txt", argv[1], i);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || close(fd))
			return 1;
	}
	int dfd = open(argv[1], O_RDONLY);
	if (dfd < 0 || fsync(dfd) || close(dfd))
		return 1;
	printf("fs_host: creates5000 %.0f ms\n", (now() - t0) * 1e3);
	t0 = now();
	for (int i = 0; i < MANY; i++) {
		snprintf(p, sizeof(p), "%s/entry-%05d.txt", argv[1], (i * 7919) % MANY);
		if (stat(p, &st))
			return 1;
	}
	printf("fs_host: lookup5000 %.1f us/lookup\n", (now() - t0) * 1e6 / MANY);
	return 0;
}
