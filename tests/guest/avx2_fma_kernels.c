// cflags: -O3 -mavx2 -mfma -mf16c -lm
// AVX, AVX2, FMA and F16C used directly (the binary needs them whatever CPUID says): 256-bit
// integer lane arithmetic, byte shuffles and lane-crossing permutes, variable shifts, gathers
// with masks, masked loads/stores, blends, VPTEST/movemask, broadcasts and 128-bit lane
// inserts/extracts; float/double FMA in every MXCSR rounding mode with NaN/infinity/denormal
// operands, the 32 VCMPPS predicates, rounding, dot products, conversions, binary16
// conversions; and loops gcc -O3 -mavx2 -mfma auto-vectorises (saxpy, reductions, byte scans)
// over every start offset 0..31. Results are printed as hex bits and checksums.
#include <immintrin.h>
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t hash = 1469598103934665603ULL;

static void mix(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) hash = (hash ^ b[i]) * 1099511628211ULL;
}

static void show(const char *name, __m256i v)
{
    uint64_t q[4];
    _mm256_storeu_si256((__m256i *)q, v);
    printf("%-14s %016llx %016llx %016llx %016llx\n", name, (unsigned long long)q[3], (unsigned long long)q[2],
           (unsigned long long)q[1], (unsigned long long)q[0]);
    mix(q, sizeof q);
}

static void showps(const char *name, __m256 v) { show(name, _mm256_castps_si256(v)); }
static void showpd(const char *name, __m256d v) { show(name, _mm256_castpd_si256(v)); }

static uint32_t seed = 12345;
static uint32_t rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8 ^ seed << 13;
}

static __m256i random_vec(void)
{
    uint32_t d[8];
    for (int i = 0; i < 8; i++) d[i] = rnd();
    if (rnd() % 4 == 0) d[rnd() % 8] = 0x80000000u;
    if (rnd() % 4 == 0) d[rnd() % 8] = 0xFFFFFFFFu;
    return _mm256_loadu_si256((const __m256i *)d);
}

