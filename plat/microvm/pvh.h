/* The PVH boot protocol's start-of-day structure (Xen's hvm_start_info), as
 * QEMU fills it for a kernel with a PHYS32_ENTRY note. */
#ifndef PLAT_MICROVM_PVH_H
#define PLAT_MICROVM_PVH_H

#include <stdint.h>

#define PVH_START_MAGIC 0x336ec578u

struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr; /* version 1 and later */
	uint32_t memmap_entries, reserved;
};

struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define PVH_MEMMAP_RAM 1

#endif
