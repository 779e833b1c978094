/* In-kernel tests of the virt platform on both instruction sets: the page
 * map (NULL unmapped, the image and the devices mapped, guard pages). */
#include <errno.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <platform.h>

#include "virt.h"

extern char __image_start[], __text_end[];

TEST(virt, map_has_no_null_page_and_keeps_the_image)
{
	EXPECT_EQ(arch_mmu_mapped(0), 0);
	EXPECT_EQ(arch_mmu_mapped(0x1000), 0);
	EXPECT_EQ(arch_mmu_mapped(virt.uart), 1);
	if (virt.finisher) /* riscv64: QEMU's test device, just above NULL's pages */
		EXPECT_EQ(arch_mmu_mapped(virt.finisher), 1);
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
