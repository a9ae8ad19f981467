// x87 80-bit arithmetic: + - * / sqrt with 64-bit mantissa precision checks, conversions to
// and from int16/32/64, uint64, float, double (rounding and truncation), comparisons incl.
// NaN and denormals, series for e and pi, precision-control bits in the control word,
// and exactly-specified x87 instructions (fprem, fprem1, frndint, fscale, fxtract, fabs, fchs,
// fist/fisttp, fcomi/fucomi flags) via inline asm.
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <float.h>

static void show(const char *label, long double v)
{
    unsigned char b[16] = {0};
    memcpy(b, &v, 10);
    printf("%-24s %La  [%02x%02x %02x%02x%02x%02x%02x%02x%02x%02x]\n", label, v, b[9], b[8], b[7], b[6], b[5], b[4], b[3], b[2], b[1], b[0]);
}

static long double fprem_(long double a, long double b) { __asm__("1: fprem\n\tfnstsw %%ax\n\ttestb $4, %%ah\n\tjnz 1b" : "+t"(a) : "u"(b) : "ax", "cc"); return a; }
static long double fprem1_(long double a, long double b) { __asm__("1: fprem1\n\tfnstsw %%ax\n\ttestb $4, %%ah\n\tjnz 1b" : "+t"(a) : "u"(b) : "ax", "cc"); return a; }
static long double frndint_(long double a) { __asm__ volatile("frndint" : "+t"(a)); return a; }
static long double fscale_(long double a, long double e) { __asm__("fscale" : "+t"(a) : "u"(e)); return a; }
static long double fsqrt_(long double a) { __asm__ volatile("fsqrt" : "+t"(a)); return a; }
static void fxtract_(long double a, long double *sig, long double *ex)
{
    long double s, e;
    __asm__("fxtract" : "=t"(s), "=u"(e) : "0"(a));
    *sig = s;
    *ex = e;
}
static unsigned short get_cw(void) { unsigned short cw; __asm__ volatile("fnstcw %0" : "=m"(cw)); return cw; }
static void set_cw(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw) : "memory"); }
/* division done inside asm so it cannot be moved across a control-word change */
static long double fdiv_(long double a, long double b) { __asm__ volatile("fdiv %%st(1), %%st" : "+t"(a) : "u"(b)); return a; }

static int fcomi_flags(long double a, long double b)
{
    unsigned char cf, zf, pf;
    __asm__("fucomi %%st(1), %%st\n\tsetc %0\n\tsetz %1\n\tsetp %2" : "=q"(cf), "=q"(zf), "=q"(pf) : "t"(a), "u"(b) : "cc");
    return cf | zf << 1 | pf << 2;
}

