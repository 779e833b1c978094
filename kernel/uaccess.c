/* Checked access to application memory (include/kernel/uaccess.h). */
#include <errno.h>
#include <stdint.h>
#include <arch.h>
#include <kernel/uaccess.h>
#include <kernel/zone_gate.h>

#define USER_NULL_END 4096ul
/* The lower half of the 48-bit address space: nothing above it is ever an
 * application's (on linuxu the host's kernel is there). */
#define USER_TOP (1ul << 47)
#define PAGE 4096ul

struct extable_entry {
	unsigned long insn, fixup;
};

extern const struct extable_entry __start_ush_extable[], __stop_ush_extable[];

unsigned long uaccess_fixup(unsigned long pc)
{
	for (const struct extable_entry *e = __start_ush_extable; e < __stop_ush_extable; e++)
		if (e->insn == pc)
			return e->fixup;
	return 0;
}

int user_range_ok(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	if (!len)
		return 0;
	if (a < USER_NULL_END || a + len < a || a + len > USER_TOP)
		return -EFAULT;
	return 0;
}

/* One byte in every page the range touches. */
static int probe_range(const void *p, size_t len, int write)
{
	int r = user_range_ok(p, len);

	if (r || !len)
		return r;
	uintptr_t a = (uintptr_t)p, end = a + len;
	for (;;) {
		r = arch_user_probe((const void *)a, write);
		if (r)
			return r;
		a = (a & ~(PAGE - 1)) + PAGE;
		if (a >= end)
			return 0;
	}
}

int user_check_read(const void *p, size_t len)
{
	return probe_range(p, len, 0);
}

/* With zones a system call runs with the kernel's rights, so it must not
 * write for the caller where the caller could not (a read() into the run
 * queue): the destination's keys are checked against the thread's. */
int user_check_write(void *p, size_t len)
{
	int r = probe_range(p, len, 1);

	return r ? r : zone_user_writable(p, len) ? 0 : -EFAULT;
}

int copy_from_user(void *dst, const void *usrc, size_t len)
{
	if (user_range_ok(usrc, len))
		return -EFAULT;
	return arch_user_copy(dst, usrc, len) ? -EFAULT : 0;
}

int copy_to_user(void *udst, const void *src, size_t len)
{
	if (user_range_ok(udst, len) || !zone_user_writable(udst, len))
		return -EFAULT;
	return arch_user_copy(udst, src, len) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t size)
{
	if ((uintptr_t)usrc < USER_NULL_END || (uintptr_t)usrc >= USER_TOP || !size)
		return -EFAULT;
	size_t room = USER_TOP - (uintptr_t)usrc;
	long n = arch_user_strnlen(usrc, size < room ? size : room);
	if (n < 0)
		return n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	if (arch_user_copy(dst, usrc, (size_t)n + 1))
		return -EFAULT;
	return n;
}

int user_cmpxchg32(int *uaddr, int *old, int new_value)
{
	if (((uintptr_t)uaddr & 3) || user_range_ok(uaddr, sizeof(int)))
		return -EFAULT;
	return arch_user_cmpxchg32(uaddr, old, new_value);
}

int user_load32(const int *uaddr, int *value)
{
	if (((uintptr_t)uaddr & 3))
		return -EINVAL;
	return copy_from_user(value, uaddr, sizeof(int));
}
