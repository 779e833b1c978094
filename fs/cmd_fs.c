/* Shell commands on files: ls, cat, mkdir, write, rm, rmdir, mv, stat, df,
 * sync, cd, pwd. They use the C library's own file calls, as an
 * application would. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <shell/shell.h>
#include <fs/vfs.h>

static int fail(const char *cmd, const char *path)
{
	printf("%s: %s: %s\n", cmd, path, strerror(errno));
	return 1;
}

static void print_long(const char *dir, const char *name)
{
	char path[1024];
	struct stat st;
	struct tm tm;
	char when[32] = "?";

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st)) {
		printf("?          %10s %16s %s\n", "?", "?", name);
		return;
	}
	time_t t = st.st_mtime;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	printf("%s %10lld %16s %s%s\n", S_ISDIR(st.st_mode) ? "d" : "-", (long long)st.st_size,
	       when, name, S_ISDIR(st.st_mode) ? "/" : "");
}

static int cmd_ls(int argc, char **argv)
{
	int lng = argc > 1 && !strcmp(argv[1], "-l");
	const char *dir = argc > 1 + lng ? argv[1 + lng] : ".";

	if (argc > 2 + lng || (argc > 1 && argv[1][0] == '-' && !lng)) {
		printf("usage: ls [-l] [DIR]\n");
		return SHELL_EXIT_USAGE;
	}
	DIR *d = opendir(dir);
	if (!d)
		return fail("ls", dir);
	struct dirent *e;
	/* readdir() says "end" and "error" apart only through errno, which
	 * the printing below may change: clear it before every call. */
	while ((errno = 0, e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (lng)
			print_long(dir, e->d_name);
		else
			printf("%s%s\n", e->d_name, e->d_type == DT_DIR ? "/" : "");
	}
	int err = errno;
	closedir(d);
	if (err) {
		errno = err;
		return fail("ls", dir);
	}
	return 0;
}

SHELL_COMMAND_ARGS(ls, "[-l] [DIR]", "list a directory (the current one by default)", cmd_ls);

static int cmd_cat(int argc, char **argv)
{
	char buf[512];
	int status = 0;

	if (argc < 2) {
		printf("usage: cat FILE...\n");
		return SHELL_EXIT_USAGE;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			status = fail("cat", argv[i]);
			continue;
		}
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, n, stdout);
		if (n < 0)
			status = fail("cat", argv[i]);
		close(fd);
	}
	fflush(stdout);
	return status;
}

SHELL_COMMAND_ARGS(cat, "FILE...", "print files", cmd_cat);

/* The commands that take a fixed number of paths and make one call. */
static int one_call(int argc, char **argv, int want, const char *usage, int r)
{
	if (argc != want) {
		printf("usage: %s\n", usage);
		return SHELL_EXIT_USAGE;
	}
	return r ? fail(argv[0], argv[1]) : 0;
}

static int cmd_mkdir(int argc, char **argv)
{
	return one_call(argc, argv, 2, "mkdir DIR", argc == 2 ? mkdir(argv[1], 0755) : 0);
}

static int cmd_rm(int argc, char **argv)
{
	return one_call(argc, argv, 2, "rm FILE", argc == 2 ? unlink(argv[1]) : 0);
}

static int cmd_rmdir(int argc, char **argv)
{
	return one_call(argc, argv, 2, "rmdir DIR", argc == 2 ? rmdir(argv[1]) : 0);
}

static int cmd_mv(int argc, char **argv)
{
	return one_call(argc, argv, 3, "mv FROM TO", argc == 3 ? rename(argv[1], argv[2]) : 0);
}

static int cmd_cd(int argc, char **argv)
{
	if (argc == 1)
		return chdir("/") ? fail("cd", "/") : 0;
	return one_call(argc, argv, 2, "cd [DIR]", argc == 2 ? chdir(argv[1]) : 0);
}

SHELL_COMMAND_ARGS(mkdir, "DIR", "make a directory", cmd_mkdir);
SHELL_COMMAND_ARGS(rm, "FILE", "remove a file", cmd_rm);
SHELL_COMMAND_ARGS(rmdir, "DIR", "remove an empty directory", cmd_rmdir);
SHELL_COMMAND_ARGS(mv, "FROM TO", "rename or move a file or directory", cmd_mv);
SHELL_COMMAND_ARGS(cd, "[DIR]", "change the current directory (/ by default)", cmd_cd);

static int cmd_pwd(int argc, char **argv)
{
	char buf[1024];

	(void)argv;
	if (argc != 1) {
		printf("usage: pwd\n");
		return SHELL_EXIT_USAGE;
	}
	if (!getcwd(buf, sizeof(buf)))
		return fail("pwd", ".");
	printf("%s\n", buf);
	return 0;
}

SHELL_COMMAND(pwd, "print the current directory", cmd_pwd);

/* write FILE TEXT...: the words joined by spaces, and a newline. */
static int cmd_write(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: write FILE [TEXT...]\n");
		return SHELL_EXIT_USAGE;
	}
	FILE *f = fopen(argv[1], "w");
	if (!f)
		return fail("write", argv[1]);
	for (int i = 2; i < argc; i++)
		fprintf(f, "%s%s", argv[i], i + 1 < argc ? " " : "");
	fputc('\n', f);
	if (fclose(f))
		return fail("write", argv[1]);
	return 0;
}

SHELL_COMMAND_ARGS(write, "FILE [TEXT...]", "replace FILE's contents with TEXT and a newline",
		   cmd_write);

static int cmd_stat(int argc, char **argv)
{
	struct stat st;
	struct tm tm;
	char when[32] = "?";

	if (argc != 2) {
		printf("usage: stat PATH\n");
		return SHELL_EXIT_USAGE;
	}
	if (stat(argv[1], &st))
		return fail("stat", argv[1]);
	time_t t = st.st_mtime;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%s: %s, %lld bytes, %lld blocks of 512, modified %s\n", argv[1],
	       S_ISDIR(st.st_mode) ? "directory" : "regular file", (long long)st.st_size,
	       (long long)st.st_blocks, when);
	return 0;
}

SHELL_COMMAND_ARGS(stat, "PATH", "show a file's type, size and time", cmd_stat);

static int cmd_df(int argc, char **argv)
{
	struct vfs_statfs s;
	const char *path = argc > 1 ? argv[1] : "/";

	if (argc > 2) {
		printf("usage: df [PATH]\n");
		return SHELL_EXIT_USAGE;
	}
	int r = vfs_statfs(path, &s);
	if (r < 0) {
		errno = -r;
		return fail("df", path);
	}
	/* bytes first: blocks may be smaller than a KiB (512-byte clusters) */
	unsigned long long bs = s.block_size, all = s.blocks, free_ = s.blocks_free;
	printf("%-6s %12s %12s %12s %5s\n", "type", "KiB", "used", "free", "use%");
	printf("%-6s %12llu %12llu %12llu %4llu%%\n", s.type, all * bs / 1024,
	       (all - free_) * bs / 1024, free_ * bs / 1024, all ? (all - free_) * 100 / all : 0);
	return 0;
}

SHELL_COMMAND_ARGS(df, "[PATH]", "space used and free on a file system", cmd_df);

static int cmd_sync(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		printf("usage: sync\n");
		return SHELL_EXIT_USAGE;
	}
	int r = vfs_sync_all();
	if (r < 0) {
		printf("sync: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}

SHELL_COMMAND(sync, "write everything cached to the disk", cmd_sync);
