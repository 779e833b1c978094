#!/usr/bin/env bash
# Scripted terminal sessions: each tests/shell/session_NAME.txt is typed into
# a booted image (its stdin), and the console must show every regex of
# session_NAME.expect, with the expected exit status.
#
#   tests/shell/run_sessions.sh [linuxu] [microvm] [virt]  (default: the first two)
#
# session_NAME.expect holds one extended regex per line, matched against
# the whole console output (CRs removed), and these directives:
#   status N        expected exit status (default 0)
#   on PLAT...      platforms to run on (default linuxu microvm)
#   app APP         the image's application (default shell)
#   input escapes   the input goes through printf %b first (\e, \xHH, \r)
#   disk FAT        attach a fresh, empty FAT12/16/32 image (mkfs.fat -F FAT)
#   no REGEX        the output must not match REGEX
#   # ...           a comment
# SESSION_APP=name runs every session on that application instead.
# In both files @TID:name@ stands for the id of the thread called "name",
# taken from `ps` in a first boot of the same image. On microvm the input
# never ends: a session must end with poweroff there.
# Prints [PASS]/[FAIL] lines and "N passed, N failed", like tests/run.sh.
set -u
cd "$(dirname "$0")/../.." || exit 2

plats=${*:-linuxu microvm}
LOGDIR=build/tests/shell
mkdir -p "$LOGDIR"
passed=0
failed=0
declare -A built tids_of

pass() {
	echo "[PASS] $1"
	passed=$((passed + 1))
}

fail() {
	echo "[FAIL] $1${2:+: $2}"
	failed=$((failed + 1))
}

# shellcheck source=tests/platforms.sh
. tests/platforms.sh
image_of() { echo "$(plat_build_dir "$1" "$2")/unishyper.img"; }

# Build an image once per run. @retval 0 built
build_image() { # PLAT APP
	local machine arch log=$LOGDIR/build-$1-$2.log
	machine=$(plat_machine "$1") arch=$(plat_arch "$1")
	if [ -z "${built[$1/$2]:-}" ]; then
		if make --no-print-directory -j2 ARCH=$arch MACHINE="$machine" APP="$2" >"$log" 2>&1; then
			built[$1/$2]=ok
		else
			built[$1/$2]=failed
			tail -20 "$log"
		fi
	fi
	[ "${built[$1/$2]}" = ok ]
}

# Boot with stdin from a file; output (CRs removed) to OUT.txt.
boot() { # PLAT APP INPUT OUT
	DISK=${SESSION_DISK:-} TIMEOUT=60 tools/run.sh "$1" "$(image_of "$1" "$2")" <"$3" >"$4" 2>&1
	local status=$?
	tr -d '\r' <"$4" >"$4.txt"
	return $status
}

# "name=tid ..." from ps in a first boot; cached per image.
thread_ids() { # PLAT APP
	local key=$1/$2 probe=$LOGDIR/probe-$1-$2
	if [ -z "${tids_of[$key]:-}" ]; then
		printf 'ps\npoweroff\n' >"$probe.in"
		boot "$1" "$2" "$probe.in" "$probe.log"
		tids_of[$key]=$(sed -nE 's/^ +([0-9]+) ([^ ]+) +[a-z]+ +[0-9]+ +[0-9]+ .*/\2=\1/p' \
			"$probe.log.txt" | sort -u | tr '\n' ' ')
	fi
	echo "${tids_of[$key]}"
}

# Replace @TID:name@ in a file by the ids.
substitute() { # IN OUT "name=tid ..."
	local script="" pair
	for pair in $3; do
		script+="s/@TID:${pair%%=*}@/${pair#*=}/g;"
	done
	sed -e "$script" "$1" >"$2"
}

directive() { # EXPECT-FILE NAME DEFAULT: the directive's value
	local v
	v=$(sed -n "s/^$2 //p" "$1" | tail -1)
	echo "${v:-$3}"
}

# Check OUT.txt against the expect file: status, regexes, "no" regexes.
check_output() { # NAME EXPECT STATUS OUT
	local line want
	want=$(directive "$2" status 0)
	if [ "$3" != "$want" ]; then
		fail "$1" "exit status $3, expected $want (see $4)"
		tail -8 "$4.txt"
		return
	fi
	while IFS= read -r line; do
		case $line in
		"" | "#"* | "status "* | "on "* | "app "* | "input "* | "disk "*) continue ;;
		"no "*)
			if grep -Eq -- "${line#no }" "$4.txt"; then
				fail "$1" "console shows /${line#no }/ (see $4)"
				return
			fi
			;;
		*)
			if ! grep -Eq -- "$line" "$4.txt"; then
				fail "$1" "console lacks /$line/ (see $4)"
				return
			fi
			;;
		esac
	done <"$2"
	# A recovered thread fault prints FAULT: too; only a panic is fatal.
	if grep -Eq '^PANIC:' "$4.txt"; then
		fail "$1" "the kernel panicked (see $4)"
		return
	fi
	pass "$1"
}

run_session() { # PLAT SESSION-FILE
	local plat=$1 in=$2 name expect app base ids status
	name=$(basename "$in" .txt)
	expect=${in%.txt}.expect
	# virt (aarch64, riscv64) runs what microvm runs
	local as=$plat
	plat_is_virt "$plat" && as=microvm
	[[ " $(directive "$expect" on "linuxu microvm") " == *" $as "* ]] || return 0
	app=${SESSION_APP:-$(directive "$expect" app shell)}
	base=$LOGDIR/$plat-$name
	if ! build_image "$plat" "$app"; then
		fail "shell $plat $name" "image $app does not build (see $LOGDIR/build-$plat-$app.log)"
		return
	fi
	ids=""
	if grep -q '@TID:' "$in" "$expect"; then
		ids=$(thread_ids "$plat" "$app")
	fi
	substitute "$in" "$base.in" "$ids"
	substitute "$expect" "$base.expect" "$ids"
	if grep -q '@TID:' "$base.in" "$base.expect"; then
		fail "shell $plat $name" "a thread it names is not in ps (found: ${ids:-none})"
		return
	fi
	if [ "$(directive "$expect" input "")" = escapes ]; then
		printf '%b' "$(cat "$base.in")
" >"$base.in.bin"
		mv "$base.in.bin" "$base.in"
	fi
	local fat
	fat=$(directive "$expect" disk "")
	SESSION_DISK=
	if [ -n "$fat" ]; then
		SESSION_DISK=$base.disk.img
		rm -f "$SESSION_DISK"
		dd if=/dev/zero of="$SESSION_DISK" bs=1024 count=$([ "$fat" = 12 ] && echo 2000 || echo 65536) \
			status=none
		mkfs.fat -F "$fat" "$SESSION_DISK" >/dev/null
	fi
	boot "$plat" "$app" "$base.in" "$base.log"
	status=$?
	SESSION_DISK=
	check_output "shell $plat $name" "$base.expect" "$status" "$base.log"
}

for plat in $plats; do
	for session in tests/shell/session_*.txt; do
		run_session "$plat" "$session"
	done
done

echo "$passed passed, $failed failed"
[ $failed = 0 ]
