/* Files mapped into memory (kernel/mmap_file.c), for mmap and munmap. */
#ifndef KERNEL_MMAP_FILE_H
#define KERNEL_MMAP_FILE_H

#include <stddef.h>
#include <stdint.h>

/* mmap of @len bytes of descriptor @fd at @off (a page multiple).
 * @retval the address, or -EBADF, -ENODEV (not a file that can be read at
 *         an offset), -EACCES, -EINVAL, -ENOMEM, or the read's error */
long mmap_file(size_t len, int prot, int flags, int fd, uint64_t off);

/* munmap of a region that may be a shared file mapping: written back and
 * forgotten. @retval 1 it was one (its pages are freed); 0 it was not;
 * <0 the write-back failed (the pages are freed all the same) */
int mmap_file_unmap(void *addr);

/* Whether @addr is inside a file mapping. */
int mmap_file_is_mapped(const void *addr);

#endif
