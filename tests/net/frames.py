#!/usr/bin/env python3
"""Raw Ethernet frames to and from a guest whose network device is a UDP
tunnel (QEMU's -netdev socket,udp=...; linuxu's UNISHYPER_NET=udp:L:R): one
datagram per frame, on 127.0.0.1 only. No root, no tap.

    frames.py --port P --guest-port G check        ARP, ping, UDP echo, ping6
    frames.py --port P --guest-port G malformed    crafted bad frames, then check
    frames.py --port P --guest-port G fuzz --seconds S --count N --seed X

The guest is 10.0.0.2 (MAC 52:54:00:12:34:56 unless --guest-mac); this
script plays 10.0.0.1 and answers the guest's ARP requests. Prints
[PASS]/[FAIL] lines; exits 1 if any check failed."""
import argparse
import random
import socket
import struct
import sys
import time

HOST_MAC = bytes.fromhex("020000000001")
HOST_IP = socket.inet_aton("10.0.0.1")
GUEST_IP = socket.inet_aton("10.0.0.2")
BCAST = b"\xff" * 6
HOST_IP6 = socket.inet_pton(socket.AF_INET6, "fe80::1")
failed = 0


def result(ok, name, detail=""):
    global failed
    print(("[PASS] " if ok else "[FAIL] ") + name + ("" if ok or not detail else ": " + detail))
    sys.stdout.flush()
    if not ok:
        failed += 1


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, ethertype, payload, src=HOST_MAC):
    return dst + src + struct.pack("!H", ethertype) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def ipv4(proto, payload, src=HOST_IP, dst=GUEST_IP, ident=1, ttl=64, flags_frag=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags_frag, ttl,
                      proto, 0, src, dst)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def icmp_echo(ident, seq, data):
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def link_local(mac):
    """The guest's IPv6 link-local address (EUI-64 of its MAC)."""
    return b"\xfe\x80" + b"\0" * 6 + bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:6]


def ipv6(nh, payload, src=HOST_IP6, dst=None, hlim=255):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, hlim) + src + dst + payload


def icmp6(typ, code, body, src, dst):
    msg = struct.pack("!BBH", typ, code, 0) + body
    pseudo = src + dst + struct.pack("!IxxxB", len(msg), 58)
    return msg[:2] + struct.pack("!H", csum(pseudo + msg)) + msg[4:]


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data  # no checksum


def tcp_syn(sport, dport, seq):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 65535, 0, 0)
    pseudo = HOST_IP + GUEST_IP + struct.pack("!BBH", 0, 6, len(hdr))
    return hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]


class Link:
    def __init__(self, port, guest_port, guest_mac):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", port))
        self.peer = ("127.0.0.1", guest_port)
        self.guest_mac = guest_mac
        self.sent = 0

    def send(self, frame):
        self.s.sendto(frame, self.peer)
        self.sent += 1

    def answer_arp(self, f):
        """The guest asks who 10.0.0.1 is: say it is us."""
        if len(f) >= 42 and f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" \
                and f[38:42] == HOST_IP:
            self.send(eth(f[6:12], 0x0806, arp(2, HOST_MAC, HOST_IP, f[22:28], f[28:32])))
        # The guest asks for fe80::1 (neighbour solicitation): advertise us.
        if len(f) >= 78 and f[12:14] == b"\x86\xdd" and f[20] == 58 and f[54] == 135 \
                and f[62:78] == HOST_IP6:
            src = f[22:38]
            na = icmp6(136, 0, struct.pack("!I", 0x60000000) + HOST_IP6 + b"\x02\x01" + HOST_MAC,
                       HOST_IP6, src)
            self.send(eth(f[6:12], 0x86DD, ipv6(58, na, dst=src)))

    def expect(self, match, seconds):
        """Frames until match(frame) is true or time runs out."""
        end = time.time() + seconds
        while time.time() < end:
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                f, _ = self.s.recvfrom(65536)
            except socket.timeout:
                break
            self.answer_arp(f)
            if match(f):
                return f
        return None

    def drain(self, seconds=0.2):
        self.expect(lambda f: False, seconds)


