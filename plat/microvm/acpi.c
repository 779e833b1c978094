/* What microvm's ACPI tables say about CPUs and interrupts: the MADT's
 * local APICs (x2APICs), I/O APICs and ISA interrupt source overrides.
 * QEMU builds the tables and the firmware puts them in the reserved area
 * below 1 MiB (the RSDP in 0xE0000..0xFFFFF, its address also in the PVH
 * start info). Read once at boot: a few table reads, no device access.
 * The tables are firmware input: checked (checksums, lengths), never
 * asserted on. With acpi=off there is no RSDP: one CPU, one I/O APIC at
 * the default address, no overrides. */
#include <stdint.h>
#include <string.h>
#include <arch/ioapic.h>
#include <arch/smp.h>
#include <arch/x86.h>
#include <kernel/log.h>

#include "microvm.h"

struct microvm_madt microvm_madt;

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision, creator_id, creator_revision;
} __attribute__((packed));

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_X2APIC 9
#define MADT_ENABLED 0x1

static int checksum_ok(const void *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

/* Tables are byte-packed: fields may sit at any alignment. */
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static const uint8_t *rsdp_find(uint64_t hint)
{
	if (hint && hint < 0x100000000ull && !memcmp((const void *)(uintptr_t)hint, "RSD PTR ", 8))
		return (const uint8_t *)(uintptr_t)hint;
	for (uintptr_t a = 0xe0000; a < 0x100000; a += 16)
		if (!memcmp((const void *)a, "RSD PTR ", 8) && checksum_ok((const void *)a, 20))
			return (const uint8_t *)a;
	return NULL;
}

static const struct sdt_header *table_at(uint64_t addr, const char *sig)
{
	if (!addr || addr >= 0x100000000ull)
		return NULL;
	const struct sdt_header *h = (const void *)(uintptr_t)addr;
	if (memcmp(h->signature, sig, 4) || h->length < sizeof(*h) || h->length > (1u << 20) ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* The MADT through the XSDT (ACPI 2.0+) or else the RSDT. */
static const struct sdt_header *madt_find(const uint8_t *rsdp)
{
	uint32_t rsdp_len = get32(rsdp + 20); /* ACPI 2.0+: 36 */
	int xsdt = rsdp[15] >= 2 && rsdp_len >= 36 && rsdp_len <= 64 && checksum_ok(rsdp, rsdp_len);
	const struct sdt_header *root =
	    xsdt ? table_at(get64(rsdp + 24), "XSDT") : table_at(get32(rsdp + 16), "RSDT");
	size_t entry = xsdt ? 8 : 4;

	if (!root)
		return NULL;
	const uint8_t *p = (const uint8_t *)(root + 1), *end = (const uint8_t *)root + root->length;
	for (; p + entry <= end; p += entry) {
		const struct sdt_header *t = table_at(xsdt ? get64(p) : get32(p), "APIC");
		if (t)
			return t;
	}
	return NULL;
}

static void add_cpu(uint32_t apic_id, uint32_t flags)
{
	struct microvm_madt *m = &microvm_madt;

	if (!(flags & MADT_ENABLED))
		return; /* a hot-plug slot without a CPU */
	if (m->ncpus == X86_MAX_CPUS) {
		log_warn("acpi: more than %d CPUs, using %d", X86_MAX_CPUS, X86_MAX_CPUS);
		return;
	}
	m->apic_id[m->ncpus++] = apic_id;
}

static void madt_entry(const uint8_t *e, unsigned len)
{
	struct microvm_madt *m = &microvm_madt;

	if (e[0] == MADT_LAPIC && len >= 8) {
		add_cpu(e[3], get32(e + 4));
	} else if (e[0] == MADT_X2APIC && len >= 16) {
		add_cpu(get32(e + 4), get32(e + 8));
	} else if (e[0] == MADT_IOAPIC && len >= 12 && m->nioapics < MICROVM_MAX_IOAPICS) {
		m->ioapic[m->nioapics].base = get32(e + 4);
		m->ioapic[m->nioapics].gsi_base = get32(e + 8);
		m->nioapics++;
	} else if (e[0] == MADT_OVERRIDE && len >= 10 && e[2] == 0 && e[3] < 16) {
		m->isa[e[3]].gsi = get32(e + 4);
		m->isa[e[3]].flags = (uint16_t)(e[8] | e[9] << 8);
		m->isa[e[3]].valid = 1;
	}
}

/* CPU 0 is the boot CPU; the others keep the MADT's order. */
static void boot_cpu_first(uint32_t boot_id)
{
	struct microvm_madt *m = &microvm_madt;
	unsigned i = 0;

	while (i < m->ncpus && m->apic_id[i] != boot_id)
		i++;
	if (i == m->ncpus) { /* not listed: trust the CPU */
		if (m->ncpus == X86_MAX_CPUS)
			m->ncpus--;
		i = m->ncpus++;
	}
	memmove(&m->apic_id[1], &m->apic_id[0], i * sizeof(m->apic_id[0]));
	m->apic_id[0] = boot_id;
}

void microvm_acpi_init(uint64_t rsdp_hint, uint32_t boot_apic_id)
{
	struct microvm_madt *m = &microvm_madt;
	const uint8_t *rsdp = rsdp_find(rsdp_hint);
	const struct sdt_header *madt = rsdp ? madt_find(rsdp) : NULL;

	if (madt) {
		m->found = 1;
		const uint8_t *p =
		    (const uint8_t *)madt + sizeof(*madt) + 8; /* LAPIC address, flags */
		const uint8_t *end = (const uint8_t *)madt + madt->length;
		while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
			madt_entry(p, p[1]);
			p += p[1];
		}
	}
	if (!m->nioapics) {
		m->ioapic[0].base = IOAPIC_DEFAULT_BASE;
		m->ioapic[0].gsi_base = 0;
		m->nioapics = 1;
	}
	boot_cpu_first(boot_apic_id);
	x86_smp_init(m->apic_id, m->ncpus);
	log_debug("acpi: %s, %u CPUs, %u I/O APICs", madt ? "MADT" : "no MADT", m->ncpus,
		  m->nioapics);
}