static void integer_ops(void)
{
    for (int round = 0; round < 4; round++)
    {
        __m256i a = random_vec(), b = random_vec(), c = random_vec();
        show("add8", _mm256_add_epi8(a, b));
        show("adds16", _mm256_adds_epi16(a, b));
        show("subs_u8", _mm256_subs_epu8(a, b));
        show("mullo32", _mm256_mullo_epi32(a, b));
        show("mulhi16", _mm256_mulhi_epi16(a, b));
        show("mul_epu32", _mm256_mul_epu32(a, b));
        show("mul_epi32", _mm256_mul_epi32(a, b));
        show("madd16", _mm256_madd_epi16(a, b));
        show("maddubs", _mm256_maddubs_epi16(a, b));
        show("mulhrs", _mm256_mulhrs_epi16(a, b));
        show("sad", _mm256_sad_epu8(a, b));
        show("avg8", _mm256_avg_epu8(a, b));
        show("min_u8", _mm256_min_epu8(a, b));
        show("max_s32", _mm256_max_epi32(a, b));
        show("min_u32", _mm256_min_epu32(a, b));
        show("cmpeq8", _mm256_cmpeq_epi8(a, _mm256_blend_epi32(a, b, 0x5A)));
        show("cmpgt64", _mm256_cmpgt_epi64(a, b));
        show("abs8", _mm256_abs_epi8(a));
        show("sign16", _mm256_sign_epi16(a, b));
        show("hadd32", _mm256_hadd_epi32(a, b));
        show("hsubs16", _mm256_hsubs_epi16(a, b));
        show("shuffle8", _mm256_shuffle_epi8(a, b));
        show("alignr5", _mm256_alignr_epi8(a, b, 5));
        show("alignr20", _mm256_alignr_epi8(a, b, 20));
        show("shuf32", _mm256_shuffle_epi32(a, 0x1B));
        show("shufhi16", _mm256_shufflehi_epi16(a, 0x8D));
        show("perm8x32", _mm256_permutevar8x32_epi32(a, b));
        show("perm4x64", _mm256_permute4x64_epi64(a, 0x4E));
        show("perm2x128", _mm256_permute2x128_si256(a, b, 0x21));
        show("perm2x128z", _mm256_permute2x128_si256(a, b, 0x83));
        show("blend16", _mm256_blend_epi16(a, b, 0xA5));
        show("blendv8", _mm256_blendv_epi8(a, b, c));
        show("unpacklo8", _mm256_unpacklo_epi8(a, b));
        show("unpackhi64", _mm256_unpackhi_epi64(a, b));
        show("packs32", _mm256_packs_epi32(a, b));
        show("packus32", _mm256_packus_epi32(a, b));
        show("packus16", _mm256_packus_epi16(a, b));
        show("sllv32", _mm256_sllv_epi32(a, _mm256_and_si256(b, _mm256_set1_epi32(63))));
        show("srlv64", _mm256_srlv_epi64(a, _mm256_and_si256(b, _mm256_set1_epi64x(127))));
        show("srav32", _mm256_srav_epi32(a, _mm256_and_si256(b, _mm256_set1_epi32(63))));
        show("slli16", _mm256_slli_epi16(a, 3));
        show("srai32", _mm256_srai_epi32(a, 33));
        show("srl64", _mm256_srl_epi64(a, _mm_cvtsi32_si128(7)));
        show("bslli", _mm256_bslli_epi128(a, 3));
        show("bsrli", _mm256_bsrli_epi128(a, 13));
        show("cvt8to16", _mm256_cvtepi8_epi16(_mm256_castsi256_si128(a)));
        show("cvtu8to64", _mm256_cvtepu8_epi64(_mm256_castsi256_si128(a)));
        show("cvt32to64", _mm256_cvtepi32_epi64(_mm256_castsi256_si128(b)));
        show("bcast8", _mm256_broadcastb_epi8(_mm256_castsi256_si128(a)));
        show("bcast64", _mm256_broadcastq_epi64(_mm256_castsi256_si128(b)));
        show("bcast128", _mm256_broadcastsi128_si256(_mm256_castsi256_si128(b)));
        show("insert128", _mm256_inserti128_si256(a, _mm256_extracti128_si256(b, 1), 0));
        show("andnot", _mm256_andnot_si256(a, b));
        printf("movemask %08x testz %d testc %d testnzc %d ps %02x pd %x\n", (unsigned)_mm256_movemask_epi8(a),
               _mm256_testz_si256(a, b), _mm256_testc_si256(a, _mm256_and_si256(a, b)), _mm256_testnzc_si256(a, b),
               _mm256_movemask_ps(_mm256_castsi256_ps(b)), _mm256_movemask_pd(_mm256_castsi256_pd(c)));
        printf("extract %d %d %lld\n", _mm256_extract_epi8(a, 17), _mm256_extract_epi16(b, 9), (long long)_mm256_extract_epi64(c, 3));
    }
}

