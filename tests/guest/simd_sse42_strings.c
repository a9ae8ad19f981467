// cflags: -msse4.2
// SSE4.2 intrinsics: PCMPISTRI/PCMPISTRM/PCMPESTRI/PCMPESTRM with every imm8 mode (element size and
// signedness, aggregation, polarity, index/mask form) over strings with embedded zeros, small
// alphabets and explicit lengths that are negative or past 16; the flag readers (cmpistra/c/o/s/z);
// PCMPGTQ; CRC32 with 8/16/32/64-bit sources; POPCNT. Each mode prints a hash of its results.
#include <immintrin.h>
#include <nmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static __m128i rand_str(void)
{
    uint8_t b[16];
    int words = next() & 1;
    for (int k = 0; k < 16; k += 1 + words) {
        uint64_t v = next();
        unsigned c;
        switch (v % 12) {
        case 0: c = 0; break;
        case 1: c = 0x7F + (v >> 8) % 3; break;
        case 2: c = 0xFF; break;
        case 3: c = (unsigned)(v >> 16); break;
        default: c = 'a' + (v >> 8) % 4; break;
        }
        b[k] = (uint8_t)c;
        if (words) b[k + 1] = (v % 12 == 3) ? (uint8_t)(v >> 24) : (v % 12 == 1 ? 0x80 : 0);
    }
    __m128i r;
    memcpy(&r, b, 16);
    return r;
}

static int rand_len(void)
{
    uint64_t v = next();
    switch (v % 6) {
    case 0: return -(int)((v >> 8) % 20);
    case 1: return 16 + (int)((v >> 8) % 10);
    case 2: return (int)0x80000000u;
    default: return (int)((v >> 8) % 17);
    }
}

static uint64_t hash;
static void feed(uint64_t v) { for (int k = 0; k < 8; k++) hash = (hash ^ ((v >> (8 * k)) & 0xFF)) * 1099511628211ULL; }

#define ROWS 48
static __m128i A[ROWS], B[ROWS];
static int LA[ROWS], LB[ROWS];

// Each imm8 needs its own instruction: expand a case for every mode 0..127.
#define MODE(i) case i: \
    for (int n = 0; n < ROWS; n++) { \
        __m128i a = A[n], b = B[n]; int la = LA[n], lb = LB[n]; \
        feed((uint64_t)_mm_cmpistri(a, b, i) | (uint64_t)_mm_cmpistrc(a, b, i) << 8 | (uint64_t)_mm_cmpistrz(a, b, i) << 9 | \
             (uint64_t)_mm_cmpistrs(a, b, i) << 10 | (uint64_t)_mm_cmpistro(a, b, i) << 11 | (uint64_t)_mm_cmpistra(a, b, i) << 12); \
        __m128i m = _mm_cmpistrm(a, b, i); feed((uint64_t)_mm_cvtsi128_si64(m)); feed((uint64_t)_mm_extract_epi64(m, 1)); \
        feed((uint64_t)_mm_cmpestri(a, la, b, lb, i) | (uint64_t)_mm_cmpestrc(a, la, b, lb, i) << 8 | (uint64_t)_mm_cmpestrz(a, la, b, lb, i) << 9 | \
             (uint64_t)_mm_cmpestrs(a, la, b, lb, i) << 10 | (uint64_t)_mm_cmpestro(a, la, b, lb, i) << 11 | (uint64_t)_mm_cmpestra(a, la, b, lb, i) << 12); \
        m = _mm_cmpestrm(a, la, b, lb, i); feed((uint64_t)_mm_cvtsi128_si64(m)); feed((uint64_t)_mm_extract_epi64(m, 1)); \
    } break;
#define M8(i) MODE(i) MODE(i + 1) MODE(i + 2) MODE(i + 3) MODE(i + 4) MODE(i + 5) MODE(i + 6) MODE(i + 7)
#define M64(i) M8(i) M8(i + 8) M8(i + 16) M8(i + 24) M8(i + 32) M8(i + 40) M8(i + 48) M8(i + 56)

static void run_mode(int imm)
{
    switch (imm) { M64(0) M64(64) }
}

static const char *agg[] = { "equal-any", "ranges", "equal-each", "equal-ordered" };
static const char *pol[] = { "+", "-", "masked+", "masked-" };
static const char *fmt[] = { "ub", "uw", "sb", "sw" };

static void strings(void)
{
    for (int round = 0; round < 2; round++) {
        for (int n = 0; n < ROWS; n++) { A[n] = rand_str(); B[n] = rand_str(); LA[n] = rand_len(); LB[n] = rand_len(); }
        // Some rows compare a string with a substring of itself, so ordered and each matches occur.
        for (int n = 0; n < ROWS; n += 4) B[n] = next() % 4 == 0 ? A[n] : _mm_alignr_epi8(A[n], A[n], 2);
        for (int imm = 0; imm < 128; imm++) {
            hash = 1469598103934665603ULL;
            run_mode(imm);
            printf("r%d imm %02x %-3s %-14s %-8s %s %016llx\n", round, imm, fmt[imm & 3], agg[(imm >> 2) & 3], pol[(imm >> 4) & 3],
                   imm & 0x40 ? "msb/bytemask" : "lsb/bitmask ", (unsigned long long)hash);
        }
    }
}

static void others(void)
{
    hash = 1469598103934665603ULL;
    for (int n = 0; n < 2000; n++) {
        __m128i a = _mm_set_epi64x((long long)next(), (long long)(next() % 5) - 2);
        __m128i b = _mm_set_epi64x((long long)next(), (long long)(next() % 5) - 2);
        __m128i r = _mm_cmpgt_epi64(a, b);
        feed((uint64_t)_mm_cvtsi128_si64(r)); feed((uint64_t)_mm_extract_epi64(r, 1));
    }
    printf("pcmpgtq %016llx\n", (unsigned long long)hash);
    uint32_t c32 = 0xFFFFFFFF;
    uint64_t c64 = 0;
    for (int n = 0; n < 4000; n++) {
        uint64_t v = next();
        c32 = _mm_crc32_u8(c32, (uint8_t)v);
        c32 = _mm_crc32_u16(c32, (uint16_t)(v >> 8));
        c32 = _mm_crc32_u32(c32, (uint32_t)(v >> 24));
        c64 = _mm_crc32_u64(c64 ^ c32, v);
    }
    printf("crc32 %08x %016llx\n", c32, (unsigned long long)c64);
    const char *text = "The quick brown fox jumps over the lazy dog";
    uint32_t c = 0xFFFFFFFF;
    for (const char *s = text; *s; s++) c = _mm_crc32_u8(c, (uint8_t)*s);
    printf("crc32c(\"%s\") = %08x\n", text, ~c);
    uint64_t pc = 0;
    for (int n = 0; n < 4000; n++) {
        uint64_t v = next() >> (next() % 64);
        pc = pc * 131 + (uint64_t)_mm_popcnt_u64(v) * 7 + (uint64_t)_mm_popcnt_u32((uint32_t)v);
    }
    printf("popcnt %016llx\n", (unsigned long long)pc);
}

int main(void)
{
    strings();
    others();
    return 0;
}
