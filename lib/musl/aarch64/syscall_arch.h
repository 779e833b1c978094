/* aarch64's addition to lib/musl/syscall_arch.h.
 *
 * aarch64 Linux sets the thread pointer with msr, no call; this kernel keeps each thread's pointer
 * itself, so musl asks it with a number Linux never gives (arch/aarch64/include/arch/syscall_nr.h
 * has the same). */
#define SYS_set_thread_area 511