static void gathers_and_masks(void)
{
    int32_t table[256];
    double dtable[256];
    for (int i = 0; i < 256; i++) { table[i] = (int32_t)(rnd() ^ (uint32_t)i); dtable[i] = (double)table[i] / 7.0; }
    for (int round = 0; round < 8; round++)
    {
        __m256i idx = _mm256_and_si256(random_vec(), _mm256_set1_epi32(255));
        __m256i mask = random_vec();
        show("gather32", _mm256_i32gather_epi32(table, idx, 4));
        show("mgather32", _mm256_mask_i32gather_epi32(_mm256_set1_epi32(-7), table, idx, mask, 4));
        __m256i qidx = _mm256_srli_epi64(_mm256_and_si256(random_vec(), _mm256_set1_epi64x(255LL << 32)), 32);
        showpd("gatherpd", _mm256_i64gather_pd(dtable, qidx, 8));
        showpd("mgatherpd", _mm256_mask_i32gather_pd(_mm256_set1_pd(1.5), dtable, _mm256_castsi256_si128(idx),
                                                     _mm256_castsi256_pd(mask), 8));
        __m128i q32 = _mm256_i64gather_epi32(table, qidx, 4);
        show("gatherq32", _mm256_castsi128_si256(q32));
        int32_t out[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        _mm256_maskstore_epi32(out, mask, _mm256_set1_epi32(0x5A5A));
        show("maskstore", _mm256_loadu_si256((const __m256i *)out));
        show("maskload", _mm256_maskload_epi32(table + round * 3, mask));
        showpd("maskloadpd", _mm256_maskload_pd(dtable + round, mask));
    }
}

static const uint32_t special32[] = {
    0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC12345, 0x7FA00001, 0x00000001,
    0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0x3F800000, 0xBF800000, 0x3F000001, 0x4B800001, 0x33800000,
};
static const uint64_t special64[] = {
    0x0000000000000000, 0x8000000000000000, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
    0xFFF8123456789ABC, 0x7FF4000000000001, 0x0000000000000001, 0x800FFFFFFFFFFFFF, 0x0010000000000000,
    0x7FEFFFFFFFFFFFFF, 0x3FF0000000000000, 0xBFF0000000000001, 0x3CA0000000000000, 0x4340000000000001,
    0x3FEFFFFFFFFFFFFF,
};

static __m256 pick32(void)
{
    uint32_t d[8];
    for (int i = 0; i < 8; i++) d[i] = rnd() % 3 == 0 ? special32[rnd() % 16] : (rnd() & 0x3FFFFFFF) + 0x20000000u;
    return _mm256_castsi256_ps(_mm256_loadu_si256((const __m256i *)d));
}

static __m256d pick64(void)
{
    uint64_t d[4];
    for (int i = 0; i < 4; i++) d[i] = rnd() % 3 == 0 ? special64[rnd() % 16] : ((uint64_t)rnd() << 32 | rnd()) % 0x3FF0000000000000ULL + 0x2000000000000000ULL;
    return _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)d));
}

