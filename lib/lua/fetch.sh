#!/bin/bash
# Fetch Lua 5.4, the interpreter of examples/lua, from Debian's source
# package (a pinned revision: apt-get source gives that exact one). Nothing
# of Lua is kept in this repository; examples/lua/build.mk compiles it
# unmodified.
#
# Usage: lib/lua/fetch.sh      Result: build/deps/lua/ (src/, .stamp)
set -euo pipefail

LUA_PKG=lua5.4=5.4.4-3+deb12u1
LUA_DIR=lua5.4-5.4.4

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$root/build/deps/lua

stamp="$LUA_PKG $(cksum <"$0" | cut -d' ' -f1)"
if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
	touch "$dest/.stamp"
	exit 0
fi
"$root/lib/apt_source.sh" "$LUA_PKG" "$LUA_DIR" "$dest" "$root/build/deps/lua-fetch.log"
[ -f "$dest/src/lua.c" ] || { echo "lua: no src/lua.c in $LUA_DIR" >&2; exit 1; }
# Debian's build generates this header (luaconf.h includes it for the C
# module path); there are no C modules to load here.
echo '#define DEB_HOST_MULTIARCH "unishyper"' >"$dest/src/lua5.4-deb-multiarch.h"
echo "$stamp" >"$dest/.stamp"
