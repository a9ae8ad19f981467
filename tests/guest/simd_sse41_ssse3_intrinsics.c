// cflags: -msse4.1
// SSE3, SSSE3 (XMM and MMX forms) and SSE4.1 intrinsics over many pseudo-random and edge-case
// inputs: shuffles, horizontal and saturating arithmetic, sign/abs, alignr, blends, min/max,
// multiplies, extending moves, ptest, insert/extract, dot products, rounding in every mode,
// mpsadbw and minpos. Each operation prints a hash of all its results and one sample result.
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static const uint32_t special_f32[] = {
    0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00000001, 0x807FFFFF, 0x00800000,
    0x7F7FFFFF, 0x3F800000, 0xBF000000, 0x3FC00000, 0x40200000, 0xC0600000, 0x4B000001, 0x4AFFFFFF,
    0x3EFFFFFF, 0x3F000001, 0xCF000000, 0x4F000000, 0x3F400000, 0xBFC00000,
};
static const uint64_t special_f64[] = {
    0, 0x8000000000000000ULL, 0x7FF0000000000000ULL, 0xFFF0000000000000ULL, 0x7FF8000000000000ULL, 1,
    0x000FFFFFFFFFFFFFULL, 0x0010000000000000ULL, 0x7FEFFFFFFFFFFFFFULL, 0x3FF0000000000000ULL,
    0xBFE0000000000000ULL, 0x3FF8000000000000ULL, 0x4004000000000000ULL, 0x4330000000000001ULL,
    0x432FFFFFFFFFFFFFULL, 0x3FDFFFFFFFFFFFFFULL, 0x3FE0000000000001ULL, 0xC00C000000000000ULL,
};

static __m128i rand_i(void)
{
    uint8_t b[16];
    for (int k = 0; k < 16; k++) {
        uint64_t v = next();
        switch (v % 8) {
        case 0: b[k] = 0; break;
        case 1: b[k] = 0xFF; break;
        case 2: b[k] = 0x80; break;
        case 3: b[k] = 0x7F; break;
        default: b[k] = (uint8_t)(v >> 8); break;
        }
    }
    __m128i r;
    memcpy(&r, b, 16);
    return r;
}

static __m128 rand_ps(void)
{
    uint32_t w[4];
    for (int k = 0; k < 4; k++) {
        uint64_t v = next();
        switch (v % 5) {
        case 0: w[k] = special_f32[(v >> 8) % (sizeof special_f32 / 4)]; break;
        case 1: w[k] = (uint32_t)(v >> 16); break;
        default: {
            float f = (float)((int64_t)(v >> 20) % 20000) / (float)(1 + (v >> 8) % 64);
            memcpy(&w[k], &f, 4);
        }
        }
    }
    __m128 r;
    memcpy(&r, w, 16);
    return r;
}

static __m128d rand_pd(void)
{
    uint64_t w[2];
    for (int k = 0; k < 2; k++) {
        uint64_t v = next();
        switch (v % 5) {
        case 0: w[k] = special_f64[(v >> 8) % (sizeof special_f64 / 8)]; break;
        case 1: w[k] = next(); break;
        default: {
            double d = (double)((int64_t)(v >> 20) % 2000000) / (double)(1 + (v >> 8) % 1024);
            memcpy(&w[k], &d, 8);
        }
        }
    }
    __m128d r;
    memcpy(&r, w, 16);
    return r;
}

static uint64_t hash;
static uint8_t sample[16];
static int have_sample;
static void begin(void) { hash = 1469598103934665603ULL; have_sample = 0; }
static void feed(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t k = 0; k < n; k++) hash = (hash ^ b[k]) * 1099511628211ULL;
    if (!have_sample && n <= 16) { memset(sample, 0, 16); memcpy(sample, p, n); have_sample = 1; }
}
static void end(const char *name)
{
    printf("%-22s %016llx  ", name, (unsigned long long)hash);
    for (int k = 15; k >= 0; k--) printf("%02x", sample[k]);
    printf("\n");
}

