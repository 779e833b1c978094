/* The system calls that ordinary programs use around files and memory:
 * readlink (under realpath), fstatfs, fchdir, sendfile, mremap,
 * preadv/pwritev, fallocate and posix_fadvise. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include "posix_test.h"

static void paths(void)
{
	char buf[PATH_MAX], link[16];

	mkdir("/rp", 0755);
	close(open("/rp/file.txt", O_CREAT | O_WRONLY, 0644));
	CHECK("readlink_of_a_file_is_einval",
	      readlink("/rp/file.txt", link, sizeof(link)) == -1 && errno == EINVAL);
	CHECK("readlink_of_nothing_is_enoent",
	      readlink("/rp/none", link, sizeof(link)) == -1 && errno == ENOENT);
	CHECK("realpath_resolves_dots",
	      realpath("/rp/./../rp//file.txt", buf) && !strcmp(buf, "/rp/file.txt"));
	chdir("/rp");
	CHECK("realpath_of_a_relative_path",
	      realpath("file.txt", buf) && !strcmp(buf, "/rp/file.txt"));
	chdir("/");
	CHECK("realpath_of_nothing_is_enoent", !realpath("/rp/none", buf) && errno == ENOENT);

	struct statfs a, b;
	int fd = open("/rp/file.txt", O_RDONLY);
	CHECK("fstatfs_matches_statfs", fd >= 0 && fstatfs(fd, &a) == 0 && statfs("/", &b) == 0 &&
					    a.f_type == b.f_type && a.f_blocks == b.f_blocks &&
					    a.f_bsize > 0);
	close(fd);
}

/* fchdir: back to a directory by its descriptor, as programs that walk a
 * tree (or save "." before a chdir) do. */
static void dir_descriptors(void)
{
	char buf[PATH_MAX];

	mkdir("/rp/sub", 0755);
	chdir("/rp");
	int here = open(".", O_RDONLY | O_DIRECTORY), sub = open("sub", O_RDONLY | O_DIRECTORY);
	int file = open("/rp/file.txt", O_RDONLY);
	chdir("/");
	CHECK("fchdir_to_a_directory",
	      here >= 0 && fchdir(here) == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/rp"));
	CHECK("fchdir_then_relative_open", access("file.txt", F_OK) == 0);
	CHECK("fchdir_to_one_opened_relative",
	      sub >= 0 && fchdir(sub) == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/rp/sub"));
	CHECK("fchdir_to_a_file_is_enotdir", fchdir(file) == -1 && errno == ENOTDIR &&
						 getcwd(buf, sizeof(buf)) &&
						 !strcmp(buf, "/rp/sub"));
	int p[2];
	pipe(p);
	CHECK("fchdir_to_a_pipe_is_enotdir", fchdir(p[0]) == -1 && errno == ENOTDIR);
	close(p[0]);
	close(p[1]);
	CHECK("fchdir_bad_descriptor", fchdir(999) == -1 && errno == EBADF);
	close(file);
	close(sub);
	/* The descriptor outlives the directory's name: the directory made
	 * under that name after is another one. */
	CHECK("fchdir_to_a_removed_directory_is_enoent",
	      fchdir(here) == 0 && (sub = open("sub", O_RDONLY | O_DIRECTORY)) >= 0 &&
		  rmdir("sub") == 0 && mkdir("sub", 0755) == 0 && fchdir(sub) == -1 &&
		  errno == ENOENT && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/rp"));
	close(sub);
	close(here);
	chdir("/");
}

static void transfers(void)
{
	static char data[100000];
	char back[64];
	int fd = open("/sf.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	CHECK("data_written", fd >= 0 && write(fd, data, sizeof(data)) == (ssize_t)sizeof(data));

	/* sendfile from a file into a pipe, at an offset that moves. */
	int p[2];
	pipe(p);
	off_t off = 1000;
	ssize_t n = sendfile(p[1], fd, &off, 5000);
	char *in = malloc(5000);
	CHECK("sendfile_to_a_pipe", n == 5000 && off == 6000 && read(p[0], in, 5000) == 5000 &&
					!memcmp(in, data + 1000, 5000));
	free(in);
	close(p[0]);
	close(p[1]);
	/* And from a file to a file, from the input's own position. */
	int out = open("/sf.copy", O_CREAT | O_RDWR | O_TRUNC, 0644);
	lseek(fd, 0, SEEK_SET);
	CHECK("sendfile_file_to_file",
	      sendfile(out, fd, NULL, sizeof(data)) == (ssize_t)sizeof(data) &&
		  lseek(fd, 0, SEEK_CUR) == (off_t)sizeof(data) &&
		  pread(out, back, 64, 50000) == 64 && !memcmp(back, data + 50000, 64));
	close(out);

	char a[10], b[20];
	struct iovec iov[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	CHECK("preadv_two_buffers", preadv(fd, iov, 2, 300) == 30 && !memcmp(a, data + 300, 10) &&
					!memcmp(b, data + 310, 20));
	memcpy(a, "0123456789", 10);
	memcpy(b, "abcdefghijklmnopqrst", 20);
	CHECK("pwritev_two_buffers", pwritev(fd, iov, 2, 90000) == 30 &&
					 pread(fd, back, 30, 90000) == 30 &&
					 !memcmp(back, "0123456789abcdefghijklmnopqrst", 30));
	struct stat st;
	CHECK("fallocate_grows_the_file",
	      fallocate(fd, 0, 0, 200000) == 0 && fstat(fd, &st) == 0 && st.st_size == 200000 &&
		  pread(fd, back, 8, 150000) == 8 && !memcmp(back, "\0\0\0\0\0\0\0\0", 8));
	CHECK("fallocate_inside_keeps_size",
	      fallocate(fd, 0, 10, 10) == 0 && fstat(fd, &st) == 0 && st.st_size == 200000);
	CHECK("posix_fadvise_accepted", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
	pipe(p);
	CHECK("posix_fadvise_on_a_pipe_is_espipe", posix_fadvise(p[0], 0, 0, 0) == ESPIPE);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void remap(void)
{
	size_t small = 3 * 4096, big = 64 * 4096;
	char *m = mmap(NULL, small, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (size_t i = 0; i < small; i++)
		m[i] = (char)i;
	CHECK("mremap_without_maymove_cannot_grow",
	      mremap(m, small, big, 0) == MAP_FAILED && errno == ENOMEM);
	char *g = mremap(m, small, big, MREMAP_MAYMOVE);
	int same = g != MAP_FAILED;
	for (size_t i = 0; same && i < small; i++)
		same = g[i] == (char)i;
	CHECK("mremap_grows_keeping_the_data", same && g[big - 1] == 0);
	if (g != MAP_FAILED) {
		g[big - 1] = 1;
		CHECK("mremap_shrinks_in_place", mremap(g, big, 4096, 0) == g);
		munmap(g, 4096);
	}
}

void call_checks(void)
{
	paths();
	dir_descriptors();
	pair_checks();
	transfers();
	remap();
}
