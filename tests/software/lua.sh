# Lua 5.4 from Debian's source, unmodified (examples/lua): the library
# suite (strings, tables, coroutines, errors, files, os, load) and deep
# recursion through the C stack, from a FAT disk, on linuxu and microvm.
# Sourced by tests/run.sh (tier software).
# shellcheck shell=bash

lua_disk=$LOGDIR/lua.img
rm -f "$lua_disk"
mkfs.fat -C -F 16 "$lua_disk" 16384 >/dev/null
MTOOLS_SKIP_CHECK=1 mmd -i "$lua_disk" ::/tmp
MTOOLS_SKIP_CHECK=1 mcopy -i "$lua_disk" tests/lua/suite.lua tests/lua/deep.lua ::/
# SOFTWARE_PLATS=virt: on aarch64 (tests/aarch64.sh)
for plat in ${SOFTWARE_PLATS:-linuxu microvm}; do
	build lua-$plat $(machine_args $plat) APP=lua || continue
	DISK=$lua_disk boot_case "$plat-lua-suite" $plat lua 0 /suite.lua -- \
		'^\[PASS\] lua\.files$' '^\[PASS\] lua\.coroutines$' '^lua: all ok$'
	DISK=$lua_disk boot_case "$plat-lua-deep-recursion" $plat lua 0 /deep.lua -- \
		'^lua: deep recursion ok$'
	boot_case "$plat-lua-error-status" $plat lua 1 -e "error('boom')" -- 'boom'
done
if fsck.fat -n "$lua_disk" >/dev/null 2>&1; then
	pass "lua: the disk is clean after the runs (fsck.fat -n)"
else
	fail "lua: fsck.fat -n finds the disk damaged"
fi
