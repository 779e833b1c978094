# nginx 1.22, built unmodified from Debian's source package
# (lib/nginx/fetch.sh runs nginx's configure; lib/nginx/config.sh picks the
# modules and adjusts the few host answers that differ for musl). It runs
# as one process (daemon off; master_process off) on epoll.
NGINX := build/deps/nginx
-include $(NGINX)/srcs.mk
app-srcs-y := $(addprefix $(NGINX)/,$(nginx-srcs))
# Third-party code keeps its own warnings, not ours.
app-cflags := $(addprefix -I$(NGINX)/,$(nginx-incs)) -Wno-error -w

$(app-srcs-y): | $(NGINX)/.stamp
$(NGINX)/srcs.mk: $(NGINX)/.stamp
$(NGINX)/.stamp: lib/nginx/fetch.sh lib/nginx/config.sh
	$(Q)lib/nginx/fetch.sh
