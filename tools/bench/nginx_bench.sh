# nginx requests per second with wrk (sourced by software_bench.sh, which
# sets out, runs and median): the unikernel's nginx on linuxu (a tap device
# in a network namespace made by tools/run.sh; wrk runs inside it) and on
# microvm (QEMU user networking, a 127.0.0.1 forward), against Debian's
# nginx-light on the host's loopback, with the same configuration: one
# process, no access log, a 1 KB file, keep-alive. Writes
# $out/nginx-rows.md. Skipped without wrk or nginx.
# shellcheck shell=bash

nb_rows=$out/nginx-rows.md
rm -f "$nb_rows"
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
	echo "software bench: nginx skipped (apt-get install wrk nginx-light)"
	return 0
fi
nb=$out/nginx
mkdir -p "$nb/www" "$nb/host/logs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$nb/www/index.html"
nb_conf() { # nb_conf ROOT LISTEN
	cat <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log stderr warn;
events { use epoll; worker_connections 200; }
http {
    access_log off;
    default_type text/html;
    keepalive_requests 100000;
    server { listen $2; root $1; }
}
CONF
}
nb_conf "$PWD/$nb/www" 127.0.0.1:18580 >"$nb/host/nginx.conf"
nb_conf /www 80 | sed 's/^worker_processes 1;$/pid \/nginx.pid;/' >"$nb/guest.conf"
nb_disk=$nb/disk.img
rm -f "$nb_disk"
mkfs.fat -C -F 16 "$nb_disk" 16384 >/dev/null
MTOOLS_SKIP_CHECK=1 mmd -i "$nb_disk" ::/etc ::/www
printf 'root:x:0:0:root:/:/bin/sh\n' | MTOOLS_SKIP_CHECK=1 mcopy -i "$nb_disk" - ::/etc/passwd
printf 'root:x:0:\n' | MTOOLS_SKIP_CHECK=1 mcopy -i "$nb_disk" - ::/etc/group
MTOOLS_SKIP_CHECK=1 mcopy -i "$nb_disk" "$nb/guest.conf" ::/nginx.conf
MTOOLS_SKIP_CHECK=1 mcopy -i "$nb_disk" "$nb/www/index.html" ::/www/

# nb_wrk PREFIX URL CONNS: requests/s, the median of $runs 5-second runs.
nb_wrk() {
	local pre=$1 url=$2 c=$3
	for _ in $(seq 1 "$runs"); do
		$pre wrk -t2 -c"$c" -d5s "$url" 2>/dev/null | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
	done | median
}
# nb_up PREFIX URL: wait (bounded) until the server answers.
nb_up() {
	for _ in $(seq 1 150); do
		$1 curl -s -o /dev/null --max-time 2 "$2" && return 0
		sleep 0.2
	done
	return 1
}
declare -A nb_res
echo "software bench: nginx on the host (nginx-light, loopback)"
setsid /usr/sbin/nginx -p "$PWD/$nb/host" -c nginx.conf -g "pid $PWD/$nb/host/nginx.pid;" \
	</dev/null >"$nb/host.log" 2>&1 &
nb_pid=$!
if nb_up "" http://127.0.0.1:18580/index.html; then
	for c in 16 100; do nb_res[host-$c]=$(nb_wrk "" http://127.0.0.1:18580/index.html $c); done
fi
kill -- -"$nb_pid" 2>/dev/null
wait "$nb_pid" 2>/dev/null

echo "software bench: nginx on linuxu (tap)"
if [ "$(id -u)" = 0 ]; then
	setsid env DISK="$nb_disk" NET=tap TIMEOUT=900 tools/run.sh linuxu \
		build/x86_64-linuxu-nginx/unishyper.img </dev/null >"$nb/linuxu.log" 2>&1 &
	nb_pid=$!
	sleep 1
	nb_ns=$(sed -n 's/^run: network namespace \(unishyper-[0-9]*\).*/\1/p' "$nb/linuxu.log")
	if [ -n "$nb_ns" ] && nb_up "ip netns exec $nb_ns" http://10.0.0.2/index.html; then
		for c in 16 100; do
			nb_res[linuxu-$c]=$(nb_wrk "ip netns exec $nb_ns" http://10.0.0.2/index.html $c)
		done
	fi
	kill -- -"$nb_pid" 2>/dev/null
	wait "$nb_pid" 2>/dev/null
fi

echo "software bench: nginx on microvm (user networking)"
setsid env DISK="$nb_disk" NET=y NET_FWD=18581:80 TIMEOUT=900 tools/run.sh microvm \
	build/x86_64-microvm-nginx/unishyper.img </dev/null >"$nb/microvm.log" 2>&1 &
nb_pid=$!
if nb_up "" http://127.0.0.1:18581/index.html; then
	for c in 16 100; do nb_res[microvm-$c]=$(nb_wrk "" http://127.0.0.1:18581/index.html $c); done
fi
kill -- -"$nb_pid" 2>/dev/null
wait "$nb_pid" 2>/dev/null

for c in 16 100; do
	h=${nb_res[host-$c]:-}
	l=${nb_res[linuxu-$c]:-}
	echo "| nginx 1 KB file, wrk -t2 -c$c, requests/s | $l | $h | $(ratio "${l:-0}" "${h:-1}") | ${nb_res[microvm-$c]:-} |"
done >"$nb_rows"
