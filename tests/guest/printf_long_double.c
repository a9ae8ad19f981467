// cflags: -lm
// long double (x87 80-bit) formatting and parsing: %Lf %Le %Lg %La, strtold,
// pseudo-denormals excluded; denormals, extremes, inf/nan, -0.
#include <stdio.h>
#include <stdlib.h>
#include <float.h>
#include <math.h>
#include <string.h>

int main(void)
{
    volatile long double zero = 0.0L;
    const long double vals[] = {
        0.0L, -0.0L, 1.0L, -1.0L, 0.1L, 1.0L / 3.0L, 2.0L / 3.0L, 0.5L, 2.5L, 1e-5L,
        3.14159265358979323846264338327950288L, 2.71828182845904523536028747135266250L,
        LDBL_MAX, -LDBL_MAX, LDBL_MIN, LDBL_EPSILON, LDBL_TRUE_MIN, LDBL_MIN / 3.0L,
        1e4000L, 1e-4000L, 1e300L, 1e-300L, 18446744073709551615.0L, 9223372036854775807.0L,
        -9223372036854775808.0L, 12345678901234567890.5L, 0.1L + 0.2L, 1.0L + LDBL_EPSILON,
        1.0L - LDBL_EPSILON / 2, 65504.0L, 1e18L, 1e19L, 1e20L, 123.456L, -987654.321L,
        1.0L / zero, -1.0L / zero, zero / zero,
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        long double v = vals[i];
        printf("%2zu: %.21Lg | %Le | %Lf | %La | %.30Le | %.5La | %LA\n", i, v, v, v, v, v, v, v);
        printf("    [%30.10Lf] [%-30.4Le] [%+.0Lf] [%#.0Le] [%.3Lg] [%025.3Lf]\n", v, v, v, v, v, v);
        printf("    as double %.17g float %.9g signbit %d\n", (double)v, (double)(float)v, signbit(v) != 0);
    }
    for (int e = -4950; e <= 4932; e += 137) {
        long double v = powl(10.0L, (long double)e);
        printf("10^%d ~ %.20Le %La\n", e, v, v);
    }
    for (int e = -16445; e <= 16383; e += 511) {
        long double v = ldexpl(1.0L, e);
        printf("2^%d = %.25Lg %La\n", e, v, v);
    }
    const char *strs[] = {
        "0.1", "1e4932", "1.18973149535723176502e+4932", "1.18973149535723176508e+4932", "1e4933",
        "3.6451995318824746025e-4951", "1.8225997659412373e-4951", "1e-4952", "0x1p-16445",
        "0x1.fffffffffffffffep16383", "0xf.fffffffffffffffp16380", "-0x8p-3", "123456789012345678901234567890",
        "3.14159265358979323846264338327950288419716939937510", "nan", "-inf", "  -0.000",
        "18446744073709551615", "18446744073709551616", "9.999999999999999999999e-1",
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        char *end;
        long double v = strtold(strs[i], &end);
        printf("strtold(\"%s\") = %.21Lg = %La, consumed %td\n", strs[i], v, v, end - strs[i]);
    }
    /* roundtrip %.21Lg for a sequence */
    long double x = 1.0L;
    int bad = 0;
    unsigned long h = 0;
    for (int i = 0; i < 600; i++) {
        x = x * 1.0009765625L + 1.0L / (i + 3);
        char buf[80];
        int n = snprintf(buf, sizeof buf, "%.21Lg", x);
        long double back = strtold(buf, NULL);
        if (back != x) bad++;
        for (int j = 0; j < n; j++) h = h * 33 + (unsigned char)buf[j];
    }
    printf("ld roundtrip bad=%d final=%.21Lg h=%016lx\n", bad, x, h);
    return 0;
}
