/* Symbol lookup over the table that tools/gen_ksyms.py embeds at link time:
 * addresses (as offsets from the lowest) sorted ascending, each with an
 * offset into one string blob, and the functions' sizes beside. */
#include <string.h>
#include <kernel/ksyms.h>

struct ksym {
	uint32_t addr; /* minus ksyms_base */
	uint32_t name;
};

extern const struct ksym ksyms_table[];
extern const uint64_t ksyms_count, ksyms_base;
extern const uint16_t ksyms_sizes[];
extern const char ksyms_names[];

const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset)
{
	size_t lo = 0, hi = ksyms_count;

	if (addr < ksyms_base || addr - ksyms_base > UINT32_MAX)
		return NULL;
	addr -= ksyms_base;
	while (lo < hi) { /* first entry with addr > target */
		size_t mid = (lo + hi) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym *s = &ksyms_table[lo - 1];
	uint16_t size = ksyms_sizes[lo - 1];
	if (size && addr >= s->addr + size)
		return NULL;
	*offset = addr - s->addr;
	return ksyms_names + s->name;
}

uintptr_t ksyms_address(const char *name)
{
	for (size_t i = 0; i < ksyms_count; i++)
		if (!strcmp(ksyms_names + ksyms_table[i].name, name))
			return ksyms_base + ksyms_table[i].addr;
	return 0;
}
