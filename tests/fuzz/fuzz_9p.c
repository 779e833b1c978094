/*
 * libFuzzer target for the 9P2000.L client of Unilib-fs: the input is what
 * a hostile server answers. A fake transport hands out the input as
 * replies, one per request: each is len[2] and that many bytes. The
 * harness writes the request's own tag into the reply (so the fuzzer gets
 * past the tag check and reaches the body parsers) unless bit 15 of len
 * is set. The session is made, then every node operation is called on
 * the root and on what lookup and create return, the directory listed.
 * ASan/UBSan and the fuzzer's timeout catch what goes wrong. Build and
 * run with tests/fuzz/run.sh.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/log.h>
#include <kernel/unilib.h>
#include "../../fs/unilib/unilib_fs.h"

static const uint8_t *in;
static size_t left;

void log_printf(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

/* No clunk thread here: every clunk is done at once. */
void p9_clunk(uint32_t fid, uint32_t session)
{
	p9_clunk_now(fid, session);
}

static long fake_rpc(struct unilib_transport *t, uint16_t tag, const void *tx, size_t tx_len,
		     void *rx, size_t rx_cap)
{
	(void)t;
	(void)tx;
	(void)tx_len;
	if (left < 2)
		return -EIO;
	size_t len = (size_t)in[0] | (size_t)(in[1] & 0x7f) << 8;
	int keep_tag = in[1] & 0x80;
	in += 2, left -= 2;
	if (len > left)
		len = left;
	if (len > rx_cap)
		return -EIO;
	memcpy(rx, in, len);
	if (len >= 7 && !keep_tag)
		memcpy((uint8_t *)rx + 5, &tag, 2);
	in += len, left -= len;
	return (long)len;
}

static struct unilib_transport fake = {
    .name = "fuzz", .aname = "", .msize = 8192, .generation = 1, .rpc = fake_rpc};

static void exercise(struct vfs_node *n)
{
	char buf[256];
	struct stat st;
	struct vfs_dirent d;
	uint64_t pos = 0;

	n->ops->getattr(n, &st);
	n->ops->read(n, buf, sizeof(buf), 0);
	n->ops->write(n, buf, sizeof(buf), 0);
	n->ops->truncate(n, 10);
	n->ops->fsync(n);
	for (int i = 0; i < 20 && n->ops->readdir(n, &pos, &d) == 1; i++)
		if (strlen(d.name) > 255)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vfs_mount m;
	struct vfs_node *n;

	in = data;
	left = size;
	if (p9_client_start(&fake))
		return 0;
	struct un_node *root = un_node_new(P9_ROOT_FID, p9_session(), P9_QTDIR);
	if (!root)
		return 0;
	root->vn.mnt = &m;
	exercise(&root->vn);
	if (root->vn.ops->lookup(&root->vn, "a", 1, &n) == 0) {
		exercise(n);
		vfs_node_put(n);
	}
	if (root->vn.ops->create(&root->vn, "b", 1, &n) == 0) {
		exercise(n);
		vfs_node_put(n);
	}
	root->vn.ops->mkdir(&root->vn, "c", 1);
	root->vn.ops->unlink(&root->vn, "d", 1);
	root->vn.ops->rmdir(&root->vn, "e", 1);
	root->vn.ops->rename(&root->vn, "f", 1, &root->vn, "g", 1);
	vfs_node_put(&root->vn);
	return 0;
}
