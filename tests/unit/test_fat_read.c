// unit-sources: fs/bcache.c fs/fat/*.c tests/unit/fat_hostdev.c tests/unit/kmutex_host.c tests/unit/fat_mm_host.c
/* The FAT driver reads what mkfs.fat and mtools wrote: FAT12, FAT16 and
 * FAT32 images with nested directories, long and non-ASCII names, empty
 * and multi-megabyte files, a directory of 1000 entries and fragmented
 * files; every byte is compared with the host's copy. */
#include <dirent.h>
#include "fat_harness.h"

#define NMANY 1000

static const char *const names[] = {
    "hello.txt",      "empty.txt",	"Ünïcødé file name.txt",
    "中文文件名.txt", "a/b/c/deep.txt", "a/b/sibling with spaces.dat",
    "UPPER.TXT",      "big.bin",	"frag.bin",
};

static size_t size_of(const char *name, int bits)
{
	if (!strcmp(name, "empty.txt"))
		return 0;
	if (!strcmp(name, "big.bin"))
		return bits == 12 ? 300 * 1024 + 13 : 5 * 1024 * 1024 + 77;
	if (!strcmp(name, "frag.bin"))
		return 100 * 1024 + 5;
	return strlen(name) * 37 + 1;
}

/* The host tree src/, then the image @img of @bits filled from it with
 * mtools; frag.bin is written into the holes left by deleting every other
 * one of 30 small files. */
static int build_image(const char *img, int bits)
{
	const char *mkfs = bits == 12	? "-C %s 1440"
			   : bits == 16 ? "-F 16 -C %s 65536"
					: "-F 32 -s 1 -C %s 65536";
	char opts[64];
	int r = 0;

	snprintf(opts, sizeof(opts), mkfs, img);
	r |= sh("rm -rf src %s && mkdir -p src/a/b/c src/many && mkfs.fat %s", img, opts);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !r; i++) {
		char p[300];
		size_t len = size_of(names[i], bits);
		uint8_t *d = malloc(len + 1);
		fill_random(d, len, (uint32_t)i + 1);
		snprintf(p, sizeof(p), "src/%s", names[i]);
		r |= write_host_file(p, d, len);
		free(d);
	}
	for (int i = 0; i < NMANY && !r; i++) {
		char p[300], text[64];
		snprintf(p, sizeof(p), "src/many/%04d file number.txt", i);
		int n = snprintf(text, sizeof(text), "this is file %d\n", i);
		r |= write_host_file(p, text, n);
	}
	r |= sh("mkdir -p holes && for i in $(seq 10 39); do head -c 8192 /dev/urandom "
		">holes/h$i; done && mcopy -i %s holes/* ::/ && for i in $(seq 10 2 39); do "
		"mdel -i %s ::/h$i; done",
		img, img);
	/* FAT32: no next-free hint in FSInfo, so mtools fills the holes */
	if (bits == 32)
		r |=
		    sh("printf '\\377\\377\\377\\377' | dd of=%s bs=1 seek=1004 conv=notrunc", img);
	r |= sh("mmd -i %s ::/a ::/a/b ::/a/b/c ::/many && mcopy -i %s src/frag.bin "
		"src/hello.txt src/empty.txt src/Ü* src/中* src/UPPER.TXT src/big.bin ::/ && "
		"mcopy -i %s src/a/b/c/deep.txt ::/a/b/c/ && mcopy -i %s src/a/b/sib* ::/a/b/ && "
		"mcopy -i %s src/many/* ::/many/",
		img, img, img, img, img);
	return r;
}

static int same_as_host(struct fmnt *f, const char *name)
{
	uint8_t *mine = NULL, *host = NULL;
	char p[300];

	snprintf(p, sizeof(p), "src/%s", name);
	long a = fm_read_all(f, name, &mine), b = read_host_file(p, &host);
	int ok = a >= 0 && a == b && !memcmp(mine, host, a);
	if (!ok)
		fprintf(stderr, "%s: driver %ld bytes, host %ld\n", name, a, b);
	free(mine);
	free(host);
	return ok;
}

static int cur_bits;

static void test_files(void)
{
	struct fmnt f;
	char img[16];

	snprintf(img, sizeof(img), "r%d.img", cur_bits);
	CHECK(build_image(img, cur_bits) == 0);
	CHECK(fm_mount(&f, img, 1) == 0);
	struct vfs_statfs sf;
	char type[8];
	snprintf(type, sizeof(type), "fat%d", cur_bits);
	CHECK(t_fat->statfs(&f.m, &sf) == 0 && !strcmp(sf.type, type));
	CHECK(sf.blocks_free > 0 && sf.blocks_free < sf.blocks);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK(same_as_host(&f, names[i]));
	for (int i = 0; i < NMANY; i += 7) {
		char p[64];
		snprintf(p, sizeof(p), "many/%04d file number.txt", i);
		CHECK(same_as_host(&f, p));
	}
	/* frag.bin really is in pieces */
	struct vfs_node *n;
	CHECK(fm_walk(&f, "frag.bin", &n) == 0);
	struct fat_node *fn = n->priv;
	uint32_t c = fn->first, breaks = 0;
	for (uint32_t i = 1; i < fn->nclus; i++) {
		uint32_t next;
		CHECK(fat_next(&f.hd.bd == f.m.dev ? f.m.priv : NULL, c, &next) == 0);
		breaks += next != c + 1;
		c = next;
	}
	vfs_node_put(n);
	CHECK(breaks >= 3);
	CHECK(fm_umount(&f) == 0);
}

