// cflags: -O2 -mbmi -mbmi2
// BMI1 and BMI2 in hot loops, the way compilers and glibc use them (the binary needs them whatever CPUID
// says): ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX, SHLX, SHRX and SARX in their 32- and
// 64-bit forms, with register and memory sources, over edge values (zero, all ones, single bits) and over
// indexes, lengths and counts at and past the operand width. Each kernel runs long enough to be compiled
// by the JIT; results are printed as checksums and a few sample values.
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>

#define N 512

static uint64_t a64[N], m64[N];
static uint32_t a32[N], m32[N];
static unsigned cnt[N];

static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    // xorshift64*, deterministic.
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

static const uint64_t edges[] = {
    0, ~0ULL, 1, 0x8000000000000000ULL, 0x7FFFFFFFFFFFFFFFULL, 0xFFFFFFFFULL, 0x80000000ULL, 0x100000000ULL,
    0x5555555555555555ULL, 0xAAAAAAAAAAAAAAAAULL, 0xFF00FF00FF00FF00ULL, 2,
};

static void fill(void)
{
    for (int i = 0; i < N; i++) {
        uint64_t e = edges[i % (sizeof edges / sizeof edges[0])];
        a64[i] = (i % 3 == 0) ? e : next();
        m64[i] = (i % 5 == 1) ? e : next();
        a32[i] = (uint32_t)((i % 4 == 0) ? e : next());
        m32[i] = (uint32_t)((i % 7 == 2) ? e >> 7 : next());
        // Counts, indexes and BEXTR controls: at, below and past the widths, with garbage above.
        static const unsigned pos[] = { 0, 1, 7, 8, 31, 32, 33, 63, 64, 65, 0x80, 0xFF };
        unsigned p = pos[i % 12], len = pos[(i / 12) % 12];
        cnt[i] = (i % 2) ? (p | (len << 8) | ((unsigned)next() & 0xFFFF0000u)) : (p | (len << 8));
    }
}

// gcc offers _mulx_u32 only to 32-bit code. AT&T order: source, low half, high half; EDX is the other factor.
static inline uint32_t mulx32(uint32_t a, uint32_t b, uint32_t *hi)
{
    uint32_t lo, h;
    __asm__("mulxl %3, %0, %1" : "=r"(lo), "=r"(h) : "d"(a), "rm"(b));
    *hi = h;
    return lo;
}

static uint64_t mixsum(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001B3ULL;
    return h ^ (h >> 29);
}

__attribute__((noinline)) static uint64_t kernel_bmi1(int rounds)
{
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < N; i++) {
            uint64_t x = a64[i] + (uint64_t)r;
            h = mixsum(h, _andn_u64(x, m64[i]));
            h = mixsum(h, _andn_u32((uint32_t)x, m32[i]));
            h = mixsum(h, _bextr_u64(a64[i], cnt[i] & 0xFF, (cnt[i] >> 8) & 0xFF));
            h = mixsum(h, __bextr_u32(a32[i], cnt[i]));
            h = mixsum(h, __bextr_u64(x, cnt[i]));
            h = mixsum(h, _blsi_u64(x));
            h = mixsum(h, _blsi_u32(a32[i]));
            h = mixsum(h, _blsmsk_u64(a64[i]));
            h = mixsum(h, _blsmsk_u32((uint32_t)x));
            h = mixsum(h, _blsr_u64(x));
            h = mixsum(h, _blsr_u32(a32[i]));
        }
    return h;
}

__attribute__((noinline)) static uint64_t kernel_bmi2(int rounds)
{
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < N; i++) {
            uint64_t x = a64[i] ^ (uint64_t)r;
            unsigned c = cnt[i] + (unsigned)r;
            h = mixsum(h, _bzhi_u64(a64[i], c));
            h = mixsum(h, _bzhi_u32(a32[i], c));
            h = mixsum(h, _bzhi_u64(x, c & 0xFF));
            unsigned long long hi;
            unsigned long long lo = _mulx_u64(x, m64[i], &hi);
            h = mixsum(h, lo);
            h = mixsum(h, hi);
            uint32_t hi32;
            uint32_t lo32 = mulx32((uint32_t)x, m32[i], &hi32);
            h = mixsum(h, lo32 ^ ((uint64_t)hi32 << 32));
            h = mixsum(h, _pdep_u64(x, m64[i]));
            h = mixsum(h, _pdep_u32(a32[i], m32[i]));
            h = mixsum(h, _pext_u64(a64[i], m64[i]));
            h = mixsum(h, _pext_u32((uint32_t)x, m32[i]));
            // SHLX, SHRX, SARX (gcc picks them for variable shifts under -mbmi2; the count is masked as the
            // instructions mask it, so the C is defined) and RORX (constant rotates).
            h = mixsum(h, a64[i] << (c & 63));
            h = mixsum(h, x >> (c & 63));
            h = mixsum(h, (uint64_t)((int64_t)a64[i] >> (c & 63)));
            h = mixsum(h, a32[i] << (c & 31));
            h = mixsum(h, (uint32_t)x >> (c & 31));
            h = mixsum(h, (uint32_t)((int32_t)a32[i] >> (c & 31)));
            h = mixsum(h, (x >> 13) | (x << 51));
            h = mixsum(h, (uint32_t)((a32[i] >> 7) | (a32[i] << 25)));
        }
    return h;
}

// A BZHI/BLSR loop of the kind string routines run: find the set bits of masks below a length.
__attribute__((noinline)) static uint64_t kernel_scan(int rounds)
{
    uint64_t total = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < N; i++) {
            uint64_t bits = _bzhi_u64(m64[i], (unsigned)(i + r) & 127);
            while (bits) {
                total += (uint64_t)__builtin_ctzll(bits) * (uint64_t)(i + 1);
                bits = _blsr_u64(bits);
            }
        }
    return total;
}

int main(void)
{
    fill();
    printf("bmi1 %016llx\n", (unsigned long long)kernel_bmi1(40));
    printf("bmi2 %016llx\n", (unsigned long long)kernel_bmi2(40));
    printf("scan %016llx\n", (unsigned long long)kernel_scan(40));
    for (int i = 0; i < 12; i++) {
        unsigned long long hi;
        unsigned long long lo = _mulx_u64(a64[i], m64[i], &hi);
        printf("%2d bzhi %016llx bextr %016llx pdep %016llx pext %016llx mulx %016llx:%016llx\n", i,
               (unsigned long long)_bzhi_u64(a64[i], cnt[i]), (unsigned long long)__bextr_u64(a64[i], cnt[i]),
               (unsigned long long)_pdep_u64(a64[i], m64[i]), (unsigned long long)_pext_u64(a64[i], m64[i]), hi, lo);
    }
    return 0;
}
