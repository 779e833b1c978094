/* In-kernel tests of the virt platform on aarch64: what the device tree
 * gave, the interrupt routing (../ktest_virt.c: the page map). */
#include <errno.h>
#include <kernel/ktest.h>
#include <platform.h>

#include "virt_aarch64.h"

static void no_handler(void *arg)
{
	(void)arg;
}

TEST(virt, device_tree_describes_the_machine)
{
	EXPECT(virt.mem_size >= (64ul << 20));
	EXPECT_EQ(virt.uart, 0x09000000ul);
	EXPECT(virt.uart_irq >= 32);
	EXPECT(virt.gic_version == 2 || virt.gic_version == 3);
	EXPECT_EQ(virt.timer_irq, 27u); /* PPI 11: the virtual timer */
	EXPECT(virt.ncpus >= 1 && virt.ncpus == plat_cpu_count());
	EXPECT(virt.nvirtio == 32);
	EXPECT_EQ(virt.virtio_base[0] & ~0xfffful, 0x0a000000ul);
}

TEST(virt, irq_attach_rejects_bad_lines)
{
	EXPECT_EQ(plat_irq_attach(virt.uart_irq, no_handler, NULL), -EINVAL);  /* the console's */
	EXPECT_EQ(plat_irq_attach(virt.timer_irq, no_handler, NULL), -EINVAL); /* a PPI */
	EXPECT_EQ(plat_irq_attach(1024, no_handler, NULL), -EINVAL);
}
