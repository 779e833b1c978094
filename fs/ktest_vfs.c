/* In-kernel tests of the VFS layer that need no disk: path normalisation,
 * the current directory, and clean errors with nothing mounted there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <kernel/ktest.h>

#include "vfs_internal.h"

static int norm(const char *in, const char *want)
{
	char out[VFS_PATH_MAX];

	return vfs_normalize(in, out, sizeof(out)) == 0 && !strcmp(out, want);
}

TEST(vfs, paths_are_normalised)
{
	EXPECT(norm("/", "/"));
	EXPECT(norm("//a///b/", "/a/b"));
	EXPECT(norm("/a/./b/.", "/a/b"));
	EXPECT(norm("/a/b/../c", "/a/c"));
	EXPECT(norm("/../..", "/"));
	EXPECT(norm("/a/..", "/"));
	EXPECT(norm("/Ünï/名前", "/Ünï/名前"));
	char out[8];
	EXPECT_EQ(vfs_normalize("/abcdefghij", out, sizeof(out)), -ENAMETOOLONG);
	EXPECT_EQ(vfs_normalize("", out, sizeof(out)), -ENOENT);
	char longname[300];
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[sizeof(longname) - 1] = 0;
	char big[VFS_PATH_MAX];
	EXPECT_EQ(vfs_normalize(longname, big, sizeof(big)), -ENAMETOOLONG);
}

TEST(vfs, relative_paths_follow_the_current_directory)
{
	char out[VFS_PATH_MAX], cwd[64];

	EXPECT(getcwd(cwd, sizeof(cwd)) != NULL);
	EXPECT(vfs_normalize("x/y", out, sizeof(out)) == 0);
	char want[VFS_PATH_MAX];
	snprintf(want, sizeof(want), "%s%sx/y", cwd, strcmp(cwd, "/") ? "/" : "");
	EXPECT(!strcmp(out, want));
	EXPECT_EQ(vfs_getcwd(cwd, 1), -ERANGE);
}

TEST(vfs, missing_paths_fail_cleanly)
{
	errno = 0;
	EXPECT_EQ(open("/no/such/file", O_RDONLY), -1);
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(access("/definitely-not-here", F_OK), -1);
	EXPECT_EQ(chdir("/not-a-dir-anywhere"), -1);
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(close(200), -1);
	EXPECT_EQ(errno, EBADF);
}
