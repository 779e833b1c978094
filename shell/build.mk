srcs-$(CONFIG_SHELL) += shell/terminal.c shell/line_edit.c shell/line_ops.c shell/parse.c \
	shell/registry.c shell/cmd_help.c shell/cmd_basic.c shell/cmd_mem.c shell/cmd_thread.c
ifeq ($(CONFIG_SHELL)$(CONFIG_ZONE),yy)
srcs-y += shell/cmd_zones.c
endif