static void float_ops(void)
{
    static const int modes[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    for (int m = 0; m < 4; m++)
    {
        fesetround(modes[m]);
        for (int round = 0; round < 3; round++)
        {
            __m256 a = pick32(), b = pick32(), c = pick32();
            __m256d x = pick64(), y = pick64(), z = pick64();
            feclearexcept(FE_ALL_EXCEPT);
            showps("fmadd_ps", _mm256_fmadd_ps(a, b, c));
            showps("fmsub_ps", _mm256_fmsub_ps(a, b, c));
            showps("fnmadd_ps", _mm256_fnmadd_ps(a, b, c));
            showps("fmaddsub_ps", _mm256_fmaddsub_ps(a, b, c));
            showpd("fmadd_pd", _mm256_fmadd_pd(x, y, z));
            showpd("fnmsub_pd", _mm256_fnmsub_pd(x, y, z));
            showpd("fmsubadd_pd", _mm256_fmsubadd_pd(x, y, z));
            show("fmadd_ss", _mm256_castsi128_si256(_mm_castps_si128(_mm_fmadd_ss(_mm256_castps256_ps128(a), _mm256_castps256_ps128(b), _mm256_castps256_ps128(c)))));
            show("fmadd_sd", _mm256_castsi128_si256(_mm_castpd_si128(_mm_fmadd_sd(_mm256_castpd256_pd128(x), _mm256_castpd256_pd128(y), _mm256_castpd256_pd128(z)))));
            showps("add_ps", _mm256_add_ps(a, b));
            showps("div_ps", _mm256_div_ps(a, b));
            showpd("mul_pd", _mm256_mul_pd(x, y));
            showpd("sqrt_pd", _mm256_sqrt_pd(x));
            showps("min_ps", _mm256_min_ps(a, b));
            showps("addsub_ps", _mm256_addsub_ps(a, b));
            showpd("hadd_pd", _mm256_hadd_pd(x, y));
            showps("dp_ps", _mm256_dp_ps(a, b, 0xF3));
            showps("round_ps", _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            showpd("floor_pd", _mm256_floor_pd(x));
            showpd("round_cur", _mm256_round_pd(y, _MM_FROUND_CUR_DIRECTION));
            show("cvtps_epi32", _mm256_cvtps_epi32(a));
            show("cvttpd_epi32", _mm256_castsi128_si256(_mm256_cvttpd_epi32(x)));
            showpd("cvtps_pd", _mm256_cvtps_pd(_mm256_castps256_ps128(a)));
            showps("cvtpd_ps", _mm256_castps128_ps256(_mm256_cvtpd_ps(y)));
            showps("cvtepi32_ps", _mm256_cvtepi32_ps(_mm256_castps_si256(c)));
            show("cvtps_ph", _mm256_castsi128_si256(_mm256_cvtps_ph(a, _MM_FROUND_TO_NEAREST_INT)));
            show("cvtps_ph_cur", _mm256_castsi128_si256(_mm256_cvtps_ph(b, _MM_FROUND_CUR_DIRECTION)));
            showps("cvtph_ps", _mm256_cvtph_ps(_mm256_castsi256_si128(_mm256_castps_si256(c))));
            printf("flags %02x\n", fetestexcept(FE_ALL_EXCEPT));
            unsigned cmpmask = 0;
            for (int pred = 0; pred < 32; pred++)
            {
                __m256 r;
                switch (pred)
                {
#define P(n) case n: r = _mm256_cmp_ps(a, b, n); break;
                    P(0) P(1) P(2) P(3) P(4) P(5) P(6) P(7) P(8) P(9) P(10) P(11) P(12) P(13) P(14) P(15)
                    P(16) P(17) P(18) P(19) P(20) P(21) P(22) P(23) P(24) P(25) P(26) P(27) P(28) P(29) P(30) P(31)
#undef P
                    default: r = a; break;
                }
                cmpmask = cmpmask * 31 + (unsigned)_mm256_movemask_ps(r);
            }
            printf("cmp predicates %08x\n", cmpmask);
            printf("permute %08x\n", (unsigned)_mm256_movemask_ps(_mm256_permutevar_ps(a, _mm256_castps_si256(b))));
            showps("bcast_ss", _mm256_broadcast_ss((const float *)special32 + round));
            showpd("blendv_pd", _mm256_blendv_pd(x, y, z));
            showps("permute2f", _mm256_permute2f128_ps(a, b, 0x30));
        }
    }
    fesetround(FE_TONEAREST);
}

// Auto-vectorised loops.
static float fa[512], fb[512];
static double da[512], db[512];
static unsigned char bytes[600];

__attribute__((noinline)) static void saxpy(float *y, const float *x, float k, int n)
{
    for (int i = 0; i < n; i++) y[i] = k * x[i] + y[i];
}

__attribute__((noinline)) static double dot(const double *x, const double *y, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

__attribute__((noinline)) static int count_byte(const unsigned char *p, int n, unsigned char c)
{
    int k = 0;
    for (int i = 0; i < n; i++) k += p[i] == c;
    return k;
}

__attribute__((noinline)) static unsigned max_u8(const unsigned char *p, int n)
{
    unsigned char m = 0;
    for (int i = 0; i < n; i++) m = p[i] > m ? p[i] : m;
    return m;
}

__attribute__((noinline)) static void to_upper(unsigned char *p, int n)
{
    for (int i = 0; i < n; i++) p[i] = p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i];
}

static void loops(void)
{
    for (int i = 0; i < 512; i++) { fa[i] = (float)(rnd() % 2000) / 7.0f - 100.0f; fb[i] = (float)(rnd() % 1000) / 3.0f; }
    for (int i = 0; i < 512; i++) { da[i] = (double)(int)rnd() / 1e6; db[i] = (double)(int)rnd() / 3e5; }
    for (int i = 0; i < 600; i++) bytes[i] = (unsigned char)(rnd() % 5 == 0 ? 'a' + rnd() % 26 : rnd());
    for (int off = 0; off < 32; off++)
    {
        int n = 100 + off * 11;
        saxpy(fb + off, fa + (31 - off), 1.25f + off, n);
        double d = dot(da + off, db + (off ^ 7), n);
        int k = count_byte(bytes + off, n, bytes[off * 3]);
        unsigned m = max_u8(bytes + off, n - off);
        to_upper(bytes + off, 64 + off);
        mix(&d, sizeof d);
        printf("off %2d dot %a count %d max %u\n", off, d, k, m);
    }
    mix(fb, sizeof fb);
    mix(bytes, sizeof bytes);
}

int main(void)
{
    integer_ops();
    gathers_and_masks();
    float_ops();
    loops();
    _mm256_zeroupper();
    printf("hash %016llx\n", (unsigned long long)hash);
    return 0;
}
