/* The device tree QEMU passes is the machine's description: RAM, the
 * CPUs, the console, the interrupt controller, the timer, the virtio-mmio
 * slots. A flattened tree is a stream of big-endian tokens; one walk picks
 * the few properties this kernel needs. The same walk reads aarch64's tree
 * (devices at the root, GIC interrupt specifiers of three cells) and
 * riscv64's (devices under /soc, PLIC interrupts of one cell). */
#include <stddef.h>
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
#define MAX_DEPTH 8
#define RISCV_IRQ_S_EXT 9 /* the supervisor external interrupt */

struct virt_machine virt = {.ncpus = 0};

#if defined(__riscv)
/* The PLIC's interrupts-extended, read once every CPU's phandle is known. */
static const uint8_t *plic_contexts;
static uint32_t plic_contexts_len;
#endif

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

/* An interrupt specifier: the GIC's three cells (type 0 SPI or 1 PPI,
 * number, flags) as an INTID, or the PLIC's one cell, its source number. */
static unsigned irq_of(const uint8_t *v, uint32_t len)
{
	if (len >= 12)
		return be32(v + 4) + (be32(v) == 1 ? GIC_PPI_BASE : GIC_SPI_BASE);
	return len >= 4 ? be32(v) : 0;
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
	else if (!strcmp(prop, "interrupts") && len >= 4)
		virt.virtio_irq[i] = irq_of(v, len);
}

/* Properties of /cpus/cpu@N (index @cpu) and of its interrupt controller. */
static void take_cpu(int cpu, const char *node, const char *prop, const uint8_t *v, uint32_t len)
{
	if (cpu < 0 || cpu >= VIRT_MAX_CPUS)
		return;
	if (name_is(node, "cpu") && !strcmp(prop, "reg") && len >= 4)
		virt.cpu_id[cpu] = len >= 8 ? be64(v) : be32(v);
#if defined(__riscv)
	else if (name_is(node, "cpu") && !strcmp(prop, "riscv,isa") && cpu == 0)
		virt.sstc = strstr((const char *)v, "_sstc") != NULL;
	else if (name_is(node, "interrupt-controller") && !strcmp(prop, "phandle") && len >= 4)
		virt.cpu_intc_phandle[cpu] = be32(v);
#endif
}

/* What to take from a device's node: a property of a node named NODE
 * (NODE@address or just NODE) into a field of struct virt_machine. */
enum take_kind {
	REG,	  /* the first address of "reg" (two cells) */
	MEM,	  /* "reg": base and size, the first range only */
	GIC_REGS, /* "reg": the distributor's base, then the CPU interface's */
	IRQ,	  /* "interrupts": GIC INTID or PLIC source */
	U32,	  /* one cell */
	STR,	  /* a pointer to the string */
	IS_SMC,	  /* "smc" or not */
	GIC_VER,  /* 3 if the string names a GICv3, else 2 */
	VTIMER,	  /* the virtual timer's of four GIC interrupts */
	PLIC_CTX, /* interrupts-extended: kept for find_plic_contexts() */
};

#define AT(field) offsetof(struct virt_machine, field)

static const struct take {
	const char *node, *prop;
	unsigned short field;
	unsigned char kind;
} takes[] = {
    {"memory", "reg", AT(mem_base), MEM},
    {"chosen", "bootargs", AT(bootargs), STR},
#if defined(__aarch64__)
    {"pl011", "reg", AT(uart), REG},
    {"pl011", "interrupts", AT(uart_irq), IRQ},
    {"pl031", "reg", AT(rtc), REG},
    {"psci", "method", AT(psci_smc), IS_SMC},
    {"intc", "compatible", AT(gic_version), GIC_VER},
    {"intc", "reg", AT(gicd), GIC_REGS},
    {"timer", "interrupts", AT(timer_irq), VTIMER},
#else
    {"serial", "reg", AT(uart), REG},
    {"serial", "interrupts", AT(uart_irq), IRQ},
    {"rtc", "reg", AT(rtc), REG},
    {"plic", "reg", AT(plic), REG},
    {"plic", "riscv,ndev", AT(plic_ndev), U32},
    {"plic", "interrupts-extended", 0, PLIC_CTX},
    {"test", "reg", AT(finisher), REG},
#endif
};

/* One property of a device: a node at the root (aarch64) or under /soc
 * (riscv64). Addresses and sizes are two cells each, as QEMU writes them
 * for virt. */
