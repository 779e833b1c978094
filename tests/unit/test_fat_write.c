// unit-sources: fs/bcache.c fs/fat/*.c tests/unit/fat_hostdev.c tests/unit/kmutex_host.c tests/unit/fat_mm_host.c
/* The FAT driver writes, renames, removes and truncates on FAT12, FAT16
 * and FAT32 images; the host checks the result with mtools and
 * `fsck.fat -n` (which must find nothing to repair). */
#include <pthread.h>
#include "fat_harness.h"

#define NFILES 300
#define BIG (100 * 1024 + 17)

static int cur_bits;
static char img[32];
static uint8_t big[BIG], small[3000];

static int mkimage(void)
{
	const char *opts = cur_bits == 12   ? "-C %s 1440"
			   : cur_bits == 16 ? "-F 16 -C %s 65536"
					    : "-F 32 -s 1 -C %s 65536";
	char o[64];

	snprintf(img, sizeof(img), "w%d.img", cur_bits);
	snprintf(o, sizeof(o), opts, img);
	return sh("rm -f %s && mkfs.fat %s && mmd -i %s ::/pre && echo old >old.txt && "
		  "mcopy -i %s old.txt ::/pre/",
		  img, o, img, img);
}

static int fsck_clean(void)
{
	return sh("fsck.fat -n %s", img) == 0;
}

/* The host's copy of ::/@path equals @data. */
static int host_has(const char *path, const void *data, size_t len)
{
	uint8_t *got = NULL;

	if (sh("rm -f out.bin && mcopy -n -i %s '::/%s' out.bin", img, path))
		return 0;
	long n = read_host_file("out.bin", &got);
	int ok = n == (long)len && !memcmp(got, data, len);
	free(got);
	return ok;
}

/* Write @data in pieces of changing sizes, as an application would. */
static int write_chunks(struct vfs_node *n, const uint8_t *data, size_t len)
{
	size_t off = 0, step = 1;

	while (off < len) {
		size_t k = step < len - off ? step : len - off;
		if (n->ops->write(n, data + off, k, off) != (long)k)
			return -1;
		off += k;
		step = step * 7 % 5003 + 1;
	}
	return 0;
}

static int mkdir_p(struct fmnt *f, const char *path)
{
	struct vfs_node *d;
	const char *name;
	int r = fm_parent(f, path, &d, &name);

	if (r < 0)
		return r;
	r = d->ops->mkdir(d, name, strlen(name));
	vfs_node_put(d);
	return r;
}

static int op2(struct fmnt *f, const char *a, const char *b)
{
	struct vfs_node *da, *db;
	const char *na, *nb;
	int r = fm_parent(f, a, &da, &na);

	if (r < 0)
		return r;
	r = fm_parent(f, b, &db, &nb);
	if (!r) {
		r = da->ops->rename(da, na, strlen(na), db, nb, strlen(nb));
		vfs_node_put(db);
	}
	vfs_node_put(da);
	return r;
}

static int rm(struct fmnt *f, const char *path, int dir)
{
	struct vfs_node *d;
	const char *name;
	int r = fm_parent(f, path, &d, &name);

	if (r < 0)
		return r;
	r = dir ? d->ops->rmdir(d, name, strlen(name)) : d->ops->unlink(d, name, strlen(name));
	vfs_node_put(d);
	return r;
}

