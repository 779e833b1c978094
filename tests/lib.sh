# Helpers shared by tests/run.sh and the tier files it sources
# (tests/recovery/*.sh): one [PASS]/[FAIL] line per check, counted in
# $passed and $failed; builds and boot cases.
# shellcheck shell=bash

pass() {
	echo "[PASS] $1"
	passed=$((passed + 1))
}

fail() {
	echo "[FAIL] $1${2:+: $2}"
	failed=$((failed + 1))
}

# Count the [PASS]/[FAIL] lines a test program printed.
count_lines() {
	local prefix=$1 file=$2 line
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"[PASS] "*) pass "$prefix${line#\[PASS\] }" ;;
		"[FAIL] "*) fail "$prefix${line#\[FAIL\] }" ;;
		esac
	done <"$file"
}

build() { # build LOGNAME make-args...
	local log=$LOGDIR/build-$1.log
	shift
	if ! make --no-print-directory "$@" >"$log" 2>&1; then
		fail "build $*" "see $log"
		tail -20 "$log"
		return 1
	fi
}

# shellcheck source=tests/platforms.sh
. "$(dirname "${BASH_SOURCE[0]}")/platforms.sh"

# The make arguments that build for PLAT (linuxu, microvm, virt, riscv64).
machine_args() {
	echo "ARCH=$(plat_arch "$1") MACHINE=$(plat_machine "$1")"
}

image_of() { # image_of PLAT APP [VARIANT]
	echo "$(plat_build_dir "$@")/unishyper.img"
}

# boot_case NAME PLAT APP EXPECTED-STATUS ARGS -- REGEX...
# Passes when the run exits with EXPECTED-STATUS and the console shows every
# regex (extended, matched against the whole output). An ARG "@--" passes
# "--", which ends the kernel's own options on the command line.
# BOOT_TIMEOUT=seconds (default 60) bounds the run; BOOT_VARIANT boots the
# image built with that VARIANT.
boot_case() {
	local name=$1 plat=$2 app=$3 want=$4 args=() log status re
	shift 4
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		if [ "$1" = "@--" ]; then args+=("--"); else args+=("$1"); fi
		shift
	done
	shift
	log=$LOGDIR/boot-$name.log
	TIMEOUT=${BOOT_TIMEOUT:-60} tools/run.sh "$plat" "$(image_of "$plat" "$app" "${BOOT_VARIANT:-}")" "${args[@]}" >"$log" 2>&1
	status=$?
	tr -d '\r' <"$log" >"$log.txt"
	if [ "$status" != "$want" ]; then
		fail "boot $name" "exit status $status, expected $want (see $log)"
		tail -8 "$log.txt"
		return
	fi
	for re in "$@"; do
		if ! grep -Eq -- "$re" "$log.txt"; then
			fail "boot $name" "console lacks /$re/ (see $log)"
			tail -8 "$log.txt"
			return
		fi
	done
	pass "boot $name"
}