static void take_device(const char *node, const char *prop, const uint8_t *v, uint32_t len)
{
	if (name_is(node, "virtio_mmio")) {
		take_virtio(node, prop, v, len);
		return;
	}
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
		const struct take *t = &takes[i];
		if (!name_is(node, t->node) || strcmp(prop, t->prop))
			continue;
		char *f = (char *)&virt + t->field;
		switch (t->kind) {
		case REG:
			if (len >= 8)
				*(uintptr_t *)f = be64(v);
			break;
		case MEM: /* the size follows the base in struct virt_machine */
			if (len >= 16 && !((uint64_t *)f)[1]) {
				((uint64_t *)f)[0] = be64(v);
				((uint64_t *)f)[1] = be64(v + 8);
			}
			break;
		case GIC_REGS: /* gicc_or_gicr follows gicd */
			if (len >= 32) {
				((uintptr_t *)f)[0] = be64(v);
				((uintptr_t *)f)[1] = be64(v + 16);
			}
			break;
		case IRQ:
			*(unsigned *)f = irq_of(v, len);
			break;
		case U32:
			if (len >= 4)
				*(unsigned *)f = be32(v);
			break;
		case STR:
			*(const char **)f = (const char *)v;
			break;
		case IS_SMC:
			*(int *)f = !strcmp((const char *)v, "smc");
			break;
		case GIC_VER:
			*(int *)f = strstr((const char *)v, "gic-v3") ? 3 : 2;
			break;
		case VTIMER: /* secure, non-secure, virtual, hyp */
			if (len >= 36)
				*(unsigned *)f = irq_of(v + 24, 12);
			break;
#if defined(__riscv)
		case PLIC_CTX:
			plic_contexts = v;
			plic_contexts_len = len;
			break;
#endif
		}
		return;
	}
}

#if defined(__riscv)
/* Context i of the PLIC is the i-th (phandle, interrupt) pair of its
 * interrupts-extended: the CPU whose controller has that phandle, for
 * that interrupt (machine or supervisor external). */
static void find_plic_contexts(void)
{
	for (unsigned c = 0; c < VIRT_MAX_CPUS; c++)
		virt.plic_context[c] = -1;
	for (uint32_t off = 0; off + 8 <= plic_contexts_len; off += 8) {
		uint32_t phandle = be32(plic_contexts + off), irq = be32(plic_contexts + off + 4);
		for (unsigned c = 0; c < virt.ncpus; c++)
			if (irq == RISCV_IRQ_S_EXT && virt.cpu_intc_phandle[c] == phandle)
				virt.plic_context[c] = (int)(off / 8);
	}
}

/* The boot CPU becomes CPU 0 (riscv64's firmware may boot any hart). */
static void boot_cpu_first(int64_t boot_id)
{
	for (unsigned c = 1; boot_id >= 0 && c < virt.ncpus; c++) {
		if (virt.cpu_id[c] != (uint64_t)boot_id)
			continue;
		uint64_t id = virt.cpu_id[0];
		uint32_t ph = virt.cpu_intc_phandle[0];
		virt.cpu_id[0] = virt.cpu_id[c];
		virt.cpu_intc_phandle[0] = virt.cpu_intc_phandle[c];
		virt.cpu_id[c] = id;
		virt.cpu_intc_phandle[c] = ph;
		return;
	}
}
#endif

void virt_fdt_parse(const void *fdt, int64_t boot_id)
{
	const uint8_t *h = fdt;

	if (be32(h) != FDT_MAGIC)
		panic("no device tree at 0x%lx", (unsigned long)(uintptr_t)fdt);
	virt.fdt = fdt;
	virt.fdt_size = be32(h + 4);
	const uint8_t *p = h + be32(h + 8), *end = h + virt.fdt_size;
	const char *strings = (const char *)h + be32(h + 12);
	const char *node[MAX_DEPTH] = {""};
	int depth = -1, cpu = -1;

	while (p < end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			if (++depth < MAX_DEPTH)
				node[depth] = name;
			if (depth == 2 && name_is(node[1], "cpus") && name_is(name, "cpu"))
				cpu = (int)virt.ncpus++;
			p += (strlen(name) + 4) & ~3ul;
		} else if (tok == FDT_END_NODE) {
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const char *prop = strings + nameoff;
			const uint8_t *v = p + 8;
			if (depth == 1)
				take_device(node[1], prop, v, len);
			else if (depth == 2 && name_is(node[1], "soc"))
				take_device(node[2], prop, v, len);
#if defined(__riscv)
			if (depth == 1 && name_is(node[1], "cpus") &&
			    !strcmp(prop, "timebase-frequency") && len >= 4)
				virt.timebase_hz = be32(v);
#endif
			if ((depth == 2 || depth == 3) && name_is(node[1], "cpus"))
				take_cpu(cpu, node[depth], prop, v, len);
			p += 8 + ((len + 3) & ~3u);
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			panic("device tree: bad token 0x%x", tok);
		}
	}
	if (!virt.mem_size)
		panic("device tree: no memory node");
	if (virt.ncpus > VIRT_MAX_CPUS)
		virt.ncpus = VIRT_MAX_CPUS;
	if (!virt.ncpus)
		virt.ncpus = 1;
#if defined(__riscv)
	boot_cpu_first(boot_id);
	find_plic_contexts();
#else
	(void)boot_id; /* aarch64: QEMU starts the first CPU of the tree */
#endif
}
