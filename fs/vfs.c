/*
 * The VFS core: file system types, the mount table, the current directory
 * and path resolution.
 *
 * Paths are made absolute (against the current directory) and normalised
 * lexically: "." dropped, ".." taking off the previous component. That is
 * exact here because no file system has symbolic links. The longest mount
 * path that prefixes the result names the mount; the rest is walked from
 * its root one lookup at a time.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/initcall.h>
#include <kernel/kmutex.h>
#include <kernel/log.h>
#include <fs/vfs.h>

#include "vfs_internal.h"

static struct vfs_fs_type *types;
static struct vfs_mount *mounts;
static pthread_mutex_t mount_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cwd_lock = PTHREAD_MUTEX_INITIALIZER;
static char cwd[VFS_PATH_MAX] = "/";

void vfs_register_fs(struct vfs_fs_type *type)
{
	kmutex_lock(&mount_lock);
	type->next = types;
	types = type;
	kmutex_unlock(&mount_lock);
}

int vfs_normalize(const char *path, char *out, size_t outlen)
{
	char buf[VFS_PATH_MAX];
	size_t n = 0;

	if (!path || !*path)
		return -ENOENT;
	if (strlen(path) >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (path[0] != '/') {
		kmutex_lock(&cwd_lock);
		int len = snprintf(buf, sizeof(buf), "%s/%s", cwd, path);
		kmutex_unlock(&cwd_lock);
		if (len >= (int)sizeof(buf))
			return -ENAMETOOLONG;
		path = buf;
	}
	if (outlen < 2)
		return -ENAMETOOLONG;
	out[n++] = '/';
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t len = p - s;
		if (!len || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--; /* the slash before it */
			continue;
		}
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (n + (n > 1) + len + 1 > outlen)
			return -ENAMETOOLONG;
		if (n > 1)
			out[n++] = '/';
		memcpy(out + n, s, len);
		n += len;
	}
	out[n] = '\0';
	return 0;
}

/* The mount that holds normalised path @abs, and the part of the path
 * inside it (no leading slash). */
static struct vfs_mount *mount_of(const char *abs, const char **rest)
{
	struct vfs_mount *best = NULL;
	size_t best_len = 0;

	kmutex_lock(&mount_lock);
	for (struct vfs_mount *m = mounts; m; m = m->next) {
		size_t len = strlen(m->path);
		int match =
		    len == 1 ? 1 : !strncmp(abs, m->path, len) && (abs[len] == '/' || !abs[len]);
		if (match && (!best || len > best_len)) {
			best = m;
			best_len = len;
		}
	}
	kmutex_unlock(&mount_lock);
	if (best) {
		const char *r = abs + (best_len == 1 ? 0 : best_len);
		while (*r == '/')
			r++;
		*rest = r;
	}
	return best;
}

int vfs_walk(const char *abs, struct vfs_node **out)
{
	const char *p;
	struct vfs_mount *m = mount_of(abs, &p);

	if (!m)
		return -ENOENT;
	struct vfs_node *n = m->root;
	vfs_node_get(n);
	while (*p) {
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t len = p - s;
		while (*p == '/')
			p++;
		if (!S_ISDIR(n->mode)) {
			vfs_node_put(n);
			return -ENOTDIR;
		}
		struct vfs_node *next;
		int r = n->ops->lookup(n, s, len, &next);
		vfs_node_put(n);
		if (r < 0)
			return r;
		n = next;
	}
	*out = n;
	return 0;
}

/* What the end of @path asks of the node it names: 0 nothing; 1 to be a
 * directory (a trailing slash); 2 it is "." or "..", a directory named by
 * its place in another, not an entry to change. */
static int path_tail(const char *path)
{
	size_t len = strlen(path);

	if (!len)
		return 0;
	if (path[len - 1] == '/')
		return 1;
	const char *last = strrchr(path, '/');
	last = last ? last + 1 : path;
	return !strcmp(last, ".") || !strcmp(last, "..") ? 2 : 0;
}

int vfs_walk_parent(const char *path, struct vfs_node **dir, char *name)
{
	char abs[VFS_PATH_MAX];
	int tail = path_tail(path);
	int r = vfs_normalize(path, abs, sizeof(abs));

	if (r < 0)
		return r;
	if (tail == 2)
		return -EINVAL;
	if (!strcmp(abs, "/"))
		return -EBUSY; /* the root has no parent to change */
	char *slash = strrchr(abs, '/');
	strcpy(name, slash + 1);
	if (slash == abs)
		slash[1] = '\0';
	else
		*slash = '\0';
	r = vfs_walk(abs, dir);
	if (r < 0)
		return r;
	if (!S_ISDIR((*dir)->mode)) {
		vfs_node_put(*dir);
		return -ENOTDIR;
	}
	if (tail == 1) { /* "name/": an existing name must be a directory */
		struct vfs_node *n;
		if ((*dir)->ops->lookup(*dir, name, strlen(name), &n) == 0) {
			int isdir = S_ISDIR(n->mode);
			vfs_node_put(n);
			if (!isdir) {
				vfs_node_put(*dir);
				return -ENOTDIR;
			}
		}
	}
	return 0;
}

