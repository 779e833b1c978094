/* Power-cut workloads, one per kind of operation, for the cut-point sweep
 * of tests/storage/cutsweep.sh (the linuxu disk stops after N writes):
 *   fs_test cutprep KIND [FILL]  the starting state, synced (FILL: clusters
 *                                of filler before the file that "write"
 *                                extends, to cross a FAT sector)
 *   fs_test cut KIND             the steps, "synced S" after step S's sync
 *   fs_test cutcheck KIND S      after a cut that followed step S (-1:
 *                                none): what steps up to S made is there
 *                                and whole; what the step in flight
 *                                touched reads without error; a file being
 *                                renamed is under one of its names, whole;
 *                                every directory and file reads.
 * The expected state comes from a model of the same steps. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cut.h"

/* the step tables leave unused fields out */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

enum { W, APPEND, MKDIR, RENAME, TRUNC, UNLINK, RMDIR, END };

struct op {
	int kind;
	const char *a, *b;
	unsigned seed, size;
};

struct workload {
	const char *name;
	const struct op *prep, *steps;
};

#define L "with a rather long name "
static const struct op create_prep[] = {{MKDIR, "/c"}, {W, "/c/first.txt", 0, 1, 100}, {END}};
static const struct op create_steps[] = {
    {W, "/c/created " L "01.txt", 0, 2, 300},  {W, "/c/created " L "02.txt", 0, 3, 1200},
    {W, "/c/created " L "03.txt", 0, 4, 0},    {W, "/c/created " L "04.txt", 0, 5, 2000},
    {W, "/c/created " L "05.txt", 0, 6, 700},  {W, "/root file " L "06.bin", 0, 7, 1500},
    {W, "/c/created " L "07.txt", 0, 8, 5000}, {END}};
static const struct op write_prep[] = {{W, "/w.bin", 0, 9, 100}, {END}};
static const struct op write_steps[] = {
    {APPEND, "/w.bin", 0, 9, 1400}, {APPEND, "/w.bin", 0, 9, 1400},
    {APPEND, "/w.bin", 0, 9, 9000}, {APPEND, "/w.bin", 0, 9, 300},
    {APPEND, "/w.bin", 0, 9, 1400}, {APPEND, "/w.bin", 0, 9, 20000},
    {APPEND, "/w.bin", 0, 9, 1400}, {END}};
static const struct op mkdir_prep[] = {{MKDIR, "/m"}, {END}};
static const struct op mkdir_steps[] = {{MKDIR, "/m/new directory " L "1"},
					{W, "/m/new directory " L "1/in.txt", 0, 10, 600},
					{MKDIR, "/m/d2"},
					{MKDIR, "/m/d2/deeper"},
					{W, "/m/d2/deeper/f.txt", 0, 11, 40},
					{MKDIR, "/top dir"},
					{MKDIR, "/m/d3"},
					{END}};
static const struct op grow_prep[] = {
    {MKDIR, "/g"}, {W, "/g/g0 " L "x", 0, 12, 10}, {W, "/g/g1 " L "x", 0, 13, 10}, {END}};
static const struct op grow_steps[] = {{W, "/g/entry " L "0", 0, 14, 0},
				       {W, "/g/entry " L "1", 0, 15, 0},
				       {W, "/g/entry " L "2", 0, 16, 0},
				       {W, "/g/entry " L "3", 0, 17, 0},
				       {W, "/g/entry " L "4", 0, 18, 0},
				       {W, "/g/entry " L "5", 0, 19, 0},
				       {W, "/g/entry " L "6", 0, 20, 0},
				       {W, "/g/entry " L "7", 0, 21, 0},
				       {W, "/g/entry " L "8", 0, 22, 0},
				       {W, "/g/entry " L "9", 0, 23, 0},
				       {W, "/g/entry " L "10", 0, 24, 0},
				       {W, "/g/entry " L "11", 0, 25, 0},
				       {W, "/g/entry " L "12", 0, 26, 0},
				       {W, "/g/entry " L "13", 0, 27, 0},
				       {END}};
static const struct op rename_prep[] = {{MKDIR, "/r"},
					{MKDIR, "/r/sub"},
					{MKDIR, "/r2"},
					{W, "/r/a1", 0, 22, 3000},
					{W, "/r/a2", 0, 23, 5000},
					{W, "/r/a3", 0, 24, 700},
					{W, "/r/a4", 0, 25, 1},
					{W, "/r/sub/in.txt", 0, 26, 900},
					{W, "/r2/target.txt", 0, 27, 4000},
					{END}};
static const struct op rename_steps[] = {{RENAME, "/r/a1", "/r/a1 renamed " L "x.txt"},
					 {RENAME, "/r/a2", "/r2/a2.txt"},
					 {RENAME, "/r/a3", "/r2/target.txt"},
					 {RENAME, "/r/sub", "/r2/moved sub"},
					 {RENAME, "/r/a4", "/r/A4"},
					 {RENAME, "/r2/a2.txt", "/a2 at the root"},
					 {END}};