def check_alive(link, label):
    link.send(eth(BCAST, 0x0806, arp(1, HOST_MAC, HOST_IP, b"\0" * 6, GUEST_IP)))
    r = link.expect(lambda f: f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x02"
                    and f[28:32] == GUEST_IP, 5)
    result(r is not None, label + ": ARP reply for 10.0.0.2")
    if r is not None:
        link.guest_mac = r[22:28]
    ident = random.randrange(1, 65535)
    data = bytes(random.randrange(256) for _ in range(56))
    link.send(eth(link.guest_mac, 0x0800, ipv4(1, icmp_echo(ident, 1, data))))
    r = link.expect(lambda f: f[12:14] == b"\x08\x00" and f[23] == 1 and f[34] == 0
                    and f[38:40] == struct.pack("!H", ident), 5)
    result(r is not None and r[42:42 + len(data)] == data, label + ": ping 10.0.0.2")
    payload = b"echo-%d" % ident
    link.send(eth(link.guest_mac, 0x0800, ipv4(17, udp(40000, 7, payload))))
    r = link.expect(lambda f: f[12:14] == b"\x08\x00" and f[23] == 17 and f[42:] [:len(payload)] == payload, 5)
    result(r is not None, label + ": UDP echo on port 7")
    ll = link_local(link.guest_mac)
    data = b"six-%d" % ident
    echo6 = icmp6(128, 0, struct.pack("!HH", ident, 1) + data, HOST_IP6, ll)
    # Right after boot the address is tentative (duplicate address
    # detection, about a second): ask again each second for a while.
    for _ in range(8):
        link.send(eth(link.guest_mac, 0x86DD, ipv6(58, echo6, dst=ll, hlim=64)))
        r = link.expect(lambda f: f[12:14] == b"\x86\xdd" and f[20] == 58 and f[54] == 129
                        and f[58:60] == struct.pack("!H", ident), 1)
        if r is not None:
            break
    result(r is not None and r[62:62 + len(data)] == data, label + ": ping6 the link-local address")


def malformed_frames(gm):
    good_ip = ipv4(1, icmp_echo(1, 1, b"x" * 32))
    frames = {
        "runt (10 bytes)": b"\x01" * 10,
        "header only": eth(gm, 0x0800, b""),
        "unknown ethertype": eth(gm, 0x1234, b"\0" * 46),
        "ARP truncated": eth(BCAST, 0x0806, arp(1, HOST_MAC, HOST_IP, b"\0" * 6, GUEST_IP)[:10]),
        "ARP bad lengths": eth(BCAST, 0x0806, struct.pack("!HHBBH", 1, 0x0800, 60, 40, 1) + b"\0" * 20),
        "IP version 6 in IPv4": eth(gm, 0x0800, b"\x65" + good_ip[1:]),
        "IP header length 3": eth(gm, 0x0800, b"\x43" + good_ip[1:]),
        "IP header length 15 > packet": eth(gm, 0x0800, b"\x4f" + good_ip[1:20]),
        "IP total length 65535": eth(gm, 0x0800, good_ip[:2] + b"\xff\xff" + good_ip[4:]),
        "IP total length 5": eth(gm, 0x0800, good_ip[:2] + b"\x00\x05" + good_ip[4:]),
        "IP bad checksum": eth(gm, 0x0800, good_ip[:10] + b"\xde\xad" + good_ip[12:]),
        "IP truncated payload": eth(gm, 0x0800, good_ip[:24]),
        "ICMP truncated": eth(gm, 0x0800, ipv4(1, b"\x08")),
        "UDP length > packet": eth(gm, 0x0800, ipv4(17, struct.pack("!HHHH", 1, 7, 5000, 0) + b"abc")),
        "UDP length < 8": eth(gm, 0x0800, ipv4(17, struct.pack("!HHHH", 1, 7, 3, 0) + b"abc")),
        "TCP data offset 15": eth(gm, 0x0800, ipv4(6, tcp_syn(1, 7, 1)[:12] + b"\xf0" + tcp_syn(1, 7, 1)[13:])),
        "TCP data offset 1": eth(gm, 0x0800, ipv4(6, tcp_syn(1, 7, 1)[:12] + b"\x10" + tcp_syn(1, 7, 1)[13:])),
        "TCP truncated": eth(gm, 0x0800, ipv4(6, b"\x00\x01\x00")),
        "TCP bad options": eth(gm, 0x0800, ipv4(6, tcp_syn(1, 7, 1)[:12] + b"\x60" + tcp_syn(1, 7, 1)[13:] + b"\x02\x00\x01\x01")),
        "fragment offset overflow": eth(gm, 0x0800, ipv4(17, b"\0" * 16, flags_frag=0x1fff)),
        "first fragment only": eth(gm, 0x0800, ipv4(17, udp(1, 7, b"z" * 100), ident=77, flags_frag=0x2000)),
        "IP from the guest's own address": eth(gm, 0x0800, ipv4(1, icmp_echo(2, 2, b"y"), src=GUEST_IP)),
        "broadcast source MAC": eth(gm, 0x0800, good_ip, src=BCAST),
        "oversized frame (9000 bytes)": eth(gm, 0x0800, good_ip + b"\0" * 9000),
    }
    # Overlapping fragments of one datagram.
    payload = udp(5, 7, b"F" * 64)
    frames["overlapping fragments"] = [
        eth(gm, 0x0800, ipv4(17, payload[:48], ident=99, flags_frag=0x2000)),
        eth(gm, 0x0800, ipv4(17, payload[16:], ident=99, flags_frag=2)),
    ]
    return frames


