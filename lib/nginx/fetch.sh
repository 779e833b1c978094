#!/bin/bash
# Fetch nginx 1.22 from Debian's source package (a pinned revision; the
# newest security revision is not always downloadable) and run nginx's own
# configure on the host for the module set of examples/nginx. Nothing of
# nginx is kept in this repository; examples/nginx/build.mk compiles its
# sources unmodified.
#
# Usage: lib/nginx/fetch.sh     Result: build/deps/nginx/ (src/, objs/ with
#                               ngx_modules.c and the configure headers,
#                               srcs.mk, .stamp)
set -euo pipefail

NGINX_PKG=nginx=1.22.1-9+deb12u9
NGINX_DIR=nginx-1.22.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
deps=$root/build/deps
dest=$deps/nginx
log=$deps/nginx-fetch.log

stamp="$NGINX_PKG $(cksum <"$0" | cut -d' ' -f1) $(cksum <"$root/lib/nginx/config.sh" | cut -d' ' -f1)"
if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
	touch "$dest/.stamp"
	exit 0
fi
if [ ! -f "$dest/src/core/nginx.c" ] || [ "$(cat "$dest/.pkg" 2>/dev/null)" != "$NGINX_PKG" ]; then
	"$root/lib/apt_source.sh" "$NGINX_PKG" "$NGINX_DIR" "$dest" "$log"
	echo "$NGINX_PKG" >"$dest/.pkg"
fi
echo "nginx: configure (the host's compiler answers the feature tests)"
rm -rf "$dest/objs"
if ! (cd "$dest" && "$root/lib/nginx/config.sh" configure) >>"$log" 2>&1; then
	tail -n 5 "$log" >&2
	echo "nginx: configure failed, see $log" >&2
	exit 1
fi
"$root/lib/nginx/config.sh" fixup "$dest" >>"$log" 2>&1
echo "$stamp" >"$dest/.stamp"
