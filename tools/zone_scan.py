#!/usr/bin/env python3
"""Gate integrity of an image built with zones (CONFIG_ZONE).

  tools/zone_scan.py KERNEL_ELF [APP_OBJECT_OR_ARCHIVE...]

1. Every WRPKRU (0F 01 EF) in the image's executable bytes, at any offset
   (also inside other instructions), must be followed by one of the two
   checks of arch/x86_64/include/arch/pkru.h; there must be no XRSTOR or
   XRSTORS at all (they can load PKRU too). Otherwise an application could
   switch its own rights.
2. With application objects given: every kernel function they call must
   begin with a gate (KERNEL_ENTRY: its code reads PKRU) or be one that
   only reads kernel memory (READ_ONLY below).

Exit status 1 with one line per problem; 0 and a summary otherwise.
"""
import struct
import subprocess
import sys

WRPKRU = b"\x0f\x01\xef"
RDPKRU = b"\x0f\x01\xee"
# What follows WRPKRU in the two gates (see pkru.h).
ENTER_CHECK = bytes.fromhex("85c074020f0b")
LEAVE_CHECK = bytes.fromhex("65488b0c2500000000488b49183b411074020f0b")

# Kernel functions an application may call without a gate: they write no
# kernel memory.
READ_ONLY = {
    "zone_self", "zone_available", "zone_name", "pthread_attr_setzone_np",
    "pthread_attr_getzone_np", "pthread_attr_setrestart_np", "pthread_attr_getrestart_np",
    "fault_count", "thread_self", "plat_cycles_hz", "plat_cycles", "plat_time_ns",
    "watchdog_budget_ms", "mm_kernel_heap", "mm_shared_heap", "mm_current_heap", "sched_cpu_count", "thread_state_name",
    "__synccall", "__syscall_cp_asm", "__cp_begin", "__cp_end", "__cp_cancel",
    "__init_array_start", "__init_array_end", "__fini_array_start", "__fini_array_end",
    "_DYNAMIC", "__muldc3", "__mulsc3", "__mulxc3",
}


def segments(data):
    """(vaddr, bytes) of each executable PT_LOAD segment."""
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, p_flags, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:
            yield p_vaddr, data[p_offset:p_offset + p_filesz]


def xrstor_at(code, i):
    """XRSTOR (0F AE /5) or XRSTORS (0F C7 /3), memory forms, at @i."""
    if code[i] != 0x0F or i + 2 >= len(code):
        return False
    op, modrm = code[i + 1], code[i + 2]
    reg, mod = modrm >> 3 & 7, modrm >> 6
    return mod != 3 and ((op == 0xAE and reg == 5) or (op == 0xC7 and reg == 3))


def functions(elf):
    """name -> (address, size) of the image's functions."""
    out = subprocess.run(["nm", "-S", "--defined-only", elf], capture_output=True,
                         text=True, check=True).stdout
    funcs = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in "tTwW":
            funcs[f[3]] = (int(f[0], 16), int(f[1], 16))
    return funcs


def undefined(objs):
    out = subprocess.run(["nm", "-u"] + objs, capture_output=True, text=True).stdout
    return {f.split()[-1] for f in out.splitlines() if f.strip() and ":" not in f}


def defined_in(objs):
    out = subprocess.run(["nm", "--defined-only"] + objs, capture_output=True, text=True).stdout
    return {f.split()[-1] for f in out.splitlines() if len(f.split()) == 3}


def main():
    elf, objs = sys.argv[1], sys.argv[2:]
    data = open(elf, "rb").read()
    problems, gates = [], 0
    for vaddr, code in segments(data):
        for i in range(len(code) - 2):
            if code[i:i + 3] == WRPKRU:
                tail = code[i + 3:i + 3 + len(LEAVE_CHECK)]
                if tail.startswith(ENTER_CHECK) or tail == LEAVE_CHECK:
                    gates += 1
                else:
                    problems.append("WRPKRU outside a gate at 0x%x" % (vaddr + i))
            elif xrstor_at(code, i):
                problems.append("XRSTOR encoding at 0x%x" % (vaddr + i))
    entries = 0
    if objs:
        funcs = functions(elf)
        app_defined = defined_in(objs)
        text = {vaddr: code for vaddr, code in segments(data)}
        for name in sorted(undefined(objs) - app_defined):
            if name not in funcs or name in READ_ONLY:
                continue
            addr, size = funcs[name]
            body = b""
            for vaddr, code in text.items():
                if vaddr <= addr < vaddr + len(code):
                    body = code[addr - vaddr:addr - vaddr + max(size, 16)]
            if RDPKRU not in body:
                problems.append("%s is called by the application without a gate" % name)
            entries += 1
    for p in problems:
        print("zone_scan: %s: %s" % (elf, p))
    if problems:
        return 1
    print("zone_scan: %d gates, %d kernel entry points checked" % (gates, entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
