# libevent 2.1's core from Debian's source (lib/libevent/fetch.sh runs its
# configure), with three of its own programs, unmodified: sample/signal-test
# (SIGINT through libevent's signal socketpair), test/test-weof (writes
# into a socketpair whose reader is gone: EPIPE, SIGPIPE ignored) and
# test/test-time (timers). examples/libevent/main.c runs one, chosen by the
# first argument; each one's main and globals get their own names.
LE := build/deps/libevent
le-core := buffer bufferevent bufferevent_filter bufferevent_pair bufferevent_ratelim \
	bufferevent_sock event evmap evthread evutil evutil_rand evutil_time listener log \
	epoll poll select signal
le-progs := sample/signal-test test/test-weof test/test-time
app-srcs-y := $(APP_DIR)/main.c $(patsubst %,$(LE)/%.c,$(le-core) $(le-progs))
# Third-party code keeps its own warnings, not ours.
app-cflags := -I$(LE) -I$(LE)/include -I$(LE)/compat -DHAVE_CONFIG_H -Wno-error -w
cflags-$(LE)/sample/signal-test.c += -Dmain=signal_test_main -Dcalled=signal_test_called
cflags-$(LE)/test/test-weof.c += -Dmain=test_weof_main -Dcalled=test_weof_called \
	-Dpair=test_weof_pair -Dtest_okay=test_weof_okay
cflags-$(LE)/test/test-time.c += -Dmain=test_time_main -Dcalled=test_time_called \
	-Dev=test_time_ev -Dweakrand_state=test_time_weakrand_state

$(app-srcs-y): | $(LE)/.stamp
$(LE)/.stamp: lib/libevent/fetch.sh
	$(Q)lib/libevent/fetch.sh
