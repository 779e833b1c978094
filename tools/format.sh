#!/usr/bin/env bash
# The project's C files as .clang-format makes them.
#   tools/format.sh          rewrite every file that differs
#   tools/format.sh --check  list the files that differ, exit 1 if any
set -u
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1
status=0
# Tracked files and new ones not yet added (but not ignored ones): a new
# file is checked before its first commit.
for f in $(git ls-files --cached --others --exclude-standard '*.c' '*.h' | grep -v '^tests/unit/shim/'); do
	[ -e "$f" ] || continue
	if [ $check = 1 ]; then
		if ! clang-format --style=file "$f" | cmp -s - "$f"; then
			echo "format: $f differs (tools/format.sh rewrites it)"
			status=1
		fi
	else
		clang-format --style=file -i "$f"
	fi
done
exit $status
