#!/usr/bin/python3
"""Make a build's configuration from an example's defconfig.

usage: kconfig.py OUTDIR DEFCONFIG [SYMBOL=VALUE ...]

Writes OUTDIR/.config, OUTDIR/include/generated/autoconf.h and
OUTDIR/config.mk. The SYMBOL=VALUE pairs come from the make command line
(ARCH, MACHINE, LOG) and win over the defconfig. If OUTDIR/.config exists and
was made from the same inputs (recorded in OUTDIR/.config.inputs), it is kept,
so changes made with `make menuconfig` survive rebuilds.
"""
import os
import sys

import kconfiglib


def main():
    outdir, defconfig, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(os.path.join(outdir, "include", "generated"), exist_ok=True)
    config = os.path.join(outdir, ".config")
    inputs_file = config + ".inputs"
    with open(defconfig) as f:
        inputs = f.read() + "\n" + "\n".join(sets)
    old_inputs = None
    if os.path.exists(inputs_file):
        with open(inputs_file) as f:
            old_inputs = f.read()

    kconf = kconfiglib.Kconfig("Kconfig", warn_to_stderr=False)
    if os.path.exists(config) and old_inputs == inputs:
        kconf.load_config(config)
    else:
        kconf.load_config(defconfig)
        for item in sets:
            name, value = item.split("=", 1)
            sym = kconf.syms.get(name)
            if sym is None:
                sys.exit(f"kconfig: unknown option {name}")
            if not sym.set_value(value) or sym.str_value != value:
                sys.exit(f"kconfig: cannot set {name}={value} "
                         f"(dependencies not met; it is {sym.str_value or 'n'})")
    for w in kconf.warnings:
        if "set more than once" not in w:
            print("kconfig: " + w, file=sys.stderr)
    kconf.write_config(config, header="")
    kconf.write_autoconf(os.path.join(outdir, "include", "generated", "autoconf.h"))
    with open(os.path.join(outdir, "config.mk"), "w") as f:
        for sym in kconf.unique_defined_syms:
            if sym.config_string and sym.str_value not in ("n", ""):
                f.write(sym.config_string)
    with open(inputs_file, "w") as f:
        f.write(inputs)


if __name__ == "__main__":
    main()
