/* CPU feature detection and enabling on x86_64. */
#include <string.h>
#include <arch/cpu.h>
#include <arch/x86.h>
#include <kernel/compiler.h>

struct x86_features x86_cpu;

void x86_cpu_detect(void)
{
	uint32_t r[4];

	arch_cpuid(0, 0, r);
	x86_cpu.max_leaf = r[0];
	arch_cpuid(1, 0, r);
	x86_cpu.apic_id = r[1] >> 24;
	x86_cpu.x2apic = r[2] >> 21 & 1;
	x86_cpu.tsc_deadline = r[2] >> 24 & 1;
	x86_cpu.rdrand = r[2] >> 30 & 1;
	x86_cpu.hypervisor = r[2] >> 31 & 1;
	if (x86_cpu.max_leaf >= 7) {
		arch_cpuid(7, 0, r);
		x86_cpu.fsgsbase = r[1] & 1;
		x86_cpu.pku = r[2] >> 3 & 1;
	}
	if (x86_cpu.hypervisor) {
		arch_cpuid(0x40000000, 0, r);
		x86_cpu.max_hv_leaf = r[0];
		x86_cpu.kvm =
		    r[1] == 0x4b4d564b && r[2] == 0x564b4d56 && r[3] == 0x4d; /* KVMKVMKVM */
		if (x86_cpu.kvm && x86_cpu.max_hv_leaf >= 0x40000001) {
			arch_cpuid(0x40000001, 0, r);
			x86_cpu.kvmclock = r[0] >> 3 & 1; /* KVM_FEATURE_CLOCKSOURCE2 */
		}
	}
}

void x86_cpu_enable(void)
{
	uint64_t cr4;

	if (IS_ENABLED(CONFIG_ZONE) && x86_cpu.pku)
		x86_pku_enable(); /* PKRU is 0 until a zone is entered */
	if (!x86_cpu.fsgsbase)
		return;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ul << 16; /* CR4.FSGSBASE */
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
}

void x86_pku_enable(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 1ul << 22; /* CR4.PKE */
	__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
}