static const struct op trunc_prep[] = {{MKDIR, "/t"},
				       {W, "/t/f1", 0, 28, 6000},
				       {W, "/t/f2", 0, 29, 6000},
				       {W, "/t/f3", 0, 30, 6000},
				       {W, "/t/f4", 0, 31, 6000},
				       {END}};
static const struct op trunc_steps[] = {{TRUNC, "/t/f1", 0, 0, 2000},
					{TRUNC, "/t/f2", 0, 0, 0},
					{TRUNC, "/t/f3", 0, 0, 700},
					{TRUNC, "/t/f4", 0, 0, 9000},
					{TRUNC, "/t/f1", 0, 0, 0},
					{TRUNC, "/t/f3", 0, 0, 1},
					{END}};
static const struct op delete_prep[] = {{MKDIR, "/x"},
					{W, "/x/f1", 0, 32, 3000},
					{W, "/x/f2 " L "x", 0, 33, 9000},
					{W, "/x/f3", 0, 34, 1},
					{MKDIR, "/x/d1"},
					{MKDIR, "/x/d2"},
					{W, "/x/d2/in", 0, 35, 2500},
					{END}};
static const struct op delete_steps[] = {{UNLINK, "/x/f1"},
					 {UNLINK, "/x/f2 " L "x"},
					 {RMDIR, "/x/d1"},
					 {UNLINK, "/x/d2/in"},
					 {RMDIR, "/x/d2"},
					 {UNLINK, "/x/f3"},
					 {END}};

static const struct workload workloads[] = {
    {"create", create_prep, create_steps}, {"write", write_prep, write_steps},
    {"mkdir", mkdir_prep, mkdir_steps},	   {"grow", grow_prep, grow_steps},
    {"rename", rename_prep, rename_steps}, {"truncate", trunc_prep, trunc_steps},
    {"delete", delete_prep, delete_steps},
};

/* The model: what should be on the disk. */
#define MAXF 64
struct mfile {
	char path[160];
	int dir;
	unsigned seed, size, zero_from; /* bytes from zero_from on are 0 */
};
struct model {
	struct mfile f[MAXF];
	int n;
};

static int failures;

static unsigned char byte_at(unsigned seed, size_t i)
{
	return (unsigned char)(i * 31 + seed * 7 + (i >> 9));
}

static struct mfile *mfind(struct model *m, const char *p)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->f[i].path, p))
			return &m->f[i];
	return NULL;
}

static void mremove(struct model *m, struct mfile *f)
{
	*f = m->f[--m->n];
}

static void model_apply(struct model *m, const struct op *o)
{
	struct mfile *f = mfind(m, o->a);
	size_t la = strlen(o->a);

	switch (o->kind) {
	case W:
	case MKDIR:
		if (!f)
			f = &m->f[m->n++];
		snprintf(f->path, sizeof(f->path), "%s", o->a);
		f->dir = o->kind == MKDIR;
		f->seed = o->seed;
		f->size = f->zero_from = o->size;
		break;
	case APPEND:
		f->size += o->size;
		f->zero_from = f->size;
		break;
	case TRUNC:
		if (o->size < f->zero_from)
			f->zero_from = o->size;
		f->size = o->size;
		break;
	case UNLINK:
	case RMDIR:
		mremove(m, f);
		break;
	case RENAME: {
		struct mfile *t = mfind(m, o->b);
		if (t && t != f)
			mremove(m, t);
		for (int i = 0; i < m->n; i++) {
			char *p = m->f[i].path;
			if (!strncmp(p, o->a, la) && (p[la] == '/' || !p[la])) {
				char rest[160];
				snprintf(rest, sizeof(rest), "%s", p + la);
				snprintf(p, sizeof(m->f[i].path), "%s%s", o->b, rest);
			}
		}
		break;
	}
	}
}

static int append_file(const char *p, unsigned seed, unsigned from, unsigned n, int flags)
{
	static unsigned char buf[32768];
	int fd = open(p, flags, 0644);

	if (fd < 0)
		return -1;
	for (unsigned i = 0; i < n; i++)
		buf[i] = byte_at(seed, from + i);
	int r = write(fd, buf, n) == (ssize_t)n ? 0 : -1;
	return close(fd) | r;
}

static int run_op(struct model *m, const struct op *o)
{
	struct mfile *f = mfind(m, o->a);

	switch (o->kind) {
	case W:
		return append_file(o->a, o->seed, 0, o->size, O_WRONLY | O_CREAT | O_TRUNC);
	case APPEND:
		return append_file(o->a, f->seed, f->size, o->size, O_WRONLY | O_APPEND);
	case MKDIR:
		return mkdir(o->a, 0755);
	case RENAME:
		return rename(o->a, o->b);
	case TRUNC:
		return truncate(o->a, o->size);
	case UNLINK:
		return unlink(o->a);
	case RMDIR:
		return rmdir(o->a);
	}
	return -1;
}

