// cflags: -frounding-math -lm
// fesetround in all four modes: rint/nearbyint/lrint/llrint, arithmetic (+ - * / sqrt) on
// float/double/long double, conversions, printf rounding, and exception flags via
// feclearexcept/fetestexcept/feraiseexcept, fegetenv/fesetenv/feholdexcept.
#include <stdio.h>
#include <fenv.h>
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <string.h>

static const int modes[4] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
static const char *mode_names[4] = {"nearest", "down", "up", "zero"};

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void show_flags(const char *what)
{
    int f = fetestexcept(FE_ALL_EXCEPT);
    printf("  %-26s flags:%s%s%s%s%s%s\n", what, f & FE_INEXACT ? " INEXACT" : "", f & FE_DIVBYZERO ? " DIVBYZERO" : "",
           f & FE_UNDERFLOW ? " UNDERFLOW" : "", f & FE_OVERFLOW ? " OVERFLOW" : "", f & FE_INVALID ? " INVALID" : "", f ? "" : " none");
}

int main(void)
{
    const double vals[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999999999996, 0.49999999999999994, 1e15 + 0.5, -7.7, 1e300, 4503599627370497.0};
    volatile double one = 1.0, three = 3.0, ten = 10.0, tiny = 1e-310, huge = 1e308, two = 2.0;
    volatile float fone = 1.0f, fthree = 3.0f;
    volatile long double lone = 1.0L, lthree = 3.0L;
    for (int m = 0; m < 4; m++) {
        if (fesetround(modes[m]) != 0) { printf("fesetround failed\n"); return 1; }
        printf("mode %s (fegetround ok=%d)\n", mode_names[m], fegetround() == modes[m]);
        for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            volatile double v = vals[i];
            printf("  v=%.17g rint=%.17g nearbyint=%.17g", v, rint(v), nearbyint(v));
            if (fabs(v) < 1e18) printf(" lrint=%ld llrint=%lld", lrint(v), llrint(v));
            printf(" rintf=%.9g rintl=%.21Lg\n", (double)rintf((float)v), rintl((long double)v));
        }
        double d1 = one / three, d2 = -one / three, d3 = ten / three, d4 = sqrt(two), d5 = one + 1e-17 * ten, d6 = huge * ten, d7 = tiny / three;
        printf("  double: 1/3=%016llx -1/3=%016llx 10/3=%016llx sqrt2=%016llx 1+1e-16=%016llx ovf=%016llx tiny/3=%016llx\n",
               (unsigned long long)dbits(d1), (unsigned long long)dbits(d2), (unsigned long long)dbits(d3), (unsigned long long)dbits(d4),
               (unsigned long long)dbits(d5), (unsigned long long)dbits(d6), (unsigned long long)dbits(d7));
        float f1 = fone / fthree, f2 = -fone / fthree, f3 = (float)(one / three);
        printf("  float: 1/3=%08x -1/3=%08x (float)(1/3.)=%08x sqrtf(2)=%08x\n", fbits(f1), fbits(f2), fbits(f3), fbits(sqrtf((float)two)));
        long double l1 = lone / lthree, l2 = -lone / lthree, l3 = sqrtl(lthree);
        printf("  long double: 1/3=%La -1/3=%La sqrt3=%La\n", l1, l2, l3);
        printf("  printf %%.2f: %.2f %.2f %.2f %.0f %.0f | %%.3e %.3e\n", 0.125, -0.125, 2.675, 0.5, 1.5, 1.0005);
        volatile int64_t big = 9007199254740993LL;
        volatile uint64_t ubig = 18446744073709551615ULL;
        printf("  int->double %.17g %.17g int->float %.9g\n", (double)big, (double)ubig, (double)(float)big);
    }
    fesetround(FE_TONEAREST);
    /* exception flags */
    feclearexcept(FE_ALL_EXCEPT);
    show_flags("after clear");
    volatile double r = one / three;
    show_flags("1/3");
    feclearexcept(FE_ALL_EXCEPT);
    r = one / (three - three);
    show_flags("1/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = (three - three) / (three - three);
    show_flags("0/0");
    feclearexcept(FE_ALL_EXCEPT);
    r = huge * huge;
    show_flags("huge*huge");
    feclearexcept(FE_ALL_EXCEPT);
    r = tiny * tiny;
    show_flags("tiny*tiny");
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(-one);
    show_flags("sqrt(-1)");
    feclearexcept(FE_ALL_EXCEPT);
    volatile long double lr = lone / (lthree - lthree);
    show_flags("x87 1/0");
    feclearexcept(FE_ALL_EXCEPT);
    lr = lone / lthree;
    show_flags("x87 1/3");
    feclearexcept(FE_ALL_EXCEPT);
    volatile long iv = lrint(huge);
    show_flags("lrint(1e308)");
    feclearexcept(FE_ALL_EXCEPT);
    r = log(three - three);
    show_flags("log(0)");
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    show_flags("raise OVERFLOW|INEXACT");
    fexcept_t saved;
    fegetexceptflag(&saved, FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_OVERFLOW);
    show_flags("restored OVERFLOW only");
    fenv_t env;
    feholdexcept(&env);
    show_flags("after feholdexcept");
    fesetround(FE_UPWARD);
    r = one / three;
    fesetenv(&env);
    printf("  round after fesetenv nearest=%d\n", fegetround() == FE_TONEAREST);
    show_flags("after fesetenv");
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(FE_DOWNWARD);
    feupdateenv(&env);
    printf("  round after feupdateenv nearest=%d\n", fegetround() == FE_TONEAREST);
    (void)r; (void)lr; (void)iv;
    return 0;
}
