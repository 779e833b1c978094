/*
 * Start-up hooks. A module registers its init function with one line, in its
 * own file; the kernel runs them in level order, then by name, after the C
 * library is up and before main(). Nothing else needs to know the module.
 */
#ifndef KERNEL_INITCALL_H
#define KERNEL_INITCALL_H

struct initcall {
	int (*fn)(void);
	const char *name;
};

/* Levels: the digit sorts the linker section. */
#define INITCALL_ARCH 1
#define INITCALL_CORE 2
#define INITCALL_DRIVER 5
#define INITCALL_FS 6
#define INITCALL_NET 7
#define INITCALL_APP 9

#define __INITCALL(level, fn)                                                                      \
	static const struct initcall __initcall_##fn                                               \
	    __attribute__((used, section("ush_initcalls." #level), aligned(8))) = {fn, #fn}
#define INITCALL(level, fn) __INITCALL(level, fn)

/* Run every registered hook; a hook that fails is logged and the boot goes
 * on without that module. */
void initcalls_run(void);

/* Exit hooks: what a module must do before the power goes (write its
 * caches to the disk), registered the same way; kernel_exit() runs them
 * all, in no particular order. */
struct exitcall {
	void (*fn)(void);
	const char *name;
};

#define EXITCALL(fn)                                                                               \
	static const struct exitcall __exitcall_##fn                                               \
	    __attribute__((used, section("ush_exitcalls"), aligned(8))) = {fn, #fn}

void exitcalls_run(void);

#endif
