/* POSIX behaviours that ordinary programs rely on, checked on a FAT disk:
 * file locks (fcntl record locks, flock), signals and credentials, with Linux's
 * semantics for a process that is alone on its system. Prints [PASS]/[FAIL] lines and
 * "posix_test: ok". */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/file.h>
#include <unistd.h>

#include "posix_test.h"

int failed;

static void record_locks(void)
{
	int fd = open("/locks.db", O_RDWR | O_CREAT, 0644);
	struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};

	CHECK("record_lock_granted", fcntl(fd, F_SETLK, &l) == 0);
	CHECK("record_lock_again_in_the_same_process", fcntl(fd, F_SETLKW, &l) == 0);
	l.l_type = F_RDLCK;
	CHECK("record_lock_query_finds_no_other_process",
	      fcntl(fd, F_GETLK, &l) == 0 && l.l_type == F_UNLCK);
	l.l_type = 42;
	CHECK("record_lock_bad_type", fcntl(fd, F_SETLK, &l) == -1 && errno == EINVAL);
	CHECK("record_lock_bad_pointer", fcntl(fd, F_SETLK, (void *)1) == -1 && errno == EFAULT);
	l.l_type = F_UNLCK;
	CHECK("record_unlock", fcntl(fd, F_SETLK, &l) == 0);
	close(fd);
}

static int held_fd;

static void *release_later(void *arg)
{
	(void)arg;
	usleep(20000);
	close(held_fd);
	return NULL;
}

static void flock_locks(void)
{
	int a = open("/locks.db", O_RDWR), b = open("/locks.db", O_RDWR);
	pthread_t t;

	CHECK("flock_exclusive", flock(a, LOCK_EX | LOCK_NB) == 0);
	CHECK("flock_other_description_conflicts",
	      flock(b, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK("flock_downgrade_to_shared", flock(a, LOCK_SH) == 0);
	CHECK("flock_shared_with_shared", flock(b, LOCK_SH | LOCK_NB) == 0);
	CHECK("flock_upgrade_blocked_by_shared",
	      flock(a, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK);
	CHECK("flock_unlock", flock(b, LOCK_UN) == 0 && flock(a, LOCK_EX | LOCK_NB) == 0);
	/* A blocked flock() waits for the holder's close, not a timer. */
	held_fd = a;
	pthread_create(&t, NULL, release_later, NULL);
	CHECK("flock_waits_for_the_close", flock(b, LOCK_EX) == 0);
	pthread_join(t, NULL);
	CHECK("flock_bad_operation", flock(b, 77) == -1 && errno == EINVAL);
	CHECK("flock_bad_descriptor", flock(999, LOCK_SH) == -1 && errno == EBADF);
	close(b);
	CHECK("flock_file_removed", unlink("/locks.db") == 0);
}

/* Dropping root: the change holds for the process (musl applies it to
 * every thread; it must not wait for the kernel's threads), and a user
 * cannot become root again. */
static void credentials(void)
{
	gid_t list[2] = {100, 101}, got[4];

	CHECK("setgroups_as_root",
	      setgroups(2, list) == 0 && getgroups(4, got) == 2 && got[1] == 101);
	CHECK("setgid_as_root", setgid(1000) == 0 && getgid() == 1000 && getegid() == 1000);
	CHECK("setuid_as_root", setuid(1000) == 0 && getuid() == 1000 && geteuid() == 1000);
	CHECK("setuid_back_to_root_refused", setuid(0) == -1 && errno == EPERM && getuid() == 1000);
	CHECK("setgroups_refused_to_a_user", setgroups(0, NULL) == -1 && errno == EPERM);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "env")) {
		/* The environment from Kconfig and the kernel's env= options. */
		for (int i = 2; i < argc; i++)
			printf("env %s=<%s>\n", argv[i],
			       getenv(argv[i]) ? getenv(argv[i]) : "(unset)");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "term")) {
		/* The default action of SIGTERM ends the system, saying so. */
		raise(SIGTERM);
		printf("posix_test: still running after SIGTERM\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "intr"))
		return wait_for_intr(0); /* ^C's default action ends the system: 130 */
	if (argc > 1 && !strcmp(argv[1], "intr-handler"))
		return wait_for_intr(1);
	if (argc > 1 && !strcmp(argv[1], "sigpipe")) {
		/* SIGPIPE's default action ends the system, saying so. */
		int p[2];
		pipe(p);
		close(p[0]);
		write(p[1], "x", 1);
		printf("posix_test: still running after SIGPIPE\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "sigpipe-tcp"))
		return tcp_sigpipe_default();
	if (argc > 1 && !strcmp(argv[1], "net")) {
		/* The socket calls with the network in the image (no disk). */
		pair_checks();
		tcp_checks();
		printf("posix_test: %s\n", failed ? "FAILED" : "ok");
		return failed ? 1 : 0;
	}
	record_locks();
	flock_locks();
	signal_checks();
	credentials();
	call_checks();
	sigpipe_checks();
	tcp_checks();
	printf("posix_test: %s\n", failed ? "FAILED" : "ok");
	return failed ? 1 : 0;
}
