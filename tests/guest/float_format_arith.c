// cflags: -lm
// float (binary32): formatting via promotion, strtof, arithmetic rounding, denormals,
// float<->double<->int conversions, fused-looking expressions evaluated in SSE.
#include <stdio.h>
#include <stdlib.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float ffrom(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

int main(void)
{
    const float vals[] = {
        0.0f, -0.0f, 1.0f, -1.0f, 0.1f, 0.2f, 0.3f, 1.0f / 3.0f, 16777216.0f, 16777217.0f,
        FLT_MAX, -FLT_MAX, FLT_MIN, FLT_EPSILON, FLT_TRUE_MIN, FLT_MIN / 2, 3.4028235e38f,
        1e-45f, 1.17549421e-38f, 65504.0f, 2.5f, 3.5f, -2.5f, 1e10f, 1e-10f, 8388607.5f,
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        float f = vals[i];
        printf("%2zu: %08x %.9g %a %e %f | sq=%.9g half=%.9g rcp=%.9g sqrt=%.9g\n", i, fbits(f), f, f, f, f,
               f * f, f * 0.5f, 1.0f / f, sqrtf(fabsf(f)));
    }
    /* arithmetic rounding: sums in float vs double */
    volatile float a = 1.0f, b = 1e-8f, c = 3.0f;
    printf("1+1e-8=%.9g  (1/3)*3=%.9g  0.1+0.2=%.9g\n", a + b, (a / c) * c, 0.1f + 0.2f);
    float s = 0.0f;
    double sd = 0.0;
    for (int i = 1; i <= 10000; i++) {
        s += 1.0f / (float)i;
        sd += 1.0 / i;
    }
    printf("harmonic float=%.9g (%08x) double=%.17g\n", s, fbits(s), sd);
    /* float denormal arithmetic */
    float d = FLT_MIN;
    for (int i = 0; i < 26; i++) {
        printf("denorm step %2d: %08x %.9g\n", i, fbits(d), d);
        d *= 0.5f;
    }
    /* conversions */
    const double dv[] = {0.5, 1.5, 2.5, -0.5, -1.5, 1e30, -1e30, 2147483520.0, -2147483648.0,
                         1.0000000596046448, 1.0000000596046449, 1.0000001788139343, 3.4028235677973366e38,
                         3.4028235677973367e38, 1e-46, 7e-46, 1.401298464324817e-45};
    for (size_t i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        volatile double x = dv[i];
        float f = (float)x;
        printf("d->f %.17g -> %08x %.9g  (int)%d lrintf=%ld\n", dv[i], fbits(f), f,
               fabs(x) < 2e9 ? (int)x : -1, fabsf(f) < 1e18f ? lrintf(f) : 0L);
    }
    for (int i = -20; i <= 20; i++) {
        volatile int iv = (int)((unsigned)i * 123456789u);
        volatile unsigned uv = (unsigned)i * 3000000011u;
        volatile long long lv = (long long)i * 0x7fffffffffffffLL;
        volatile unsigned long long ulv = (unsigned long long)i * 0x9000000000000001ULL;
        printf("i->f %d:%08x %u:%08x %lld:%08x %llu:%08x\n", iv, fbits((float)iv), uv, fbits((float)uv),
               lv, fbits((float)lv), ulv, fbits((float)ulv));
    }
    /* float -> integer truncation */
    for (int i = 0; i < 40; i++) {
        volatile float f = ffrom(0x3f000000u + (uint32_t)i * 0x00a00000u);
        if (f > 2e9f) break;
        printf("trunc %.9g -> %d %u %lld %llu\n", f, (int)f, (unsigned)f, (long long)f, (unsigned long long)f);
    }
    /* comparisons with NaN */
    volatile float nf = NAN, one = 1.0f;
    printf("nan cmp: %d %d %d %d %d %d\n", nf < one, nf > one, nf == nf, nf != nf, one <= nf, isunordered(nf, one));
    printf("fmin/fmax nan: %g %g copysign %g\n", fminf(nf, one), fmaxf(one, nf), copysignf(3.0f, -0.0f));
    /* bit walking */
    uint32_t h = 0;
    for (uint32_t u = 0; u < 0x7f800000u; u += 0x00123457u) {
        float f = ffrom(u);
        float g = f * 1.5f + 0.25f;
        float q = f / 3.0f;
        h = h * 31 + fbits(g) + fbits(q) * 7 + fbits(sqrtf(f));
    }
    printf("bitwalk h=%08x\n", h);
    return 0;
}
