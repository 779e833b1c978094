# The sqlite3 shell, built unmodified from Debian's source package
# (lib/sqlite/fetch.sh makes the amalgamation) with the default unix VFS:
# files, POSIX locks and pread/pwrite through the kernel's system calls.
SQLITE := build/deps/sqlite
app-srcs-y := $(SQLITE)/sqlite3.c $(SQLITE)/shell.c
# No shared libraries to load; the rest is SQLite's own default. Its code
# keeps its own warnings, not ours.
app-cflags := -I$(SQLITE) -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=1 \
	-DHAVE_USLEEP=1 -DSQLITE_DEFAULT_MEMSTATUS=0 -Wno-error -w

$(app-srcs-y): | $(SQLITE)/.stamp
$(SQLITE)/.stamp: lib/sqlite/fetch.sh
	$(Q)lib/sqlite/fetch.sh
