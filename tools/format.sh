#!/usr/bin/env bash
# The project's C files as .clang-format makes them.
#   tools/format.sh          rewrite every file that differs
#   tools/format.sh --check  list the files that differ, exit 1 if any
set -u
cd "$(dirname "$0")/.."
check=0
[ "${1:-}" = "--check" ] && check=1
status=0
for f in $(git ls-files '*.c' '*.h' | grep -v '^tests/unit/shim/'); do
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
