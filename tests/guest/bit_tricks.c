// Bit manipulation: __builtin_clz/ctz/popcount/parity/ffs/bswap/clrsb for 32 and 64 bits,
// rotates (compiled to rol/ror), bit reversal, overflow-checked arithmetic builtins,
// saturating helpers, and classic bit hacks over a pseudo-random stream.
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <strings.h>

static inline uint32_t rotl32(uint32_t x, unsigned r) { return (x << (r & 31)) | (x >> ((32 - r) & 31)); }
static inline uint64_t rotr64(uint64_t x, unsigned r) { return (x >> (r & 63)) | (x << ((64 - r) & 63)); }
static inline uint16_t rotl16(uint16_t x, unsigned r) { r &= 15; return (uint16_t)((x << r) | (x >> ((16 - r) & 15))); }
static inline uint8_t rotr8(uint8_t x, unsigned r) { r &= 7; return (uint8_t)((x >> r) | (x << ((8 - r) & 7))); }

static uint32_t rev32(uint32_t v)
{
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
    return __builtin_bswap32(v);
}

static int naive_pop(uint64_t v) { int c = 0; while (v) { c += (int)(v & 1); v >>= 1; } return c; }

static uint64_t st = 0x853c49e6748fea9bULL;
static uint64_t rnd(void) { st = st * 6364136223846793005ULL + 1442695040888963407ULL; return st ^ (st >> 29); }

int main(void)
{
    for (int i = 0; i < 64; i += 3) {
        volatile uint64_t v = (1ULL << i) | (1ULL << (i / 2));
        volatile uint32_t w = (uint32_t)(v | (v >> 32));
        printf("v=%016llx clz=%2d ctz=%2d pop=%2d par=%d ffs=%2d clrsb=%2d | w=%08x clz=%2d ctz=%2d pop=%2d ffs=%2d bswap=%08x rev=%08x\n",
               (unsigned long long)v, __builtin_clzll(v), __builtin_ctzll(v), __builtin_popcountll(v), __builtin_parityll(v),
               __builtin_ffsll((long long)v), __builtin_clrsbll((long long)v), w, __builtin_clz(w), __builtin_ctz(w),
               __builtin_popcount(w), ffs((int)w), __builtin_bswap32(w), rev32(w));
    }
    for (int r = 0; r < 70; r += 7)
        printf("rot r=%2d rotl32=%08x rotr64=%016llx rotl16=%04x rotr8=%02x bswap64=%016llx bswap16=%04x\n", r,
               rotl32(0x12345678u, (unsigned)r), (unsigned long long)rotr64(0x0123456789abcdefULL, (unsigned)r),
               rotl16(0xbeef, (unsigned)r), rotr8(0x96, (unsigned)r), (unsigned long long)__builtin_bswap64(0x0123456789abcdefULL >> r),
               __builtin_bswap16((uint16_t)(0xabcd >> (r % 16))));
    /* ffs/clz edge: zero */
    volatile int zero = 0;
    printf("ffs(0)=%d ffsll(0)=%d popcount(0)=%d parity(0)=%d clrsb(0)=%d clrsb(-1)=%d\n", __builtin_ffs(zero), __builtin_ffsll(zero),
           __builtin_popcount((unsigned)zero), __builtin_parity((unsigned)zero), __builtin_clrsb(zero), __builtin_clrsb(zero - 1));
    /* random stream checks */
    uint64_t h = 0;
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        uint64_t v = rnd();
        if (i % 5 == 0) v &= rnd();
        if (i % 7 == 0) v >>= (v & 63);
        int pc = __builtin_popcountll(v);
        if (pc != naive_pop(v)) bad++;
        if (v) {
            int lz = __builtin_clzll(v), tz = __builtin_ctzll(v);
            if (!((v >> (63 - lz)) & 1) || (v & ((1ULL << tz) - 1)) || !((v >> tz) & 1)) bad++;
            h += (uint64_t)lz * 131 + (uint64_t)tz * 7;
        }
        uint64_t lowest = v & (0 - v);
        uint64_t cleared = v & (v - 1);
        uint64_t smeared = v | (v >> 1);
        smeared |= smeared >> 2; smeared |= smeared >> 4; smeared |= smeared >> 8; smeared |= smeared >> 16; smeared |= smeared >> 32;
        h = h * 1099511628211ULL ^ (lowest + cleared * 3 + smeared * 5 + (uint64_t)pc + rotr64(v, (unsigned)i) + __builtin_bswap64(v));
        uint32_t w = (uint32_t)v;
        h ^= (uint64_t)rotl32(w, (unsigned)(i % 37)) << 7;
        h += (uint64_t)rev32(w);
    }
    printf("stream bad=%d hash=%016llx\n", bad, (unsigned long long)h);
    /* overflow builtins */
    const int64_t ov[] = {0, 1, -1, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN, 3037000499LL, 3037000500LL, -3037000500LL};
    for (size_t i = 0; i < sizeof ov / 8; i++)
        for (size_t j = 0; j < sizeof ov / 8; j += 2) {
            int64_t r1, r2, r3;
            int32_t r4;
            uint64_t r5;
            int o1 = __builtin_add_overflow(ov[i], ov[j], &r1);
            int o2 = __builtin_sub_overflow(ov[i], ov[j], &r2);
            int o3 = __builtin_mul_overflow(ov[i], ov[j], &r3);
            int o4 = __builtin_mul_overflow(ov[i], ov[j], &r4);
            int o5 = __builtin_add_overflow((uint64_t)ov[i], (uint64_t)ov[j], &r5);
            printf("ovf %lld,%lld: add %d %lld sub %d %lld mul %d %lld mul32 %d %d uadd %d\n", (long long)ov[i], (long long)ov[j], o1,
                   (long long)r1, o2, (long long)r2, o3, (long long)r3, o4, r4, o5);
        }
    /* gray code, next permutation of bits, isolate bits */
    uint32_t x = 0x0000000f;
    for (int i = 0; i < 12; i++) {
        uint32_t t = x | (x - 1);
        uint32_t nx = (t + 1) | (((~t & -~t) - 1) >> (__builtin_ctz(x) + 1));
        printf("bitperm %08x -> %08x gray=%08x\n", x, nx, x ^ (x >> 1));
        x = nx;
    }
    return bad ? 1 : 0;
}
