/* Shared by the FAT host tests: the [PASS]/[FAIL] harness, the kernel
 * calls the driver makes (log, file system registration), shell commands
 * (mkfs.fat, mtools, fsck.fat) in a scratch directory, and path helpers
 * over the node operations, as the VFS would call them. */
#ifndef FAT_HARNESS_H
#define FAT_HARNESS_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <kernel/log.h>
#include <fs/vfs.h>
#include "fat_hostdev.h"
#include "../../fs/fat/fat.h"

static int t_warnings, t_quiet;
static char t_dir[256];
static struct vfs_fs_type *t_fat;

static inline void run(const char *name, void (*fn)(void))
{
	t_failed = 0;
	fn();
	t_report("fat", name);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level <= LOG_WARN)
		t_warnings++;
	if (t_quiet)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "[log %d] ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void vfs_register_fs(struct vfs_fs_type *type)
{
	t_fat = type;
}

/* Run a shell command in the scratch directory. @retval its exit status */
__attribute__((format(printf, 1, 2))) static inline int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n = snprintf(cmd, sizeof(cmd), "cd '%s' && { ", t_dir);

	va_start(ap, fmt);
	n += vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - n, "; } >>cmd.log 2>&1");
	int r = system(cmd);
	return r == -1 || !WIFEXITED(r) ? -1 : WEXITSTATUS(r);
}

/* Make the scratch directory and register the driver. */
static inline void t_setup(const char *name)
{
	const char *base = getenv("FAT_TEST_DIR");

	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	snprintf(t_dir, sizeof(t_dir), "%s/fat-%s.XXXXXX", base ? base : "build/tests", name);
	if (!mkdtemp(t_dir)) {
		snprintf(t_dir, sizeof(t_dir), "/tmp/fat-%s.XXXXXX", name);
		if (!mkdtemp(t_dir))
			abort();
	}
	fat_register();
}

static inline void t_cleanup(void)
{
	if (!t_nfail && !getenv("FAT_KEEP")) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
		if (system(cmd))
			perror("rm");
	}
}

/* A scratch path. */
static inline const char *tpath(const char *name)
{
	static char buf[4][1024];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", t_dir, name);
	return buf[i];
}

/* ---------------------------------------------------------------- mounts */

struct fmnt {
	struct hostdev hd;
	struct vfs_mount m;
};

static inline int fm_mount(struct fmnt *f, const char *image, int readonly)
{
	memset(f, 0, sizeof(*f));
	int r = hostdev_open(&f->hd, tpath(image), readonly);
	if (r < 0)
		return r;
	f->m.dev = &f->hd.bd;
	f->m.type = t_fat;
	r = t_fat->mount(&f->m);
	if (r < 0)
		hostdev_close(&f->hd);
	return r;
}

static inline int fm_umount(struct fmnt *f)
{
	int r = t_fat->unmount(&f->m);
	hostdev_close(&f->hd);
	return r;
}

/* The node of @path (components split on '/'), with a reference. */
static inline int fm_walk(struct fmnt *f, const char *path, struct vfs_node **out)
{
	struct vfs_node *n = f->m.root;

	vfs_node_get(n);
	while (*path) {
		while (*path == '/')
			path++;
		size_t len = strcspn(path, "/");
		if (!len)
			break;
		struct vfs_node *next;
		int r = n->ops->lookup(n, path, len, &next);
		vfs_node_put(n);
		if (r < 0)
			return r;
		n = next;
		path += len;
	}
	*out = n;
	return 0;
}

/* The directory of @path's last component (a reference), and that
 * component. */
static inline int fm_parent(struct fmnt *f, const char *path, struct vfs_node **dir,
			    const char **name)
{
	char buf[1024];
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	snprintf(buf, sizeof(buf), "%.*s", slash ? (int)(slash - path) : 0, path);
	return fm_walk(f, buf, dir);
}

static inline long fm_read_all(struct fmnt *f, const char *path, uint8_t **data)
{
	struct vfs_node *n;
	struct stat st;
	int r = fm_walk(f, path, &n);

	*data = NULL;
	if (r < 0)
		return r;
	r = n->ops->getattr(n, &st);
	*data = malloc(st.st_size + 1);
	long got = r < 0 ? r : n->ops->read(n, *data, st.st_size + 1, 0);
	vfs_node_put(n);
	return got;
}

/* Create (or truncate) @path and write @len bytes of @data. */
static inline int fm_write_file(struct fmnt *f, const char *path, const void *data, size_t len)
{
	struct vfs_node *dir, *n;
	const char *name;
	int r = fm_parent(f, path, &dir, &name);

	if (r < 0)
		return r;
	r = dir->ops->create(dir, name, strlen(name), &n);
	if (r == -EEXIST) {
		r = dir->ops->lookup(dir, name, strlen(name), &n);
		if (!r)
			r = n->ops->truncate(n, 0);
	}
	vfs_node_put(dir);
	if (r < 0)
		return r;
	long w = n->ops->write(n, data, len, 0);
	vfs_node_put(n);
	return w < 0 ? (int)w : (size_t)w == len ? 0 : -EIO;
}

/* Fill @buf with bytes from a seeded generator. */
static inline void fill_random(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

static inline int write_host_file(const char *name, const void *data, size_t len)
{
	FILE *fp = fopen(tpath(name), "wb");
	if (!fp)
		return -1;
	size_t w = fwrite(data, 1, len, fp);
	fclose(fp);
	return w == len ? 0 : -1;
}

static inline long read_host_file(const char *name, uint8_t **data)
{
	FILE *fp = fopen(tpath(name), "rb");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	rewind(fp);
	*data = malloc(len + 1);
	long r = (long)fread(*data, 1, len, fp);
	fclose(fp);
	return r;
}

#endif
