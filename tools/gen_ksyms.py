#!/usr/bin/python3
"""Embed the image's function symbols as a table (see kernel/ksyms.c).

  nm -n --defined-only -S kernel.elf | gen_ksyms.py > ksyms.S
  gen_ksyms.py --empty > ksyms.S           (first link pass)
  gen_ksyms.py --check pass1.elf pass2.elf (no function moved)
"""
import subprocess
import sys

# Layout (kernel/ksyms.c): the count, the lowest address, then per symbol
# its address as an offset from that and its name's offset in the blob (8
# bytes), then the sizes (2 bytes each, 0 when unknown or too large), then
# the names. Compact because it ships in every image.
HEADER = """\t.section .ksyms, "a"
\t.balign 8
\t.globl ksyms_count, ksyms_base, ksyms_table, ksyms_sizes, ksyms_names
ksyms_count:
\t.quad {count}
ksyms_base:
\t.quad 0x{base:x}
ksyms_table:
"""


def functions(lines):
    seen = set()
    for line in lines:
        parts = line.split()
        if len(parts) == 4:
            addr, size, kind, name = parts
        elif len(parts) == 3:
            (addr, kind, name), size = parts, "0"
        else:
            continue
        if kind not in "tTwW" or name.startswith(".") or "$" in name:
            continue
        # One name per address: aliases (weak and strong names of one
        # function) would only take space.
        if addr in seen:
            continue
        seen.add(addr)
        yield int(addr, 16), int(size, 16), name


def emit(syms):
    base = syms[0][0] if syms else 0
    out = [HEADER.format(count=len(syms), base=base)]
    offset = 0
    for addr, size, name in syms:
        out.append(f"\t.long {addr - base}, {offset}\n")
        offset += len(name) + 1
    out.append("ksyms_sizes:\n")
    for _, size, _ in syms:
        out.append(f"\t.short {size if size < 65536 else 0}\n")
    out.append("ksyms_names:\n")
    for _, _, name in syms:
        out.append(f'\t.asciz "{name}"\n')
    out.append('\t.section .note.GNU-stack, "", @progbits\n')
    return "".join(out)


def text_symbols(elf):
    nm = subprocess.run(["nm", "-n", "--defined-only", elf], check=True,
                        capture_output=True, text=True).stdout
    return [l for l in nm.splitlines() if l.split()[1:2] and l.split()[1] in "tTwW"]


def main():
    if sys.argv[1:2] == ["--empty"]:
        sys.stdout.write(emit([]))
    elif sys.argv[1:2] == ["--check"]:
        if text_symbols(sys.argv[2]) != text_symbols(sys.argv[3]):
            sys.exit("gen_ksyms: functions moved between link passes; "
                     "the .ksyms section must come after all code")
    else:
        syms = sorted(functions(sys.stdin), key=lambda s: s[0])
        sys.stdout.write(emit(syms))


if __name__ == "__main__":
    main()
