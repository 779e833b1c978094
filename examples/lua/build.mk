# The Lua 5.4 interpreter (lua.c and the whole library), built unmodified
# from Debian's source package (lib/lua/fetch.sh) with Lua's own POSIX
# configuration: no dlopen, so C modules must be linked in.
LUA := build/deps/lua
lua-names := lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser \
	lstate lstring ltable ltm lundump lvm lzio lauxlib lbaselib lcorolib ldblib liolib \
	lmathlib loadlib loslib lstrlib ltablib lutf8lib linit lua
app-srcs-y := $(patsubst %,$(LUA)/src/%.c,$(lua-names))
# Third-party code keeps its own warnings, not ours.
app-cflags := -DLUA_COMPAT_5_3 -DLUA_USE_POSIX -Wno-error -Wno-missing-prototypes -Wno-cast-qual \
	'-DLUA_PATH_DEFAULT="/lua/?.lua;/lua/?/init.lua;./?.lua"' '-DLUA_CPATH_DEFAULT=""'

$(app-srcs-y): | $(LUA)/.stamp
$(LUA)/.stamp: lib/lua/fetch.sh
	$(Q)lib/lua/fetch.sh