static void test_ops(void)
{
	struct fmnt f;
	struct vfs_node *n, *open_node;
	char p[300];

	CHECK(mkimage() == 0);
	CHECK(fm_mount(&f, img, 0) == 0);
	CHECK(mkdir_p(&f, "d1") == 0 && mkdir_p(&f, "d1/d2") == 0);
	CHECK(mkdir_p(&f, "Ünïcødé dir") == 0 && mkdir_p(&f, "d1/many") == 0);
	CHECK(mkdir_p(&f, "d1") == -EEXIST && mkdir_p(&f, "D1") == -EEXIST);
	CHECK(fm_walk(&f, "d1/d2", &n) == 0);
	struct vfs_node *file;
	CHECK(n->ops->create(n, "file.txt", 8, &file) == 0);
	vfs_node_put(n);
	CHECK(write_chunks(file, big, BIG) == 0);
	vfs_node_put(file);
	CHECK(fm_write_file(&f, "中文.txt", small, sizeof(small)) == 0);
	CHECK(fm_write_file(&f, "readme.txt", "lower\n", 6) == 0);
	CHECK(fm_write_file(&f, "README2.TXT", "upper\n", 6) == 0);
	CHECK(fm_write_file(&f, "victim.txt", "victim", 6) == 0);
	memset(p, 'L', 200);
	strcpy(p + 200, ".long");
	CHECK(fm_write_file(&f, p, "long", 4) == 0);
	CHECK(fm_write_file(&f, "bad:name", "x", 1) == -EINVAL);
	CHECK(fm_write_file(&f, "trailing.", "x", 1) == -EINVAL);
	for (int i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "d1/many/n%03d some long name.txt", i);
		CHECK(fm_write_file(&f, p, p, strlen(p)) == 0);
	}
	/* renames: to another directory, a directory to the root, over an
	 * existing file, a change of case only */
	CHECK(op2(&f, "readme.txt", "d1/moved readme.txt") == 0);
	CHECK(op2(&f, "d1/d2", "d2 renamed") == 0);
	CHECK(op2(&f, "中文.txt", "victim.txt") == 0);
	CHECK(op2(&f, "pre/old.txt", "pre/OLD.txt") == 0);
	CHECK(op2(&f, "d1", "d1/many/inside") == -EINVAL);
	CHECK(op2(&f, "nothere", "x") == -ENOENT);
	CHECK(op2(&f, "d1", "victim.txt") == -ENOTDIR);
	CHECK(op2(&f, "victim.txt", "d1") == -EISDIR);
	CHECK(op2(&f, "Ünïcødé dir", "d1") == -ENOTEMPTY);
	/* removals */
	for (int i = 0; i < NFILES; i += 3) {
		snprintf(p, sizeof(p), "d1/many/N%03d SOME long name.txt", i);
		CHECK(rm(&f, p, 0) == 0);
	}
	CHECK(rm(&f, "d1", 1) == -ENOTEMPTY && rm(&f, "d1", 0) == -EISDIR);
	CHECK(rm(&f, "victim.txt", 1) == -ENOTDIR && rm(&f, "nothere", 0) == -ENOENT);
	CHECK(mkdir_p(&f, "gone") == 0 && rm(&f, "gone", 1) == 0);
	/* truncation and a write past the end */
	CHECK(fm_walk(&f, "d2 renamed/file.txt", &n) == 0);
	CHECK(n->ops->truncate(n, 50000) == 0 && n->ops->truncate(n, 60000) == 0);
	memset(big + 50000, 0, BIG - 50000);
	CHECK(n->ops->write(n, "tail", 4, 70000) == 4);
	memcpy(big + 70000, "tail", 4);
	vfs_node_put(n);
	/* a removed file stays readable while referenced */
	CHECK(fm_write_file(&f, "open.txt", big, 10000) == 0);
	CHECK(fm_walk(&f, "open.txt", &open_node) == 0);
	CHECK(rm(&f, "open.txt", 0) == 0 && fm_walk(&f, "open.txt", &n) == -ENOENT);
	uint8_t buf[100];
	CHECK(open_node->ops->read(open_node, buf, 100, 5000) == 100 &&
	      !memcmp(buf, big + 5000, 100));
	vfs_node_put(open_node);
	CHECK(fm_umount(&f) == 0);

	CHECK(fsck_clean());
	CHECK(host_has("d2 renamed/file.txt", big, 70004));
	CHECK(host_has("victim.txt", small, sizeof(small)));
	CHECK(host_has("d1/moved readme.txt", "lower\n", 6));
	CHECK(host_has("README2.TXT", "upper\n", 6));
	CHECK(host_has("pre/OLD.txt", "old\n", 4));
	CHECK(sh("mdir -b -i %s ::/ | grep -q 'readme.txt'", img) == 1);
	CHECK(sh("mdir -b -i %s ::/ | grep -q '中文'", img) == 1);
	CHECK(sh("mdir -b -i %s ::/ | grep -q 'Ünïcødé dir'", img) == 0);
	CHECK(sh("test $(mdir -b -i %s ::/d1/many | wc -l) = %d", img, NFILES - NFILES / 3) == 0);
	CHECK(sh("mdir -i %s ::/d1/many | grep -q 'N001SO~1 TXT'", img) == 0);
	CHECK(sh("mtype -i %s '::/d1/many/n299 some long name.txt' | grep -q 'n299'", img) == 0);
	/* and the driver sees the same after a remount */
	CHECK(fm_mount(&f, img, 1) == 0);
	uint8_t *data;
	CHECK(fm_read_all(&f, "D2 RENAMED/FILE.TXT", &data) == 70004);
	CHECK(!memcmp(data, big, 70004));
	free(data);
	CHECK(fm_umount(&f) == 0);
}

