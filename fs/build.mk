# VFS: mount table, paths, descriptors for files, the path system calls,
# the shell's file commands.
srcs-$(CONFIG_FS) += fs/vfs.c fs/vfs_file.c fs/vfs_boot.c fs/sys_fs.c
srcs-$(if $(CONFIG_FS),$(CONFIG_SHELL)) += fs/cmd_fs.c
srcs-$(if $(CONFIG_KTEST),$(CONFIG_FS)) += fs/ktest_vfs.c

# FAT driver and block cache
srcs-$(CONFIG_FS_FAT) += fs/bcache.c fs/fat/fat_mount.c fs/fat/fat_table.c fs/fat/fat_name.c \
	fs/fat/fat_dir.c fs/fat/fat_dir_add.c fs/fat/fat_file.c fs/fat/fat_node.c \
	fs/fat/fat_vfs.c fs/fat/fat_rename.c fs/fat/fat_index.c

# Unilib-fs: a 9P2000.L client over a Unilib transport
srcs-$(CONFIG_UNILIB_FS) += fs/unilib/p9_msg.c fs/unilib/p9_client.c fs/unilib/unilib_fs.c fs/unilib/unilib_dir.c \
	fs/unilib/unilib.c fs/unilib/p9_clunk.c
srcs-$(if $(CONFIG_UNILIB_FS),$(CONFIG_SHELL)) += fs/unilib/cmd_unilib.c
