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
#  abuse  examples/httpd on a tap in a namespace, on linuxu and microvm:
#         http_check.sh, then clients that abuse it (tests/net/abuse.py:
#         a curl and 64 keep-alive clients during wrk -c400, 1,000 idle
#         connections, slowloris, clients that never read) with a new
#         client answered each time; then net_echo: ping answered while
#         64 unaccepted connections send one-byte segments, a 60 KB ping;
#         IPv6: ping -6 (static, link-local, 60 KB), curl -6
#
#   tests/net/run.sh [user] [udp] [tap] [abuse]      (default: all)
# Prints [PASS]/[FAIL] lines and "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2

parts=${*:-user udp tap abuse}
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

# shellcheck source=tests/platforms.sh
. tests/platforms.sh
image_of() { echo "$(plat_build_dir "$1" "$2")/unishyper.img"; }

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

# NET_USER_PLAT=virt or riscv64: the same on aarch64 or riscv64 (tests/virt.sh).
run_user() {
	local qplat=${NET_USER_PLAT:-microvm} qarch
	qarch=$(plat_arch "$qplat")
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
	# NET_UDP_PLATS=virt or riscv64: on aarch64 or riscv64 (tests/virt.sh)
	for plat in ${NET_UDP_PLATS:-microvm linuxu}; do
		build "$([ $plat = linuxu ] && echo linuxu || echo qemu)" $app \
			"$(plat_arch $plat)" || continue
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

# The namespace tools/run.sh made for the machine started last.
netns_of() {
	sed -n 's/^run: network namespace \(unishyper-[0-9]*\).*/\1/p' "$W/$1.log"
}

# The link-local IPv6 address of MAC $1 (EUI-64).
link_local() {
	local IFS=: m
	read -ra m <<<"$1"
	printf 'fe80::%x:%x:%x:%x' $(((0x${m[0]} ^ 2) << 8 | 0x${m[1]})) $((0x${m[2]} << 8 | 0xff)) \
		$((0xfe << 8 | 0x${m[3]})) $((0x${m[4]} << 8 | 0x${m[5]}))
}

# IPv6 beside IPv4 on the tap of machine $1 (namespace $2), httpd running:
# the static address (CONFIG_NET_IP6ADDR, fd00::2), the link-local one,
# a 60 KB echo in fragments, HTTP over IPv6 and still over IPv4.
ipv6_checks() {
	local plat=$1 A="ip netns exec $2" got mac ll
	$A ip addr add fd00::1/64 dev tap0 nodad
	got=$($A ping -6 -c 3 -i 0.3 -w 20 fd00::2 2>&1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge 1 ] && pass "$plat: ping -6 fd00::2 (static address)" ||
		fail "$plat: ping -6 fd00::2" "${got:-0} answered"
	mac=$($A ip -6 neigh show fd00::2 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
	ll=$(link_local "${mac:-0:0:0:0:0:0}")
	got=$($A ping -6 -c 2 -w 10 "$ll%tap0" 2>&1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge 1 ] && pass "$plat: ping -6 the link-local address $ll" ||
		fail "$plat: ping -6 the link-local address" "'$ll': ${got:-0} answered"
	got=$($A ping -6 -c 2 -w 10 -s 60000 fd00::2 2>&1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge 1 ] && pass "$plat: a 60 KB ping -6 (fragments both ways)" ||
		fail "$plat: a 60 KB ping -6" "${got:-0} answered"
	got=$($A curl -s -6 --max-time 20 "http://[fd00::2]/status" | head -1)
	[ "$got" = "httpd status" ] && pass "$plat: curl -6 http://[fd00::2]/status" ||
		fail "$plat: curl -6 over IPv6" "got '$got'"
	got=$($A curl -s --max-time 20 "http://10.0.0.2/status" | head -1)
	[ "$got" = "httpd status" ] && pass "$plat: the same listening socket answers IPv4" ||
		fail "$plat: IPv4 on the dual-stack socket" "got '$got'"
}

# httpd under abuse, on the tap of machine $1 in namespace $2.
abuse_httpd() {
	local plat=$1 ns=$2 A="ip netns exec $2"
	ipv6_checks "$plat" "$ns"
	$A tests/net/http_check.sh 10.0.0.2 80 >"$W/http_check-$plat.log" 2>&1
	count < <(sed -n "s/^ok /[PASS] $plat httpd: /p; s/^FAIL /[FAIL] $plat httpd: /p" \
		"$W/http_check-$plat.log")
	local ab="$A python3 tests/net/abuse.py 10.0.0.2 80 --label $plat-httpd"
	# wrk holds 400 keep-alive connections busy; others must still be served.
	setsid $A wrk -t2 -c400 -d60s --timeout 10s http://10.0.0.2/status \
		>"$W/wrk-$plat.log" 2>&1 &
	local wrk=$!
	sleep 3
	count < <($ab fresh | sed 's/a new client/during wrk -c400, a new client/')
	count < <($ab many | sed 's/: 64/: during wrk -c400, 64/')
	kill -- -"$wrk" 2>/dev/null
	wait "$wrk" 2>/dev/null
	count < <($ab slowloris)
	count < <($ab noread)
	count < <($ab idle)
	count < <($ab fresh | sed 's/a new client/afterwards, a new client/')
}

# The stack under small segments: net_echo's port 9 never accepts, so
# what 64 connections send there stays in the stack; ping meanwhile.
abuse_stack() {
	local plat=$1 ns=$2 A="ip netns exec $2"
	$A python3 tests/net/abuse.py 10.0.0.2 9 tiny --hold 6 &
	local tiny=$!
	sleep 1
	local got
	got=$($A ping -c 10 -i 0.3 -W 5 10.0.0.2 2>&1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	wait $tiny
	[ "$got" = 10 ] && pass "$plat: ping answered 10 of 10 while 64 connections send 1-byte segments" ||
		fail "$plat: ping during 1-byte segments" "${got:-0} of 10 answered"
	got=$($A ping -c 2 -W 10 -s 60000 10.0.0.2 2>&1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -ge 1 ] && pass "$plat: a 60 KB ping (45 fragments) answered" ||
		fail "$plat: a 60 KB ping answered" "${got:-0} of 2"
}

run_abuse() {
	if [ "$(id -u)" != 0 ] || ! ip netns list >/dev/null 2>&1 || ! command -v wrk >/dev/null; then
		echo "abuse: skipped (needs root, ip netns and wrk)"
		return
	fi
	local plat mach ns
	for plat in linuxu microvm; do
		mach=$([ $plat = linuxu ] && echo linuxu || echo qemu)
		build $mach httpd && NET=tap start "abuse-$plat" $plat httpd 'listening on port' && {
			ns=$(netns_of "abuse-$plat")
			abuse_httpd $plat "$ns"
			name=abuse-$plat stop
		}
		build $mach net_echo && NET=tap start "stack-$plat" $plat net_echo '^net_echo: ready' && {
			ns=$(netns_of "stack-$plat")
			abuse_stack $plat "$ns"
			name=stack-$plat stop
		}
	done
}

for part in $parts; do
	case $part in
	user | udp | tap | abuse) "run_$part" ;;
	*) fail "unknown part $part" ;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
