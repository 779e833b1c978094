/* include/kernel/zone.h without CONFIG_ZONE: the calls work, nothing is
 * isolated; every thread is in the shared zone. */
#include <errno.h>
#include <string.h>
#include <kernel/mm.h>
#include <kernel/zone.h>

int zone_create(const char *name)
{
	return name && name[0] ? ZONE_SHARED : -EINVAL;
}

void *zone_alloc(int zone, size_t size)
{
	if (zone != ZONE_SHARED && (zone <= 0 || zone >= ZONE_SHARED))
		return NULL;
	void *p = mm_shared_alloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

int zone_self(void)
{
	return ZONE_SHARED;
}

bool zone_available(void)
{
	return false;
}

int pthread_attr_setzone_np(pthread_attr_t *attr, int zone)
{
	(void)attr;
	return zone > 0 && zone < ZONE_MAX ? 0 : EINVAL;
}

int pthread_attr_getzone_np(const pthread_attr_t *attr, int *zone)
{
	(void)attr;
	*zone = 0;
	return 0;
}

int zone_snapshot(struct zone_info *out, int max)
{
	(void)out;
	(void)max;
	return 0;
}

const char *zone_name(int id)
{
	return id == ZONE_SHARED ? "shared" : id == ZONE_KERNEL ? "kernel" : "?";
}

uint64_t zone_gate_pair_cycles(void)
{
	return 0;
}
