/* Unilib-fs nodes: what unilib.c (the mount) and unilib_fs.c (the node
 * operations) share. Private to fs/unilib. */
#ifndef FS_UNILIB_UNILIB_FS_H
#define FS_UNILIB_UNILIB_FS_H

#include <pthread.h>
#include <fs/vfs.h>

#include "p9_client.h"

/* A file or directory on the host: a fid walked to it, and (once the node
 * is read, written or listed) a second fid opened for that. Both belong to
 * the session they were made in. */
struct un_node {
	struct vfs_node vn;
	uint32_t fid;
	uint32_t session;
	pthread_mutex_t lock; /* opening, the directory batch */
	uint32_t iofid;	      /* P9_NOFID until opened */
	uint32_t io_session;
	int io_rw;  /* iofid is open for writing too */
	int rw_err; /* if not: why the host refused writing */
	/* A directory's last Treaddir batch: the entries after offset
	 * dir_start (dir_len bytes). */
	uint8_t *dir_buf;
	uint32_t dir_len;
	uint64_t dir_start;
};

extern const struct vfs_node_ops un_ops;

/* @n's fid opened for I/O (opened on first use), into *fid.
 * @retval 0; -EIO a fid of a session that is over; the host's error */
int un_io_fid(struct un_node *n, int write, uint32_t *fid);
/* The vfs_node_ops readdir of Unilib-fs (unilib_dir.c). */
int un_readdir(struct vfs_node *vn, uint64_t *pos, struct vfs_dirent *out);

/* A node for @fid of session @session with qid type @qtype. @retval NULL
 * out of memory (the caller still owns the fid) */
struct un_node *un_node_new(uint32_t fid, uint32_t session, uint8_t qtype);

#endif
