// __int128 / unsigned __int128: mul, div, mod, shifts, comparisons, conversions to/from
// double and long double, printing via a custom decimal routine; 64x64->128 products.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static char *u128_str(u128 v, char *buf)
{
    char tmp[48];
    int n = 0;
    do { tmp[n++] = (char)('0' + (int)(v % 10)); v /= 10; } while (v);
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}
static char *s128_str(s128 v, char *buf)
{
    if (v < 0) { buf[0] = '-'; u128_str((u128)0 - (u128)v, buf + 1); return buf; }
    return u128_str((u128)v, buf);
}
static void hex(u128 v) { printf("%016llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v); }

static u128 rs = 0x0123456789abcdefULL;
static u128 rnd(void)
{
    rs = rs * (((u128)0x2360ED051FC65DA4ULL << 64) | 0x4385DF649FCCF645ULL) + 1442695040888963407ULL;
    return rs ^ (rs >> 67);
}

int main(void)
{
    char b1[48], b2[48], b3[48], b4[48];
    const u128 UMAX = ~(u128)0;
    const s128 SMAX = (s128)(UMAX >> 1);
    const s128 SMIN = -SMAX - 1;
    printf("UMAX=%s\nSMAX=%s\nSMIN=%s\n", u128_str(UMAX, b1), s128_str(SMAX, b2), s128_str(SMIN, b3));
    /* powers of ten and two */
    u128 p = 1;
    for (int i = 0; i <= 38; i++) { printf("10^%02d=%s ", i, u128_str(p, b1)); hex(p); printf("\n"); p *= 10; }
    for (int s = 0; s < 128; s += 9) {
        u128 x = (u128)1 << s;
        s128 y = SMIN >> s; /* arithmetic shift */
        printf("1<<%3d=%s  SMIN>>%3d=%s  UMAX>>%3d=", s, u128_str(x, b1), s, s128_str(y, b2), s);
        hex(UMAX >> s);
        printf("\n");
    }
    /* random mul/div/mod identities */
    unsigned bad = 0;
    u128 acc = 0;
    for (int i = 0; i < 400; i++) {
        u128 a = rnd(), b = rnd();
        int shift = (int)(b % 128);
        u128 small = b >> shift;
        if (small == 0) small = 3;
        u128 q = a / small, r = a % small;
        if (q * small + r != a || r >= small) bad++;
        s128 sa = (s128)a, sb = (s128)small;
        if (sb == 0 || (sa == SMIN && sb == -1)) continue;
        s128 sq = sa / sb, sr = sa % sb;
        if (sq * sb + sr != sa) bad++;
        if (sr != 0 && ((sr < 0) != (sa < 0))) bad++;
        acc = acc * 31 + q + (u128)sr + (a << shift) + (a >> (127 - shift % 127)) + a * b;
        if (i % 40 == 0) {
            printf("a=%s b=%s\n  q=%s r=%s\n", u128_str(a, b1), u128_str(small, b2), u128_str(q, b3), u128_str(r, b4));
            printf("  sa/sb=%s sa%%sb=%s\n", s128_str(sq, b1), s128_str(sr, b2));
        }
    }
    printf("identity failures=%u acc=", bad);
    hex(acc);
    printf("\n");
    /* 64x64->128 multiplication */
    const uint64_t vals[] = {0, 1, 2, 0xffffffffULL, 0x100000000ULL, 0xffffffffffffffffULL, 0x8000000000000000ULL, 0x123456789abcdef0ULL, 10000000000000000000ULL};
    for (size_t i = 0; i < sizeof vals / 8; i++)
        for (size_t j = i; j < sizeof vals / 8; j++) {
            u128 m = (u128)vals[i] * vals[j];
            s128 sm = (s128)(int64_t)vals[i] * (int64_t)vals[j];
            printf("%llu*%llu = %s ; signed %s\n", (unsigned long long)vals[i], (unsigned long long)vals[j], u128_str(m, b1), s128_str(sm, b2));
        }
    /* conversions */
    const double dv[] = {0.0, 1.0, -1.0, 1e19, 1.8446744073709552e19, 3.4e38, -1.7e38, 123456789.987654321, 1e30, -1e30};
    for (size_t i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        volatile double d = dv[i];
        s128 s = (d < 1.7e38 && d > -1.7e38) ? (s128)d : 0;
        u128 u = d >= 0 ? (u128)d : 0;
        printf("double %.17g -> s128 %s u128 %s\n", d, s128_str(s, b1), u128_str(u, b2));
    }
    u128 tests[] = {0, 1, UMAX, (u128)SMAX, ((u128)1 << 64) - 1, (u128)1 << 64, ((u128)1 << 100) + 12345, (u128)1 << 127, ((u128)1 << 53) + 1, ((u128)1 << 113) + 1};
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        u128 t = tests[i];
        double d = (double)t;
        float f = (float)t;
        long double ld = (long double)t;
        s128 st = (s128)t;
        printf("u128 %s -> double %.17g float %.9g ldouble %.21Lg ; as s128 -> double %.17g\n", u128_str(t, b1), d, (double)f, ld, (double)st);
    }
    /* comparisons signed vs unsigned */
    s128 neg = -5;
    u128 uneg = (u128)neg;
    printf("neg<0=%d uneg>SMAX=%d neg<SMAX=%d SMIN<neg=%d\n", neg < 0, uneg > (u128)SMAX, neg < SMAX, SMIN < neg);
    /* gcd via mod loop */
    u128 x = ((u128)0x1234567890abcdefULL << 64) * 6, y = ((u128)0xfedcba0987654321ULL << 32) * 4;
    while (y) { u128 t = x % y; x = y; y = t; }
    printf("gcd=%s\n", u128_str(x, b1));
    /* factorial until overflow detected by division check */
    u128 f = 1;
    int n = 1;
    for (;;) {
        u128 nf = f * (u128)(n + 1);
        if (nf / (u128)(n + 1) != f) break;
        f = nf;
        n++;
    }
    printf("largest factorial in u128: %d! = %s\n", n, u128_str(f, b1));
    /* __builtin overflow helpers on 128-bit */
    s128 r1;
    int o1 = __builtin_mul_overflow(SMAX / 3, (s128)4, &r1);
    u128 r2;
    int o2 = __builtin_add_overflow(UMAX - 5, (u128)5, &r2);
    int o3 = __builtin_add_overflow(UMAX - 5, (u128)6, &r2);
    printf("overflow flags: %d %d %d\n", o1, o2, o3);
    return bad ? 1 : 0;
}
