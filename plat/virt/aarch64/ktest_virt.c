/* In-kernel tests of the virt platform: what the device tree gave, the
 * interrupt routing, the page map (W^X, NULL, guard pages). */
#include <errno.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <platform.h>

#include "virt.h"

extern char __image_start[], __text_end[];

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

TEST(virt, map_has_no_null_page_and_keeps_the_image)
{
	EXPECT_EQ(arch_mmu_mapped(0), 0);
	EXPECT_EQ(arch_mmu_mapped(0x1000), 0);
	EXPECT_EQ(arch_mmu_mapped(virt.uart), 1);
	EXPECT_EQ(arch_mmu_mapped((uintptr_t)__image_start), 1);
	EXPECT_EQ(arch_mmu_mapped((uintptr_t)__text_end - 1), 1);
}

TEST(virt, mem_protect_takes_a_page_away_and_back)
{
	static char page[4096] __attribute__((aligned(4096)));

	EXPECT_EQ(plat_mem_protect(page + 1, 4096, 0), -EINVAL);
	EXPECT_EQ(arch_mmu_mapped((uintptr_t)page), 1);
	EXPECT_EQ(plat_mem_protect(page, 4096, 0), 0);
	EXPECT_EQ(arch_mmu_mapped((uintptr_t)page), 0);
	EXPECT_EQ(plat_mem_protect(page, 4096, 1), 0);
	EXPECT_EQ(arch_mmu_mapped((uintptr_t)page), 1);
	page[0] = 1;
	EXPECT_EQ(page[0], 1);
}
