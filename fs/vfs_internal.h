/* Shared inside fs/: path handling and the file kind of VFS nodes. */
#ifndef FS_VFS_INTERNAL_H
#define FS_VFS_INTERNAL_H

#include <fs/vfs.h>

#define VFS_PATH_MAX 1024
#define VFS_NAME_MAX 255

/* Make @path absolute and normalised into @out.
 * @retval 0; -ENOENT empty; -ENAMETOOLONG */
int vfs_normalize(const char *path, char *out, size_t outlen);
/* The node of normalised absolute path @abs, with a reference. */
int vfs_walk(const char *abs, struct vfs_node **out);
/* Any path: its node, with a reference. A path that ends in "/", "." or
 * ".." names a directory: -ENOTDIR for a file. */
int vfs_lookup_path(const char *path, struct vfs_node **out);
/* The directory that holds @path's last component (a reference) and that
 * component, into @name (VFS_NAME_MAX + 1 bytes).
 * @retval -EBUSY for "/" itself
 * @retval -EINVAL the path ends in "." or ".." (rmdir("."): not an entry
 *         of a parent that can change)
 * @retval -ENOTDIR "file/": a trailing slash on an existing file */
int vfs_walk_parent(const char *path, struct vfs_node **dir, char *name);
int vfs_chdir(const char *path);
/* Make normalised absolute path @abs the current directory; when @same is
 * given, @abs must still name that node.
 * @retval 0; -ENOENT (also: @abs names another node now); -ENOTDIR */
int vfs_set_cwd(const char *abs, const struct vfs_node *same);
/* fchdir(): the directory that open file @f was opened as.
 * @retval 0; -ENOTDIR not an open directory; what vfs_set_cwd returns */
struct file;
int vfs_fchdir(struct file *f);
/* @retval the length with the NUL; -ERANGE */
int vfs_getcwd(char *buf, size_t len);
/* Call @fn for every mount until it returns nonzero, under the mount lock. */
int vfs_mounts(int (*fn)(struct vfs_mount *m, void *arg), void *arg);

#endif
