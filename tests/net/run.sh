#!/usr/bin/env bash
# Network tests. Traffic goes only to 127.0.0.1 (QEMU user networking's
# forwards, UDP tunnels) or into network namespaces made here and deleted
# after; never from the host's own namespace to any other address.
#
#  user   microvm with QEMU user networking: TCP/UDP echo through the
#         forwards; the HTTP server (examples/httpd) checked with curl:
#         status codes, keep-alive, parallel clients, bad requests, peers
#         that vanish, and its memory back to the baseline afterwards
#  udp    raw Ethernet frames through a UDP tunnel (no root), on microvm
#         and linuxu: ARP, ping, UDP echo; malformed frames; a bounded run
#         of mutated frames (NET_FUZZ_SECONDS, default 10); still alive
#  tap    a tap device in a namespace made for the run (root): ping, TCP
#         and UDP echo from inside it, on microvm and linuxu
#
#   tests/net/run.sh [user] [udp] [tap]      (default: all)
# Prints [PASS]/[FAIL] lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2

parts=${*:-user udp tap}
W=build/tests/net
mkdir -p "$W"
passed=0
failed=0
pids=()
trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null; done' EXIT

pass() { echo "[PASS] $1"; passed=$((passed + 1)); }
fail() { echo "[FAIL] $1${2:+: $2}"; failed=$((failed + 1)); }

# Count the [PASS]/[FAIL] lines of a check program's output.
count() {
	local line
	while IFS= read -r line; do
		case $line in
		"[PASS] "*) pass "${line#\[PASS\] }" ;;
		"[FAIL] "*) fail "${line#\[FAIL\] }" ;;
		esac
	done
}

image_of() {
	local arch=x86_64
	[ "$1" = virt ] && arch=aarch64
	echo "build/$arch-$1-$2/unishyper.img"
}

# start NAME PLAT APP READY-REGEX [ARGS...]: boot in the background (its own
# process group, so stop() takes QEMU too) with the NET* variables of the
# environment, and wait up to 60 s for READY-REGEX on its console.
start() {
	local name=$1 plat=$2 app=$3 ready=$4
	shift 4
	local log=$W/$name.log
	# The background job truncates the log only when it gets to run: an
	# old log must not answer for it.
	rm -f "$log"
	setsid env TIMEOUT=600 tools/run.sh "$plat" "$(image_of "$plat" "$app")" "$@" \
		</dev/null >"$log" 2>&1 &
	booted=$!
	pids+=("$booted")
	for _ in $(seq 1 600); do
		grep -Eq "$ready" "$log" 2>/dev/null && return 0
		kill -0 "$booted" 2>/dev/null || break
		sleep 0.1
	done
	fail "$name: boot" "no '$ready' on the console, see $log"
	tail -5 "$log"
	stop
	return 1
}

# stop: end the machine started last; a panic or fault on its console
# fails the test.
stop() {
	kill -- -"$booted" 2>/dev/null
	wait "$booted" 2>/dev/null
	if grep -Eq '^(PANIC|FAULT)' "$W/$name.log"; then
		fail "$name: no panic or fault on the console" "see $W/$name.log"
	else
		pass "$name: no panic or fault on the console"
	fi
}

build() { # MACHINE APP [ARCH]
	local log=$W/build-${3:-x86_64}-$1-$2.log
	if ! make --no-print-directory ARCH="${3:-x86_64}" MACHINE="$1" APP="$2" >"$log" 2>&1; then
		fail "build $1 $2" "see $log"
		tail -5 "$log"
		return 1
	fi
}

# A number from the status page: "NAME: N".
status_value() {
	curl -s --max-time 10 "http://127.0.0.1:$1/status" | sed -n "s/^$2: *\([0-9]*\).*/\1/p" | head -1
}