static void test_full(void)
{
	struct fmnt f;
	struct vfs_node *n;
	struct vfs_statfs sf;
	static uint8_t chunk[65536];

	CHECK(mkimage() == 0);
	CHECK(fm_mount(&f, img, 0) == 0);
	CHECK(fm_write_file(&f, "fill.bin", "", 0) == 0);
	CHECK(fm_walk(&f, "fill.bin", &n) == 0);
	long w;
	uint64_t off = 0;
	while ((w = n->ops->write(n, chunk, sizeof(chunk), off)) > 0)
		off += w;
	CHECK(w == -ENOSPC && off > 1000000);
	CHECK(t_fat->statfs(&f.m, &sf) == 0 && sf.blocks_free == 0);
	CHECK(mkdir_p(&f, "nospace") == -ENOSPC);
	CHECK(n->ops->write(n, "x", 1, 0xffffffffull) == -EFBIG);
	CHECK(n->ops->truncate(n, 1ull << 32) == -EFBIG);
	CHECK(n->ops->fsync(n) == 0);
	vfs_node_put(n);
	CHECK(fm_umount(&f) == 0);
	CHECK(fsck_clean());
	CHECK(fm_mount(&f, img, 0) == 0);
	CHECK(rm(&f, "fill.bin", 0) == 0);
	CHECK(t_fat->statfs(&f.m, &sf) == 0 && sf.blocks_free + 2 >= sf.blocks);
	CHECK(fm_umount(&f) == 0);
	CHECK(fsck_clean());
}

struct worker {
	struct fmnt *f;
	int id, ok;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	char name[32];
	uint8_t *data = malloc(40000), *back;

	snprintf(name, sizeof(name), "thread %d.bin", w->id);
	fill_random(data, 40000, (uint32_t)w->id + 100);
	w->ok = 1;
	for (int round = 0; round < 5 && w->ok; round++) {
		w->ok = fm_write_file(w->f, name, data, 40000) == 0 &&
			fm_read_all(w->f, name, &back) == 40000 && !memcmp(back, data, 40000);
		free(back);
	}
	free(data);
	return NULL;
}

static void test_threads(void)
{
	struct fmnt f;
	pthread_t t[4];
	struct worker w[4];

	CHECK(mkimage() == 0);
	CHECK(fm_mount(&f, img, 0) == 0);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.f = &f, .id = i};
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(fm_umount(&f) == 0);
	for (int i = 0; i < 4; i++)
		CHECK(w[i].ok);
	CHECK(fsck_clean());
}

int main(void)
{
	t_setup("write");
	fill_random(big, sizeof(big), 7);
	fill_random(small, sizeof(small), 8);
	static const int bits[] = {12, 16, 32};
	for (int i = 0; i < 3; i++) {
		char name[64];
		cur_bits = bits[i];
		fill_random(big, sizeof(big), 7);
		snprintf(name, sizeof(name), "write.fat%d.ops", cur_bits);
		run(name, test_ops);
		snprintf(name, sizeof(name), "write.fat%d.threads", cur_bits);
		run(name, test_threads);
	}
	cur_bits = 12;
	run("write.fat12.full", test_full);
	t_cleanup();
	return t_nfail != 0;
}