int vfs_lookup_path(const char *path, struct vfs_node **out)
{
	char abs[VFS_PATH_MAX];
	int r = vfs_normalize(path, abs, sizeof(abs));

	if (r == 0)
		r = vfs_walk(abs, out);
	if (r == 0 && path_tail(path) && !S_ISDIR((*out)->mode)) {
		vfs_node_put(*out);
		r = -ENOTDIR;
	}
	return r;
}

int vfs_set_cwd(const char *abs, const struct vfs_node *same)
{
	struct vfs_node *n;
	int r = vfs_walk(abs, &n);

	if (r < 0)
		return r;
	int dir = S_ISDIR(n->mode), moved = same && n != same;
	vfs_node_put(n);
	if (moved)
		return -ENOENT;
	if (!dir)
		return -ENOTDIR;
	kmutex_lock(&cwd_lock);
	strcpy(cwd, abs);
	kmutex_unlock(&cwd_lock);
	return 0;
}

int vfs_chdir(const char *path)
{
	char abs[VFS_PATH_MAX];
	int r = vfs_normalize(path, abs, sizeof(abs));

	return r < 0 ? r : vfs_set_cwd(abs, NULL);
}

int vfs_getcwd(char *buf, size_t len)
{
	kmutex_lock(&cwd_lock);
	size_t n = strlen(cwd) + 1;
	if (n <= len)
		memcpy(buf, cwd, n);
	kmutex_unlock(&cwd_lock);
	return n <= len ? (int)n : -ERANGE;
}

int vfs_mount(struct blkdev *dev, const char *path, const char *type_name)
{
	char abs[VFS_PATH_MAX];
	int r = vfs_normalize(path, abs, sizeof(abs));

	if (r < 0)
		return r;
	if (strlen(abs) >= sizeof(((struct vfs_mount *)0)->path))
		return -ENAMETOOLONG;
	struct vfs_mount *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->dev = dev;
	strcpy(m->path, abs);
	kmutex_lock(&mount_lock);
	for (struct vfs_mount *o = mounts; o; o = o->next)
		if (!strcmp(o->path, abs) || o->dev == dev) {
			kmutex_unlock(&mount_lock);
			free(m);
			return -EBUSY;
		}
	r = -EINVAL;
	for (struct vfs_fs_type *t = types; t; t = t->next) {
		if (type_name && strcmp(type_name, t->name))
			continue;
		m->type = t;
		r = t->mount(m);
		if (r == 0 || r != -EINVAL)
			break;
	}
	if (r == 0) {
		m->next = mounts;
		mounts = m;
	}
	kmutex_unlock(&mount_lock);
	if (r < 0) {
		free(m);
		return r;
	}
	/* Quiet at LOG=info: every console byte is a VM exit. */
	log_debug("vfs: %s (%s) mounted on %s", dev ? dev->name : "-", m->type->name, m->path);
	return 0;
}

int vfs_sync_all(void)
{
	int err = 0;

	kmutex_lock(&mount_lock);
	for (struct vfs_mount *m = mounts; m; m = m->next) {
		int r = m->type->sync(m);
		if (r < 0) {
			log_warn("vfs: sync of %s failed (%d)", m->path, r);
			err = r;
		}
	}
	kmutex_unlock(&mount_lock);
	return err;
}

/* Before the power goes (exit, the shell's poweroff). */
static void vfs_exit_sync(void)
{
	vfs_sync_all();
}
EXITCALL(vfs_exit_sync);

int vfs_statfs(const char *path, struct vfs_statfs *out)
{
	char abs[VFS_PATH_MAX];
	const char *rest;
	int r = vfs_normalize(path, abs, sizeof(abs));

	if (r < 0)
		return r;
	struct vfs_mount *m = mount_of(abs, &rest);
	if (!m)
		return -ENOENT;
	return m->type->statfs(m, out);
}

int vfs_mounts(int (*fn)(struct vfs_mount *m, void *arg), void *arg)
{
	int r = 0;

	kmutex_lock(&mount_lock);
	for (struct vfs_mount *m = mounts; m && !r; m = m->next)
		r = fn(m, arg);
	kmutex_unlock(&mount_lock);
	return r;
}
