/*
 * Unilib and its file service: the transport registry, the "unilib" file
 * system type and where it is mounted at boot.
 *
 * Kernel option unilib=PATH mounts the host's directory at PATH;
 * unilib=none leaves it unmounted. Without the option it goes on "/" when
 * the machine has no disk, and on "/host" beside a disk's file system.
 *
 * Kernel option unilib_timeout=MS: how long a request waits for the
 * server's reply before it fails with EIO (default 10 s; 0: for ever).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/boot.h>
#include <kernel/initcall.h>
#include <kernel/log.h>
#include <kernel/unilib.h>
#include <fs/vfs.h>

#include "unilib_fs.h"

#define UNILIB_TIMEOUT_MS 10000u

static struct unilib_transport *transport;

/* The deadline of each request, from unilib_timeout=MS. */
static uint32_t timeout_ms(void)
{
	char opt[24], *end;

	if (kernel_option("unilib_timeout", opt, sizeof(opt)) < 0)
		return UNILIB_TIMEOUT_MS;
	unsigned long v = strtoul(opt, &end, 10);
	if (end == opt || *end || v > UINT32_MAX) {
		log_warn("unilib: unilib_timeout=%s is not a number of ms, keeping %u", opt,
			 UNILIB_TIMEOUT_MS);
		return UNILIB_TIMEOUT_MS;
	}
	return (uint32_t)v;
}

int unilib_transport_register(struct unilib_transport *t)
{
	if (__atomic_exchange_n(&transport, transport ? transport : t, __ATOMIC_ACQ_REL))
		return -EBUSY;
	return 0;
}

/* The host's directory, mounted once; never a disk (-EINVAL: the VFS
 * then asks the next file system type about it).
 * @retval 0; -EINVAL a disk; -ENODEV no transport; -EBUSY already
 *         mounted; the session's error */
static int un_mount(struct vfs_mount *m)
{
	static int mounted;
	struct un_node *root;
	int r;

	if (m->dev)
		return -EINVAL;
	if (!transport)
		return -ENODEV;
	if (mounted)
		return -EBUSY;
	transport->timeout_ms = timeout_ms();
	if ((r = p9_client_start(transport)))
		return r;
	mounted = 1;
	if (p9_clunker_start() < 0)
		log_warn("unilib: no clunk thread; fids are given back synchronously");
	if (!(root = un_node_new(P9_ROOT_FID, p9_session(), P9_QTDIR)))
		return -ENOMEM;
	root->vn.mnt = m;
	m->root = &root->vn;
	return 0;
}

/* The host writes through its own cache; fsync asks it per file. */
static int un_sync(struct vfs_mount *m)
{
	(void)m;
	return 0;
}

static int un_unmount(struct vfs_mount *m)
{
	(void)m;
	return 0;
}

static int un_statfs(struct vfs_mount *m, struct vfs_statfs *out)
{
	struct p9_call c;
	int r;

	(void)m;
	if ((r = p9_call_begin(&c, P9_TSTATFS)))
		return r;
	p9_put32(&c.out, P9_ROOT_FID);
	if (!(r = p9_call_do(&c, P9_TSTATFS + 1))) {
		memset(out, 0, sizeof(*out));
		strcpy(out->type, "9p");
		p9_get32(&c.in); /* type */
		out->block_size = p9_get32(&c.in);
		out->blocks = p9_get64(&c.in);
		out->blocks_free = p9_get64(&c.in);
		if (c.in.err)
			r = -EIO;
	}
	p9_call_end(&c);
	return r;
}

static struct vfs_fs_type unilib_fs_type = {
    .name = "unilib",
    .mount = un_mount,
    .sync = un_sync,
    .unmount = un_unmount,
    .statfs = un_statfs,
};

static int unilib_register(void)
{
	vfs_register_fs(&unilib_fs_type);
	return 0;
}
INITCALL(INITCALL_CORE, unilib_register);

static int unilib_mount_boot(void)
{
	char path[64];
	int r;

	if (kernel_option("unilib", path, sizeof(path)) < 0) {
		int disk = IS_ENABLED(CONFIG_BLKDEV) && blkdev_first();
		strcpy(path, disk ? "/host" : "/");
	}
	if (!strcmp(path, "none"))
		return 0;
	if (!transport) {
		log_warn("unilib: no host transport: %s not mounted", path);
		return 0;
	}
	if ((r = vfs_mount(NULL, path, "unilib")) < 0)
		log_error("unilib: mounting the host's files on %s failed (%d)", path, r);
	else
		log_debug("unilib: the host's files (%s) on %s", transport->name, path);
	return 0;
}
INITCALL(INITCALL_FS, unilib_mount_boot);
