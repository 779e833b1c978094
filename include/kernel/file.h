/*
 * Open files and the descriptor table. A struct file is what a descriptor
 * names: the console, a file of a mounted file system, a socket, a pipe. Each
 * kind supplies its operations; the generic calls (read, write, lseek,
 * close, dup, fcntl, ...) live in kernel/sys_file.c.
 *
 * One process, so one table, shared by all threads. Each file records the
 * thread that opened it, so that the files of a thread that crashed can be
 * found and closed, and whether another thread used it (its number is
 * then not reused until that thread closes it).
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FD_MAX 1024

struct file;

struct file_ops {
	/* Sequential transfer at (and advancing) f->pos when the file is
	 * seekable; NULL when the kind cannot do it (-EINVAL). */
	long (*read)(struct file *f, void *buf, size_t len);
	long (*write)(struct file *f, const void *buf, size_t len);
	/* Positioned transfer (pread/pwrite); NULL: -ESPIPE. */
	long (*pread)(struct file *f, void *buf, size_t len, uint64_t off);
	long (*pwrite)(struct file *f, const void *buf, size_t len, uint64_t off);
	/* @retval the file's size, for SEEK_END; NULL: not seekable */
	long long (*size)(struct file *f);
	int (*ioctl)(struct file *f, unsigned long req, void *arg);
	int (*fstat)(struct file *f, struct stat *st);
	int (*fsync)(struct file *f);
	int (*ftruncate)(struct file *f, uint64_t size);
	/* Linux getdents64 records into buf. */
	long (*getdents)(struct file *f, void *buf, size_t len);
	/* Readiness now, without waiting: the bits of @events (POLLIN,
	 * POLLOUT, ...) that hold, plus POLLERR/POLLHUP. A kind whose state
	 * changes while nobody calls it (data arrives) calls
	 * file_poll_notify() after the change. NULL: always ready for
	 * reading and writing, as regular files are. */
	short (*poll)(struct file *f, short events);
	/* The last descriptor for it closed. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	int refs;	    /* descriptors (dup) and calls in progress */
	int flags;	    /* O_ACCMODE, O_APPEND, O_NONBLOCK, O_DIRECTORY */
	int owner_tid;	    /* the thread that opened it; 0: the process's */
	int used_by_others; /* a thread other than the opener looked it up */
	uint64_t pos;	    /* the offset of sequential reads and writes */
	uint64_t dir_pos;   /* readdir cursor */
	int dir_dots;	    /* "." and ".." already listed */
	void *priv;	    /* the kind's */
	uint64_t id;	    /* unique over the run: names this file, not its descriptor */
	int flocked;	    /* flock() was called on it: release its lock at the end */
};

/* A new file with one reference, or NULL (out of memory). */
struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);

/* Put @f in the lowest free descriptor >= @min; the descriptor takes over
 * the caller's reference.
 * @retval the descriptor; -EMFILE none free */
int fd_install(struct file *f, int min, int cloexec);
/* A new file of @ops over @priv in the lowest free descriptor: when no
 * file can be made, nothing is done (the caller still owns @priv); once
 * made, its release op owns @priv, even if no descriptor is free.
 * @retval the descriptor; -ENOMEM; -EMFILE */
int fd_open_new(const struct file_ops *ops, int flags, void *priv, int cloexec);
/* A write's result: -EPIPE also sends SIGPIPE to the calling thread.
 * @retval @r */
long file_write_epipe(long r);
/* The file behind @fd with a new reference (file_put it), or NULL. */
struct file *fd_get(int fd);
/* Close every descriptor whose file thread @tid opened (it crashed). A
 * file that another thread has used leaves its number reserved: calls
 * with it fail with EBADF until close() frees the number, so a survivor
 * never reaches a file opened later under the same number.
 * @retval how many */
int fd_close_owned(int tid);
/* Make @fd's file the process's rather than its opener's: a crash of the
 * opener leaves it open. For a descriptor handed to another thread.
 * @retval 0; -EBADF not open */
int fd_share(int fd);

/* Something a poll() or select() may be waiting for happened: wake every
 * waiter, which looks at its files again (kernel/sys_poll.c). Any thread;
 * not interrupt handlers. Cheap when nobody waits. */
void file_poll_notify(void);

#endif
