#!/bin/bash
# Fetch lwIP, the TCP/IP stack of the `net` module, from Debian's source
# package. The kernel build compiles its files with the kernel's flags and
# the configuration in net/include/lwipopts.h; nothing of lwIP is kept in
# this repository except our fixes to it, lib/lwip/patches/*.patch, applied
# in name order after the fetch.
#
# Usage: lib/lwip/fetch.sh      Result: build/deps/lwip/ (src/, .stamp)
set -euo pipefail

LWIP_DIR=lwip-2.1.3+dfsg1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$root/build/deps/lwip

# The stamp names the version and the patches (by content), so a changed
# patch fetches a clean tree again.
stamp="$LWIP_DIR $(cat "$root"/lib/lwip/patches/*.patch | cksum | cut -d' ' -f1)"
if [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
	touch "$dest/.stamp" # up to date: tell make so
	exit 0
fi
"$root/lib/apt_source.sh" lwip "$LWIP_DIR" "$dest" "$root/build/deps/lwip-fetch.log"
# A file the build needs, to catch a package that changed its layout.
[ -f "$dest/src/api/sockets.c" ] || { echo "lwip: no src/api/sockets.c in $LWIP_DIR" >&2; exit 1; }
for p in "$root"/lib/lwip/patches/*.patch; do
	patch -d "$dest" -p1 --quiet <"$p" || { echo "lwip: $p does not apply" >&2; exit 1; }
done
echo "$stamp" >"$dest/.stamp"
