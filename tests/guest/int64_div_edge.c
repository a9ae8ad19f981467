// 64-bit and 32-bit integer division/modulo edge cases (signs, INT_MIN / small, large
// unsigned divisors, powers of two, divide by constants the compiler strength-reduces),
// shifts by variable amounts, widening/narrowing conversions. INT64_MIN / -1 is avoided.
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>

static const int64_t svals[] = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 127, -128, 255, 65535, -65536,
    INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1, (int64_t)INT32_MIN - 1, 1000000007, -999999937,
    INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 0x123456789abcdefLL, -0x7edcba9876543210LL,
    4294967296LL, -4294967296LL, 1LL << 62, -(1LL << 62)};
#define NS (sizeof svals / sizeof svals[0])

static volatile int64_t sink;

int main(void)
{
    uint64_t h = 0;
    for (size_t i = 0; i < NS; i++) {
        for (size_t j = 0; j < NS; j++) {
            volatile int64_t a = svals[i], b = svals[j];
            if (b == 0) continue;
            if (a == INT64_MIN && b == -1) { printf("skip INT64_MIN/-1\n"); continue; }
            int64_t q = a / b, r = a % b;
            uint64_t uq = (uint64_t)a / (uint64_t)b, ur = (uint64_t)a % (uint64_t)b;
            h = h * 1000003 + (uint64_t)q * 3 + (uint64_t)r * 5 + uq * 7 + ur;
            if (q * b + r != a) printf("identity fail %" PRId64 " %" PRId64 "\n", a, b);
            if (i % 4 == 0 && j % 3 == 0)
                printf("%" PRId64 " / %" PRId64 " = %" PRId64 " r %" PRId64 " | unsigned %" PRIu64 " r %" PRIu64 "\n", a, b, q, r, uq, ur);
            /* 32-bit variants */
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            if (b32 != 0 && !(a32 == INT32_MIN && b32 == -1)) {
                volatile int32_t va = a32, vb = b32;
                int32_t q32 = va / vb, r32 = va % vb;
                uint32_t uq32 = (uint32_t)va / (uint32_t)vb, ur32 = (uint32_t)va % (uint32_t)vb;
                h = h * 31 + (uint32_t)q32 + (uint32_t)r32 * 3u + uq32 * 5u + ur32;
            }
            /* 16 and 8 bit */
            int16_t a16 = (int16_t)a, b16 = (int16_t)b;
            if (b16 != 0) {
                volatile int16_t va = a16, vb = b16;
                h = h * 7 + (uint16_t)(va / vb) + (uint16_t)(va % vb);
                volatile uint8_t ua = (uint8_t)a, ub = (uint8_t)b;
                if (ub) h = h * 5 + (uint8_t)(ua / ub) + (uint8_t)(ua % ub);
            }
        }
    }
    printf("division hash=%016" PRIx64 "\n", h);
    /* division by constants (compiler uses multiply-high tricks) */
    uint64_t ch = 0;
    for (int64_t x = -100000; x <= 100000; x += 37) {
        int64_t y = x * 92233720368LL + (x & 0xff);
        ch = ch * 31 + (uint64_t)(y / 3) + (uint64_t)(y / 7) + (uint64_t)(y % 10) + (uint64_t)(y / 1000000007) +
             (uint64_t)y / 3 + (uint64_t)y / 10 + (uint64_t)y % 641 + (uint64_t)(y / -5) + (uint64_t)(y / 16) + (uint64_t)(y % 16) +
             (uint32_t)x / 7u + (uint64_t)((int32_t)x / 9) + (uint64_t)((int32_t)x % 13);
    }
    printf("const-div hash=%016" PRIx64 "\n", ch);
    /* shifts */
    for (int s = 0; s < 64; s += 5) {
        volatile int sh = s;
        int64_t n = INT64_MIN + 12345;
        uint64_t u = 0xF0F0F0F0F0F0F0F1ULL;
        printf("s=%2d  sar=%" PRId64 " shr=%016" PRIx64 " shl=%016" PRIx64 " sar32=%d shr32=%08x shl32=%08x\n", s, n >> sh, u >> sh, u << sh,
               (int32_t)0x80000001 >> (sh & 31), 0xF00000F1u >> (sh & 31), 0xF00000F1u << (sh & 31));
    }
    /* conversions */
    const int64_t cv[] = {-1, 255, 256, -129, 32768, -32769, 0x80000000LL, 0xFFFFFFFFLL, 0x1FFFFFFFFLL};
    for (size_t i = 0; i < sizeof cv / sizeof cv[0]; i++) {
        volatile int64_t v = cv[i];
        printf("conv %" PRId64 ": i8=%d u8=%u i16=%d u16=%u i32=%d u32=%u -> back %" PRId64 " %" PRIu64 "\n", v, (int8_t)v, (uint8_t)v,
               (int16_t)v, (uint16_t)v, (int32_t)v, (uint32_t)v, (int64_t)(int32_t)v, (uint64_t)(uint32_t)v);
    }
    /* INT64_MIN special handling without trapping */
    volatile int64_t mn = INT64_MIN;
    printf("INT64_MIN/1=%" PRId64 " INT64_MIN/2=%" PRId64 " INT64_MIN%%-1 via check=%d INT64_MIN/-2=%" PRId64 " %%3=%" PRId64 "\n", mn / 1, mn / 2, 0,
           mn / -2, mn % 3);
    sink = mn;
    /* abs, llabs, imaxdiv, lldiv */
    lldiv_t d1 = lldiv(-7, 2);
    imaxdiv_t d2 = imaxdiv(INT64_MAX, -1000);
    printf("lldiv(-7,2)={%lld,%lld} imaxdiv={%" PRIdMAX ",%" PRIdMAX "} llabs=%lld\n", d1.quot, d1.rem, d2.quot, d2.rem, llabs(-(INT64_MAX)));
    return 0;
}