static void test_lookup_rules(void)
{
	struct fmnt f;
	struct vfs_node *a, *b;
	char img[16];

	snprintf(img, sizeof(img), "r%d.img", cur_bits);
	CHECK(fm_mount(&f, img, 1) == 0);
	/* case-insensitive, one node per file, short aliases */
	CHECK(fm_walk(&f, "HELLO.TXT", &a) == 0);
	CHECK(fm_walk(&f, "hello.txt", &b) == 0);
	CHECK(a == b && a->refs == 2);
	vfs_node_put(b);
	vfs_node_put(a);
	CHECK(fm_walk(&f, "ünïcødé FILE name.TXT", &a) == 0);
	vfs_node_put(a);
	CHECK(fm_walk(&f, "A/B/C/DEEP.TXT", &a) == 0);
	vfs_node_put(a);
	CHECK(fm_walk(&f, "many/0007FI~1.TXT", &a) == 0);
	vfs_node_put(a);
	CHECK(fm_walk(&f, "nothere", &a) == -ENOENT);
	CHECK(fm_walk(&f, "hello.txt/x", &a) == -ENOTDIR);
	CHECK(fm_walk(&f, "bad\xff", &a) == -ENOENT);
	/* a read-only device refuses changes */
	CHECK(f.m.root->ops->create(f.m.root, "new", 3, &a) == -EROFS);
	CHECK(f.m.root->ops->mkdir(f.m.root, "new", 3) == -EROFS);
	CHECK(f.m.root->ops->unlink(f.m.root, "hello.txt", 9) == -EROFS);
	CHECK(f.m.root->ops->rename(f.m.root, "hello.txt", 9, f.m.root, "x", 1) == -EROFS);
	CHECK(fm_walk(&f, "hello.txt", &a) == 0);
	CHECK(a->ops->write(a, "x", 1, 0) == -EROFS && a->ops->truncate(a, 0) == -EROFS);
	vfs_node_put(a);
	/* getattr */
	struct stat st;
	CHECK(fm_walk(&f, "a", &a) == 0);
	CHECK(a->ops->getattr(a, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(a->ops->read(a, &st, 1, 0) == -EISDIR);
	vfs_node_put(a);
	CHECK(fm_walk(&f, "big.bin", &a) == 0);
	CHECK(a->ops->getattr(a, &st) == 0 && S_ISREG(st.st_mode));
	CHECK((size_t)st.st_size == size_of("big.bin", cur_bits) && st.st_mtime > 1600000000);
	/* reads at odd offsets and past the end */
	uint8_t buf[1000], *all;
	CHECK(read_host_file("src/big.bin", &all) > 0);
	CHECK(a->ops->read(a, buf, sizeof(buf), 12345) == sizeof(buf));
	CHECK(!memcmp(buf, all + 12345, sizeof(buf)));
	CHECK(a->ops->read(a, buf, sizeof(buf), st.st_size - 10) == 10);
	CHECK(a->ops->read(a, buf, sizeof(buf), st.st_size) == 0);
	CHECK(a->ops->read(a, buf, sizeof(buf), 1ull << 40) == 0);
	free(all);
	vfs_node_put(a);
	CHECK(fm_umount(&f) == 0);
}

static void test_readdir(void)
{
	struct fmnt f;
	struct vfs_node *d;
	struct vfs_dirent de;
	char img[16];
	static char seen[NMANY];

	snprintf(img, sizeof(img), "r%d.img", cur_bits);
	CHECK(fm_mount(&f, img, 1) == 0);
	CHECK(fm_walk(&f, "many", &d) == 0);
	memset(seen, 0, sizeof(seen));
	uint64_t pos = 0;
	int n = 0, r;
	while ((r = d->ops->readdir(d, &pos, &de)) == 1) {
		int i;
		CHECK(sscanf(de.name, "%d file number.txt", &i) == 1 && i >= 0 && i < NMANY);
		CHECK(!seen[i] && de.type == DT_REG);
		seen[i] = 1;
		n++;
	}
	CHECK(r == 0 && n == NMANY);
	vfs_node_put(d);
	/* the root: unicode names come back as written */
	int found = 0;
	pos = 0;
	while ((r = f.m.root->ops->readdir(f.m.root, &pos, &de)) == 1)
		found += !strcmp(de.name, "中文文件名.txt") ||
			 !strcmp(de.name, "Ünïcødé file name.txt") ||
			 (!strcmp(de.name, "a") && de.type == DT_DIR);
	CHECK(r == 0 && found == 3);
	CHECK(fm_umount(&f) == 0);
}

int main(void)
{
	t_setup("read");
	static const int bits[] = {12, 16, 32};
	for (int i = 0; i < 3; i++) {
		char name[64];
		cur_bits = bits[i];
		snprintf(name, sizeof(name), "read.fat%d.files", cur_bits);
		run(name, test_files);
		snprintf(name, sizeof(name), "read.fat%d.lookup", cur_bits);
		run(name, test_lookup_rules);
		snprintf(name, sizeof(name), "read.fat%d.readdir", cur_bits);
		run(name, test_readdir);
	}
	t_cleanup();
	return t_nfail != 0;
}
