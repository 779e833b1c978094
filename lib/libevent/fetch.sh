#!/bin/bash
# Fetch libevent 2.1 from Debian's source package (a pinned revision) and
# run its configure on the host, for examples/libevent: libevent's core
# and its own sample and test programs, compiled unmodified. Nothing of
# libevent is kept in this repository.
#
# Usage: lib/libevent/fetch.sh   Result: build/deps/libevent/ (sources,
#                                include/event2/event-config.h, .stamp)
set -euo pipefail

LE_PKG=libevent=2.1.12-stable-8+deb12u1
LE_DIR=libevent-2.1.12-stable

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deps=$root/build/deps
dest=$deps/libevent
log=$deps/libevent-fetch.log

stamp="$LE_PKG $(cksum <"$0" | cut -d' ' -f1)"
if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
	touch "$dest/.stamp"
	exit 0
fi
"$root/lib/apt_source.sh" "$LE_PKG" "$LE_DIR" "$dest" "$log"
echo "libevent: configure (the host's compiler answers the feature tests)"
if ! (cd "$dest" && ./configure --disable-openssl --disable-shared --disable-libevent-regress \
	--disable-thread-support --disable-debug-mode) >>"$log" 2>&1; then
	tail -n 5 "$log" >&2
	echo "libevent: configure failed, see $log" >&2
	exit 1
fi
# What libevent's Makefile does for this header (its make would first want
# automake, as Debian's patches touch Makefile.am).
mkdir -p "$dest/include/event2"
sed -f "$dest/make-event-config.sed" <"$dest/config.h" >"$dest/include/event2/event-config.h"
# The host's glibc has arc4random; musl has not: libevent then uses its own
# (arc4random.c over getrandom). No timerfd in the kernel: libevent's epoll
# backend keeps its timeouts in epoll_wait's.
for name in HAVE_ARC4RANDOM HAVE_ARC4RANDOM_BUF HAVE_TIMERFD_CREATE HAVE_SYS_TIMERFD_H; do
	sed -i "/^#define EVENT__$name /d" "$dest/include/event2/event-config.h"
done
echo "$stamp" >"$dest/.stamp"
