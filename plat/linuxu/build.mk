srcs-y += plat/linuxu/start.S plat/linuxu/platform.c plat/linuxu/console.c plat/linuxu/time.c \
	plat/linuxu/irq.c plat/linuxu/fault.c
plat-ldscript := plat/linuxu/linuxu.ld
plat-ldflags := -Wl,-e,_start -Wl,-T,$(plat-ldscript)
srcs-$(CONFIG_BLKDEV) += plat/linuxu/blk.c
srcs-$(CONFIG_VIRTIO_NET) += plat/linuxu/net.c
srcs-$(CONFIG_UNILIB_FS) += plat/linuxu/unilib_sock.c
