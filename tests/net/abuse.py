#!/usr/bin/env python3
"""Clients that abuse a server, and a check that everyone else is still
served. Each case prints "[PASS] ..." or "[FAIL] ...: why". Every wait
has a generous limit that only guards against a hang; the cases do not
measure speed.

  abuse.py HOST PORT CASE [--label L]
  CASE: fresh      one request on a new connection: answered (200)
        many       64 keep-alive connections at once, a request on each,
                   then a second on each: all answered
        idle       1,000 connections held open silently: every handshake
                   completes (accepted or refused, never a SYN left
                   unanswered), then a new client is answered
        slowloris  50 connections sending a request head a byte a second:
                   a new client is answered during the attack, and the
                   server ends the slow ones (408 or close) by itself
        noread     20 connections pipelining requests and never reading:
                   a new client is answered meanwhile
        tiny       64 connections each sending 12 one-byte segments
                   (to a port that may never accept them), then holding
                   them; prints nothing, exits when done (the caller pings
                   meanwhile)
"""
import argparse
import resource
import selectors
import socket
import sys
import time

REQ = b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n"


def say(ok, name, why=""):
    print(("[PASS] %s" % name) if ok else ("[FAIL] %s: %s" % (name, why)), flush=True)
    return ok


def read_answer(s, limit):
    """One HTTP answer (head plus Content-Length body) from s, or what
    came before the limit passed."""
    s.settimeout(limit)
    out = b""
    end = time.time() + limit
    try:
        while time.time() < end:
            if b"\r\n\r\n" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                n = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        n = int(line.split(b":")[1])
                if len(body) >= n:
                    return out
            d = s.recv(65536)
            if not d:
                break
            out += d
    except OSError:
        pass
    return out


def fresh(h, p, limit=10.0):
    """Status line of one request on a new connection, with the time."""
    t0 = time.time()
    try:
        s = socket.create_connection((h, p), timeout=limit)
        s.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        out = read_answer(s, limit)
        s.close()
    except OSError as e:
        return "error %s" % e, time.time() - t0
    return out.split(b"\r\n")[0].decode("latin-1"), time.time() - t0


def case_fresh(a):
    line, took = fresh(a.host, a.port, 10)
    say(line.startswith("HTTP/1.1 200"), "%s: a new client answered (%.2f s)" % (a.label, took),
        "got '%s' after %.1f s" % (line, took))


def case_many(a):
    try:
        socks = [socket.create_connection((a.host, a.port), timeout=20) for _ in range(64)]
    except OSError as e:
        say(False, "%s: 64 keep-alive connections x 2 requests all answered" % a.label,
            "connect: %s" % e)
        return
    answered = 0
    end = time.time() + 30  # for all of them together
    for rnd in range(2):
        for s in socks:
            s.sendall(REQ)
        answered += sum(read_answer(s, max(0.1, end - time.time())).startswith(b"HTTP/1.1 200")
                        for s in socks)
    for s in socks:
        s.close()
    say(answered == 128, "%s: 64 keep-alive connections x 2 requests all answered" % a.label,
        "%d of 128" % answered)


def open_many(h, p, n, limit):
    """Open n connections at once; wait until each has connected, been
    refused or limit passed. Returns (connected sockets, refused, pending)."""
    sel = selectors.DefaultSelector()
    pending = {}
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex((h, p))
        pending[s.fileno()] = s
        sel.register(s, selectors.EVENT_WRITE)
    done, refused = [], 0
    end = time.time() + limit
    while pending and time.time() < end:
        for key, _ in sel.select(timeout=1):
            s = pending.pop(key.fd)
            sel.unregister(s)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                refused += 1
                s.close()
            else:
                done.append(s)
    for s in pending.values():
        s.close()
    return done, refused, len(pending)


def case_idle(a):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    socks, refused, hung = open_many(a.host, a.port, 1000, 60)
    say(hung == 0, "%s: 1,000 connections: every handshake answered (%d open, %d refused)"
        % (a.label, len(socks), refused), "%d SYNs never answered in 60 s" % hung)
    time.sleep(1)
    line, took = fresh(a.host, a.port, 20)
    say(line.startswith("HTTP/1.1 200"),
        "%s: with 1,000 connections held, a new client answered (%.2f s)" % (a.label, took),
        "got '%s' after %.1f s" % (line, took))
    for s in socks:
        s.close()


def case_slowloris(a):
    head = b"GET /status HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
    socks, _, _ = open_many(a.host, a.port, 50, 30)
    alive = {s: 0 for s in socks}
    answered, ended = None, 0
    t0 = time.time()
    for sec in range(25):  # the server's head deadline must end them first
        for s in list(alive):
            try:
                s.send(head[alive[s]:alive[s] + 1])
                alive[s] += 1
            except OSError:
                pass
        if sec == 3:
            answered = fresh(a.host, a.port, 10)
        time.sleep(max(0, t0 + sec + 1 - time.time()))
    # A server that ended them answered 408 and closed, or just closed.
    for s in alive:
        s.setblocking(False)
        try:
            d = s.recv(4096)
            ended += d == b"" or d.startswith(b"HTTP/1.1 408")
        except BlockingIOError:
            pass
        except OSError:
            ended += 1
        s.close()
    line, took = answered
    say(line.startswith("HTTP/1.1 200"),
        "%s: during a slowloris attack of %d connections, a new client answered (%.2f s)"
        % (a.label, len(socks), took), "got '%s' after %.1f s" % (line, took))
    say(ended == len(socks), "%s: the server ended all %d slow requests itself"
        % (a.label, len(socks)), "%d ended" % ended)


def case_noread(a):
    socks = []
    for _ in range(20):
        s = socket.create_connection((a.host, a.port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        sent = 0
        try:
            for _ in range(400):
                sent += s.send(REQ)
        except OSError:
            pass  # its sending side is full: enough
        socks.append(s)
    time.sleep(1)
    line, took = fresh(a.host, a.port, 8)
    say(line.startswith("HTTP/1.1 200"),
        "%s: with 20 clients that never read, a new client answered (%.2f s)" % (a.label, took),
        "got '%s' after %.1f s" % (line, took))
    for s in socks:
        s.close()


def case_tiny(a):
    socks = []
    for _ in range(64):
        s = socket.create_connection((a.host, a.port), timeout=10)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(s)
    for i in range(12):
        for s in socks:
            try:
                s.send(b"x")
            except OSError:
                pass
        time.sleep(0.05)
    time.sleep(a.hold)
    for s in socks:
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("case")
    ap.add_argument("--label", default="httpd")
    ap.add_argument("--hold", type=float, default=5.0)
    a = ap.parse_args()
    fn = globals().get("case_" + a.case)
    if not fn:
        print("abuse.py: no case %s" % a.case, file=sys.stderr)
        return 2
    fn(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