#define N 300
#define BIN_I(name, expr) do { begin(); for (int n = 0; n < N; n++) { __m128i a = rand_i(), b = rand_i(); __m128i r = (expr); feed(&r, 16); } end(name); } while (0)
#define UN_I(name, expr) do { begin(); for (int n = 0; n < N; n++) { __m128i a = rand_i(); __m128i r = (expr); feed(&r, 16); } end(name); } while (0)
#define BIN_PS(name, expr) do { begin(); for (int n = 0; n < N; n++) { __m128 a = rand_ps(), b = rand_ps(); __m128 r = (expr); (void)b; feed(&r, 16); } end(name); } while (0)
#define BIN_PD(name, expr) do { begin(); for (int n = 0; n < N; n++) { __m128d a = rand_pd(), b = rand_pd(); __m128d r = (expr); (void)b; feed(&r, 16); } end(name); } while (0)
#define BIN_MM(name, expr) do { begin(); for (int n = 0; n < N; n++) { __m128i x = rand_i(), y = rand_i(); __m64 a = _mm_movepi64_pi64(x), b = _mm_movepi64_pi64(y); __m64 r = (expr); (void)b; uint64_t v; memcpy(&v, &r, 8); _mm_empty(); feed(&v, 8); } end(name); } while (0)

static void sse3(void)
{
    BIN_PS("addsubps", _mm_addsub_ps(a, b));
    BIN_PS("haddps", _mm_hadd_ps(a, b));
    BIN_PS("hsubps", _mm_hsub_ps(a, b));
    BIN_PD("addsubpd", _mm_addsub_pd(a, b));
    BIN_PD("haddpd", _mm_hadd_pd(a, b));
    BIN_PD("hsubpd", _mm_hsub_pd(a, b));
    BIN_PS("movshdup", _mm_add_ps(_mm_movehdup_ps(a), _mm_moveldup_ps(b)));
    BIN_PD("movddup", _mm_movedup_pd(a));
    begin();
    for (int n = 0; n < N; n++) {
        uint8_t buf[48];
        for (int k = 0; k < 48; k++) buf[k] = (uint8_t)next();
        __m128i r = _mm_lddqu_si128((const __m128i *)(buf + n % 17));
        feed(&r, 16);
    }
    end("lddqu");
}

static void ssse3(void)
{
    BIN_I("pshufb", _mm_shuffle_epi8(a, b));
    BIN_I("phaddw", _mm_hadd_epi16(a, b));
    BIN_I("phaddd", _mm_hadd_epi32(a, b));
    BIN_I("phaddsw", _mm_hadds_epi16(a, b));
    BIN_I("phsubw", _mm_hsub_epi16(a, b));
    BIN_I("phsubd", _mm_hsub_epi32(a, b));
    BIN_I("phsubsw", _mm_hsubs_epi16(a, b));
    BIN_I("pmaddubsw", _mm_maddubs_epi16(a, b));
    BIN_I("pmulhrsw", _mm_mulhrs_epi16(a, b));
    BIN_I("psignb", _mm_sign_epi8(a, b));
    BIN_I("psignw", _mm_sign_epi16(a, b));
    BIN_I("psignd", _mm_sign_epi32(a, b));
    UN_I("pabsb", _mm_abs_epi8(a));
    UN_I("pabsw", _mm_abs_epi16(a));
    UN_I("pabsd", _mm_abs_epi32(a));
    BIN_I("palignr3", _mm_alignr_epi8(a, b, 3));
    BIN_I("palignr15", _mm_alignr_epi8(a, b, 15));
    BIN_I("palignr17", _mm_alignr_epi8(a, b, 17));
    BIN_MM("pshufb mmx", _mm_shuffle_pi8(a, b));
    BIN_MM("phaddw mmx", _mm_hadd_pi16(a, b));
    BIN_MM("phaddd mmx", _mm_hadd_pi32(a, b));
    BIN_MM("phsubsw mmx", _mm_hsubs_pi16(a, b));
    BIN_MM("pmaddubsw mmx", _mm_maddubs_pi16(a, b));
    BIN_MM("pmulhrsw mmx", _mm_mulhrs_pi16(a, b));
    BIN_MM("psignw mmx", _mm_sign_pi16(a, b));
    BIN_MM("pabsb mmx", _mm_abs_pi8(a));
    BIN_MM("palignr5 mmx", _mm_alignr_pi8(a, b, 5));
    BIN_MM("palignr12 mmx", _mm_alignr_pi8(a, b, 12));
}

