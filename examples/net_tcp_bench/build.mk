# The image is the server; client/ is a host program.
app-srcs-y := $(APP_DIR)/main.c
