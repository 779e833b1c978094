/*
 * Unishyper replacement for musl's src/fenv/x86_64/fenv.s.
 *
 * musl's assembly keeps MXCSR in the red zone (-8(%rsp)).  In the kernel
 * an interrupt pushes its frame onto the current stack, right over the red
 * zone, so that value could be overwritten between stmxcsr and ldmxcsr.
 * This C version lets the compiler (built with -mno-red-zone) place the
 * temporaries in a proper stack frame.
 *
 * Exception flags live in two places: the SSE MXCSR (bits 0-5) and the
 * x87 status word (bits 0-5).  Tests report the union; clears fold the x87
 * flags into MXCSR first because fnclex can only clear all of them.  The
 * rounding mode is kept equal in both units; MXCSR holds it in bits 13-14,
 * three bits above the x87 control word's bits 10-11 used by FE_*.
 */
#include <fenv.h>
#include <features.h>

#define MXCSR_RC_SHIFT 3
#define MXCSR_RC_MASK (0xc00 << MXCSR_RC_SHIFT)
#define MXCSR_DEFAULT 0x1f80
#define X87_CW_DEFAULT 0x37f

static unsigned int mxcsr_get(void)
{
	unsigned int v;

	__asm__ __volatile__("stmxcsr %0" : "=m"(v));
	return v;
}

static void mxcsr_set(unsigned int v)
{
	__asm__ __volatile__("ldmxcsr %0" : : "m"(v));
}

static unsigned int x87_status(void)
{
	unsigned short sw;

	__asm__ __volatile__("fnstsw %0" : "=m"(sw));
	return sw;
}

int feclearexcept(int mask)
{
	unsigned int x87 = x87_status() & FE_ALL_EXCEPT;
	unsigned int mx = mxcsr_get();

	mask &= FE_ALL_EXCEPT;
	if (x87 & mask) {
		__asm__ __volatile__("fnclex");
		mx |= x87;
	}
	mxcsr_set(mx & ~(unsigned int)mask);
	return 0;
}

int feraiseexcept(int mask)
{
	mxcsr_set(mxcsr_get() | (mask & FE_ALL_EXCEPT));
	return 0;
}

int fetestexcept(int mask)
{
	return (mxcsr_get() | x87_status()) & mask & FE_ALL_EXCEPT;
}

int fegetround(void)
{
	return (mxcsr_get() & MXCSR_RC_MASK) >> MXCSR_RC_SHIFT;
}

hidden int __fesetround(int r)
{
	unsigned short cw;

	__asm__ __volatile__("fnstcw %0" : "=m"(cw));
	cw = (cw & ~0xc00) | r;
	__asm__ __volatile__("fldcw %0" : : "m"(cw));
	mxcsr_set((mxcsr_get() & ~MXCSR_RC_MASK) | (r << MXCSR_RC_SHIFT));
	return 0;
}

int fegetenv(fenv_t *env)
{
	/* fnstenv masks every x87 exception; reload the saved control word. */
	__asm__ __volatile__("fnstenv %0\n\tfldcw %0" : "=m"(*env));
	env->__mxcsr = mxcsr_get();
	return 0;
}

int fesetenv(const fenv_t *env)
{
	fenv_t dfl = {
	    .__control_word = X87_CW_DEFAULT,
	    .__tags = 0xffff,
	    .__mxcsr = MXCSR_DEFAULT,
	};

	if (env == FE_DFL_ENV)
		env = &dfl;
	__asm__ __volatile__("fldenv %0" : : "m"(*env));
	mxcsr_set(env->__mxcsr);
	return 0;
}
