#!/usr/bin/env bash
# httpd on linuxu + tap against nginx on Linux across a veth pair, in the
# same run with the same wrk parameters: requests/s and p50/p99 latency
# for 16, 100 and 400 connections, with keep-alive and with
# "Connection: close". Figures only, no pass or fail. Needs root, ip netns,
# wrk and nginx (Debian's nginx-light).
#
#   tests/net/bench_httpd.sh [SECONDS]      (default 5 per run)
# Prints one line per run: server, connections, mode, req/s, p50, p99.
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-5}
W=build/tests/net
mkdir -p "$W"
for tool in wrk nginx ip; do
	command -v $tool >/dev/null || { echo "bench_httpd: no $tool" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench_httpd: needs root" >&2; exit 2; }

srv=unishyper-bench-srv-$$ cli=unishyper-bench-cli-$$ vm=
cleanup() {
	[ -n "$vm" ] && kill -- -"$vm" 2>/dev/null
	[ -f "$W/nginx.pid" ] && ip netns exec "$srv" kill "$(cat "$W/nginx.pid")" 2>/dev/null
	ip netns del "$srv" 2>/dev/null
	ip netns del "$cli" 2>/dev/null
}
trap cleanup EXIT

# nginx in one namespace, the client in another, a veth pair between.
ip netns add "$srv" && ip netns add "$cli" || exit 2
ip link add bench0 netns "$cli" type veth peer name bench1 netns "$srv"
ip -n "$cli" addr add 10.9.0.1/24 dev bench0
ip -n "$srv" addr add 10.9.0.2/24 dev bench1
for ns in "$srv" "$cli"; do
	ip -n "$ns" link set lo up
done
ip -n "$cli" link set bench0 up
ip -n "$srv" link set bench1 up
mkdir -p "$W/nginx/www"
head -c 400 /dev/zero | tr '\0' x >"$W/nginx/www/status" # about httpd's status page
cat >"$W/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $PWD/$W/nginx.pid;
error_log $PWD/$W/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 1000000;
	server {
		listen 10.9.0.2:80 backlog=4096;
		root $PWD/$W/nginx/www;
	}
}
EOF
ip netns exec "$srv" nginx -c "$PWD/$W/nginx/nginx.conf" || exit 2

make --no-print-directory MACHINE=linuxu APP=httpd >"$W/bench-build.log" 2>&1 || exit 2
rm -f "$W/bench-httpd.log"
setsid env NET=tap TIMEOUT=900 tools/run.sh linuxu build/x86_64-linuxu-httpd/unishyper.img \
	</dev/null >"$W/bench-httpd.log" 2>&1 &
vm=$!
for _ in $(seq 1 100); do
	grep -q 'listening on port' "$W/bench-httpd.log" 2>/dev/null && break
	sleep 0.1
done
tap=$(sed -n 's/^run: network namespace \(unishyper-[0-9]*\).*/\1/p' "$W/bench-httpd.log")
[ -n "$tap" ] || { echo "bench_httpd: httpd did not start" >&2; exit 2; }
# Both clients alike: with "Connection: close" at thousands of connections
# a second, a client that closes first keeps its ports in TIME_WAIT and
# runs out of them within seconds; let it reuse them.
for ns in "$cli" "$tap"; do
	ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_tw_reuse=1 \
		net.ipv4.ip_local_port_range="1024 65000"
done

# run NAME NETNS URL CONNECTIONS MODE
run() {
	local hdr=()
	[ "$5" = close ] && hdr=(-H "Connection: close")
	ip netns exec "$2" wrk -t2 -c"$4" -d"${secs}s" --timeout 10s --latency "${hdr[@]}" "$3" \
		>"$W/wrk-$1-$4-$5.log" 2>&1
	awk -v n="$1" -v c="$4" -v m="$5" '
		/Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
		/Non-2xx|Socket errors/ { err = err " " $0 }
		END { printf "%-6s c=%-4s %-10s %10s req/s  p50 %-9s p99 %-9s%s\n", n, c, m, rps, p50, p99, err }
	' "$W/wrk-$1-$4-$5.log"
}
for mode in keep-alive close; do
	for c in 16 100 400; do
		run nginx "$cli" http://10.9.0.2/status $c $mode
		run httpd "$tap" http://10.0.0.2/status $c $mode
	done
done
