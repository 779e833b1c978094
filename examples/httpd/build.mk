# The image takes the unikernel's status figures, not the Linux ones.
app-srcs-y := $(APP_DIR)/server.c $(APP_DIR)/conn.c $(APP_DIR)/serve.c $(APP_DIR)/http.c \
	$(APP_DIR)/status_unishyper.c
cflags-$(APP_DIR)/server.c += -DHTTPD_DEFAULT_ROOT='"$(if $(CONFIG_FS),/)"'