# NET_USER_PLAT=virt: the same on aarch64 (tests/aarch64.sh).
run_user() {
	local qplat=${NET_USER_PLAT:-microvm} qarch=x86_64
	[ "$qplat" = virt ] && qarch=aarch64
	build qemu net_echo $qarch || return
	NET=y NET_FWD=17007:7 start user-echo "$qplat" net_echo '^net_echo: ready' || return
	count < <(python3 tests/net/echo_client.py 127.0.0.1 17007 --label "$qplat user-net")
	name=user-echo stop

	build qemu httpd $qarch || return
	# A disk with a file for the server to serve.
	local disk=$W/www.img
	rm -f "$disk"
	head -c 100000 /dev/urandom >"$W/big.bin"
	printf '<html>hello from the disk</html>\n' >"$W/index.html"
	if ! { dd if=/dev/zero of="$disk" bs=1M count=8 status=none &&
		mkfs.fat -F 16 -s 1 "$disk" >/dev/null &&
		MTOOLS_SKIP_CHECK=1 mcopy -i "$disk" "$W/index.html" "$W/big.bin" ::/ &&
		MTOOLS_SKIP_CHECK=1 mmd -i "$disk" ::/dir; }; then
		fail "httpd: making the web disk" "mkfs.fat or mtools failed"
		return
	fi
	DISK=$disk NET=y NET_FWD=18080:80 start user-httpd "$qplat" httpd 'listening on port' || return
	local got
	got=$(curl -s --max-time 20 http://127.0.0.1:18080/index.html)
	[ "$got" = "<html>hello from the disk</html>" ] && pass "httpd: serves index.html from the FAT disk" ||
		fail "httpd: serves index.html from the FAT disk" "got '${got:0:60}'"
	if curl -s --max-time 30 http://127.0.0.1:18080/big.bin | cmp -s - "$W/big.bin"; then
		pass "httpd: a 100 KB file byte for byte"
	else
		fail "httpd: a 100 KB file byte for byte"
	fi
	got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 http://127.0.0.1:18080/dir)
	[ "$got" = 403 ] && pass "httpd: a directory: 403" || fail "httpd: a directory: 403" "got $got"
	local before after status
	before=$(status_value 18080 heap_used)
	tests/net/http_check.sh 127.0.0.1 18080 >"$W/http_check.log" 2>&1
	status=$?
	count < <(sed -n 's/^ok /[PASS] httpd: /p; s/^FAIL /[FAIL] httpd: /p' "$W/http_check.log")
	if [ $status != 0 ] && ! grep -q '^FAIL' "$W/http_check.log"; then
		fail "httpd: http_check.sh (status $status)" "see $W/http_check.log"
	fi
	sleep 2 # closed connections leave TIME_WAIT and buffers behind briefly
	after=$(status_value 18080 heap_used)
	if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -le $((before + 65536)) ]; then
		pass "httpd: heap back to the baseline after the load ($before -> $after bytes)"
	else
		fail "httpd: heap back to the baseline after the load" "before '$before', after '$after'"
	fi
	name=user-httpd stop
}

run_udp() {
	local plat app=net_echo port=$([ -n "${NET_UDP_PLATS:-}" ] && echo 17300 || echo 17200)
	# NET_UDP_PLATS=virt: on aarch64 (tests/aarch64.sh)
	for plat in ${NET_UDP_PLATS:-microvm linuxu}; do
		build "$([ $plat = linuxu ] && echo linuxu || echo qemu)" $app \
			"$([ $plat = virt ] && echo aarch64 || echo x86_64)" || continue
		port=$((port + 2))
		NET=udp:$port:$((port + 1)) start "udp-$plat" $plat $app '^net_echo: ready' || continue
		local f="python3 tests/net/frames.py --port $((port + 1)) --guest-port $port --label $plat"
		count < <($f check)
		count < <($f malformed)
		count < <($f --seconds "${NET_FUZZ_SECONDS:-10}" --count 100000 --seed $$ fuzz)
		name=udp-$plat stop
	done
}

run_tap() {
	if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1; then
		echo "tap: skipped (needs root and ip netns)"
		return
	fi
	local plat before
	before=$(ip netns list | grep -c '^unishyper-')
	for plat in microvm linuxu; do
		build "$([ $plat = linuxu ] && echo linuxu || echo qemu)" net_echo || continue
		NET=tap start "tap-$plat" $plat net_echo '^net_echo: ready' || continue
		local ns
		ns=$(sed -n 's/^run: network namespace \(unishyper-[0-9]*\).*/\1/p' "$W/tap-$plat.log")
		if [ -z "$ns" ]; then
			fail "tap-$plat: namespace" "not named in $W/tap-$plat.log"
			name=tap-$plat stop
			continue
		fi
		if ip netns exec "$ns" ping -c 3 -i 0.2 -W 5 10.0.0.2 >"$W/ping-$plat.log" 2>&1; then
			pass "$plat tap: ping 10.0.0.2 from the namespace"
		else
			fail "$plat tap: ping 10.0.0.2 from the namespace" "see $W/ping-$plat.log"
		fi
		count < <(ip netns exec "$ns" python3 tests/net/echo_client.py 10.0.0.2 7 --udp 7 \
			--label "$plat tap")
		name=tap-$plat stop
		if ip netns list | grep -q "^$ns\b"; then
			fail "$plat tap: namespace $ns deleted after the run"
			ip netns del "$ns"
		else
			pass "$plat tap: namespace deleted after the run"
		fi
	done
}

for part in $parts; do
	case $part in
	user | udp | tap) "run_$part" ;;
	*) fail "unknown part $part" ;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
