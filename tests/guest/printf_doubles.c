// cflags: -lm
// printf of doubles: %e %f %g %a with many magnitudes, precisions, flags, rounding ties,
// denormals, inf/nan with signs, -0.0.
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <string.h>

static const double specials[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0,
    0.125, 0.375, 2.5, 3.5, -2.5, 0.05, 0.15, 0.25, 0.35, 0.45, 1.005, 1.015, 1.025, 2.675,
    9.5, 99.5, 999.5, 9999.5, 0.95, 0.995, 0.9995, 9.9999999, 1e15, 1e16, 1e17,
    123456789.0, 1234567890123456789.0, 9007199254740993.0, 4503599627370497.5,
    DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, DBL_EPSILON, DBL_TRUE_MIN, -DBL_TRUE_MIN,
    2.2250738585072009e-308, 4.9406564584124654e-322, 1e-300, 1e300, 1e22, 1e23,
    5e-324, 1.7976931348623157e308, 3.14159265358979323846, 2.718281828459045,
    6.02214076e23, 6.62607015e-34, 299792458.0, 0.000001, 0.0000001, 123.456, -987.654321,
};

int main(void)
{
    volatile double zero = 0.0;
    double inf = 1.0 / zero;
    double nan_ = zero / zero;
    double extra[] = {inf, -inf, nan_, -nan_, copysign(NAN, -1.0), NAN};
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        double d = specials[i];
        printf("%zu: %.17g | %e | %f | %g | %a | %.0e | %.0f | %.3g | %+.10e | %#.0f | %#g | % .2f | %015.4f | %-15.3e|\n",
               i, d, d, d, d, d, d, d, d, d, d, d, d, d, d);
        printf("   %.1f %.2f %.3f %.20f %.25e %.30g %.3a %.0a %A %10.1a\n", d, d, d, d, d, d, d, d, d, d);
    }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        double d = extra[i];
        printf("x%zu: [%f] [%e] [%g] [%a] [%F] [%E] [%G] [%A] [%+f] [% f] [%10f] [%-10f|] [%010f] [%.3f]\n",
               i, d, d, d, d, d, d, d, d, d, d, d, d, d, d);
        printf("   signbit=%d isnan=%d isinf=%d\n", signbit(d) != 0, isnan(d) != 0, isinf(d) != 0);
    }
    /* powers of ten and two over the whole range */
    for (int e = -330; e <= 310; e += 7) {
        double d = pow(10.0, e);
        printf("1e%d: %.17e %g %a\n", e, d, d, d);
    }
    for (int e = -1075; e <= 1024; e += 23) {
        double d = ldexp(1.0, e);
        printf("2^%d: %.17g %a\n", e, d, d);
    }
    /* every precision 0..20 for a few values */
    const double pv[] = {M_PI, -M_E, 1e-5, 123456.789, 0.5};
    for (size_t k = 0; k < 5; k++)
        for (int p = 0; p <= 20; p += 1)
            printf("v%zu p%02d: %.*f %.*e %.*g\n", k, p, p, pv[k], p, pv[k], p, pv[k]);
    /* rounding of halfway cases at %.Nf */
    for (int i = 0; i < 40; i++) {
        double d = i + 0.5;
        double d2 = i / 8.0 + 1.0 / 16.0;
        printf("half %d: %.0f %.0e %.1f %.2f %.3f\n", i, d, d, d2, d2, d2);
    }
    /* checksum many values via %.17g */
    unsigned long h = 0;
    char buf[64];
    double x = 1.0;
    for (int i = 0; i < 3000; i++) {
        x = x * 1.37 + 0.001 * i;
        if (x > 1e200) x = x * 1e-250;
        int n = snprintf(buf, sizeof buf, "%.17g|%a", x, x);
        for (int j = 0; j < n; j++) h = h * 257 + (unsigned char)buf[j];
    }
    printf("hash=%016lx\n", h);
    return 0;
}
