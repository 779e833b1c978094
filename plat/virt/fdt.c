/* The device tree QEMU passes is the machine's description: RAM, the
 * console, the interrupt controller, the timer's interrupt, the virtio-mmio
 * slots. A flattened tree is a stream of big-endian tokens; one walk picks
 * the few properties this kernel needs. */
#include <string.h>
#include <kernel/panic.h>

#include "virt.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define GIC_SPI_BASE 32
#define GIC_PPI_BASE 16

struct virt_machine virt = {.ncpus = 0};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

static int name_is(const char *node, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(node, prefix, n) && (node[n] == '@' || node[n] == 0);
}

/* The GIC's interrupt specifier: type (0 SPI, 1 PPI), number, flags. */
static unsigned intid(const uint8_t *v)
{
	return be32(v + 4) + (be32(v) == 1 ? GIC_PPI_BASE : GIC_SPI_BASE);
}

/* A slot's registers and interrupt, in whatever order its properties come. */
static void take_virtio(const char *node, const char *prop, const uint8_t *v, uint32_t len)
{
	static const char *current;

	if (node != current) {
		if (virt.nvirtio == 32)
			return;
		current = node;
		virt.nvirtio++;
	}
	int i = virt.nvirtio - 1;
	if (!strcmp(prop, "reg") && len >= 8)
		virt.virtio_base[i] = be64(v);
	else if (!strcmp(prop, "interrupts") && len >= 12)
		virt.virtio_irq[i] = intid(v);
}

/* One property of a node at depth 1 (every node we need sits there, the
 * CPUs at depth 2 under /cpus). Addresses and sizes are two cells each,
 * as QEMU writes them for virt. */
static void take(const char *node, int depth, const char *prop, const uint8_t *v, uint32_t len)
{
	if (depth == 2 && name_is(node, "cpu") && !strcmp(prop, "reg") && len >= 4) {
		if (virt.ncpus < VIRT_MAX_CPUS)
			virt.cpu_mpidr[virt.ncpus++] = len >= 8 ? be64(v) : be32(v);
		return;
	}
	if (depth != 1)
		return;
	if (name_is(node, "memory") && !strcmp(prop, "reg") && len >= 16 && !virt.mem_size) {
		virt.mem_base = be64(v);
		virt.mem_size = be64(v + 8);
	} else if (name_is(node, "psci") && !strcmp(prop, "method")) {
		virt.psci_smc = !strcmp((const char *)v, "smc");
	} else if (name_is(node, "chosen") && !strcmp(prop, "bootargs")) {
		virt.bootargs = (const char *)v;
	} else if (name_is(node, "pl011") && !strcmp(prop, "reg") && len >= 8) {
		virt.uart = be64(v);
	} else if (name_is(node, "pl011") && !strcmp(prop, "interrupts") && len >= 12) {
		virt.uart_irq = intid(v);
	} else if (name_is(node, "pl031") && !strcmp(prop, "reg") && len >= 8) {
		virt.rtc = be64(v);
	} else if (name_is(node, "intc") && !strcmp(prop, "compatible")) {
		virt.gic_version = strstr((const char *)v, "gic-v3") ? 3 : 2;
	} else if (name_is(node, "intc") && !strcmp(prop, "reg") && len >= 32) {
		virt.gicd = be64(v);
		virt.gicc_or_gicr = be64(v + 16);
	} else if (name_is(node, "timer") && !strcmp(prop, "interrupts") && len >= 36) {
		virt.timer_irq = intid(v + 24); /* secure, non-secure, virtual, hyp */
	} else if (name_is(node, "virtio_mmio")) {
		take_virtio(node, prop, v, len);
	}
}

void virt_fdt_parse(const void *fdt)
{
	const uint8_t *h = fdt;

	if (be32(h) != FDT_MAGIC)
		panic("no device tree at 0x%lx", (unsigned long)(uintptr_t)fdt);
	const uint8_t *p = h + be32(h + 8), *end = h + be32(h + 4);
	const char *strings = (const char *)h + be32(h + 12);
	const char *node[8] = {""};
	int depth = -1;

	while (p < end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			if (++depth < 8)
				node[depth] = name;
			p += (strlen(name) + 4) & ~3ul;
		} else if (tok == FDT_END_NODE) {
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			if (depth >= 0 && depth < 8)
				take(node[depth], depth, strings + nameoff, p + 8, len);
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			panic("device tree: bad token 0x%x", tok);
		}
	}
	if (!virt.mem_size)
		panic("device tree: no memory node");
	if (!virt.ncpus)
		virt.ncpus = 1;
}
