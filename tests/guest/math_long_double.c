// cflags: -lm
// long double (x87) libm: sinl cosl tanl expl logl powl sqrtl atanl atan2l cbrtl fmodl
// exp2l log2l log10l expm1l log1pl hypotl floorl ceill roundl truncl rintl frexpl ldexpl
// erfl lgammal tgammal. Exactly specified results are printed with %.21Lg; results that go through
// the x87 transcendentals (specified only to within one ulp, and different between Intel and AMD)
// are printed as ~%La, which the harness compares to within one ulp.
// compare: ulp
#include <stdio.h>
#include <math.h>
#include <float.h>

static const long double xs[] = {
    0.0L, -0.0L, 1e-4940L, 1e-300L, 1e-10L, 0.1L, 0.5L, 0.75L, 1.0L, 1.5L, 2.0L, 2.5L, 3.0L,
    3.14159265358979323846264338327950288L, 10.0L, 100.0L, 1000.0L, 11356.0L, 1e10L, 1e100L, 1e4000L, LDBL_MAX,
    -0.25L, -1.0L, -2.5L, -7.0L, -100.0L, -11400.0L,
};

#define PL(name, expr) printf(" %s=%.21Lg", name, (long double)(expr))
#define PT(name, expr) printf(" %s=~%La", name, (long double)(expr))

int main(void)
{
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        long double x = xs[i];
        printf("x=%.21Lg (%La)\n ", x, x);
        PT("sinl", sinl(x)); PT("cosl", cosl(x)); PT("tanl", tanl(x));
        printf("\n ");
        PT("atanl", atanl(x)); PT("asinl", asinl(x)); PT("acosl", acosl(x)); PT("atan2l", atan2l(x, -3.0L));
        printf("\n ");
        PT("expl", expl(x)); PT("exp2l", exp2l(x)); PT("expm1l", expm1l(x)); PT("sinhl", sinhl(x)); PT("tanhl", tanhl(x));
        printf("\n ");
        PT("logl", logl(x)); PT("log2l", log2l(x)); PT("log10l", log10l(x)); PT("log1pl", log1pl(x));
        printf("\n ");
        PL("sqrtl", sqrtl(x)); PL("cbrtl", cbrtl(x)); PL("hypotl", hypotl(x, 2.0L)); PT("powl(x,2.5)", powl(x, 2.5L));
        PT("powl(2,x)", powl(2.0L, x)); PT("powl(x,-1)", powl(x, -1.0L));
        printf("\n ");
        PL("floorl", floorl(x)); PL("ceill", ceill(x)); PL("roundl", roundl(x)); PL("truncl", truncl(x)); PL("rintl", rintl(x));
        PL("fmodl", fmodl(x, 0.7L)); PL("remainderl", remainderl(x, 0.7L));
        printf("\n ");
        PT("erfl", erfl(x)); PT("erfcl", erfcl(x)); PT("lgammal", lgammal(x)); PT("tgammal", tgammal(x));
        printf("\n ");
        int e;
        long double ip;
        long double m = frexpl(x, &e), fp = modfl(x, &ip);
        printf(" frexpl=%La,%d modfl=%.21Lg,%.21Lg ldexpl=%La nextafterl=%La", m, e, fp, ip, ldexpl(x, -16000), nextafterl(x, 0.0L));
        if (fabsl(x) < 1e18L) printf(" llrintl=%lld lroundl=%ld", llrintl(x), lroundl(x));
        printf("\n");
    }
    long double s = 0;
    for (int i = 1; i <= 3000; i++) {
        long double x = i * 0.0123L;
        s += sinl(x) * cosl(x / 3) + logl(x) / expl(x / 1000) + sqrtl(x) + atanl(x) + powl(x, 0.3L);
    }
    printf("sweep sum=~%La\n", s);
    printf("constants: pi=~%La e=~%La ln2=~%La sqrt2=%.21Lg\n", 4 * atanl(1.0L), expl(1.0L), logl(2.0L), sqrtl(2.0L));
    volatile long double z = 0.0L;
    printf("specials: %Lg %Lg %Lg %Lg %Lg %Lg\n", logl(z), sqrtl(z - 1), expl(1 / z), atanl(1 / z), powl(z, z), tgammal(-z));
    return 0;
}
