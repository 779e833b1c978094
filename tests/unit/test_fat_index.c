// unit-sources: fs/bcache.c fs/fat/*.c tests/unit/fat_hostdev.c tests/unit/kmutex_host.c tests/unit/fat_mm_host.c
/* Directory indexes on FAT12, FAT16 and FAT32: 3,000 names in one
 * directory (numeric tails, long names, exact short names) found in any
 * case, removed, made again in the holes, renamed in and out and in case;
 * a lookup touches as few blocks in the big directory as in a small one;
 * a directory removed and made again starts a fresh index; mtools and
 * `fsck.fat -n` agree, and so does the driver after a remount. */
#include <ctype.h>
#include "fat_harness.h"

#define N 3000

static int cur_bits;
static char img[32];

static int mkimage(void)
{
	const char *opts = cur_bits == 12   ? "-F 12 -s 1 -C %s 2040"
			   : cur_bits == 16 ? "-F 16 -s 1 -C %s 16384"
					    : "-F 32 -s 1 -C %s 65536";
	char o[64];

	snprintf(img, sizeof(img), "ix%d.img", cur_bits);
	snprintf(o, sizeof(o), opts, img);
	return sh("rm -f %s && mkfs.fat %s", img, o);
}

static void name_of(int i, char *p, size_t size, int upper)
{
	switch (i % 3) {
	case 0:
		snprintf(p, size, "big/entry-%05d.txt", i);
		break;
	case 1:
		snprintf(p, size, "big/Some Long Name number %d here.dat", i);
		break;
	default:
		snprintf(p, size, "big/F%d.TXT", i);
		break;
	}
	for (char *c = p + 4; upper && *c; c++)
		*c = (char)(i % 2 ? toupper(*c) : tolower(*c));
}

/* The file @i is there with its name as contents. */
static int has(struct fmnt *f, int i, int upper)
{
	char p[128], want[128];
	uint8_t *data;

	name_of(i, p, sizeof(p), upper);
	name_of(i, want, sizeof(want), 0);
	long n = fm_read_all(f, p, &data);
	int ok = n == (long)strlen(want) && !memcmp(data, want, n);
	if (n >= 0)
		free(data);
	return ok;
}

static int dir_op(struct fmnt *f, const char *path, int op)
{
	struct vfs_node *d;
	const char *name;
	int r = fm_parent(f, path, &d, &name);

	if (r < 0)
		return r;
	r = op == 0   ? d->ops->mkdir(d, name, strlen(name))
	    : op == 1 ? d->ops->rmdir(d, name, strlen(name))
		      : d->ops->unlink(d, name, strlen(name));
	vfs_node_put(d);
	return r;
}

static int mv(struct fmnt *f, const char *a, const char *b)
{
	struct vfs_node *da, *db;
	const char *na, *nb;
	int r = fm_parent(f, a, &da, &na);

	if (r < 0)
		return r;
	if (!(r = fm_parent(f, b, &db, &nb))) {
		r = da->ops->rename(da, na, strlen(na), db, nb, strlen(nb));
		vfs_node_put(db);
	}
	vfs_node_put(da);
	return r;
}

/* Block-cache accesses per lookup of an existing name in @dir. */
static uint64_t cost(struct fmnt *f, const char *path)
{
	struct bcache *bc = ((struct fat_fs *)f->m.priv)->bc;
	struct bcache_stats a, b;
	struct vfs_node *n;

	fm_walk(f, path, &n); /* the index is built on first use */
	vfs_node_put(n);
	bcache_stats_get(bc, &a);
	for (int i = 0; i < 20; i++) {
		if (fm_walk(f, path, &n) == 0)
			vfs_node_put(n);
	}
	bcache_stats_get(bc, &b);
	return (b.hits + b.misses - a.hits - a.misses) / 20;
}

