/* File system tests driven from the host (tests/storage/run.sh), run on the
 * disk mounted at /:
 *   fs_test list          every directory and file under /, with size and
 *                         an FNV-1a 64 checksum, for comparison with mtools
 *   fs_test write         a fixed set of changes (below) for the host to check
 *   fs_test errors        error cases: [PASS]/[FAIL] lines
 *   fs_test stress N      write files until killed, syncing every N files
 *   fs_test verify        check the files "stress" reported as synced
 *   fs_test cutprep|cut|cutcheck KIND ...   power-cut workloads (cut.c)
 * Ends with "fs_test: <mode> ok" and status 0, or status 1. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cut.h"

static int failures;

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static int checksum(const char *path, uint64_t *sum, long long *size)
{
	static unsigned char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	*sum = 0xcbf29ce484222325ull;
	*size = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		*sum = fnv1a(*sum, buf, n);
		*size += n;
	}
	close(fd);
	return n < 0 ? -1 : 0;
}

static void list(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		printf("error opendir %s: %s\n", dir, strerror(errno));
		failures++;
		return;
	}
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", e->d_name);
		if (stat(path, &st)) {
			printf("error stat %s: %s\n", path, strerror(errno));
			failures++;
		} else if (S_ISDIR(st.st_mode)) {
			printf("dir %s\n", path);
			list(path);
		} else {
			uint64_t sum;
			long long size;
			if (checksum(path, &sum, &size) || size != st.st_size) {
				printf("error read %s: %s\n", path, strerror(errno));
				failures++;
			} else {
				printf("file %s %lld %016llx\n", path, size,
				       (unsigned long long)sum);
			}
		}
	}
	closedir(d);
}

/* Deterministic contents: byte i of file @seed. */
static void fill(unsigned char *buf, size_t n, unsigned seed, size_t start)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)((start + i) * 31 + seed * 7 + ((start + i) >> 9));
}

static int write_file(const char *path, size_t size, unsigned seed)
{
	static unsigned char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (size_t done = 0; done < size;) {
		size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);
		fill(buf, n, seed, done);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
		done += n;
	}
	return close(fd);
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("fs_test: FAIL %s (line %d, errno %s)\n", #cond, __LINE__,          \
			       strerror(errno));                                                   \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static void do_write(void)
{
	CHECK(mkdir("/made", 0755) == 0);
	CHECK(mkdir("/made/deeper dir", 0755) == 0);
	CHECK(write_file("/made/deeper dir/A file with a long name.bin", 100000, 1) == 0);
	CHECK(write_file("/made/small.txt", 5, 2) == 0);
	CHECK(write_file("/made/empty", 0, 3) == 0);
	CHECK(write_file("/made/big.bin", 3 * 1024 * 1024 + 17, 4) == 0);
	CHECK(write_file("/made/Ünïcødé 名前.txt", 1234, 5) == 0);
	CHECK(write_file("/made/to be renamed.txt", 777, 6) == 0);
	CHECK(rename("/made/to be renamed.txt", "/made/deeper dir/renamed.txt") == 0);
	CHECK(write_file("/made/to delete", 5000, 7) == 0);
	CHECK(unlink("/made/to delete") == 0);
	CHECK(write_file("/made/truncated", 70000, 8) == 0);
	CHECK(truncate("/made/truncated", 1000) == 0);
	FILE *f = fopen("/made/stdio.txt", "w");
	CHECK(f != NULL);
	if (f) {
		for (int i = 0; i < 100; i++)
			fprintf(f, "line %d\n", i);
		CHECK(fclose(f) == 0);
	}
	f = fopen("/made/stdio.txt", "a+");
	CHECK(f != NULL);
	if (f) {
		fprintf(f, "appended\n");
		rewind(f);
		char line[64];
		CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "line 0\n"));
		fclose(f);
	}
	CHECK(mkdir("/made/gone", 0755) == 0);
	CHECK(rmdir("/made/gone") == 0);
	/* Many entries in one directory. */
	CHECK(mkdir("/made/many", 0755) == 0);
	for (int i = 0; i < 300; i++) {
		char p[64];
		snprintf(p, sizeof(p), "/made/many/entry number %03d.dat", i);
		CHECK(write_file(p, i, 100 + i) == 0);
	}
	sync();
}

