#!/usr/bin/env bash
# Network benchmarks for `make bench`: TCP round-trip latency (1-byte
# ping-pong), TCP throughput and HTTP requests/s (wrk), for
#   - microvm through QEMU user networking (hostfwd on 127.0.0.1),
#   - microvm and linuxu on a tap in a network namespace made for the run,
#   - the same server programs as Linux processes, on 127.0.0.1 and on a
#     veth pair into a namespace (the Linux reference, same run).
# Writes build/bench/net-*.txt and a Markdown table to build/bench/net.md.
# Every run is bounded: COUNT round trips or SECONDS, whichever first.
set -u
cd "$(dirname "$0")/../.."
out=build/bench
mkdir -p "$out"
COUNT=${NET_BENCH_COUNT:-5000}
SECS=${NET_BENCH_SECONDS:-20}
MB=${NET_BENCH_MBYTES:-64}
WRK_SECS=${NET_BENCH_WRK_SECONDS:-10}

make --no-print-directory MACHINE=qemu APP=net_tcp_bench >"$out/net-build.log" 2>&1 &&
	make --no-print-directory MACHINE=linuxu APP=net_tcp_bench >>"$out/net-build.log" 2>&1 &&
	make --no-print-directory MACHINE=qemu APP=httpd >>"$out/net-build.log" 2>&1 &&
	make --no-print-directory MACHINE=linuxu APP=httpd >>"$out/net-build.log" 2>&1 ||
	{ echo "net bench: build failed, see $out/net-build.log"; exit 1; }
cc -O2 -o "$out/nb_client" examples/net_tcp_bench/client/client.c
cc -O2 -pthread -o "$out/nb_server" examples/net_tcp_bench/main.c
cc -O2 -pthread -DHTTPD_DEFAULT_ROOT='""' -o "$out/httpd_linux" examples/httpd/server.c \
	examples/httpd/http.c examples/httpd/status_host.c

pids=()
trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null; done; ip netns del nbref 2>/dev/null' EXIT

# boot NAME PLAT APP NETMODE FWD ARGS...: start in the background, wait
# for the ready line; sets $ns for NET=tap.
boot() {
	local name=$1 plat=$2 app=$3 net=$4 fwd=$5
	shift 5
	local log=$out/net-$name.log
	rm -f "$log" # the background job truncates it only when it runs
	NET=$net NET_FWD=$fwd setsid env TIMEOUT=900 tools/run.sh "$plat" \
		"build/x86_64-$plat-$app/unishyper.img" "$@" </dev/null >"$log" 2>&1 &
	booted=$!
	pids+=("$booted")
	for _ in $(seq 1 600); do
		grep -q 'listening on port' "$log" && break
		sleep 0.1
	done
	ns=$(sed -n 's/^run: network namespace \(unishyper-[0-9]*\).*/\1/p' "$log")
}
halt() { kill -- -"$booted" 2>/dev/null; wait "$booted" 2>/dev/null; sleep 0.5; }

lat() { # EXEC-PREFIX HOST PORT
	$1 "$out/nb_client" latency "$2" "$3" "$COUNT" 1 "$SECS" | tail -1 |
		sed -n 's/^result latency_us //p'
}
bw() {
	$1 "$out/nb_client" bw "$2" "$3" "$MB" "$SECS" | tail -1 | sed -n 's/^result bw_MBps=\([0-9.]*\).*/\1/p'
}
rps() {
	$1 wrk -t2 -c16 -d"${WRK_SECS}s" "http://$2:$3/status" 2>&1 | sed -n 's/^Requests\/sec: *//p'
}
results=()
record() { # LABEL LAT BW RPS
	echo "net bench: $1: latency ${2:-?}; ${3:-?} MB/s; ${4:-?} requests/s"
	results+=("$1|${2:-?}|${3:-?}|${4:-?}")
}

echo "net bench: microvm, QEMU user networking (hostfwd on 127.0.0.1)"
boot u-lat microvm net_tcp_bench y 14444:4444 latency
l=$(lat "" 127.0.0.1 14444); halt
boot u-bw microvm net_tcp_bench y 14445:4444 server-bw
b=$(bw "" 127.0.0.1 14445); halt
boot u-http microvm httpd y 18088:80 -t 4
r=$(rps "" 127.0.0.1 18088); halt
record "microvm, QEMU user net" "$l" "$b" "$r"

if [ "$(id -u)" = 0 ]; then
	for plat in microvm linuxu; do
		echo "net bench: $plat, tap in a network namespace"
		boot t-lat-$plat $plat net_tcp_bench tap "" latency
		l=$(lat "ip netns exec $ns" 10.0.0.2 4444); halt
		boot t-bw-$plat $plat net_tcp_bench tap "" server-bw
		b=$(bw "ip netns exec $ns" 10.0.0.2 4444); halt
		boot t-http-$plat $plat httpd tap "" -t 4
		r=$(rps "ip netns exec $ns" 10.0.0.2 80); halt
		record "$plat, tap" "$l" "$b" "$r"
	done
fi

echo "net bench: Linux processes on 127.0.0.1"
setsid "$out/nb_server" latency -p 24444 >/dev/null 2>&1 & pids+=($!)
setsid "$out/nb_server" server-bw -p 24445 >/dev/null 2>&1 & pids+=($!)
setsid "$out/httpd_linux" -p 28088 -t 4 >/dev/null 2>&1 & pids+=($!)
sleep 0.5
record "Linux, loopback" "$(lat "" 127.0.0.1 24444)" "$(bw "" 127.0.0.1 24445)" "$(rps "" 127.0.0.1 28088)"

if [ "$(id -u)" = 0 ]; then
	echo "net bench: Linux processes across a veth pair between two namespaces"
	ip netns add nbref && ip netns add nbref2 &&
		ip link add nbv0 netns nbref type veth peer name nbv1 netns nbref2 &&
		ip -n nbref addr add 10.0.0.2/24 dev nbv0 && ip -n nbref2 addr add 10.0.0.1/24 dev nbv1 &&
		ip -n nbref link set nbv0 up && ip -n nbref2 link set nbv1 up &&
		ip -n nbref link set lo up
	trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null; done; ip netns del nbref 2>/dev/null; ip netns del nbref2 2>/dev/null' EXIT
	setsid ip netns exec nbref "$out/nb_server" latency -p 4444 >/dev/null 2>&1 & pids+=($!)
	setsid ip netns exec nbref "$out/nb_server" server-bw -p 4445 >/dev/null 2>&1 & pids+=($!)
	setsid ip netns exec nbref "$out/httpd_linux" -p 80 -t 4 >/dev/null 2>&1 & pids+=($!)
	sleep 0.5
	pre="ip netns exec nbref2"
	record "Linux, veth between namespaces" "$(lat "$pre" 10.0.0.2 4444)" "$(bw "$pre" 10.0.0.2 4445)" \
		"$(rps "$pre" 10.0.0.2 80)"
fi

{
	echo "| target | TCP round trip, 1 byte (us) | TCP MB/s | HTTP requests/s (wrk -t2 -c16) |"
	echo "|---|---|---|---|"
	for r in "${results[@]}"; do
		IFS='|' read -r label l b q <<<"$r"
		echo "| $label | $l | $b | $q |"
	done
} >"$out/net.md"
cat "$out/net.md"
