srcs-$(CONFIG_BLKDEV) += drivers/blkdev.c
srcs-$(CONFIG_VIRTIO_MMIO) += drivers/virtio/virtio_mmio.c drivers/virtio/virtqueue.c
srcs-$(CONFIG_VIRTIO_BLK) += $(if $(CONFIG_VIRTIO_MMIO),drivers/virtio/virtio_blk.c)
srcs-$(CONFIG_NETDEV) += drivers/netdev.c
srcs-$(CONFIG_VIRTIO_NET) += $(if $(CONFIG_VIRTIO_MMIO),drivers/virtio/virtio_net.c)
ifeq ($(CONFIG_BLKDEV)$(CONFIG_KTEST),yy)
srcs-y += drivers/virtio/ktest_virtio_blk.c
endif
ifeq ($(CONFIG_NETDEV)$(CONFIG_KTEST),yy)
srcs-y += drivers/ktest_netdev.c
endif
srcs-$(CONFIG_UNILIB_FS) += $(if $(CONFIG_VIRTIO_MMIO),drivers/virtio/virtio_9p.c)
