/* TSC frequency. Under KVM, kvmclock states it exactly; CPUID leaves 0x15
 * and 0x16 may state it; otherwise count TSC ticks across a known number of
 * PIT ticks (slow, but only emulated machines without the above get here). */
#include <stdint.h>
#include <arch/cpu.h>
#include <arch/x86.h>

#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u
#define PIT_HZ 1193182u

struct pvclock_time_info {
	uint32_t version, pad0;
	uint64_t tsc_timestamp, system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags, pad[2];
} __attribute__((packed));

static struct pvclock_time_info kvmclock __attribute__((aligned(64)));

static uint64_t tsc_from_kvmclock(void)
{
	arch_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uint64_t)(uintptr_t)&kvmclock | 1);
	uint32_t mul = __atomic_load_n(&kvmclock.tsc_to_system_mul, __ATOMIC_ACQUIRE);
	int8_t shift = kvmclock.tsc_shift;
	/* ns = (tsc << shift) * mul >> 32, so hz = 1e9 * 2^32 / mul scaled
	 * back by the shift. The structure stays registered: turning it off
	 * would cost one more VM exit at boot. */
	if (!mul)
		return 0;
	uint64_t hz = (uint64_t)(((unsigned __int128)1000000000u << 32) / mul);
	return shift >= 0 ? hz >> shift : hz << -shift;
}

static uint64_t tsc_from_cpuid(void)
{
	uint32_t r[4];

	if (x86_cpu.max_leaf >= 0x15) {
		arch_cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (uint64_t)r[2] * r[1] / r[0];
	}
	if (x86_cpu.max_leaf >= 0x16) {
		arch_cpuid(0x16, 0, r);
		if (r[0])
			return (uint64_t)r[0] * 1000000;
	}
	return 0;
}

static uint16_t pit_read(void)
{
	arch_outb(0x43, 0x00); /* latch channel 0 */
	uint8_t lo = arch_inb(0x40);
	return lo | (uint16_t)arch_inb(0x40) << 8;
}

/* Channel 0 counts down from 0xffff at PIT_HZ; sum the decrements across
 * 1 ms (0.1% resolution) and compare with the TSC. */
static uint64_t tsc_from_pit_once(void)
{
	const uint32_t target = PIT_HZ / 1000;
	uint32_t elapsed = 0;

	arch_outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
	arch_outb(0x40, 0xff);
	arch_outb(0x40, 0xff);
	uint16_t prev = pit_read();
	uint64_t t0 = arch_rdtsc();
	while (elapsed < target) {
		uint16_t now = pit_read();
		elapsed += (uint16_t)(prev - now);
		prev = now;
	}
	uint64_t t1 = arch_rdtsc();
	return (t1 - t0) * PIT_HZ / elapsed;
}

/* The median of three: an emulator's CPU thread that the host stops for
 * longer than one PIT period (55 ms) hides a wrap of the counter and
 * spoils that one measurement, not the result. */
static uint64_t tsc_from_pit(void)
{
	uint64_t a = tsc_from_pit_once(), b = tsc_from_pit_once(), c = tsc_from_pit_once();

	if ((a <= b && b <= c) || (c <= b && b <= a))
		return b;
	if ((b <= a && a <= c) || (c <= a && a <= b))
		return a;
	return c;
}

uint64_t x86_tsc_hz;

void x86_delay_us(uint64_t us)
{
	uint64_t t0 = arch_rdtsc(), span = x86_tsc_hz / 1000000 * us;

	while (arch_rdtsc() - t0 < span)
		arch_cpu_relax();
}

uint64_t x86_tsc_calibrate(void)
{
	uint64_t hz = 0;

	if (x86_cpu.kvmclock)
		hz = tsc_from_kvmclock();
	if (!hz)
		hz = tsc_from_cpuid();
	if (!hz)
		hz = tsc_from_pit();
	x86_tsc_hz = hz;
	return hz;
}
