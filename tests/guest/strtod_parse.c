// strtod/strtof/atof: hard decimal->binary cases, hex floats, inf/nan spellings,
// overflow/underflow errno, endptr positions, and %.17g round trips.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <math.h>

static const char *inputs[] = {
    "0", "-0", "+0.0", "1", "-1", "0.1", "0.2", "0.3", ".5", "5.", "1e0", "1E+2", "1e-2",
    "3.14159265358979323846264338327950288", "2.2250738585072011e-308",
    "2.2250738585072012e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
    "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "-1e-400",
    "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309",
    "-1e309", "9007199254740993", "9007199254740992.5", "9007199254740993.0000000001",
    "123456789012345678901234567890", "0.000000000000000000000000000001",
    "0x1p0", "0x1.8p1", "0X1.FFFFFFFFFFFFFP1023", "0x1p-1074", "0x1p-1075", "0x1.00000000000008p0",
    "0x.1p4", "-0x10", "0x", "0xg", "inf", "INF", "-Inf", "infinity", "-INFINITY", "infinit",
    "nan", "NAN", "-nan", "nan(123)", "nan(abc", "  \t\n 42.5xyz", "+-1", "1e", "1e+",
    "1.5e+3q", "e5", ".", "-.", "1,5", "0001.2500", "1" "00000000000000000000000000000000000000000",
    "7.0e-10", "8.3e1", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999",
};

int main(void)
{
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *s = inputs[i];
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        int e1 = errno;
        errno = 0;
        float f = strtof(s, NULL);
        int e2 = errno;
        errno = 0;
        long double ld = strtold(s, NULL);
        int e3 = errno;
        printf("%-24.24s d=%.17g (%a) end=%td erange=%d | f=%.9g (%a) erange=%d | ld=%.21Lg erange=%d\n",
               s, d, d, end - s, e1 == ERANGE, f, (double)f, e2 == ERANGE, ld, e3 == ERANGE);
    }
    /* round trip: random-ish doubles -> %.17g -> strtod must be exact; also %.9g for floats */
    unsigned long long state = 0x9E3779B97F4A7C15ull;
    int bad = 0, badf = 0;
    unsigned long h = 0;
    for (int i = 0; i < 4000; i++) {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17;
        unsigned long long bits = state;
        double d;
        memcpy(&d, &bits, 8);
        if (isnan(d) || isinf(d)) continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", d);
        double back = strtod(buf, NULL);
        if (memcmp(&back, &d, 8) != 0) bad++;
        unsigned int fb = (unsigned int)(state >> 17);
        float fl;
        memcpy(&fl, &fb, 4);
        if (!isnan(fl) && !isinf(fl)) {
            snprintf(buf, sizeof buf, "%.9g", fl);
            float fback = strtof(buf, NULL);
            if (memcmp(&fback, &fl, 4) != 0) badf++;
        }
        for (char *p = buf; *p; p++) h = h * 131 + (unsigned char)*p;
        if (i % 400 == 0) printf("rt %d: %s\n", i, buf);
    }
    printf("roundtrip bad=%d badf=%d h=%016lx\n", bad, badf, h);
    /* shortest representation search: smallest precision that round trips */
    const double samples[] = {0.1, 0.3, 1.0 / 3, 2.0 / 3, 1e23, 5e-324, 1.7976931348623157e308, 123.456, 100, 0.000123};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char buf[64];
        int p;
        for (p = 1; p <= 17; p++) {
            snprintf(buf, sizeof buf, "%.*g", p, samples[i]);
            if (strtod(buf, NULL) == samples[i]) break;
        }
        printf("shortest %s (prec %d)\n", buf, p);
    }
    printf("atof=%g atoi=%d atol=%ld\n", atof("  -12.5e1junk"), atoi("  -77x"), atol("9999999999"));
    return 0;
}
