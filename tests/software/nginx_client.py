#!/usr/bin/env python3
"""HTTP clients for the nginx test (tests/software/nginx.sh): many at once,
one that resets mid-response, one that stops reading. Each check prints
"[PASS] name" or "[FAIL] name: why"; every socket has a timeout, so a
check that gets no answer fails instead of hanging.

  nginx_client.py HOST PORT LABEL parallel N PATH FILE
  nginx_client.py HOST PORT LABEL abort N PATH
  nginx_client.py HOST PORT LABEL slow PATH FILE FAST-PATH
"""
import socket
import struct
import sys
import threading

# A hang guard only: a connection beyond the server's backlog waits for the
# client's (or QEMU user networking's) next SYN, seconds apart.
TIMEOUT = 150


def request(path):
    return ("GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n" % path).encode()


def read_all(s):
    out = bytearray()
    while True:
        d = s.recv(65536)
        if not d:
            return bytes(out)
        out += d


def split(resp):
    head, _, body = resp.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    return status, body


def get(host, port, path):
    with socket.create_connection((host, port), timeout=TIMEOUT) as s:
        s.sendall(request(path))
        return split(read_all(s))


def check(label, name, ok, why=""):
    print("[PASS] %s: %s" % (label, name) if ok else "[FAIL] %s: %s: %s" % (label, name, why))
    return ok


def parallel(host, port, label, n, path, want):
    """n connections opened together, each one request; all answered in full."""
    barrier = threading.Barrier(n, timeout=TIMEOUT)
    results = [None] * n

    def one(i):
        s = None
        try:
            s = socket.create_connection((host, port), timeout=TIMEOUT)
        except OSError as e:
            results[i] = ("connect: %r" % e, b"")
        try:
            # A failed connect still meets the others, so that they go on.
            barrier.wait()
            if s:
                s.sendall(request(path))
                results[i] = split(read_all(s))
        except (OSError, threading.BrokenBarrierError) as e:
            results[i] = ("request: %r" % e, b"")
        if s:
            s.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bad = [r[0] for r in results if r is None or not r[0].endswith(" 200 OK") or r[1] != want]
    bad.sort(key=lambda b: "BrokenBarrier" in b)
    return check(label, "%d connections at once, every one served byte for byte" % n, not bad,
                 "%d of %d wrong, first: %s" % (len(bad), n, bad[0] if bad else ""))


def abort(host, port, label, n, path):
    """n clients read the first bytes of a large file, then reset."""
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=TIMEOUT)
        # SO_LINGER with a zero timeout: close() sends a reset.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(request(path))
        s.recv(1024)
        s.close()
    status, body = get(host, port, "/index.html")
    return check(label, "%d clients reset mid-response, the server still answers" % n,
                 status.endswith(" 200 OK") and b"hello" in body, status)


def slow(host, port, label, path, want, fast_path):
    """A client sends its request a byte at a time, reads one byte and
    stops; another client is served meanwhile; then the first reads on."""
    s = socket.socket()
    s.settimeout(TIMEOUT)
    # A small receive window, so that the server's sends back up.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for b in request(path):
        s.send(bytes([b]))
    first = s.recv(1)
    status, body = get(host, port, fast_path)
    ok = check(label, "another client is served while a slow one does not read",
               status.endswith(" 200 OK"), status)
    status, body = split(first + read_all(s))
    s.close()
    return check(label, "the slow client gets the whole file in the end",
                 status.endswith(" 200 OK") and body == want,
                 "%s, %d of %d bytes" % (status, len(body), len(want))) and ok


def main():
    host, port, label, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    a = sys.argv[5:]
    try:
        if mode == "parallel":
            ok = parallel(host, port, label, int(a[0]), a[1], open(a[2], "rb").read())
        elif mode == "abort":
            ok = abort(host, port, label, int(a[0]), a[1])
        else:
            ok = slow(host, port, label, a[0], open(a[1], "rb").read(), a[2])
    except OSError as e:
        ok = check(label, mode, False, repr(e))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