static const struct workload *find_workload(const char *name)
{
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	printf("fs_test: no workload %s\n", name);
	return NULL;
}

/* Run @ops, applying them to @m; sync and say so after each if @say. */
static void run_ops(struct model *m, const struct op *ops, int say)
{
	for (int i = 0; ops[i].kind != END; i++) {
		if (run_op(m, &ops[i]) < 0) {
			printf("fs_test: FAIL step %d (%s): %s\n", i, ops[i].a, strerror(errno));
			failures++;
			return;
		}
		model_apply(m, &ops[i]);
		if (say) {
			sync();
			printf("synced %d\n", i);
			fflush(stdout);
		}
	}
	sync();
}

/* Whether @f is on the disk, whole. */
static int matches(const struct mfile *f)
{
	static unsigned char buf[65536];
	struct stat st;

	if (stat(f->path, &st) < 0 || (S_ISDIR(st.st_mode) ? 1 : 0) != f->dir)
		return 0;
	if (f->dir)
		return 1;
	int fd = open(f->path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)f->size)
		return 0;
	for (unsigned i = 0; i < f->size; i++)
		if (buf[i] != (i < f->zero_from ? byte_at(f->seed, i) : 0))
			return 0;
	return 1;
}

static int same(const struct mfile *a, const struct mfile *b)
{
	return a && b && a->dir == b->dir && a->seed == b->seed && a->size == b->size &&
	       a->zero_from == b->zero_from;
}

/* Every directory lists and every file reads to its end. */
static void read_all(const char *dir)
{
	static unsigned char buf[8192];
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		printf("fs_test: FAIL opendir %s: %s\n", dir, strerror(errno));
		failures++;
		return;
	}
	while ((e = readdir(d))) {
		char p[512];
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", e->d_name);
		if (stat(p, &st) < 0) {
			printf("fs_test: FAIL stat %s: %s\n", p, strerror(errno));
			failures++;
		} else if (S_ISDIR(st.st_mode)) {
			read_all(p);
		} else {
			int fd = open(p, O_RDONLY);
			ssize_t n, total = 0;
			while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
				total += n;
			if (fd < 0 || n < 0 || total != st.st_size) {
				printf("fs_test: FAIL read %s: %s\n", p, strerror(errno));
				failures++;
			}
			if (fd >= 0)
				close(fd);
		}
	}
	closedir(d);
}

static void check(const struct workload *w, int last)
{
	static struct model a, b;
	int nsteps = 0;

	a.n = 0;
	for (int i = 0; w->prep[i].kind != END; i++)
		model_apply(&a, &w->prep[i]);
	for (int i = 0; i <= last; i++)
		model_apply(&a, &w->steps[i]);
	while (w->steps[nsteps].kind != END)
		nsteps++;
	b = a;
	const struct op *flight = last + 1 < nsteps ? &w->steps[last + 1] : NULL;
	if (flight)
		model_apply(&b, flight);
	for (int i = 0; i < a.n; i++) {
		struct mfile *f = &a.f[i];
		if (same(f, mfind(&b, f->path)) && !matches(f)) {
			printf("fs_test: FAIL %s: synced but not there whole\n", f->path);
			failures++;
		}
	}
	if (flight && flight->kind == RENAME) {
		struct mfile *old = mfind(&a, flight->a), *new = mfind(&b, flight->b);
		if (old && new && !matches(old) && !matches(new)) {
			printf("fs_test: FAIL rename %s: under neither name\n", flight->a);
			failures++;
		}
	}
	read_all("/");
}

int cut_main(int argc, char **argv)
{
	static struct model m;
	const struct workload *w = argc > 2 ? find_workload(argv[2]) : NULL;

	if (!w)
		return 2;
	if (!strcmp(argv[1], "cutprep")) {
		int fill = argc > 3 ? atoi(argv[3]) : 0;
		if (fill && append_file("/filler", 1, 0, 0, O_WRONLY | O_CREAT) == 0) {
			int fd = open("/filler", O_WRONLY);
			static unsigned char z[512];
			for (int i = 0; fd >= 0 && i < fill; i++)
				if (write(fd, z, sizeof(z)) != sizeof(z))
					failures++;
			close(fd);
		}
		run_ops(&m, w->prep, 0);
	} else if (!strcmp(argv[1], "cut")) {
		for (int i = 0; w->prep[i].kind != END; i++)
			model_apply(&m, &w->prep[i]);
		run_ops(&m, w->steps, 1);
	} else {
		check(w, argc > 3 ? atoi(argv[3]) : -1);
	}
	if (failures) {
		printf("fs_test: %s %s: %d failures\n", argv[1], w->name, failures);
		return 1;
	}
	printf("fs_test: %s ok\n", argv[1]);
	return 0;
}
