#!/bin/bash
# Fetch a Debian source package (with Debian's patches applied) for a
# dependency that is built from source, never kept in this repository.
#
# Usage: lib/apt_source.sh PACKAGE DIRNAME DEST LOG
#   PACKAGE  source package name (musl, lwip)
#   DIRNAME  the directory apt-get source unpacks (musl-1.2.3): checks the
#            version
#   DEST     where that directory ends up (replaced)
#   LOG      file that collects apt's output
#
# Enables deb-src in the apt sources when needed (the machine's
# /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list) and
# installs dpkg-dev, as root or through sudo.
set -euo pipefail

pkg=$1 dirname=$2 dest=$3 log=$4

say() { printf '%s: %s\n' "$pkg" "$*"; }
die() { say "error: $*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root for: $*"
	fi
}

# Runs a noisy command with its output in the log; on failure shows the
# log's tail and stops.
run() {
	if ! "$@" >>"$log" 2>&1; then
		say "failed: $*" >&2
		tail -n 5 "$log" | cut -c1-300 >&2
		say "full log: $log" >&2
		exit 1
	fi
}

# Makes sure apt knows about source packages. Returns 0 if the apt lists
# must be refreshed.
enable_deb_src() {
	local f=/etc/apt/sources.list.d/debian.sources
	local changed=1

	if [ -f "$f" ] && grep -q '^Types: *deb *$' "$f"; then
		as_root sed -i 's/^Types: *deb *$/Types: deb deb-src/' "$f"
		changed=0
	elif [ ! -f "$f" ] && [ -f /etc/apt/sources.list ] &&
		! grep -q '^deb-src ' /etc/apt/sources.list; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
			as_root tee -a /etc/apt/sources.list >/dev/null
		changed=0
	fi
	if [ $changed = 0 ] ||
		! compgen -G '/var/lib/apt/lists/*_Sources*' >/dev/null; then
		return 0
	fi
	return 1
}

mkdir -p "$(dirname "$dest")" "$(dirname "$log")"
tmp=$(dirname "$dest")/.fetch-$pkg.$$
trap 'rm -rf "$tmp"' EXIT

say "fetching source (apt-get source $pkg)"
export DEBIAN_FRONTEND=noninteractive
updated=0
if enable_deb_src; then
	run as_root apt-get update
	updated=1
fi
if ! command -v dpkg-source >/dev/null; then
	if ! as_root apt-get install -y dpkg-dev >>"$log" 2>&1; then
		[ $updated = 1 ] || run as_root apt-get update
		updated=1
		run as_root apt-get install -y dpkg-dev
	fi
fi
rm -rf "$tmp"
mkdir -p "$tmp"
if ! (cd "$tmp" && apt-get source "$pkg") >>"$log" 2>&1; then
	[ $updated = 1 ] || run as_root apt-get update
	run sh -c "cd '$tmp' && apt-get source '$pkg'"
fi
[ -d "$tmp/$dirname" ] ||
	die "apt-get source gave $(cd "$tmp" && ls -d */ 2>/dev/null | tr '\n' ' '), want $dirname"
rm -rf "$dest"
mv "$tmp/$dirname" "$dest"
