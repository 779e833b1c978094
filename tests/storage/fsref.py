#!/usr/bin/python3
"""Host side of the storage tests: what fs_test should report and write.

  fsref.py list DIR            the "file"/"dir" lines fs_test list prints for a
                               tree extracted on the host (paths from /)
  fsref.py content SEED SIZE   the bytes fs_test writes for a file (stdout)
  fsref.py fnv FILE            FNV-1a 64 of a file
"""
import os
import sys


def fnv1a(data, h=0xcbf29ce484222325):
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def content(seed, size):
    return bytes(((i * 31 + seed * 7 + (i >> 9)) & 0xFF) for i in range(size))


def listing(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = "/" + os.path.relpath(dirpath, root) if dirpath != root else ""
        for d in dirnames:
            out.append(f"dir {rel}/{d}")
        for f in filenames:
            with open(os.path.join(dirpath, f), "rb") as fh:
                data = fh.read()
            out.append(f"file {rel}/{f} {len(data)} {fnv1a(data):016x}")
    return sorted(out)


def main():
    cmd = sys.argv[1]
    if cmd == "list":
        print("\n".join(listing(sys.argv[2])))
    elif cmd == "content":
        sys.stdout.buffer.write(content(int(sys.argv[2]), int(sys.argv[3])))
    elif cmd == "fnv":
        with open(sys.argv[2], "rb") as fh:
            print(f"{fnv1a(fh.read()):016x}")


if __name__ == "__main__":
    main()