static void expect_err(const char *what, int r, int err)
{
	if (r == -1 && errno == err) {
		printf("[PASS] %s\n", what);
	} else {
		printf("[FAIL] %s: got %d errno %s, want %s\n", what, r, strerror(errno),
		       strerror(err));
		failures++;
	}
}

static void do_errors(void)
{
	mkdir("/e", 0755);
	write_file("/e/file", 10, 1);
	mkdir("/e/dir", 0755);
	write_file("/e/dir/inner", 10, 1);
	expect_err("open missing file", open("/e/nothing", O_RDONLY), ENOENT);
	expect_err("open in missing dir", open("/e/no/such", O_RDONLY), ENOENT);
	expect_err("file as a directory", open("/e/file/x", O_RDONLY), ENOTDIR);
	expect_err("mkdir existing", mkdir("/e/dir", 0755), EEXIST);
	expect_err("rmdir non-empty", rmdir("/e/dir"), ENOTEMPTY);
	expect_err("rmdir a file", rmdir("/e/file"), ENOTDIR);
	expect_err("unlink a directory", unlink("/e/dir"), EISDIR);
	expect_err("open a directory for writing", open("/e/dir", O_WRONLY), EISDIR);
	expect_err("O_EXCL on existing", open("/e/file", O_CREAT | O_EXCL | O_WRONLY, 0644),
		   EEXIST);
	int fd = open("/e/file", O_RDONLY);
	expect_err("write to read-only descriptor", (int)write(fd, "x", 1), EBADF);
	close(fd);
	expect_err("read a closed descriptor", (int)read(fd, &fd, 1), EBADF);
	expect_err("rename a directory into itself", rename("/e/dir", "/e/dir/sub"), EINVAL);
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	expect_err("name too long", open(longname, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	expect_err("chdir to a file", chdir("/e/file"), ENOTDIR);
	CHECK(chdir("/e/dir") == 0);
	struct stat st;
	CHECK(stat("inner", &st) == 0 && st.st_size == 10);
	CHECK(stat("../file", &st) == 0 && st.st_size == 10);
	char cwd[64];
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/e/dir"));
	CHECK(chdir("/") == 0);
}

static void do_stress(int every)
{
	for (int i = 0;; i++) {
		char p[64];
		snprintf(p, sizeof(p), "/s%05d.bin", i);
		if (write_file(p, 1000 + (i % 50) * 997, i)) {
			printf("fs_test: write %s failed: %s\n", p, strerror(errno));
			return;
		}
		if ((i + 1) % every == 0) {
			sync();
			printf("synced %d\n", i + 1);
			fflush(stdout);
		}
	}
}

/* Every file up to the count given must be whole. */
static void do_verify(int upto)
{
	static unsigned char want[65536], got[65536];

	for (int i = 0; i < upto; i++) {
		char p[64];
		size_t size = 1000 + (i % 50) * 997;
		snprintf(p, sizeof(p), "/s%05d.bin", i);
		int fd = open(p, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, got, sizeof(got));
		if (fd >= 0)
			close(fd);
		fill(want, size, i, 0);
		if (n != (ssize_t)size || memcmp(want, got, size)) {
			printf("fs_test: FAIL %s: synced but %s\n", p,
			       n < 0 ? strerror(errno) : "wrong");
			failures++;
		}
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "list";

	if (!strncmp(mode, "cut", 3))
		return cut_main(argc, argv);

	if (!strcmp(mode, "list"))
		list("/");
	else if (!strcmp(mode, "write"))
		do_write();
	else if (!strcmp(mode, "errors"))
		do_errors();
	else if (!strcmp(mode, "stress"))
		do_stress(argc > 2 ? atoi(argv[2]) : 10);
	else if (!strcmp(mode, "verify"))
		do_verify(argc > 2 ? atoi(argv[2]) : 0);
	else {
		printf("fs_test: unknown mode %s\n", mode);
		return 2;
	}
	if (failures) {
		printf("fs_test: %s: %d failures\n", mode, failures);
		return 1;
	}
	printf("fs_test: %s ok\n", mode);
	return 0;
}
