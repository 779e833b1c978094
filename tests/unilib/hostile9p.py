#!/usr/bin/python3
"""A 9P2000.L server that breaks the protocol, for tests/unilib/run.sh.

  hostile9p.py PORT MODE

Listens on 127.0.0.1:PORT and serves each connection in a thread of its
own (bounded: 50 connections). Each connection answers Tversion and
Tattach properly, then answers the next request according to MODE and
closes the connection:

  tag      the right reply with another tag
  huge     a size field of 2 GiB
  short    a header alone (size 7), no body
  count    Rwalk saying 5 qids and carrying one
  ecode0   Rlerror with error code 0
  close    no reply at all, then the connection closes
  silent   no reply to this or any later request; the connection stays
           open until the client closes it
  late     the first request of the first connection is answered (Rlerror
           EACCES) only after DELAY seconds (default 3); every other
           request, on any connection, gets Rlerror ENOENT at once
"""
import socket
import struct
import sys
import threading
import time


def recv_all(c, n):
    data = b""
    while len(data) < n:
        part = c.recv(n - len(data))
        if not part:
            raise EOFError
        data += part
    return data


def recv_msg(c):
    size, = struct.unpack("<I", recv_all(c, 4))
    body = recv_all(c, size - 4)
    return body[0], struct.unpack("<H", body[1:3])[0], body[3:]


def msg(typ, tag, body=b""):
    return struct.pack("<IBH", 7 + len(body), typ, tag) + body


QID_DIR = struct.pack("<BIQ", 0x80, 0, 1)


def serve(c, mode):
    typ, tag, body = recv_msg(c)  # Tversion
    msize, = struct.unpack("<I", body[:4])
    ver = b"9P2000.L"
    c.sendall(msg(typ + 1, tag, struct.pack("<I", msize) + struct.pack("<H", len(ver)) + ver))
    typ, tag, body = recv_msg(c)  # Tattach
    c.sendall(msg(typ + 1, tag, QID_DIR))
    typ, tag, body = recv_msg(c)
    if mode == "silent":
        while True:
            recv_msg(c)  # until the client goes (EOFError)
    if mode == "late":
        if first.acquire(blocking=False):
            time.sleep(DELAY)
            c.sendall(msg(7, tag, struct.pack("<I", 13)))
            typ, tag, body = recv_msg(c)
        while True:
            c.sendall(msg(7, tag, struct.pack("<I", 2)))
            typ, tag, body = recv_msg(c)
    if mode == "tag":
        c.sendall(msg(typ + 1, tag ^ 1, struct.pack("<H", 1) + QID_DIR))
    elif mode == "huge":
        c.sendall(struct.pack("<IBH", 0x7FFFFFFF, typ + 1, tag) + b"\0" * 64)
    elif mode == "short":
        c.sendall(msg(typ + 1, tag))
    elif mode == "count":
        c.sendall(msg(typ + 1, tag, struct.pack("<H", 5) + QID_DIR))
    elif mode == "ecode0":
        c.sendall(msg(7, tag, struct.pack("<I", 0)))
    # close: nothing


first = threading.Lock()  # taken by the late mode's one late answer
DELAY = 3


def serve_one(c, mode):
    # silent waits for the client as long as it keeps the connection
    c.settimeout(None if mode == "silent" else 10)
    try:
        serve(c, mode)
    except (EOFError, OSError, struct.error):
        pass
    c.close()


def main():
    global DELAY
    port, mode = int(sys.argv[1]), sys.argv[2]
    if len(sys.argv) > 3:
        DELAY = float(sys.argv[3])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    s.settimeout(60)
    for _ in range(50):
        try:
            c, _ = s.accept()
        except socket.timeout:
            break
        threading.Thread(target=serve_one, args=(c, mode), daemon=True).start()


if __name__ == "__main__":
    main()
