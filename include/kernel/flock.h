/* File locks (kernel/flock.c): POSIX record locks and flock(). */
#ifndef KERNEL_FLOCK_H
#define KERNEL_FLOCK_H

struct file;

/* fcntl F_GETLK, F_SETLK, F_SETLKW on @f with the application's struct
 * flock at @uarg. @retval 0, -EFAULT, -EINVAL, -EBADF */
long file_lock_fcntl(struct file *f, int cmd, void *uarg);

/* The description @f goes: its flock() lock goes with it. */
void flock_release(struct file *f);

#endif