int main(void)
{
    volatile long double one = 1.0L, three = 3.0L, ten = 10.0L, tiny = LDBL_MIN, half = 0.5L;
    show("1/3", one / three);
    show("2/3", (one + one) / three);
    show("1/3*3", one / three * three);
    show("1+eps", one + LDBL_EPSILON);
    show("1+eps/2", one + LDBL_EPSILON / 2);
    show("1+eps/2+eps/4", one + LDBL_EPSILON / 2 + LDBL_EPSILON / 4);
    show("1-eps/4", one - LDBL_EPSILON / 4);
    show("0.1", one / ten);
    show("0.1*10", one / ten * ten);
    show("sqrt(2)", fsqrt_(one + one));
    show("sqrt(3)^2", fsqrt_(three) * fsqrt_(three));
    show("max*2", LDBL_MAX * (one + one));
    show("min/3 (denormal)", tiny / three);
    show("true_min/2", LDBL_TRUE_MIN * half);
    show("true_min*0.75", LDBL_TRUE_MIN * (half + half / 2));
    show("-0", -(one - one));
    show("inf-inf", (LDBL_MAX * ten) - (LDBL_MAX * ten));
    /* precision: 2^64 boundary */
    long double p64 = 18446744073709551616.0L;
    show("2^64-1", p64 - one);
    show("2^64+1", p64 + one);
    show("2^63+1", p64 / 2 + one);
    /* conversions int <-> long double */
    const int64_t iv[] = {0, 1, -1, INT64_MAX, INT64_MIN, 0x123456789abcdefLL, -1000000000000000001LL, (1LL << 53) + 1};
    for (size_t i = 0; i < sizeof iv / 8; i++) {
        volatile int64_t x = iv[i];
        long double l = (long double)x;
        printf("int64 %lld -> %La -> back %lld | double %.17g float %.9g\n", (long long)x, l, (long long)l, (double)l, (double)(float)l);
    }
    const uint64_t uv[] = {0, 1, UINT64_MAX, 1ULL << 63, (1ULL << 63) + 1, 0xfedcba9876543210ULL};
    for (size_t i = 0; i < sizeof uv / 8; i++) {
        volatile uint64_t x = uv[i];
        long double l = (long double)x;
        printf("uint64 %llu -> %La -> back %llu\n", (unsigned long long)x, l, (unsigned long long)l);
    }
    const long double fv[] = {0.5L, 1.5L, 2.5L, -0.5L, -1.5L, -2.5L, 1e18L + 0.5L, 9.2233720368547758075e18L, -9.2233720368547758085e18L,
                              1.8446744073709551615e19L, 123.999999999L, -123.999999999L, 32767.5L, -32768.5L, 1e30L};
    for (size_t i = 0; i < sizeof fv / sizeof fv[0]; i++) {
        volatile long double x = fv[i];
        int16_t r16;
        int32_t r32;
        int64_t r64, t64;
        __asm__("fists %0" : "=m"(r16) : "t"(x));
        __asm__("fistl %0" : "=m"(r32) : "t"(x));
        __asm__("fistpll %0" : "=m"(r64) : "t"(x) : "st");
        __asm__("fisttpll %0" : "=m"(t64) : "t"(x) : "st");
        printf("fist %La: i16=%d i32=%d i64=%lld fisttp=%lld", x, r16, r32, (long long)r64, (long long)t64);
        if (x > -9.2e18L && x < 9.2e18L) printf(" (int64)=%lld", (long long)x);
        if (x >= 0 && x < 1.8e19L) printf(" (uint64)=%llu", (unsigned long long)x);
        printf(" (double)=%a (float)=%a\n", (double)x, (double)(float)x);
    }
    /* rounding control in the x87 control word */
    unsigned short cw0 = get_cw();
    printf("default cw=%04x\n", cw0);
    for (int rc = 0; rc < 4; rc++) {
        set_cw((unsigned short)((cw0 & ~0x0c00) | (rc << 10)));
        volatile long double a = 2.5L, b = -2.5L;
        long double q = fdiv_(one, three);
        int64_t ia, ib;
        __asm__("fistpll %0" : "=m"(ia) : "t"(a) : "st");
        __asm__("fistpll %0" : "=m"(ib) : "t"(b) : "st");
        long double r1 = frndint_(a), r2 = frndint_(b), nq = fdiv_(-one, three);
        set_cw(cw0);
        printf("rc=%d frndint(2.5)=%La frndint(-2.5)=%La fistp=%lld,%lld 1/3=%La -1/3=%La\n", rc, r1, r2, (long long)ia, (long long)ib, q, nq);
    }
    /* precision control: 24-bit and 53-bit */
    for (int pc = 0; pc < 4; pc++) {
        if (pc == 1) continue; /* reserved */
        set_cw((unsigned short)((cw0 & ~0x0300) | (pc << 8)));
        long double q = fdiv_(one, three);
        long double s = fsqrt_(one + one);
        set_cw(cw0);
        printf("pc=%d 1/3=%La sqrt2=%La\n", pc, q, s);
    }
    set_cw(cw0);
    /* exactly specified instructions */
    const long double pa[][2] = {{10.0L, 3.0L}, {-10.0L, 3.0L}, {1e20L, 7.0L}, {5.5L, 2.0L}, {7.5L, 2.0L}, {-7.5L, 2.0L}, {1e300L, 1.5L}, {0.3L, 0.1L}};
    for (size_t i = 0; i < sizeof pa / sizeof pa[0]; i++) {
        long double a = pa[i][0], b = pa[i][1];
        printf("fprem(%Lg,%Lg)=%La fprem1=%La\n", a, b, fprem_(a, b), fprem1_(a, b));
    }
    const long double sc[] = {0.0L, 1.0L, -1.0L, 3.7L, -3.7L, 100.0L, -16445.0L, 16384.0L};
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) printf("fscale(1.5, %Lg)=%La\n", sc[i], fscale_(1.5L, sc[i]));
    const long double xv[] = {1.0L, 3.0L, 0.1L, -1000.0L, 1e-4940L, LDBL_MAX};
    for (size_t i = 0; i < sizeof xv / sizeof xv[0]; i++) {
        long double s, e;
        fxtract_(xv[i], &s, &e);
        printf("fxtract(%Lg) = %La * 2^%Lg\n", xv[i], s, e);
    }
    /* comparisons */
    volatile long double nanv = (LDBL_MAX * ten) - (LDBL_MAX * ten);
    const long double cv[] = {1.0L, 2.0L, -0.0L, 0.0L, nanv, LDBL_TRUE_MIN};
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 6; j++) {
            long double a = cv[i], b = cv[j];
            printf("cmp %Lg %Lg: lt=%d le=%d eq=%d ne=%d gt=%d ge=%d fucomi(cf|zf|pf)=%d\n", a, b, a < b, a <= b, a == b, a != b, a > b, a >= b,
                   fcomi_flags(a, b));
        }
    /* series */
    long double e = 0, term = 1;
    for (int n = 1; n < 30; n++) { e += term; term /= n; }
    long double pi = 0;
    for (int k = 0; k < 60; k++) {
        long double p16 = 1;
        for (int j = 0; j < k; j++) p16 /= 16;
        pi += p16 * (4.0L / (8 * k + 1) - 2.0L / (8 * k + 4) - 1.0L / (8 * k + 5) - 1.0L / (8 * k + 6));
    }
    long double harm = 0;
    for (int n = 1; n <= 100000; n++) harm += 1.0L / n;
    printf("e=%.21Lg %La\npi=%.21Lg %La\nH(100000)=%.21Lg %La\n", e, e, pi, pi, harm, harm);
    /* mixed precision: double sums vs long double sums */
    double ds = 0;
    long double ls = 0;
    for (int i = 1; i <= 10000; i++) { ds += 1.0 / i / i; ls += 1.0L / i / i; }
    printf("basel double=%.17g long=%.21Lg diff=%La\n", ds, ls, ls - (long double)ds);
    return 0;
}
