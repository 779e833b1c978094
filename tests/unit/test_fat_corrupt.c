// unit-sources: fs/bcache.c fs/fat/*.c tests/unit/fat_hostdev.c tests/unit/kmutex_host.c tests/unit/fat_mm_host.c
/* Damaged FAT volumes: a boot sector with bad values or a truncated image
 * is refused at mount with a logged reason; damaged chains, entries and
 * long names make the one operation fail (or fall back to the short
 * name); random byte flips and device errors never crash or hang. */
#include <fcntl.h>
#include <sys/stat.h>
#include "fat_harness.h"

static uint8_t *img12, *img32, *work;
static size_t len12, len32;

static int load(const char *name, uint8_t **out, size_t *len)
{
	long n = read_host_file(name, out);
	*len = n > 0 ? (size_t)n : 0;
	return n > 0 ? 0 : -1;
}

static int make_images(void)
{
	int r =
	    sh("head -c 20000 /dev/urandom >multi.bin && echo hello >small.txt && "
	       "mkdir -p sub && for i in $(seq 1 40); do echo $i >\"sub/entry number $i\"; done");
	r |= sh("mkfs.fat -C c12.img 1440 && mcopy -i c12.img multi.bin small.txt sub ::/ && "
		"mcopy -i c12.img small.txt '::/A long file name.txt'");
	r |= sh("mkfs.fat -F 32 -s 1 -C c32.img 34000 && mcopy -i c32.img multi.bin small.txt "
		"sub ::/");
	return r || load("c12.img", &img12, &len12) || load("c32.img", &img32, &len32);
}

/* Mount @len bytes of @img (copied into the work buffer). */
static int mount_mem(struct fmnt *f, const uint8_t *img, size_t len)
{
	memset(f, 0, sizeof(*f));
	memcpy(work, img, len);
	hostdev_mem(&f->hd, work, len);
	f->m.dev = &f->hd.bd;
	f->m.type = t_fat;
	return t_fat->mount(&f->m);
}

static int refused(const uint8_t *img, size_t len)
{
	struct fmnt f;
	int w = t_warnings;
	int r = mount_mem(&f, img, len);

	if (!r)
		t_fat->unmount(&f.m);
	return r == -EINVAL && t_warnings > w;
}

/* A copy of the FAT12 image with @n bytes at @off replaced. */
static int refused_patch(size_t off, const void *bytes, size_t n, int fat32)
{
	static uint8_t *copy;
	size_t len = fat32 ? len32 : len12;

	copy = realloc(copy, len);
	memcpy(copy, fat32 ? img32 : img12, len);
	memcpy(copy + off, bytes, n);
	return refused(copy, len);
}

static void test_bad_bpb(void)
{
	struct fmnt f;

	CHECK(mount_mem(&f, img12, len12) == 0);
	CHECK(t_fat->unmount(&f.m) == 0);
	CHECK(refused(img12, len12 / 2));	    /* truncated */
	CHECK(refused(img12, 100));		    /* not even one sector */
	CHECK(refused_patch(11, "\0\0", 2, 0));	    /* bytes per sector 0 */
	CHECK(refused_patch(11, "\xb8\x0b", 2, 0)); /* 3000 */
	CHECK(refused_patch(11, "\x00\x01", 2, 0)); /* 256 */
	CHECK(refused_patch(13, "\0", 1, 0));	    /* sectors per cluster 0 */
	CHECK(refused_patch(13, "\3", 1, 0));	    /* 3 */
	CHECK(refused_patch(14, "\0\0", 2, 0));	    /* no reserved sectors */
	CHECK(refused_patch(16, "\0", 1, 0));	    /* no FAT */
	CHECK(refused_patch(17, "\0\0", 2, 0));	    /* no root directory */
	CHECK(refused_patch(19, "\0\0", 2, 0));	    /* no size */
	CHECK(refused_patch(19, "\xff\xff", 2, 0)); /* larger than the device */
	CHECK(refused_patch(22, "\0\0", 2, 0));	    /* no FAT size */
	CHECK(refused_patch(22, "\x01\x00", 2, 0)); /* FAT too small */
	CHECK(refused_patch(22, "\x00\x10", 2, 0)); /* FATs fill the volume */
	CHECK(refused_patch(510, "\0\0", 2, 0));    /* no signature */
	CHECK(refused_patch(0, "\0", 1, 0));	    /* no jump */
	CHECK(refused_patch(21, "\x12", 1, 0));	    /* media */
	CHECK(mount_mem(&f, img32, len32) == 0);
	CHECK(t_fat->unmount(&f.m) == 0);
	CHECK(refused_patch(44, "\0\0\0\0", 4, 1));   /* root cluster 0 */
	CHECK(refused_patch(44, "\0\0\0\x01", 4, 1)); /* root cluster far out */
	CHECK(refused_patch(42, "\1\0", 2, 1));	      /* version */
	CHECK(refused_patch(17, "\x00\x02", 2, 1));   /* FAT32 with a root region */
	CHECK(refused_patch(40, "\x83\x00", 2, 1));   /* active FAT 3 of 2 */
	CHECK(refused(img32, len32 - 512));
}

