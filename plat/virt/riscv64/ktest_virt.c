/* In-kernel tests of the virt platform on riscv64: what the device tree
 * gave, the interrupt routing, time (../ktest_virt.c: the page map). */
#include <errno.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <platform.h>

#include "virt_riscv64.h"

static void no_handler(void *arg)
{
	(void)arg;
}

TEST(virt, device_tree_describes_the_machine)
{
	EXPECT(virt.mem_size >= (64ul << 20));
	EXPECT_EQ(virt.mem_base, 0x80000000ul);
	EXPECT_EQ(virt.uart, 0x10000000ul);
	EXPECT_EQ(virt.uart_irq, 10u);
	EXPECT_EQ(virt.plic, 0x0c000000ul);
	EXPECT(virt.plic_ndev >= 32);
	EXPECT(virt.plic_context[0] >= 0);
	EXPECT_EQ(virt.finisher, 0x100000ul);
	EXPECT_EQ(virt.timebase_hz, 10000000ul);
	EXPECT(virt.ncpus >= 1 && virt.ncpus == plat_cpu_count());
	EXPECT(virt.nvirtio == 8);
	EXPECT_EQ(virt.virtio_base[virt.nvirtio - 1], 0x10001000ul); /* listed last */
	EXPECT_EQ(virt.virtio_irq[virt.nvirtio - 1], 1u);
	for (unsigned c = 0; c < virt.ncpus; c++)
		EXPECT(virt.plic_context[c] >= 0);
}

TEST(virt, the_device_tree_stays_out_of_the_heap)
{
	EXPECT(virt.fdt != NULL);
	EXPECT(virt.fdt_size > 0);
	EXPECT(arch_mmu_mapped((uintptr_t)virt.fdt));
	/* still a tree: the magic number is intact */
	EXPECT_EQ(*(const volatile uint32_t *)virt.fdt, 0xedfe0dd0u);
}

TEST(virt, irq_attach_rejects_bad_lines)
{
	EXPECT_EQ(plat_irq_attach(virt.uart_irq, no_handler, NULL), -EINVAL); /* the console's */
	EXPECT_EQ(plat_irq_attach(0, no_handler, NULL), -EINVAL);	      /* "no interrupt" */
	EXPECT_EQ(plat_irq_attach(1024, no_handler, NULL), -EINVAL);
}

TEST(virt, timer_and_ipis_arrive)
{
	uint64_t t0 = plat_time_ns();
	uint64_t c0 = plat_cycles();

	while (plat_time_ns() - t0 < 2000000)
		;
	EXPECT(plat_cycles() > c0);
	EXPECT_EQ(plat_cycles_hz(), virt.timebase_hz);
}