def run_malformed(link):
    for name, f in malformed_frames(link.guest_mac).items():
        for one in (f if isinstance(f, list) else [f]):
            link.send(one)
    link.drain(0.5)
    result(True, "malformed: %d kinds of bad frame sent" % len(malformed_frames(link.guest_mac)))


def mutate(rng, f):
    f = bytearray(f)
    for _ in range(rng.randrange(1, 6)):
        op = rng.randrange(4)
        if op == 0 and f:
            i = rng.randrange(len(f))
            f[i] ^= 1 << rng.randrange(8)
        elif op == 1 and f:
            i = rng.randrange(len(f))
            f[i] = rng.randrange(256)
        elif op == 2:
            f = f[:rng.randrange(len(f) + 1)]
        else:
            f += bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
    # An empty datagram is end-of-connection to QEMU's socket netdev,
    # which then stops reading: keep at least one byte.
    return bytes(f) or b"\0"


def run_fuzz(link, seconds, count, seed):
    rng = random.Random(seed)
    gm = link.guest_mac
    seeds = [
        eth(BCAST, 0x0806, arp(1, HOST_MAC, HOST_IP, b"\0" * 6, GUEST_IP)),
        eth(gm, 0x0800, ipv4(1, icmp_echo(3, 3, b"p" * 40))),
        eth(gm, 0x0800, ipv4(17, udp(4000, 7, b"u" * 30))),
        eth(gm, 0x0800, ipv4(6, tcp_syn(5000, 7, 12345))),
        eth(gm, 0x0800, ipv4(17, udp(4001, 7, b"g" * 100), ident=5, flags_frag=0x2000)),
    ]
    ll = link_local(gm)
    seeds += [  # IPv6: echo, neighbour solicitation, UDP, a first fragment
        eth(gm, 0x86DD, ipv6(58, icmp6(128, 0, b"\0\1\0\1" + b"q" * 40, HOST_IP6, ll), dst=ll)),
        eth(b"\x33\x33\xff" + gm[3:], 0x86DD,
            ipv6(58, icmp6(135, 0, b"\0" * 4 + ll + b"\x01\x01" + HOST_MAC, HOST_IP6,
                           b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + ll[13:]),
                 dst=b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + ll[13:])),
        eth(gm, 0x86DD, ipv6(17, udp(4002, 7, b"v" * 30), dst=ll)),
        eth(gm, 0x86DD, ipv6(44, struct.pack("!BBHI", 17, 0, 1, 77) + udp(4003, 7, b"w" * 64),
                             dst=ll)),
    ]
    end = time.time() + seconds
    n = 0
    while n < count and time.time() < end:
        link.send(mutate(rng, rng.choice(seeds)))
        n += 1
        if n % 200 == 0:
            link.drain(0.02)  # let the guest keep up; answer its ARP
    link.drain(0.5)
    result(n > 0, "fuzz: %d mutated frames (seed %d)" % (n, seed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True, help="our UDP port (the guest sends here)")
    ap.add_argument("--guest-port", type=int, required=True, help="the guest's UDP port")
    ap.add_argument("--guest-mac", default="525400123456")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", default="")
    ap.add_argument("what", choices=["check", "malformed", "fuzz"])
    a = ap.parse_args()
    link = Link(a.port, a.guest_port, bytes.fromhex(a.guest_mac.replace(":", "")))
    label = a.label + (" " if a.label else "")
    if a.what == "malformed":
        run_malformed(link)
    elif a.what == "fuzz":
        run_fuzz(link, a.seconds, a.count, a.seed)
    check_alive(link, label + ("after " + a.what if a.what != "check" else "alive"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
