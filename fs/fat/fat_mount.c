/*
 * Mounting: the boot sector's BIOS parameter block checked against the
 * FAT specification and the device, the FAT type from the cluster count
 * (the only rule the specification accepts), FSInfo; and the file system
 * type's other calls (sync, unmount, statfs). Mounting never writes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/kmutex.h>
#include <kernel/initcall.h>
#include <kernel/log.h>

#include "fat.h"

#define FSINFO_LEAD 0x41615252u
#define FSINFO_STRUCT 0x61417272u
#define FSINFO_TRAIL 0xaa550000u

/* Refuse with the reason. */
#define BAD(dev, fmt, ...)                                                                         \
	({                                                                                         \
		log_warn("fat: %s: " fmt, dev, ##__VA_ARGS__);                                     \
		-EINVAL;                                                                           \
	})

static int is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Layout fields common to all three types. @retval 0; -EINVAL */
static int bpb_layout(struct fat_fs *fs, const uint8_t *bs, const char *dev)
{
	if (bs[510] != 0x55 || bs[511] != 0xaa)
		return BAD(dev, "no boot sector signature");
	if (bs[0] != 0xeb && bs[0] != 0xe9)
		return BAD(dev, "no jump instruction in the boot sector");
	fs->bps = fat_le16(bs + 11);
	fs->spc = bs[13];
	if (fs->bps < 512 || fs->bps > 4096 || !is_pow2(fs->bps))
		return BAD(dev, "bytes per sector %u", fs->bps);
	if (fs->bps < fs->dev->sector_size)
		return BAD(dev, "sector %u smaller than the device's %u", fs->bps,
			   fs->dev->sector_size);
	if (!is_pow2(fs->spc) || fs->spc > 128 || fs->bps * fs->spc > 65536)
		return BAD(dev, "sectors per cluster %u", fs->spc);
	fs->csize = fs->bps * fs->spc;
	fs->fat_start = fat_le16(bs + 14);
	fs->nfats = bs[16];
	fs->root_entries = fat_le16(bs + 17);
	if (!fs->fat_start)
		return BAD(dev, "no reserved sectors");
	if (fs->nfats < 1 || fs->nfats > 4)
		return BAD(dev, "%u FATs", fs->nfats);
	if (bs[21] != 0xf0 && bs[21] < 0xf8)
		return BAD(dev, "media descriptor %#x", bs[21]);
	return 0;
}

/* Sizes, cluster count and type. @retval 0; -EINVAL */
static int bpb_sizes(struct fat_fs *fs, const uint8_t *bs, const char *dev)
{
	uint32_t fat16 = fat_le16(bs + 22), tot16 = fat_le16(bs + 19);
	uint64_t total = tot16 ? tot16 : fat_le32(bs + 32);

	fs->fat_sectors = fat16 ? fat16 : fat_le32(bs + 36);
	if (!fs->fat_sectors || !total)
		return BAD(dev, "zero %s size", total ? "FAT" : "volume");
	uint64_t root_sectors =
	    ((uint64_t)fs->root_entries * FAT_DIRENT_SIZE + fs->bps - 1) / fs->bps;
	uint64_t meta = fs->fat_start + (uint64_t)fs->nfats * fs->fat_sectors + root_sectors;
	if (meta >= total)
		return BAD(dev, "no room for data (%llu of %llu sectors)", (unsigned long long)meta,
			   (unsigned long long)total);
	if (total * fs->bps > fs->dev->sectors * fs->dev->sector_size)
		return BAD(dev, "volume of %llu sectors is larger than the device (truncated?)",
			   (unsigned long long)total);
	uint64_t n = (total - meta) / fs->spc;
	fs->bits = n < 4085 ? 12 : n < 65525 ? 16 : 32;
	if (!n || n > 0x0ffffff4)
		return BAD(dev, "%llu clusters", (unsigned long long)n);
	fs->nclusters = (uint32_t)n;
	fs->root_start = fs->fat_start + fs->nfats * fs->fat_sectors;
	fs->data_start = (uint32_t)meta;
	uint64_t need = fs->bits == 12 ? ((n + 2) * 3 + 1) / 2 : (n + 2) * (fs->bits / 8);
	if ((uint64_t)fs->fat_sectors * fs->bps < need)
		return BAD(dev, "FAT of %u sectors too small for %u clusters", fs->fat_sectors,
			   fs->nclusters);
	if (fs->bits == 32 && (fat16 || fs->root_entries))
		return BAD(dev, "FAT32 by cluster count but a FAT12/16 BPB");
	if (fs->bits != 32 && (!fat16 || !fs->root_entries))
		return BAD(dev, "FAT%d by cluster count but a FAT32 BPB", fs->bits);
	return 0;
}

/* FAT32's extended BPB. @retval 0; -EINVAL */
static int bpb_fat32(struct fat_fs *fs, const uint8_t *bs, const char *dev)
{
	uint16_t flags = fat_le16(bs + 40);

	fs->active_fat = -1;
	if (fs->bits != 32)
		return 0;
	if (fat_le16(bs + 42))
		return BAD(dev, "FAT32 version %#x", fat_le16(bs + 42));
	if (flags & 0x80) {
		fs->active_fat = flags & 0xf;
		if ((uint32_t)fs->active_fat >= fs->nfats)
			return BAD(dev, "active FAT %d of %u", fs->active_fat, fs->nfats);
	}
	fs->root_cluster = fat_le32(bs + 44);
	if (!fat_valid(fs, fs->root_cluster))
		return BAD(dev, "root cluster %u out of range", fs->root_cluster);
	fs->fsinfo = fat_le16(bs + 48);
	if (fs->fsinfo >= fs->fat_start)
		fs->fsinfo = 0; /* 0xffff or damaged: no FSInfo, only a hint lost */
	return 0;
}

/* The free-cluster hints of FSInfo, if it is there and sane. */
static int read_fsinfo(struct fat_fs *fs)
{
	struct bbuf *b;

	fs->free_count = 0xffffffff;
	fs->next_free = 2;
	if (!fs->fsinfo)
		return 0;
	if (bcache_get(fs->bc, fs->fsinfo, &b) < 0)
		return -EIO;
	const uint8_t *p = b->data;
	if (fat_le32(p) == FSINFO_LEAD && fat_le32(p + 484) == FSINFO_STRUCT &&
	    fat_le32(p + 508) == FSINFO_TRAIL) {
		if (fat_le32(p + 488) <= fs->nclusters)
			fs->free_count = fat_le32(p + 488);
		if (fat_valid(fs, fat_le32(p + 492)))
			fs->next_free = fat_le32(p + 492);
	} else {
		fs->fsinfo = 0;
	}
	bcache_put(b);
	return 0;
}

static int parse_boot(struct fat_fs *fs)
{
	struct blkdev *d = fs->dev;
	uint8_t *bs = malloc(d->sector_size);
	int r;

	if (!bs)
		return -ENOMEM;
	if (d->sector_size < 512 || !d->sectors) {
		r = BAD(d->name, "device sector size %u", d->sector_size);
		goto out;
	}
	r = blkdev_read(d, 0, bs, 1);
	if (r < 0) {
		log_warn("fat: %s: cannot read the boot sector (%d)", d->name, r);
		r = -EIO;
		goto out;
	}
	r = bpb_layout(fs, bs, d->name);
	if (!r)
		r = bpb_sizes(fs, bs, d->name);
	if (!r)
		r = bpb_fat32(fs, bs, d->name);
out:
	free(bs);
	return r;
}

static void fat_free_fs(struct fat_fs *fs)
{
	fat_index_drop_all(fs);
	if (fs->bc)
		bcache_destroy(fs->bc);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

static int fat_mount(struct vfs_mount *m)
{
	struct fat_fs *fs = calloc(1, sizeof(*fs));
	pthread_mutexattr_t a;
	int r;

	if (!fs)
		return -ENOMEM;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&fs->lock, &a);
	pthread_mutexattr_destroy(&a);
	fs->dev = m->dev;
	fs->mnt = m;
	r = parse_boot(fs);
	if (r < 0)
		goto fail;
	unsigned nbufs = 262144 / fs->bps;
	fs->bc = bcache_create(fs->dev, fs->bps, nbufs < 64 ? 64 : nbufs);
	r = -ENOMEM;
	if (!fs->bc)
		goto fail;
	r = read_fsinfo(fs);
	if (r < 0)
		goto fail;
	if (fs->bits == 32) {
		uint32_t len, last;
		if (fat_chain_len(fs, fs->root_cluster, &len, &last) < 0) {
			r = BAD(m->dev->name, "the root directory's chain is damaged");
			goto fail;
		}
	}
	r = fat_root_node(fs, m);
	if (r < 0)
		goto fail;
	m->priv = fs;
	log_debug("fat: %s: FAT%d, %u clusters of %u bytes", m->dev->name, fs->bits, fs->nclusters,
		  fs->csize);
	return 0;
fail:
	fat_free_fs(fs);
	return r;
}

static int store_fsinfo(uint8_t *p, struct fat_fs *fs)
{
	fat_put32(p + 488, fs->free_count);
	fat_put32(p + 492, fs->next_free);
	return 1;
}

/* Under the lock: FSInfo, then every dirty block, then a device flush. */
int fat_sync_fs(struct fat_fs *fs)
{
	if (fs->dev->readonly)
		return 0; /* nothing can have changed */
	if (fat_store_dirty(fs) < 0)
		return -EIO;
	if (fs->fsinfo && fs->fsinfo_dirty) {
		struct bbuf *b;
		if (fs->free_count == 0xffffffff)
			fat_count_free(fs);
		if (bcache_get(fs->bc, fs->fsinfo, &b) < 0)
			return -EIO;
		bcache_dirty(b);
		store_fsinfo(b->data, fs);
		bcache_put(b);
		fs->fsinfo_dirty = 0;
	}
	return bcache_sync(fs->bc);
}

static int fat_sync(struct vfs_mount *m)
{
	struct fat_fs *fs = m->priv;

	kmutex_lock(&fs->lock);
	int r = fat_sync_fs(fs);
	kmutex_unlock(&fs->lock);
	return r;
}

static int fat_unmount(struct vfs_mount *m)
{
	struct fat_fs *fs = m->priv;
	int r = fat_sync(m);

	free(fs->root);
	m->root = NULL;
	m->priv = NULL;
	fat_free_fs(fs);
	return r;
}

static int fat_statfs(struct vfs_mount *m, struct vfs_statfs *out)
{
	struct fat_fs *fs = m->priv;
	int r = 0;

	kmutex_lock(&fs->lock);
	if (fs->free_count == 0xffffffff)
		r = fat_count_free(fs);
	memset(out, 0, sizeof(*out));
	snprintf(out->type, sizeof(out->type), "fat%d", fs->bits);
	out->block_size = fs->csize;
	out->blocks = fs->nclusters;
	out->blocks_free = r < 0 ? 0 : fs->free_count;
	kmutex_unlock(&fs->lock);
	return r;
}

static struct vfs_fs_type fat_type = {
    .name = "fat",
    .mount = fat_mount,
    .sync = fat_sync,
    .unmount = fat_unmount,
    .statfs = fat_statfs,
};

int fat_register(void)
{
	vfs_register_fs(&fat_type);
	return 0;
}
INITCALL(INITCALL_CORE, fat_register);
