#!/usr/bin/env python3
"""TCP and UDP echo checks against tests/apps/net_echo.

    echo_client.py HOST TCPPORT [--udp UDPPORT] [--clients N]

Prints [PASS]/[FAIL] lines; exits 1 on any failure. Every wait is bounded."""
import argparse
import os
import socket
import sys
import threading
import time

failed = 0


def result(ok, name, detail=""):
    global failed
    print(("[PASS] " if ok else "[FAIL] ") + name + ("" if ok or not detail else ": " + detail))
    sys.stdout.flush()
    if not ok:
        failed += 1


def connect(host, port, tries=50):
    for _ in range(tries):
        try:
            return socket.create_connection((host, port), timeout=10)
        except OSError:
            time.sleep(0.2)
    raise OSError("cannot connect to %s:%d" % (host, port))


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            break
        buf += d
    return buf


def ping_pong(host, port, count, size, errors):
    try:
        s = connect(host, port)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(count):
            msg = os.urandom(size)
            s.sendall(msg)
            if recv_exact(s, size) != msg:
                errors.append("message %d differs" % i)
                return
        s.close()
    except OSError as e:
        errors.append(str(e))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--udp", type=int)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    L = a.label + " " if a.label else ""

    errors = []
    ping_pong(a.host, a.port, 500, 64, errors)
    result(not errors, L + "TCP echo: 500 messages of 64 bytes", "; ".join(errors))

    errors = []
    try:
        s = connect(a.host, a.port)
        data = os.urandom(1 << 20)
        got = []
        reader = threading.Thread(target=lambda: got.append(recv_exact(s, len(data))))
        reader.start()
        s.sendall(data)
        reader.join(60)
        result(bool(got) and got[0] == data, L + "TCP echo: 1 MiB bulk, byte for byte")
        s.close()
    except OSError as e:
        result(False, L + "TCP echo: 1 MiB bulk", str(e))

    errors = []
    ts = [threading.Thread(target=ping_pong, args=(a.host, a.port, 50, 200, errors))
          for _ in range(a.clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    result(not errors, L + "TCP echo: %d clients at once" % a.clients, "; ".join(errors[:3]))

    if a.udp:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(3)
        ok = 0
        for i in range(20):
            msg = b"udp-%d-" % i + os.urandom(100)
            u.sendto(msg, (a.host, a.udp))
            try:
                if u.recvfrom(2048)[0] == msg:
                    ok += 1
            except socket.timeout:
                pass
        result(ok >= 18, L + "UDP echo: %d of 20 datagrams came back" % ok)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
