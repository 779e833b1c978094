#!/usr/bin/env bash
# Make a disk image for DISK= runs.
#
#   tools/mkdisk.sh PATH                 360 MiB, FAT32 (what `make disk` makes)
#   tools/mkdisk.sh --scratch PATH [MiB] zeroes (default 8 MiB) with a marker
#                                        in the last sector, for the block
#                                        device tests, which write only to a
#                                        disk that carries it
#
# An existing PATH is left alone (exit 0) unless FORCE=1.
set -eu

scratch=0
if [ "${1:-}" = "--scratch" ]; then
	scratch=1
	shift
fi
if [ $# -lt 1 ]; then
	sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
path=$1
mib=${2:-8}
# Must match SCRATCH_MAGIC in drivers/virtio/ktest_virtio_blk.c.
magic="UNISHYPER SCRATCH DISK"

if [ -e "$path" ] && [ "${FORCE:-0}" != 1 ]; then
	echo "mkdisk: $path exists; leaving it (FORCE=1 makes it anew)" >&2
	exit 0
fi
mkdir -p "$(dirname "$path")"
tmp=$path.tmp.$$
trap 'rm -f "$tmp"' EXIT
if [ $scratch = 1 ]; then
	dd if=/dev/zero of="$tmp" bs=1M count="$mib" status=none
	printf '%s' "$magic" | dd of="$tmp" bs=512 seek=$((mib * 2048 - 1)) conv=notrunc status=none
else
	dd if=/dev/zero of="$tmp" bs=4096 count=92160 status=none
	mkfs.fat -F 32 "$tmp" >/dev/null
fi
mv "$tmp" "$path"
trap - EXIT
echo "mkdisk: made $path"
