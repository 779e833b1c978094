/*
 * Credentials of the one process: real, effective and saved user and
 * group ids and the supplementary groups, with Linux's rules for changing
 * them (root may set any; others only among the ids they have). Nothing
 * is enforced by them (there are no other users' files), but a program
 * that drops root finds itself as the user it asked to become.
 * Module PROCESS_CALLS; without it the ids read 0 and changes are -ENOSYS.
 */
#include <errno.h>
#include <string.h>
#include <sys/types.h>
#include <kernel/spinlock.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define GROUPS_MAX 32
#define KEEP ((unsigned)-1)

struct ids {
	unsigned real, effective, saved;
};

static struct ids uid, gid;
static unsigned groups[GROUPS_MAX];
static int ngroups;
static spinlock_t lock = SPINLOCK_INIT;

static int may_become(const struct ids *ids, unsigned id)
{
	return uid.effective == 0 || id == ids->real || id == ids->effective || id == ids->saved;
}

/* setres[ug]id: each of the three may be kept (-1). */
static long set_res(struct ids *ids, unsigned r, unsigned e, unsigned s)
{
	long err = 0;
	unsigned long flags = spin_lock_irqsave(&lock);

	if ((r != KEEP && !may_become(ids, r)) || (e != KEEP && !may_become(ids, e)) ||
	    (s != KEEP && !may_become(ids, s)))
		err = -EPERM;
	else {
		if (r != KEEP)
			ids->real = r;
		if (e != KEEP)
			ids->effective = e;
		if (s != KEEP)
			ids->saved = s;
	}
	spin_unlock_irqrestore(&lock, flags);
	return err;
}

/* set[ug]id: root sets all three, others only the effective id. */
static long set_one(struct ids *ids, unsigned id)
{
	return uid.effective == 0 ? set_res(ids, id, id, id) : set_res(ids, KEEP, id, KEEP);
}

static long set_re(struct ids *ids, unsigned r, unsigned e)
{
	/* The saved id follows the effective one when the real one is set
	 * or the effective one differs from the old real one (Linux). */
	unsigned s =
	    r != KEEP || (e != KEEP && e != ids->real) ? (e != KEEP ? e : ids->effective) : KEEP;
	return set_res(ids, r, e, s);
}

static long get_res(const struct ids *ids, unsigned *ur, unsigned *ue, unsigned *us)
{
	struct ids v = *ids;

	if (copy_to_user(ur, &v.real, sizeof(v.real)) ||
	    copy_to_user(ue, &v.effective, sizeof(v.effective)) ||
	    copy_to_user(us, &v.saved, sizeof(v.saved)))
		return -EFAULT;
	return 0;
}

static long sys_getuid(void)
{
	return uid.real;
}
static long sys_geteuid(void)
{
	return uid.effective;
}
static long sys_getgid(void)
{
	return gid.real;
}
static long sys_getegid(void)
{
	return gid.effective;
}
static long sys_setuid(long id)
{
	return set_one(&uid, (unsigned)id);
}
static long sys_setgid(long id)
{
	return set_one(&gid, (unsigned)id);
}
static long sys_setreuid(long r, long e)
{
	return set_re(&uid, (unsigned)r, (unsigned)e);
}
static long sys_setregid(long r, long e)
{
	return set_re(&gid, (unsigned)r, (unsigned)e);
}

static long sys_setresuid(long r, long e, long s)
{
	return set_res(&uid, (unsigned)r, (unsigned)e, (unsigned)s);
}

static long sys_setresgid(long r, long e, long s)
{
	return set_res(&gid, (unsigned)r, (unsigned)e, (unsigned)s);
}

static long sys_getresuid(unsigned *r, unsigned *e, unsigned *s)
{
	return get_res(&uid, r, e, s);
}

static long sys_getresgid(unsigned *r, unsigned *e, unsigned *s)
{
	return get_res(&gid, r, e, s);
}

static long sys_getgroups(long size, unsigned *ulist)
{
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return ngroups;
	if (size < ngroups)
		return -EINVAL;
	return copy_to_user(ulist, groups, (size_t)ngroups * sizeof(groups[0])) ?: ngroups;
}

static long sys_setgroups(long size, const unsigned *ulist)
{
	unsigned list[GROUPS_MAX];

	if (size < 0 || size > GROUPS_MAX)
		return -EINVAL;
	if (uid.effective != 0)
		return -EPERM;
	if (copy_from_user(list, ulist, (size_t)size * sizeof(list[0])))
		return -EFAULT;
	unsigned long flags = spin_lock_irqsave(&lock);
	memcpy(groups, list, (size_t)size * sizeof(list[0]));
	ngroups = (int)size;
	spin_unlock_irqrestore(&lock, flags);
	return 0;
}

SYSCALL(getuid, sys_getuid);
SYSCALL(geteuid, sys_geteuid);
SYSCALL(getgid, sys_getgid);
SYSCALL(getegid, sys_getegid);
SYSCALL(setuid, sys_setuid);
SYSCALL(setgid, sys_setgid);
SYSCALL(setreuid, sys_setreuid);
SYSCALL(setregid, sys_setregid);
SYSCALL(setresuid, sys_setresuid);
SYSCALL(setresgid, sys_setresgid);
SYSCALL(getresuid, sys_getresuid);
SYSCALL(getresgid, sys_getresgid);
SYSCALL(getgroups, sys_getgroups);
SYSCALL(setgroups, sys_setgroups);