/* Mount the FAT12 image, damage it with @fn through the driver's own
 * FAT calls, unmount (writing it), and mount the result again. */
static int damaged(struct fmnt *f, void (*fn)(struct fat_fs *fs, struct fmnt *f))
{
	struct fmnt g;

	if (mount_mem(&g, img12, len12))
		return -1;
	fn(g.m.priv, &g);
	t_fat->unmount(&g.m);
	memset(f, 0, sizeof(*f));
	hostdev_mem(&f->hd, work, len12);
	f->m.dev = &f->hd.bd;
	f->m.type = t_fat;
	return t_fat->mount(&f->m);
}

static uint32_t first_of(struct fmnt *f, const char *path)
{
	struct vfs_node *n;

	if (fm_walk(f, path, &n))
		return 0;
	uint32_t c = ((struct fat_node *)n->priv)->first;
	vfs_node_put(n);
	return c;
}

static void loop_chain(struct fat_fs *fs, struct fmnt *f)
{
	uint32_t c = first_of(f, "multi.bin"), next;
	fat_next(fs, c, &next);
	fat_set(fs, next, c);
}

static void out_of_range(struct fat_fs *fs, struct fmnt *f)
{
	fat_set(fs, first_of(f, "multi.bin"), fs->nclusters + 7);
}

static void to_free(struct fat_fs *fs, struct fmnt *f)
{
	fat_set(fs, first_of(f, "multi.bin"), 0);
}

static void to_bad(struct fat_fs *fs, struct fmnt *f)
{
	fat_set(fs, first_of(f, "multi.bin"), FAT_BAD);
}

static void dir_loop(struct fat_fs *fs, struct fmnt *f)
{
	uint32_t c = first_of(f, "sub");
	fat_set(fs, c, c);
}

static int expect_eio(struct fmnt *f, const char *path)
{
	struct vfs_node *n;
	int w = t_warnings, r = fm_walk(f, path, &n);

	if (!r)
		vfs_node_put(n);
	return r == -EIO && t_warnings > w;
}

static void test_bad_chains(void)
{
	static void (*const fns[])(struct fat_fs *, struct fmnt *) = {loop_chain, out_of_range,
								      to_free, to_bad};
	struct fmnt f;
	uint8_t *data;

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		CHECK(damaged(&f, fns[i]) == 0);
		CHECK(expect_eio(&f, "multi.bin"));
		/* the rest of the volume still works */
		CHECK(fm_read_all(&f, "small.txt", &data) == 6 && !memcmp(data, "hello\n", 6));
		free(data);
		CHECK(fm_write_file(&f, "new.txt", "new", 3) == 0);
		CHECK(t_fat->unmount(&f.m) == 0);
	}
	CHECK(damaged(&f, dir_loop) == 0);
	CHECK(expect_eio(&f, "sub"));
	CHECK(expect_eio(&f, "sub/entry number 1"));
	CHECK(t_fat->unmount(&f.m) == 0);
}

/* Offset in the FAT12 image of the root entry whose short name starts
 * with @prefix. */
static size_t root_entry(const char *prefix)
{
	size_t root = (1 + 2 * 9) * 512;

	for (size_t o = root; o < root + 224 * 32; o += 32)
		if (!memcmp(img12 + o, prefix, strlen(prefix)) && img12[o + 11] != 0x0f)
			return o;
	return 0;
}

static void test_bad_entries(void)
{
	static uint8_t *copy;
	struct fmnt f;
	size_t multi = root_entry("MULTI   BIN"), sub = root_entry("SUB        ");
	struct vfs_node *n;

	CHECK(multi && sub);
	copy = realloc(copy, len12);
	memcpy(copy, img12, len12);
	copy[multi + 26] = 0xf0, copy[multi + 27] = 0x0f; /* cluster out of range */
	copy[sub + 26] = 1, copy[sub + 27] = 0;		  /* a reserved cluster */
	CHECK(mount_mem(&f, copy, len12) == 0);
	CHECK(expect_eio(&f, "multi.bin") && expect_eio(&f, "sub"));
	CHECK(t_fat->unmount(&f.m) == 0);
	memcpy(copy, img12, len12);
	fat_put32(copy + multi + 28, 5000000); /* larger than its chain */
	CHECK(mount_mem(&f, copy, len12) == 0);
	CHECK(expect_eio(&f, "multi.bin"));
	CHECK(t_fat->unmount(&f.m) == 0);
	memcpy(copy, img12, len12);
	/* a long name with a wrong checksum: the short name is used */
	size_t lfn = root_entry("A") - 32;
	CHECK(copy[lfn + 11] == 0x0f);
	copy[lfn + 13] ^= 0x55;
	CHECK(mount_mem(&f, copy, len12) == 0);
	CHECK(fm_walk(&f, "A long file name.txt", &n) == -ENOENT);
	CHECK(fm_walk(&f, "ALONGF~1.TXT", &n) == 0);
	vfs_node_put(n);
	CHECK(t_fat->unmount(&f.m) == 0);
}