static void sse41_int(void)
{
    BIN_I("pblendvb", _mm_blendv_epi8(a, b, _mm_xor_si128(a, b)));
    BIN_I("pblendw", _mm_blend_epi16(a, b, 0xA5));
    BIN_I("pminsb", _mm_min_epi8(a, b));
    BIN_I("pmaxsb", _mm_max_epi8(a, b));
    BIN_I("pminuw", _mm_min_epu16(a, b));
    BIN_I("pmaxuw", _mm_max_epu16(a, b));
    BIN_I("pminsd", _mm_min_epi32(a, b));
    BIN_I("pmaxsd", _mm_max_epi32(a, b));
    BIN_I("pminud", _mm_min_epu32(a, b));
    BIN_I("pmaxud", _mm_max_epu32(a, b));
    BIN_I("pmulld", _mm_mullo_epi32(a, b));
    BIN_I("pmuldq", _mm_mul_epi32(a, b));
    BIN_I("pcmpeqq", _mm_cmpeq_epi64(a, _mm_blend_epi16(a, b, 0x0F)));
    BIN_I("packusdw", _mm_packus_epi32(a, b));
    UN_I("pmovsxbw", _mm_cvtepi8_epi16(a));
    UN_I("pmovsxbd", _mm_cvtepi8_epi32(a));
    UN_I("pmovsxbq", _mm_cvtepi8_epi64(a));
    UN_I("pmovsxwd", _mm_cvtepi16_epi32(a));
    UN_I("pmovsxwq", _mm_cvtepi16_epi64(a));
    UN_I("pmovsxdq", _mm_cvtepi32_epi64(a));
    UN_I("pmovzxbw", _mm_cvtepu8_epi16(a));
    UN_I("pmovzxbd", _mm_cvtepu8_epi32(a));
    UN_I("pmovzxbq", _mm_cvtepu8_epi64(a));
    UN_I("pmovzxwd", _mm_cvtepu16_epi32(a));
    UN_I("pmovzxwq", _mm_cvtepu16_epi64(a));
    UN_I("pmovzxdq", _mm_cvtepu32_epi64(a));
    UN_I("phminposuw", _mm_minpos_epu16(a));
    BIN_I("mpsadbw0", _mm_mpsadbw_epu8(a, b, 0));
    BIN_I("mpsadbw5", _mm_mpsadbw_epu8(a, b, 5));
    BIN_I("mpsadbw7", _mm_mpsadbw_epu8(a, b, 7));
    BIN_I("ptest", _mm_set_epi32(_mm_testz_si128(a, b), _mm_testc_si128(a, b), _mm_testnzc_si128(a, b),
                                 _mm_testz_si128(a, _mm_andnot_si128(a, b))));
    BIN_I("extract/insert", _mm_insert_epi8(_mm_insert_epi32(_mm_insert_epi64(a, _mm_extract_epi64(b, 1), 0),
                                            _mm_extract_epi32(b, 2), 3), _mm_extract_epi8(b, 13), 6));
    begin();
    for (int n = 0; n < N; n++) {
        _Alignas(16) uint8_t buf[16];
        __m128i v = rand_i();
        memcpy(buf, &v, 16);
        __m128i r = _mm_stream_load_si128((__m128i *)buf);
        feed(&r, 16);
    }
    end("movntdqa");
}

