/* In-kernel tests of the descriptor table (kernel/file.c, sys_file.c). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <kernel/ktest.h>

TEST(file, descriptors_dup_and_close)
{
	int fd = dup(1);

	EXPECT(fd > 2);
	EXPECT_EQ(write(fd, "", 0), 0);
	EXPECT_EQ(dup2(fd, 100), 100);
	EXPECT_EQ(fcntl(100, F_GETFD), 0);
	EXPECT_EQ(close(fd), 0);
	EXPECT_EQ(close(100), 0);
	EXPECT_EQ(close(100), -1);
	EXPECT_EQ(errno, EBADF);
	EXPECT_EQ(lseek(1, 0, SEEK_SET), -1);
	EXPECT_EQ(errno, ESPIPE);
}
