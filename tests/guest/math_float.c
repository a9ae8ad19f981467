// cflags: -lm
// libm float functions (sinf, cosf, expf, logf, powf, ...) over a grid of inputs, printed
// with %.9g and as raw bits, plus special values and float-specific rounding functions.
#define _GNU_SOURCE
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <string.h>
#include <stdint.h>

static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static const float xs[] = {
    0.0f, -0.0f, 1e-40f, 1e-30f, 1e-7f, 0.001f, 0.1f, 0.25f, 0.5f, 0.7853982f, 1.0f, 1.5f, 2.0f, 2.5f, 3.1415927f,
    4.0f, 6.2831855f, 10.0f, 42.0f, 88.7f, 100.0f, 1000.0f, 12345.67f, 1e6f, 1e10f, 1e20f, 1e38f, FLT_MAX,
    -0.1f, -0.5f, -1.0f, -2.5f, -10.0f, -87.0f, -104.0f, -1e6f,
};

#define PF(name, expr) do { float r_ = (expr); printf(" %s=%.9g(%08x)", name, (double)r_, bits(r_)); } while (0)

int main(void)
{
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        float x = xs[i];
        printf("x=%.9g\n ", (double)x);
        PF("sinf", sinf(x)); PF("cosf", cosf(x)); PF("tanf", tanf(x)); PF("atanf", atanf(x));
        printf("\n ");
        PF("asinf", asinf(x)); PF("acosf", acosf(x)); PF("sinhf", sinhf(x)); PF("tanhf", tanhf(x));
        printf("\n ");
        PF("expf", expf(x)); PF("exp2f", exp2f(x)); PF("expm1f", expm1f(x)); PF("exp10f", exp10f(x));
        printf("\n ");
        PF("logf", logf(x)); PF("log2f", log2f(x)); PF("log10f", log10f(x)); PF("log1pf", log1pf(x));
        printf("\n ");
        PF("sqrtf", sqrtf(x)); PF("cbrtf", cbrtf(x)); PF("powf(x,.5)", powf(x, 0.5f)); PF("powf(x,3)", powf(x, 3.0f));
        printf("\n ");
        PF("powf(1.5,x)", powf(1.5f, x)); PF("hypotf", hypotf(x, 4.0f)); PF("atan2f", atan2f(x, -1.0f)); PF("fmodf", fmodf(x, 3.0f));
        printf("\n ");
        PF("floorf", floorf(x)); PF("ceilf", ceilf(x)); PF("roundf", roundf(x)); PF("truncf", truncf(x)); PF("rintf", rintf(x));
        printf("\n ");
        PF("erff", erff(x)); PF("erfcf", erfcf(x)); PF("lgammaf", lgammaf(x)); PF("tgammaf", tgammaf(x));
        printf("\n ");
        int e;
        float m = frexpf(x, &e);
        float ip, fp = modff(x, &ip);
        printf(" frexpf=%.9g,%d modff=%.9g,%.9g ldexpf=%.9g remainderf=%.9g nextafterf=%08x fmaf=%.9g\n", (double)m, e, (double)fp,
               (double)ip, (double)ldexpf(x, -140), (double)remainderf(x, 0.7f), bits(nextafterf(x, 0.0f)), (double)fmaf(x, 3.0f, -x));
    }
    /* sincosf and dense sweep */
    double acc = 0;
    uint32_t h = 0;
    for (int i = -3000; i <= 3000; i++) {
        float x = (float)i * 0.01234f;
        float s, c;
        sincosf(x, &s, &c);
        float e = expf(x * 0.02f), l = logf(fabsf(x) + 1.0f), p = powf(fabsf(x) + 0.5f, 1.7f);
        acc += (double)s * c + e + l + p;
        h = h * 31 + bits(s) + bits(c) * 3 + bits(e) * 5 + bits(l) * 7 + bits(p) * 11;
    }
    printf("sweep acc=%.17g h=%08x\n", acc, h);
    /* specials */
    float inf = INFINITY, nanf_ = NAN;
    const float sp[] = {inf, -inf, nanf_, 0.0f, -0.0f};
    for (int i = 0; i < 5; i++) {
        float x = sp[i];
        printf("special %g:", (double)x);
        PF("sinf", sinf(x)); PF("expf", expf(x)); PF("logf", logf(x)); PF("sqrtf", sqrtf(x)); PF("powf(x,0)", powf(x, 0.0f));
        PF("atan2f", atan2f(x, x)); PF("tanhf", tanhf(x)); PF("lgammaf", lgammaf(x));
        printf("\n");
    }
    volatile float a = 2.5f, b = 3.5f, c = 0.49999997f;
    printf("lrintf/lroundf: %ld %ld %ld %ld %ld %ld\n", lrintf(a), lrintf(b), lrintf(-a), lroundf(a), lroundf(-a), lroundf(c));
    return 0;
}
