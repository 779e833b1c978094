/*
 * Unilib-fs node operations: each VFS call becomes one or a few 9P2000.L
 * requests to the host, which does the work on its own file system.
 *
 * A node is not cached: every lookup walks a new fid, and sizes and
 * attributes come from the host each time, so several nodes of one file
 * always agree (the host holds the one truth). Lookups walk one name at a
 * time and refuse symbolic links (-ELOOP): the guest cannot follow a link
 * out of the shared directory, and the VFS resolves ".." itself, so no
 * ".." reaches the server. Other kinds of file (devices, FIFOs) are left
 * out of listings; by name they look like regular files (the qid says no
 * more), and what they do is up to the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/mm.h>

#include "unilib_fs.h"

#define L_O_RDONLY 0
#define L_O_RDWR 2

static struct un_node *un(struct vfs_node *n)
{
	return n->priv;
}

/* Is @n's fid still known to the server? The root's fid is attached again
 * with each session; others die with theirs. */
static int stale(struct un_node *n)
{
	return n->fid != P9_ROOT_FID && n->session != p9_session();
}

struct un_node *un_node_new(uint32_t fid, uint32_t session, uint8_t qtype)
{
	struct un_node *n = mm_heap_alloc(mm_kernel_heap(), sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->vn.ops = &un_ops;
	n->vn.refs = 1;
	n->vn.mode = (qtype & P9_QTDIR) ? S_IFDIR | 0755 : S_IFREG | 0644;
	n->vn.priv = n;
	n->fid = fid;
	n->session = session;
	n->iofid = P9_NOFID;
	pthread_mutex_init(&n->lock, NULL);
	return n;
}

/* Twalk from @dir's fid to a new fid: to @name, or (NULL) a clone of @dir.
 * @retval 0 and *fid, *q; negative errno (no fid made) */
static int walk(struct un_node *dir, const char *name, size_t len, uint32_t *fid, struct p9_qid *q)
{
	struct p9_call c;
	uint32_t nfid = p9_fid_new();
	int r;

	if ((r = p9_call_begin(&c, P9_TWALK)))
		goto out;
	p9_put32(&c.out, dir->fid);
	p9_put32(&c.out, nfid);
	p9_put16(&c.out, name ? 1 : 0);
	if (name)
		p9_putstr(&c.out, name, len);
	if (!(r = p9_call_do(&c, P9_TWALK + 1))) {
		uint16_t nq = p9_get16(&c.in);
		if (nq == 1)
			p9_getqid(&c.in, q);
		if (c.in.err || nq != (name ? 1 : 0))
			r = nq == 0 && !c.in.err ? -ENOENT : -EIO;
	}
	p9_call_end(&c);
out:
	if (r)
		p9_fid_gone();
	else
		*fid = nfid;
	return r;
}

static int un_lookup(struct vfs_node *d, const char *name, size_t len, struct vfs_node **out)
{
	struct un_node *dir = un(d), *n;
	struct p9_qid q;
	uint32_t fid, session = p9_session();
	int r;

	if (stale(dir))
		return -EIO;
	if ((r = walk(dir, name, len, &fid, &q)))
		return r;
	if (q.type & P9_QTSYMLINK) {
		p9_clunk(fid, session);
		return -ELOOP;
	}
	if (!(n = un_node_new(fid, session, q.type))) {
		p9_clunk(fid, session);
		return -ENOMEM;
	}
	n->vn.mnt = d->mnt;
	*out = &n->vn;
	return 0;
}

/* A request on @fid with no reply body to read. */
static int simple(uint8_t type, uint32_t fid, const char *name, size_t len, uint32_t arg)
{
	struct p9_call c;
	int r;

	if ((r = p9_call_begin(&c, type)))
		return r;
	p9_put32(&c.out, fid);
	if (type == P9_TMKDIR || type == P9_TUNLINKAT)
		p9_putstr(&c.out, name, len);
	if (type != P9_TCLUNK && type != P9_TREMOVE)
		p9_put32(&c.out, arg);
	if (type == P9_TMKDIR)
		p9_put32(&c.out, 0); /* gid */
	r = p9_call_do(&c, type + 1);
	p9_call_end(&c);
	return r;
}

static int un_create(struct vfs_node *d, const char *name, size_t len, struct vfs_node **out)
{
	struct un_node *dir = un(d), *n;
	struct p9_qid q;
	struct p9_call c;
	uint32_t fid, session = p9_session();
	int r;

	if (stale(dir))
		return -EIO;
	if ((r = walk(dir, NULL, 0, &fid, &q)))
		return r;
	if ((r = p9_call_begin(&c, P9_TLCREATE)))
		goto out;
	p9_put32(&c.out, fid);
	p9_putstr(&c.out, name, len);
	p9_put32(&c.out, O_RDWR | O_CREAT | O_EXCL);
	p9_put32(&c.out, 0644);
	p9_put32(&c.out, 0); /* gid */
	if (!(r = p9_call_do(&c, P9_TLCREATE + 1))) {
		p9_getqid(&c.in, &q);
		if (c.in.err)
			r = -EIO;
	}
	p9_call_end(&c);
	if (!r && !(n = un_node_new(fid, session, q.type)))
		r = -ENOMEM;
out:
	if (r) {
		p9_clunk(fid, session);
		return r;
	}
	n->iofid = fid; /* Tlcreate opened the fid itself */
	n->io_session = session;
	n->io_rw = 1;
	n->vn.mnt = d->mnt;
	*out = &n->vn;
	return 0;
}

static int un_mkdir(struct vfs_node *d, const char *name, size_t len)
{
	return stale(un(d)) ? -EIO : simple(P9_TMKDIR, un(d)->fid, name, len, 0755);
}

/* Servers of the older 9P2000.L (diod) have no Tunlinkat and Trenameat:
 * they remove through a fid walked to the name (Tremove, which clunks it)
 * and rename one (Trename). Seen once, remembered. */
static int no_at;

/* Tremove of @name in @dir, after checking its kind as unlinkat would. */
static int remove_walked(struct un_node *dir, const char *name, size_t len, int rmdir)
{
	struct p9_qid q;
	uint32_t fid, session = p9_session();
	int r = walk(dir, name, len, &fid, &q);

	if (r)
		return r;
	if (!rmdir && (q.type & P9_QTDIR)) {
		p9_clunk(fid, session);
		return -EISDIR;
	}
	if (rmdir && !(q.type & P9_QTDIR)) {
		p9_clunk(fid, session);
		return -ENOTDIR;
	}
	r = simple(P9_TREMOVE, fid, NULL, 0, 0);
	p9_fid_gone(); /* Tremove clunks, whatever its answer */
	return r;
}

static int unlinkat(struct vfs_node *d, const char *name, size_t len, int rmdir)
{
	int r;

	if (stale(un(d)))
		return -EIO;
	if (!no_at) {
		r = simple(P9_TUNLINKAT, un(d)->fid, name, len, rmdir ? P9_AT_REMOVEDIR : 0);
		if (r != -EOPNOTSUPP)
			return r;
		no_at = 1;
	}
	return remove_walked(un(d), name, len, rmdir);
}

static int un_unlink(struct vfs_node *d, const char *name, size_t len)
{
	return unlinkat(d, name, len, 0);
}

static int un_rmdir(struct vfs_node *d, const char *name, size_t len)
{
	return unlinkat(d, name, len, 1);
}

/* Trename of a fid walked to @oname. */
static int rename_walked(struct un_node *od, const char *oname, size_t olen, struct un_node *nd,
			 const char *nname, size_t nlen)
{
	struct p9_qid q;
	struct p9_call c;
	uint32_t fid, session = p9_session();
	int r = walk(od, oname, olen, &fid, &q);

	if (r)
		return r;
	if (!(r = p9_call_begin(&c, P9_TRENAME))) {
		p9_put32(&c.out, fid);
		p9_put32(&c.out, nd->fid);
		p9_putstr(&c.out, nname, nlen);
		r = p9_call_do(&c, P9_TRENAME + 1);
		p9_call_end(&c);
	}
	p9_clunk(fid, session);
	return r;
}

static int un_rename(struct vfs_node *od, const char *oname, size_t olen, struct vfs_node *nd,
		     const char *nname, size_t nlen)
{
	struct p9_call c;
	int r;

	if (stale(un(od)) || stale(un(nd)))
		return -EIO;
	if (no_at)
		return rename_walked(un(od), oname, olen, un(nd), nname, nlen);
	if ((r = p9_call_begin(&c, P9_TRENAMEAT)))
		return r;
	p9_put32(&c.out, un(od)->fid);
	p9_putstr(&c.out, oname, olen);
	p9_put32(&c.out, un(nd)->fid);
	p9_putstr(&c.out, nname, nlen);
	r = p9_call_do(&c, P9_TRENAMEAT + 1);
	p9_call_end(&c);
	if (r == -EOPNOTSUPP) {
		no_at = 1;
		return rename_walked(un(od), oname, olen, un(nd), nname, nlen);
	}
	return r;
}

/* Open @n for I/O once (read-write, else read-only), under n->lock.
 * @retval 0; negative errno */
static int open_io(struct un_node *n, int write)
{
	struct p9_call c;
	struct p9_qid q;
	uint32_t fid;
	int r, dir = S_ISDIR(n->vn.mode);

	if (n->iofid != P9_NOFID && n->io_session != p9_session()) {
		p9_fid_gone(); /* the root's, from a session that is over */
		n->iofid = P9_NOFID;
	}
	if (n->iofid != P9_NOFID && (n->io_rw || !write))
		return 0;
	if (n->iofid != P9_NOFID)
		return n->rw_err; /* the host let us read it only */
	if ((r = walk(n, NULL, 0, &fid, &q)))
		return r;
	int modes[2] = {dir ? L_O_RDONLY | O_DIRECTORY : L_O_RDWR, L_O_RDONLY}, i;
	for (i = 0; i < 2; i++) {
		if ((r = p9_call_begin(&c, P9_TLOPEN)))
			break;
		p9_put32(&c.out, fid);
		p9_put32(&c.out, (uint32_t)modes[i]);
		r = p9_call_do(&c, P9_TLOPEN + 1);
		p9_call_end(&c);
		if (!r || dir || (r != -EACCES && r != -EROFS && r != -EPERM))
			break;
		n->rw_err = r;
	}
	if (r) {
		p9_clunk(fid, n->session);
		return r;
	}
	n->iofid = fid;
	n->io_session = p9_session();
	n->io_rw = i == 0 && !dir;
	return (write && !n->io_rw) ? n->rw_err : 0;
}

int un_io_fid(struct un_node *n, int write, uint32_t *fid)
{
	if (stale(n))
		return -EIO;
	kmutex_lock(&n->lock);
	int r = open_io(n, write);
	*fid = n->iofid;
	kmutex_unlock(&n->lock);
	return r;
}

/* Tread or Twrite of at most one message's data at @off.
 * @retval bytes moved; negative errno */
static long io_once(uint32_t fid, int write, void *buf, size_t len, uint64_t off)
{
	struct p9_call c;
	uint32_t max = p9_iosize(), got;
	long r;

	if (len > max)
		len = max;
	if ((r = p9_call_begin(&c, write ? P9_TWRITE : P9_TREAD)))
		return r;
	p9_put32(&c.out, fid);
	p9_put64(&c.out, off);
	p9_put32(&c.out, (uint32_t)len);
	if (write)
		p9_putbytes(&c.out, buf, len);
	if (!(r = p9_call_do(&c, (write ? P9_TWRITE : P9_TREAD) + 1))) {
		got = p9_get32(&c.in);
		const void *data = write ? NULL : p9_getbytes(&c.in, got);
		if (c.in.err || got > len || (write && !got && len))
			r = -EIO;
		else if (data)
			memcpy(buf, data, got);
		if (!r)
			r = got;
	}
	p9_call_end(&c);
	return r;
}

static long io(struct vfs_node *vn, int write, void *buf, size_t len, uint64_t off)
{
	uint32_t fid;
	size_t done = 0;
	int r;

	if (S_ISDIR(vn->mode))
		return -EISDIR;
	if ((r = un_io_fid(un(vn), write, &fid)))
		return r;
	while (done < len) {
		long n = io_once(fid, write, (char *)buf + done, len - done, off + done);
		if (n < 0)
			return done ? (long)done : n;
		if (n == 0)
			break; /* end of file */
		done += (size_t)n;
	}
	return (long)done;
}

static long un_read(struct vfs_node *n, void *buf, size_t len, uint64_t off)
{
	return io(n, 0, buf, len, off);
}

static long un_write(struct vfs_node *n, const void *buf, size_t len, uint64_t off)
{
	return io(n, 1, (void *)(uintptr_t)buf, len, off); /* only read */
}

static int un_truncate(struct vfs_node *vn, uint64_t size)
{
	struct p9_call c;
	int r;

	if (stale(un(vn)))
		return -EIO;
	if ((r = p9_call_begin(&c, P9_TSETATTR)))
		return r;
	p9_put32(&c.out, un(vn)->fid);
	p9_put32(&c.out, P9_SETATTR_SIZE);
	p9_put32(&c.out, 0); /* mode, uid, gid */
	p9_put32(&c.out, 0);
	p9_put32(&c.out, 0);
	p9_put64(&c.out, size);
	for (int i = 0; i < 4; i++)
		p9_put64(&c.out, 0); /* atime, mtime */
	r = p9_call_do(&c, P9_TSETATTR + 1);
	p9_call_end(&c);
	return r;
}

static int un_getattr(struct vfs_node *vn, struct stat *st)
{
	struct p9_call c;
	struct p9_qid q;
	int r;

	if (stale(un(vn)))
		return -EIO;
	if ((r = p9_call_begin(&c, P9_TGETATTR)))
		return r;
	p9_put32(&c.out, un(vn)->fid);
	p9_put64(&c.out, P9_GETATTR_BASIC);
	if (!(r = p9_call_do(&c, P9_TGETATTR + 1))) {
		memset(st, 0, sizeof(*st));
		p9_get64(&c.in); /* valid */
		p9_getqid(&c.in, &q);
		uint32_t mode = p9_get32(&c.in);
		st->st_uid = p9_get32(&c.in);
		st->st_gid = p9_get32(&c.in);
		st->st_nlink = p9_get64(&c.in);
		st->st_rdev = p9_get64(&c.in);
		st->st_size = (off_t)p9_get64(&c.in);
		st->st_blksize = (__typeof__(st->st_blksize))p9_get64(&c.in);
		st->st_blocks = (__typeof__(st->st_blocks))p9_get64(&c.in);
		st->st_atim.tv_sec = (time_t)p9_get64(&c.in);
		st->st_atim.tv_nsec = (long)p9_get64(&c.in);
		st->st_mtim.tv_sec = (time_t)p9_get64(&c.in);
		st->st_mtim.tv_nsec = (long)p9_get64(&c.in);
		st->st_ctim.tv_sec = (time_t)p9_get64(&c.in);
		st->st_ctim.tv_nsec = (long)p9_get64(&c.in);
		st->st_ino = q.path;
		/* The node's kind stays what the walk saw; the bits are the host's. */
		st->st_mode = (vn->mode & S_IFMT) | (mode & 07777);
		if (c.in.err || st->st_size < 0)
			r = -EIO;
	}
	p9_call_end(&c);
	return r;
}

static int un_fsync(struct vfs_node *vn)
{
	uint32_t fid;
	int r = un_io_fid(un(vn), 0, &fid);

	return r ? r : simple(P9_TFSYNC, fid, NULL, 0, 0);
}

static void un_release(struct vfs_node *vn)
{
	struct un_node *n = un(vn);

	if (n->iofid != P9_NOFID && n->iofid != n->fid)
		p9_clunk(n->iofid, n->io_session);
	p9_clunk(n->fid, n->fid == P9_ROOT_FID ? p9_session() : n->session);
	pthread_mutex_destroy(&n->lock);
	mm_free(n->dir_buf);
	mm_free(n);
}

const struct vfs_node_ops un_ops = {
    .lookup = un_lookup,
    .create = un_create,
    .mkdir = un_mkdir,
    .unlink = un_unlink,
    .rmdir = un_rmdir,
    .rename = un_rename,
    .read = un_read,
    .write = un_write,
    .truncate = un_truncate,
    .getattr = un_getattr,
    .readdir = un_readdir,
    .fsync = un_fsync,
    .release = un_release,
};