static void test_io_errors(void)
{
	struct fmnt f;
	uint8_t *data;
	struct vfs_node *n;

	memset(&f, 0, sizeof(f));
	memcpy(work, img12, len12);
	hostdev_mem(&f.hd, work, len12);
	f.hd.fail_reads = 0;
	f.m.dev = &f.hd.bd;
	CHECK(t_fat->mount(&f.m) == -EIO);
	f.hd.fail_reads = 5;
	CHECK(t_fat->mount(&f.m) == 0);
	f.hd.fail_reads = 0;
	CHECK(fm_read_all(&f, "multi.bin", &data) == -EIO);
	free(data);
	f.hd.fail_reads = -1;
	CHECK(fm_read_all(&f, "multi.bin", &data) == 20000); /* nothing bad was cached */
	free(data);
	CHECK(fm_write_file(&f, "w.txt", "data", 4) == 0);
	CHECK(fm_walk(&f, "w.txt", &n) == 0);
	f.hd.fail_writes = 0;
	CHECK(n->ops->fsync(n) == -EIO);
	f.hd.fail_writes = -1;
	CHECK(n->ops->fsync(n) == 0);
	vfs_node_put(n);
	CHECK(t_fat->unmount(&f.m) == 0);
}

/* Everything reachable: read every file, list every directory. */
static void walk(struct vfs_node *d, int depth)
{
	struct vfs_dirent de;
	uint64_t pos = 0;
	static uint8_t buf[8192];

	for (int i = 0; i < 3000 && d->ops->readdir(d, &pos, &de) == 1; i++) {
		struct vfs_node *n;
		if (d->ops->lookup(d, de.name, strlen(de.name), &n) < 0)
			continue;
		if (S_ISDIR(n->mode)) {
			if (depth < 6)
				walk(n, depth + 1);
		} else {
			for (uint64_t off = 0; off < (1 << 20);) {
				long r = n->ops->read(n, buf, sizeof(buf), off);
				if (r <= 0)
					break;
				off += r;
			}
		}
		vfs_node_put(n);
	}
}

static void try_changes(struct fmnt *f)
{
	struct vfs_node *r = f->m.root, *n;
	static uint8_t data[5000];

	if (r->ops->create(r, "fuzz new.txt", 12, &n) == 0) {
		n->ops->write(n, data, sizeof(data), 0);
		n->ops->truncate(n, 100);
		vfs_node_put(n);
	}
	r->ops->mkdir(r, "newdir", 6);
	r->ops->rename(r, "small.txt", 9, r, "renamed.txt", 11);
	r->ops->unlink(r, "multi.bin", 9);
	r->ops->rmdir(r, "sub", 3);
	r->ops->unlink(r, "fuzz new.txt", 12);
	struct vfs_statfs sf;
	t_fat->statfs(&f->m, &sf);
}

/* @retval how many of the damaged images mounted */
static int flip_run(const uint8_t *img, size_t len, size_t span, int seeds, int flips)
{
	uint32_t x = 12345;
	int mounted = 0;

	for (int s = 0; s < seeds; s++) {
		struct fmnt f;
		memcpy(work, img, len);
		for (int i = 0; i < flips; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			work[x % span] ^= (uint8_t)(1u << (x >> 29));
		}
		memset(&f, 0, sizeof(f));
		hostdev_mem(&f.hd, work, len);
		f.m.dev = &f.hd.bd;
		if (t_fat->mount(&f.m) < 0)
			continue;
		mounted++;
		walk(f.m.root, 0);
		try_changes(&f);
		walk(f.m.root, 0);
		t_fat->unmount(&f.m);
	}
	return mounted;
}

static void test_flips(void)
{
	t_quiet = 1;
	int a = flip_run(img12, len12, 64 * 1024, 300, 12);
	int b = flip_run(img32, len32, 1 << 20, 40, 40);
	int c = flip_run(img12, len12, 24 * 512, 300, 3); /* the FATs and the root only */
	t_quiet = 0;
	fprintf(stderr, "flips: %d, %d, %d images mounted\n", a, b, c);
	CHECK(a > 30 && b > 4 && c > 100);
}

int main(void)
{
	t_setup("corrupt");
	if (make_images()) {
		printf("[FAIL] fat.corrupt: cannot make the images\n");
		return 1;
	}
	work = malloc(len12 > len32 ? len12 : len32);
	t_quiet = 1;
	run("corrupt.bpb", test_bad_bpb);
	run("corrupt.chains", test_bad_chains);
	run("corrupt.entries", test_bad_entries);
	run("corrupt.io_errors", test_io_errors);
	t_quiet = 0;
	run("corrupt.flips", test_flips);
	free(work);
	t_cleanup();
	return t_nfail != 0;
}
