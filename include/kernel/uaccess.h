/*
 * Application memory, as the kernel sees it: never trusted. A system call
 * that takes a pointer checks or copies it through these helpers before it
 * takes any kernel lock; a bad address gives -EFAULT to the caller instead
 * of a crash in kernel code (the accessors' faults are fixed up through an
 * exception table, arch/<isa>/uaccess.S).
 *
 * A bad address is one in the NULL page, one whose range wraps or leaves
 * the application's half of the address space, or one that is not mapped
 * with the access asked for (unmapped, a guard page, read-only kernel text
 * or data for a write).
 *
 * user_check_*() probe one byte per page of a whole buffer: afterwards the
 * kernel may use the buffer directly (a driver copying file data under its
 * own lock). Only another thread of the application unmapping the buffer
 * at that very moment can still make such a copy fault; that fault is in
 * kernel code and is handled as one (docs/ARCHITECTURE.md, "Faults").
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>

/* @retval 0 the range may be an application buffer; -EFAULT it cannot be */
int user_range_ok(const void *p, size_t len);

/* The whole of [p, p+len) can be read (written) now. @retval 0, -EFAULT */
int user_check_read(const void *p, size_t len);
int user_check_write(void *p, size_t len);

/* Copy between kernel and application memory. @retval 0, -EFAULT (part of
 * the destination may have been written) */
int copy_from_user(void *dst, const void *usrc, size_t len);
int copy_to_user(void *udst, const void *src, size_t len);

/* Copy a NUL-terminated string of at most @size - 1 bytes into @dst.
 * @retval its length; -EFAULT; -ENAMETOOLONG when it does not fit */
long strncpy_from_user(char *dst, const char *usrc, size_t size);

/* Compare-and-swap on an application's word (futexes): *old gets what
 * was there. @retval 0, -EFAULT */
int user_cmpxchg32(int *uaddr, int *old, int new_value);
int user_load32(const int *uaddr, int *value);

/* The fault path: if @pc is an accessor's instruction, where it resumes.
 * @retval the fixup address, or 0 */
unsigned long uaccess_fixup(unsigned long pc);

#endif