static void fill(struct fmnt *f)
{
	char p[128];

	CHECK(dir_op(f, "big", 0) == 0 && dir_op(f, "small", 0) == 0);
	for (int i = 0; i < N; i++) {
		name_of(i, p, sizeof(p), 0);
		if (fm_write_file(f, p, p, strlen(p)) < 0) {
			CHECK(!"create");
			return;
		}
	}
	for (int i = 0; i < 30; i++) {
		snprintf(p, sizeof(p), "small/s%d", i);
		CHECK(fm_write_file(f, p, p, strlen(p)) == 0);
	}
	CHECK(fm_write_file(f, "big/F2.TXT", "x", 1) == 0); /* same name: replaced */
	CHECK(fm_write_file(f, "big/F2.TXT", "big/F2.TXT", 10) == 0);
}

static void change(struct fmnt *f)
{
	char p[128], q[128];

	for (int i = 0; i < N; i += 4) {
		name_of(i, p, sizeof(p), 1);
		CHECK(dir_op(f, p, 2) == 0);
	}
	for (int i = 0; i < N; i += 4) { /* again, into the holes */
		name_of(i, p, sizeof(p), 0);
		CHECK(fm_write_file(f, p, p, strlen(p)) == 0);
	}
	CHECK(dir_op(f, "other", 0) == 0);
	for (int i = 1; i < 300; i += 6) {
		name_of(i, p, sizeof(p), 0);
		snprintf(q, sizeof(q), "other/moved %d", i);
		CHECK(mv(f, p, q) == 0 && mv(f, q, p) == 0);
		name_of(i + 1, p, sizeof(p), 0);
		name_of(i + 1, q, sizeof(q), 1);
		CHECK(mv(f, p, q) == 0);
	}
	/* a directory made, filled, removed and made again */
	CHECK(dir_op(f, "tmp", 0) == 0 && fm_write_file(f, "tmp/a", "a", 1) == 0);
	CHECK(dir_op(f, "tmp/a", 2) == 0 && dir_op(f, "tmp", 1) == 0);
	CHECK(dir_op(f, "tmp2", 0) == 0 && fm_write_file(f, "tmp2/b", "b", 1) == 0);
	uint8_t *d;
	CHECK(fm_read_all(f, "tmp2/a", &d) == -ENOENT && fm_read_all(f, "tmp2/b", &d) == 1);
	free(d);
}

static void test_many(void)
{
	struct fmnt f;
	int bad = 0;

	CHECK(mkimage() == 0);
	CHECK(fm_mount(&f, img, 0) == 0);
	fill(&f);
	for (int i = 0; i < N; i++)
		bad += !has(&f, i, 1);
	CHECK(bad == 0);
	uint64_t big = cost(&f, "big/F2999.TXT"), small = cost(&f, "small/s29");
	if (big > small + 8)
		printf("  lookup: %llu block accesses in a %d-entry directory, %llu in a 30-entry "
		       "one\n",
		       (unsigned long long)big, N, (unsigned long long)small);
	CHECK(big <= small + 8);
	change(&f);
	for (int i = 0; i < N; i++)
		bad += !has(&f, i, 0);
	CHECK(bad == 0);
	CHECK(fm_umount(&f) == 0);
	CHECK(sh("fsck.fat -n %s", img) == 0);
	CHECK(sh("test $(mdir -b -i %s ::/big | wc -l) = %d", img, N) == 0);
	CHECK(sh("mtype -i %s '::/big/some long name number 1000 here.dat' | grep -q 1000", img) ==
	      0);
	CHECK(sh("mtype -i %s '::/big/ENTRY-~1.TXT' | grep -q entry-", img) == 0);
	/* a fresh index after a remount */
	CHECK(fm_mount(&f, img, 0) == 0);
	for (int i = N - 1; i >= 0; i--)
		bad += !has(&f, i, i % 5 == 0);
	CHECK(bad == 0);
	CHECK(fm_umount(&f) == 0);
}

int main(void)
{
	static const int bits[] = {12, 16, 32};

	t_setup("index");
	for (int i = 0; i < 3; i++) {
		char name[64];
		cur_bits = bits[i];
		snprintf(name, sizeof(name), "index.fat%d.many", cur_bits);
		run(name, test_many);
	}
	t_cleanup();
	return t_nfail != 0;
}
