#include <kernel/initcall.h>
#include <kernel/log.h>

extern const struct initcall __start_ush_initcalls[], __stop_ush_initcalls[];

extern const struct exitcall __start_ush_exitcalls[], __stop_ush_exitcalls[];

void exitcalls_run(void)
{
	for (const struct exitcall *c = __start_ush_exitcalls; c < __stop_ush_exitcalls; c++)
		c->fn();
}

void initcalls_run(void)
{
	for (const struct initcall *c = __start_ush_initcalls; c < __stop_ush_initcalls; c++) {
		int err = c->fn();
		if (err)
			log_error("%s failed (%d); going on without it", c->name, err);
	}
}
