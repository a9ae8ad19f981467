// cflags: -lm
// libm double functions over many inputs printed with %.17g: trig, exp/log family, pow,
// sqrt/cbrt/hypot, atan2 in all quadrants, fmod/remainder/remquo, rounding functions,
// frexp/ldexp/modf/scalbn/ilogb/logb/nextafter, erf/erfc/lgamma/tgamma, special values.
#define _GNU_SOURCE
#include <stdio.h>
#include <math.h>
#include <float.h>

static const double xs[] = {
    0.0, -0.0, 1e-310, 1e-300, 1e-20, 1e-8, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9999999999999999, 1.0,
    1.0000000000000002, 1.5, 2.0, 2.5, 3.0, 3.141592653589793, 4.0, 5.5, 7.0, 10.0, 22.0, 100.0, 355.0,
    710.0, 1000.0, 12345.678, 1e6, 1e10, 1e15, 1e22, 1e100, 1e300, DBL_MAX,
    -0.1, -0.5, -1.0, -1.5, -2.5, -3.0, -10.0, -100.0, -745.0, -1e10,
};
#define NX (sizeof xs / sizeof xs[0])

#define P1(name, expr) printf(" %s=%.17g", name, (double)(expr))

int main(void)
{
    volatile double zero = 0.0;
    const double inf = 1.0 / zero, nan_ = zero / zero;
    for (size_t i = 0; i < NX; i++) {
        double x = xs[i];
        printf("x=%.17g\n ", x);
        P1("sin", sin(x)); P1("cos", cos(x)); P1("tan", tan(x));
        printf("\n ");
        P1("asin", asin(x)); P1("acos", acos(x)); P1("atan", atan(x));
        printf("\n ");
        P1("sinh", sinh(x)); P1("cosh", cosh(x)); P1("tanh", tanh(x));
        printf("\n ");
        P1("asinh", asinh(x)); P1("acosh", acosh(x)); P1("atanh", atanh(x));
        printf("\n ");
        P1("exp", exp(x)); P1("exp2", exp2(x)); P1("expm1", expm1(x)); P1("exp10", exp10(x));
        printf("\n ");
        P1("log", log(x)); P1("log2", log2(x)); P1("log10", log10(x)); P1("log1p", log1p(x));
        printf("\n ");
        P1("sqrt", sqrt(x)); P1("cbrt", cbrt(x)); P1("hypot3", hypot(x, 3.0)); P1("pow_x_1.5", pow(x, 1.5));
        printf("\n ");
        P1("pow2x", pow(2.0, x)); P1("powx-3", pow(x, -3.0)); P1("pow_x_x", pow(x, x)); P1("pow_-x_3", pow(-x, 3.0));
        printf("\n ");
        P1("floor", floor(x)); P1("ceil", ceil(x)); P1("round", round(x)); P1("trunc", trunc(x)); P1("rint", rint(x));
        P1("nearbyint", nearbyint(x));
        printf("\n ");
        if (fabs(x) < 9e18) printf(" lrint=%ld llround=%lld lround=%ld", lrint(x), llround(x), lround(x));
        int e;
        double m = frexp(x, &e);
        double ip;
        double fp = modf(x, &ip);
        printf(" frexp=%.17g,%d modf=%.17g,%.17g ldexp=%.17g scalbn=%.17g ilogb=%d logb=%.17g\n ", m, e, fp, ip, ldexp(x, -1070),
               scalbn(x, 1000), x != 0 ? ilogb(x) : -999, logb(x));
        P1("fmod7", fmod(x, 7.0)); P1("fmod-0.3", fmod(x, -0.3)); P1("rem7", remainder(x, 7.0)); P1("rem0.3", remainder(x, 0.3));
        int q;
        double rq = remquo(x, 2.5, &q);
        printf(" remquo=%.17g,%d", rq, q % 8);
        printf("\n ");
        P1("atan2(x,1)", atan2(x, 1.0)); P1("atan2(1,x)", atan2(1.0, x)); P1("atan2(-x,-2)", atan2(-x, -2.0));
        printf("\n ");
        P1("erf", erf(x)); P1("erfc", erfc(x)); P1("lgamma", lgamma(x)); P1("tgamma", tgamma(x));
        printf("\n ");
        P1("nextup", nextafter(x, inf)); P1("nextdown", nextafter(x, -inf)); P1("copysign", copysign(3.0, x)); P1("fdim", fdim(x, 1.0));
        P1("fma", fma(x, x, -1.0));
        printf("\n");
    }
    /* special values */
    const double sp[] = {inf, -inf, nan_, 0.0, -0.0};
    for (size_t i = 0; i < 5; i++) {
        double x = sp[i];
        printf("special %g:", x);
        P1("sin", sin(x)); P1("exp", exp(x)); P1("log", log(x)); P1("sqrt", sqrt(x)); P1("atan", atan(x)); P1("tanh", tanh(x));
        P1("pow(x,0)", pow(x, 0.0)); P1("pow(0,x)", pow(0.0, x)); P1("pow(-1,x)", pow(-1.0, x)); P1("atan2(x,x)", atan2(x, x));
        P1("hypot(x,nan)", hypot(x, nan_)); P1("fmod(x,1)", fmod(x, 1.0)); P1("floor", floor(x)); P1("lgamma", lgamma(x));
        P1("tgamma", tgamma(x)); P1("erf", erf(x)); P1("cbrt", cbrt(x)); P1("expm1", expm1(x)); P1("log1p", log1p(x));
        printf(" isnan=%d isinf=%d fpclassify=%d signbit=%d\n", isnan(x) != 0, isinf(x), fpclassify(x), signbit(x) != 0);
    }
    printf("pow edge: %.17g %.17g %.17g %.17g %.17g %.17g\n", pow(-2.0, 0.5), pow(-0.0, -1.0), pow(0.0, -2.0), pow(-8.0, 1.0 / 3.0),
           pow(1.0, nan_), pow(2.0, 1024.0));
    printf("sqrt(-1)=%.17g log(-1)=%.17g acos(2)=%.17g fmod(1,0)=%.17g remainder(inf,1)=%.17g\n", sqrt(-1.0 + zero), log(-1.0 + zero),
           acos(2.0 + zero), fmod(1.0, zero), remainder(inf, 1.0));
    /* dense sweeps summarised by sums */
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
    for (int i = -2000; i <= 2000; i++) {
        double x = i * 0.0123456789;
        s1 += sin(x) * cos(x * 0.5);
        s2 += exp(x * 0.01) - log1p(fabs(x));
        s3 += atan2(x, 1.0 + i % 7) + tanh(x * 0.1);
        s4 += pow(fabs(x) + 0.5, 0.37) + cbrt(x) + hypot(x, 1.0);
        s5 += floor(x * 3.3) + round(x * 2.7) + fmod(x, 1.1);
        s6 += erf(x * 0.1) + lgamma(fabs(x) + 0.1);
    }
    printf("sweep sums: %.17g %.17g %.17g %.17g %.17g %.17g\n", s1, s2, s3, s4, s5, s6);
    /* sin/cos of large arguments exercise argument reduction */
    for (int k = 0; k < 20; k++) {
        double x = ldexp(1.0, k * 50) * 1.2345;
        printf("big arg 2^%d*1.2345: sin=%.17g cos=%.17g tan=%.17g\n", k * 50, sin(x), cos(x), tan(x));
    }
    return 0;
}
