/* riscv64's addition to lib/musl/syscall_arch.h.
 *
 * riscv64 Linux programs set tp with a move, no call; this kernel keeps
 * each thread's pointer itself, so musl asks it with a number Linux never
 * gives (arch/riscv64/include/arch/syscall_nr.h has the same). */
#define SYS_set_thread_area 511
