/* Unilib-fs directory listing: Treaddir in batches, kept in the node, so
 * listing a directory costs a request per batch rather than per entry.
 * Entries that are neither files nor directories (symbolic links among
 * them), "." and ".." are passed over. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/mm.h>

#include "unilib_fs.h"

#define DIR_BATCH 8192u

/* The entry after offset @pos in n's batch, or -ENOENT if the batch does
 * not hold it. Entries other than files and directories, "." and ".."
 * are passed over. @retval 1; 0 the end (an empty batch); negative */
static int dir_pick(struct un_node *n, uint64_t *pos, struct vfs_dirent *out)
{
	struct p9_in in = {n->dir_buf, n->dir_buf + n->dir_len, 0};
	uint64_t prev = n->dir_start, off;
	struct p9_qid q;
	uint8_t type;
	const char *name;
	uint16_t len;
	int r, found = prev == *pos;

	if (!n->dir_len && found)
		return 0;
	while ((r = p9_dirent(&in, &q, &off, &type, &name, &len)) == 1) {
		if (!found) {
			found = prev == *pos;
			prev = off;
			if (!found)
				continue;
		}
		*pos = off;
		int dot = (len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2));
		if (dot || (type != DT_REG && type != DT_DIR) || len > 255 || !len)
			continue;
		out->ino = q.path;
		out->type = type;
		memcpy(out->name, name, len);
		out->name[len] = '\0';
		return 1;
	}
	return r < 0 ? r : found ? -EAGAIN : -ENOENT;
}

/* Fetch the batch that starts at offset @pos into n's buffer. */
static int dir_fetch(struct un_node *n, uint32_t fid, uint64_t pos)
{
	struct p9_call c;
	int r;

	if (!n->dir_buf && !(n->dir_buf = mm_heap_alloc(mm_kernel_heap(), DIR_BATCH)))
		return -ENOMEM;
	n->dir_len = 0;
	n->dir_start = ~0ull; /* no batch, until this one arrives */
	if ((r = p9_call_begin(&c, P9_TREADDIR)))
		return r;
	p9_put32(&c.out, fid);
	p9_put64(&c.out, pos);
	p9_put32(&c.out, DIR_BATCH);
	if (!(r = p9_call_do(&c, P9_TREADDIR + 1))) {
		uint32_t len = p9_get32(&c.in);
		const void *data = p9_getbytes(&c.in, len);
		if (!data || len > DIR_BATCH)
			r = -EIO;
		else {
			memcpy(n->dir_buf, data, len);
			n->dir_len = len;
			n->dir_start = pos;
		}
	}
	p9_call_end(&c);
	return r;
}

/* The batch is kept between calls, so listing a directory costs a request
 * per batch, not per entry. -EAGAIN from dir_pick(): the batch ended past
 * *pos without a usable entry: fetch the next one from there. */
int un_readdir(struct vfs_node *vn, uint64_t *pos, struct vfs_dirent *out)
{
	struct un_node *n = vn->priv;
	uint32_t fid;
	int r = un_io_fid(n, 0, &fid), tries = 0;

	if (r)
		return r;
	kmutex_lock(&n->lock);
	r = n->dir_buf ? dir_pick(n, pos, out) : -ENOENT;
	while ((r == -ENOENT || r == -EAGAIN) && tries++ < 1000) {
		if ((r = dir_fetch(n, fid, *pos)) == 0)
			r = dir_pick(n, pos, out);
	}
	kmutex_unlock(&n->lock);
	return r == -ENOENT || r == -EAGAIN ? -EIO : r;
}
