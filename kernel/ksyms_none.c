/* CONFIG_KSYMS off: no table in the image; backtraces show addresses only. */
#include <kernel/ksyms.h>

const char *ksyms_lookup(uintptr_t addr, uintptr_t *offset)
{
	(void)addr;
	(void)offset;
	return NULL;
}

uintptr_t ksyms_address(const char *name)
{
	(void)name;
	return 0;
}
