// cflags: -O3
// Loops gcc -O3 auto-vectorises with SSE2: integer sums of int8/16/32/64 (with widening),
// min/max reductions, int16 dot products, xor/or reductions, element-wise mul/shift/abs/
// clamp, over every start offset 0..31 and many lengths (unaligned heads and tails).
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define N 1200
static int8_t a8[N + 64];
static uint8_t u8[N + 64];
static int16_t a16[N + 64], b16[N + 64];
static int32_t a32[N + 64], b32[N + 64], c32[N + 64];
static int64_t a64[N + 64];
static uint32_t u32[N + 64];

__attribute__((noinline)) static int64_t sum8(const int8_t *p, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
__attribute__((noinline)) static uint32_t sumu8(const uint8_t *p, int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
__attribute__((noinline)) static int32_t sum16(const int16_t *p, int n) { int32_t s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
__attribute__((noinline)) static int64_t sum32(const int32_t *p, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
__attribute__((noinline)) static uint64_t sum64(const int64_t *p, int n) { uint64_t s = 0; for (int i = 0; i < n; i++) s += (uint64_t)p[i]; return s; }
__attribute__((noinline)) static uint32_t dot16(const int16_t *x, const int16_t *y, int n) { uint32_t s = 0; for (int i = 0; i < n; i++) s += (uint32_t)(x[i] * y[i]); return s; }
__attribute__((noinline)) static int64_t dot32(const int32_t *x, const int32_t *y, int n) { int64_t s = 0; for (int i = 0; i < n; i++) s += (int64_t)x[i] * y[i]; return s; }
__attribute__((noinline)) static int32_t min32(const int32_t *p, int n) { int32_t m = INT32_MAX; for (int i = 0; i < n; i++) m = p[i] < m ? p[i] : m; return m; }
__attribute__((noinline)) static int32_t max32(const int32_t *p, int n) { int32_t m = INT32_MIN; for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m; return m; }
__attribute__((noinline)) static uint8_t maxu8(const uint8_t *p, int n) { uint8_t m = 0; for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m; return m; }
__attribute__((noinline)) static uint8_t minu8(const uint8_t *p, int n) { uint8_t m = 255; for (int i = 0; i < n; i++) m = p[i] < m ? p[i] : m; return m; }
__attribute__((noinline)) static int16_t max16(const int16_t *p, int n) { int16_t m = INT16_MIN; for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m; return m; }
__attribute__((noinline)) static uint32_t xorr(const uint32_t *p, int n) { uint32_t m = 0; for (int i = 0; i < n; i++) m ^= p[i] * 2654435761u; return m; }
__attribute__((noinline)) static uint32_t maxu32(const uint32_t *p, int n) { uint32_t m = 0; for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m; return m; }
__attribute__((noinline)) static int count_gt(const int32_t *p, int n, int32_t t) { int c = 0; for (int i = 0; i < n; i++) c += p[i] > t; return c; }

__attribute__((noinline)) static void elementwise(int32_t *restrict d, const int32_t *restrict x, const int32_t *restrict y, int n)
{
    for (int i = 0; i < n; i++) {
        int32_t v = (int32_t)((uint32_t)x[i] * (uint32_t)y[i] + (uint32_t)(x[i] >> 3) - ((uint32_t)y[i] << 2));
        v = v < -1000000 ? -1000000 : v;
        v = v < 0 ? -v : v;
        v = v > 1000000 ? 1000000 : v;
        d[i] = v ^ (int32_t)((uint32_t)x[i] >> 5);
    }
}
__attribute__((noinline)) static void mul16(int16_t *restrict d, const int16_t *restrict x, const int16_t *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = (int16_t)(x[i] * y[i] + (x[i] >> 1));
}
__attribute__((noinline)) static void widen(int32_t *restrict d, const int8_t *restrict x, const uint8_t *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = x[i] * 3 + y[i];
}
__attribute__((noinline)) static void narrow(uint8_t *restrict d, const int32_t *restrict x, int n)
{
    for (int i = 0; i < n; i++) { int32_t v = x[i] >> 4; d[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }
}
__attribute__((noinline)) static void prefix_like(int64_t *restrict d, const int32_t *restrict x, int n)
{
    for (int i = 0; i < n; i++) d[i] = (int64_t)x[i] * x[i] - (int64_t)x[i] * 1048576;
}

int main(void)
{
    uint32_t s = 2463534242u;
    for (int i = 0; i < N + 64; i++) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        a8[i] = (int8_t)s; u8[i] = (uint8_t)(s >> 8); a16[i] = (int16_t)(s >> 3); b16[i] = (int16_t)(s >> 11);
        a32[i] = (int32_t)s >> (i % 9); b32[i] = (int32_t)(s * 7u) >> 12; a64[i] = (int64_t)((uint64_t)s * (s | 1) - (1ULL << 62));
        u32[i] = s * 31u;
    }
    uint64_t total = 0;
    static const int lens[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 511, 1000, 1100};
    for (int off = 0; off < 32; off++) {
        uint64_t h = 0;
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            int n = lens[li];
            int64_t r[18];
            r[0] = sum8(a8 + off, n); r[1] = sumu8(u8 + off, n); r[2] = sum16(a16 + off, n); r[3] = sum32(a32 + off, n);
            r[4] = (int64_t)sum64(a64 + off, n); r[5] = dot16(a16 + off, b16 + off, n); r[6] = dot32(a32 + off, b32 + off, n);
            r[7] = min32(a32 + off, n); r[8] = max32(a32 + off, n); r[9] = maxu8(u8 + off, n); r[10] = minu8(u8 + off, n);
            r[11] = max16(a16 + off, n); r[12] = xorr(u32 + off, n); r[13] = maxu32(u32 + off, n); r[14] = count_gt(a32 + off, n, 12345);
            elementwise(c32 + (off & 3), a32 + off, b32 + (off ^ 5), n);
            uint64_t e = 0;
            for (int i = 0; i < n; i++) e = e * 3 + (uint64_t)c32[(off & 3) + i];
            r[15] = (int64_t)e;
            static int16_t d16[N + 64];
            mul16(d16 + off % 8, a16 + off, b16 + 1, n);
            uint64_t f = 0;
            for (int i = 0; i < n; i++) f = f * 5 + (uint64_t)d16[off % 8 + i];
            r[16] = (int64_t)f;
            static int32_t w32[N + 64];
            static uint8_t n8[N + 64];
            static int64_t p64[N + 64];
            widen(w32 + 1, a8 + off, u8 + off + 3, n);
            narrow(n8 + off, w32 + 1, n);
            prefix_like(p64 + (off & 1), a32 + off, n);
            uint64_t g = 0;
            for (int i = 0; i < n; i++) g = g * 7 + n8[off + i] + (uint64_t)p64[(off & 1) + i];
            r[17] = (int64_t)g;
            for (int k = 0; k < 18; k++) h = h * 1000003u + (uint64_t)r[k];
            if (off % 8 == 0 && (n == 17 || n == 1000))
                printf("off=%2d n=%4d sum8=%lld sumu8=%lld sum16=%lld sum32=%lld sum64=%lld dot16=%lld dot32=%lld min=%lld max=%lld maxu8=%lld minu8=%lld max16=%lld xor=%lld maxu32=%lld cnt=%lld\n",
                       off, n, (long long)r[0], (long long)r[1], (long long)r[2], (long long)r[3], (long long)r[4], (long long)r[5], (long long)r[6],
                       (long long)r[7], (long long)r[8], (long long)r[9], (long long)r[10], (long long)r[11], (long long)r[12], (long long)r[13], (long long)r[14]);
        }
        printf("offset %2d hash %016llx\n", off, (unsigned long long)h);
        total = total * 31 + h;
    }
    printf("total %016llx\n", (unsigned long long)total);
    return 0;
}
