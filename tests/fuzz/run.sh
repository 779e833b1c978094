#!/usr/bin/env bash
# Coverage-guided fuzzing of the shell's input path with libFuzzer (clang).
#
#   tests/fuzz/run.sh [SECONDS]      default 60; the corpus stays in
#                                    build/fuzz/corpus-shell between runs
# Prints [PASS]/[FAIL] like tests/run.sh; a crash leaves its input in
# build/fuzz/ (crash-*), to replay with: build/fuzz/fuzz_shell FILE
set -u
cd "$(dirname "$0")/../.." || exit 2

secs=${1:-60}
out=build/fuzz
mkdir -p "$out/corpus-shell"
if ! command -v clang >/dev/null; then
	echo "[FAIL] fuzz shell: clang is not installed (apt-get install clang)"
	exit 1
fi
if ! clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Iinclude -Itests/unit -Itests/unit/shim \
	shell/line_edit.c shell/line_ops.c shell/parse.c shell/registry.c shell/cmd_help.c \
	shell/cmd_mem.c shell/cmd_thread.c tests/fuzz/fuzz_shell.c -o "$out/fuzz_shell" >"$out/build.log" 2>&1; then
	echo "[FAIL] fuzz shell: does not build, see $out/build.log"
	exit 1
fi
# -close_fd_mask=1: the commands' output (stdout) is not wanted.
if "$out/fuzz_shell" -max_total_time="$secs" -max_len=2048 -close_fd_mask=1 \
	-artifact_prefix="$out/" "$out/corpus-shell" >"$out/fuzz.log" 2>&1; then
	echo "[PASS] fuzz shell: $secs s, $(grep -o 'exec/s: [0-9]*' "$out/fuzz.log" | tail -1)"
else
	echo "[FAIL] fuzz shell: see $out/fuzz.log"
	tail -30 "$out/fuzz.log"
	exit 1
fi
