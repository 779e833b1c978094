/*
 * Files mapped into memory (mmap with a descriptor). One address space and
 * no page faults to fill pages on demand, so a mapping is a copy: its pages
 * are read from the file when it is made.
 *
 *  - MAP_PRIVATE: the copy is the mapping; writes stay in it, as
 *    copy-on-write would keep them.
 *  - MAP_SHARED: the copy is written back to the file (within the file's
 *    size) by msync() and munmap(); the mapping keeps its own reference to
 *    the file, so closing the descriptor changes nothing, as on Linux.
 *    Two shared mappings of one file do not see each other's writes
 *    before a write-back: enough for SQLite's WAL index, which maps each
 *    region of its -shm file once per process.
 *
 * Shared mappings' pages belong to the kernel heap: they are the process's,
 * not the mapping thread's, and outlive it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <kernel/file.h>
#include <kernel/mm.h>
#include <kernel/mmap_file.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>

#define PAGE 4096ul

struct file_map {
	char *addr;
	size_t len;
	uint64_t off;
	struct file *file;
	struct file_map *next;
};

static struct file_map *maps;
static spinlock_t maps_lock = SPINLOCK_INIT;

/* Read [off, off+len) of @f into @buf; the part past the end stays zero. */
static int fill(struct file *f, char *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		long n = f->ops->pread(f, buf + done, len - done, off + done);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return 0;
}

/* Write the part of [addr, addr+len) that lies inside the file back. */
static int write_back(const struct file_map *m, char *addr, size_t len)
{
	long long size = m->file->ops->size ? m->file->ops->size(m->file) : 0;
	uint64_t off = m->off + (uint64_t)(addr - m->addr);

	if (size <= 0 || off >= (uint64_t)size)
		return 0;
	if (off + len > (uint64_t)size)
		len = (size_t)((uint64_t)size - off);
	while (len) {
		long n = m->file->ops->pwrite(m->file, addr, len, off);
		if (n <= 0)
			return n < 0 ? (int)n : -EIO;
		addr += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

long mmap_file(size_t len, int prot, int flags, int fd, uint64_t off)
{
	(void)prot;
	if (off % PAGE)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long r = -ENODEV;
	int shared = (flags & MAP_TYPE) == MAP_SHARED;
	if (!f->ops->pread || (shared && !f->ops->pwrite))
		goto out;
	r = -EACCES;
	if ((f->flags & O_ACCMODE) == O_WRONLY ||
	    (shared && (prot & PROT_WRITE) && (f->flags & O_ACCMODE) == O_RDONLY))
		goto out;
	size_t pages = (len + PAGE - 1) / PAGE;
	struct file_map *m = shared ? mm_heap_alloc(mm_kernel_heap(), sizeof(*m)) : NULL;
	char *p = mm_pages_alloc(shared ? mm_kernel_heap() : mm_current_heap(), pages);
	r = -ENOMEM;
	if (!p || (shared && !m))
		goto fail;
	memset(p, 0, pages * PAGE);
	if ((r = fill(f, p, len, off)) < 0)
		goto fail;
	if (shared) {
		*m = (struct file_map){.addr = p, .len = pages * PAGE, .off = off, .file = f};
		file_get(f);
		unsigned long fl = spin_lock_irqsave(&maps_lock);
		m->next = maps;
		maps = m;
		spin_unlock_irqrestore(&maps_lock, fl);
	}
	r = (long)p;
	goto out;
fail:
	if (p)
		mm_pages_free(p);
	mm_free(m);
out:
	file_put(f);
	return r;
}

/* The shared mapping that contains @addr, taken off the list if @remove. */
static struct file_map *lookup(const char *addr, int remove)
{
	unsigned long fl = spin_lock_irqsave(&maps_lock);
	struct file_map **pp = &maps, *m;

	while ((m = *pp) && !(addr >= m->addr && addr < m->addr + m->len))
		pp = &m->next;
	if (m && remove)
		*pp = m->next;
	spin_unlock_irqrestore(&maps_lock, fl);
	return m;
}

int mmap_file_is_mapped(const void *addr)
{
	return lookup(addr, 0) != NULL;
}

int mmap_file_unmap(void *addr)
{
	struct file_map *m = lookup(addr, 1);

	if (!m)
		return 0;
	int r = write_back(m, m->addr, m->len);
	file_put(m->file);
	mm_pages_free(m->addr);
	mm_free(m);
	return r < 0 ? r : 1;
}

static long sys_msync(void *addr, size_t len, long flags)
{
	if ((uintptr_t)addr % PAGE || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	struct file_map *m = lookup(addr, 0);
	if (!m)
		return 0; /* anonymous or private memory: nothing to write */
	char *end = (char *)addr + len;
	if (end > m->addr + m->len)
		end = m->addr + m->len;
	/* The mapping stays listed while its thread writes it back: only an
	 * munmap() racing with this msync() of the same range could free it. */
	return write_back(m, addr, (size_t)(end - (char *)addr));
}

SYSCALL(msync, sys_msync);