static void sse41_float(void)
{
    BIN_PS("blendps", _mm_blend_ps(a, b, 0x6));
    BIN_PD("blendpd", _mm_blend_pd(a, b, 0x1));
    BIN_PS("blendvps", _mm_blendv_ps(a, b, _mm_sub_ps(a, b)));
    BIN_PD("blendvpd", _mm_blendv_pd(a, b, _mm_sub_pd(a, b)));
    BIN_PS("dpps ff", _mm_dp_ps(a, b, 0xFF));
    BIN_PS("dpps 71", _mm_dp_ps(a, b, 0x71));
    BIN_PS("dpps a6", _mm_dp_ps(a, b, 0xA6));
    BIN_PD("dppd 33", _mm_dp_pd(a, b, 0x33));
    BIN_PD("dppd 12", _mm_dp_pd(a, b, 0x12));
    BIN_PS("insertps", _mm_insert_ps(a, b, 0x9A));
    BIN_PS("insertps2", _mm_insert_ps(a, b, 0x31));
    begin();
    for (int n = 0; n < N; n++) { __m128 a = rand_ps(); int r[4] = { _mm_extract_ps(a, 0), _mm_extract_ps(a, 1), _mm_extract_ps(a, 2), _mm_extract_ps(a, 3) }; feed(r, 16); }
    end("extractps");
    static const unsigned modes[] = { _MM_ROUND_NEAREST, _MM_ROUND_DOWN, _MM_ROUND_UP, _MM_ROUND_TOWARD_ZERO };
    for (int m = 0; m < 4; m++) {
        unsigned saved = _mm_getcsr();
        _MM_SET_ROUNDING_MODE(modes[m]);
        char name[32];
        snprintf(name, sizeof name, "round mxcsr%d", m);
        begin();
        for (int n = 0; n < N; n++) {
            __m128 a = rand_ps(), b = rand_ps();
            __m128d c = rand_pd(), d = rand_pd();
            __m128 r1 = _mm_round_ps(a, _MM_FROUND_CUR_DIRECTION);
            __m128 r2 = _mm_round_ss(b, a, _MM_FROUND_CUR_DIRECTION | _MM_FROUND_NO_EXC);
            __m128d r3 = _mm_round_pd(c, _MM_FROUND_CUR_DIRECTION);
            __m128d r4 = _mm_round_sd(d, c, _MM_FROUND_CUR_DIRECTION);
            __m128 r5 = _mm_dp_ps(a, b, 0xF1);
            __m128 r6 = _mm_hadd_ps(a, b);
            feed(&r1, 16); feed(&r2, 16); feed(&r3, 16); feed(&r4, 16); feed(&r5, 16); feed(&r6, 16);
        }
        unsigned flags = _mm_getcsr() & 0x3F;
        _mm_setcsr(saved);
        feed(&flags, 4);
        end(name);
    }
    BIN_PS("floor/ceil ps", _mm_add_ps(_mm_floor_ps(a), _mm_ceil_ps(b)));
    BIN_PD("floor/ceil pd", _mm_sub_pd(_mm_floor_pd(a), _mm_ceil_pd(b)));
    BIN_PS("round nearest", _mm_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    BIN_PD("round trunc", _mm_round_pd(a, _MM_FROUND_TO_ZERO));
    BIN_PS("round ss up", _mm_round_ss(a, b, _MM_FROUND_TO_POS_INF));
    BIN_PD("round sd down", _mm_round_sd(a, b, _MM_FROUND_TO_NEG_INF));
}

int main(void)
{
    sse3();
    ssse3();
    sse41_int();
    sse41_float();
    printf("mxcsr flags at end: %02x\n", _mm_getcsr() & 0x3F);
    return 0;
}
