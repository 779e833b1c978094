/*
 * libFuzzer target for the FAT driver: the input is a disk image (the
 * corpus starts from small FAT12 images made by mkfs.fat and mtools). It
 * is mounted; every directory is listed and every file read, then a file
 * is created, written, truncated and removed, a directory made, a file
 * renamed. ASan/UBSan and the fuzzer's timeout catch what goes wrong.
 * Build and run with tests/fuzz/run.sh.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/log.h>
#include <fs/vfs.h>
#include "../unit/fat_hostdev.h"
#include "../../fs/fat/fat.h"

#define REQUIRE(e) ((e) ? (void)0 : __builtin_trap())
#define MAX_IMAGE (1 << 20)

static struct vfs_fs_type *fat;

void log_printf(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

void vfs_register_fs(struct vfs_fs_type *type)
{
	fat = type;
}

static void walk(struct vfs_node *d, int depth)
{
	static uint8_t buf[4096];
	struct vfs_dirent de;
	uint64_t pos = 0;

	for (int i = 0; i < 1000; i++) {
		uint64_t before = pos;
		int r = d->ops->readdir(d, &pos, &de);
		if (r != 1)
			break;
		REQUIRE(pos > before && strlen(de.name) > 0 && !strchr(de.name, '/'));
		struct vfs_node *n;
		if (d->ops->lookup(d, de.name, strlen(de.name), &n) < 0)
			continue;
		struct stat st;
		REQUIRE(n->ops->getattr(n, &st) == 0 || 1);
		if (S_ISDIR(n->mode)) {
			if (depth < 4)
				walk(n, depth + 1);
		} else {
			for (uint64_t off = 0; off < 65536;) {
				long got = n->ops->read(n, buf, sizeof(buf), off);
				REQUIRE(got <= (long)sizeof(buf));
				if (got <= 0)
					break;
				off += got;
			}
		}
		vfs_node_put(n);
	}
}

static void change(struct vfs_mount *m)
{
	static uint8_t data[3000];
	struct vfs_node *r = m->root, *n;

	if (r->ops->create(r, "Fuzz file.txt", 13, &n) == 0) {
		long w = n->ops->write(n, data, sizeof(data), 100);
		if (w > 0) {
			uint8_t back[64];
			REQUIRE(n->ops->read(n, back, sizeof(back), 0) == sizeof(back));
			for (size_t i = 0; i < sizeof(back); i++)
				REQUIRE(back[i] == 0);
		}
		n->ops->truncate(n, 10);
		vfs_node_put(n);
	}
	r->ops->mkdir(r, "newdir", 6);
	r->ops->rename(r, "A.TXT", 5, r, "renamed", 7);
	r->ops->unlink(r, "Fuzz file.txt", 13);
	r->ops->rmdir(r, "newdir", 6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostdev hd;
	struct vfs_mount m = {0};

	if (!fat)
		fat_register();
	if (size > MAX_IMAGE)
		return 0;
	uint8_t *img = malloc(size ? size : 1);
	memcpy(img, data, size);
	hostdev_mem(&hd, img, size);
	m.dev = &hd.bd;
	m.type = fat;
	if (fat->mount(&m) == 0) {
		struct vfs_statfs sf;
		REQUIRE(m.root && m.root->refs == 1);
		walk(m.root, 0);
		change(&m);
		walk(m.root, 0);
		if (fat->statfs(&m, &sf) == 0)
			REQUIRE(sf.blocks_free <= sf.blocks);
		REQUIRE(m.root->refs == 1);
		fat->unmount(&m);
	}
	free(img);
	return 0;
}
