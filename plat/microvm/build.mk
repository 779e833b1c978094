srcs-y += plat/microvm/entry_pvh.S plat/microvm/boot.c plat/microvm/clock.c \
	plat/microvm/poweroff.c plat/microvm/serial.c
plat-ldscript := plat/microvm/kernel.ld
plat-ldflags := -Wl,-T,$(plat-ldscript)
