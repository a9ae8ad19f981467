// SSE/SSE2 intrinsics (baseline x86-64 only): integer lane arithmetic incl. saturation,
// multiplies, SAD, averages, compares, pack/unpack, shuffles, shifts with large counts,
// byte shifts, movemask; float/double arithmetic, NaN-ordering of min/max, compares,
// conversions incl. out-of-range -> "integer indefinite", MXCSR rounding modes,
// exception status flags, FTZ/DAZ.
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <emmintrin.h>

/* Opaque barriers so gcc cannot constant-fold the intrinsics away. */
static inline __m128i OI(__m128i x) { __asm__("" : "+x"(x)); return x; }
static inline __m128 OF(__m128 x) { __asm__("" : "+x"(x)); return x; }
static inline __m128d OD(__m128d x) { __asm__("" : "+x"(x)); return x; }

static void p128(const char *label, __m128i v)
{
    uint8_t b[16];
    _mm_storeu_si128((__m128i *)b, v);
    printf("%-14s", label);
    for (int i = 15; i >= 0; i--) printf("%02x%s", b[i], (i % 4 == 0 && i) ? "_" : "");
    printf("\n");
}
static void pps(const char *label, __m128 v)
{
    uint32_t u[4];
    _mm_storeu_ps((float *)u, v);
    printf("%-14s%08x %08x %08x %08x\n", label, u[3], u[2], u[1], u[0]);
}
static void ppd(const char *label, __m128d v)
{
    uint64_t u[2];
    _mm_storeu_pd((double *)u, v);
    printf("%-14s%016llx %016llx\n", label, (unsigned long long)u[1], (unsigned long long)u[0]);
}

static __m128i mk(uint32_t seed)
{
    uint8_t b[16];
    for (int i = 0; i < 16; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (uint8_t)(seed >> 23);
        if (i % 5 == 0) b[i] = (uint8_t)(0x7f + (seed >> 30));
    }
    return OI(_mm_loadu_si128((const __m128i *)b));
}

int main(void)
{
    __m128i a = mk(1), b = mk(2);
    __m128i edge = OI(_mm_setr_epi16(0, 1, -1, 32767, -32768, 255, -256, 12345));
    __m128i edge2 = OI(_mm_setr_epi16(-1, 32767, 1, 1, -1, 256, -2, -12345));
    p128("a", a);
    p128("b", b);
    p128("add8", _mm_add_epi8(a, b));
    p128("adds8", _mm_adds_epi8(a, b));
    p128("addsu8", _mm_adds_epu8(a, b));
    p128("subs8", _mm_subs_epi8(a, b));
    p128("subsu8", _mm_subs_epu8(a, b));
    p128("add16", _mm_add_epi16(a, b));
    p128("adds16", _mm_adds_epi16(edge, edge2));
    p128("subs16", _mm_subs_epi16(edge, edge2));
    p128("addsu16", _mm_adds_epu16(edge, edge2));
    p128("subsu16", _mm_subs_epu16(edge, edge2));
    p128("add32", _mm_add_epi32(a, b));
    p128("sub64", _mm_sub_epi64(a, b));
    p128("mullo16", _mm_mullo_epi16(edge, edge2));
    p128("mulhi16", _mm_mulhi_epi16(edge, edge2));
    p128("mulhiu16", _mm_mulhi_epu16(edge, edge2));
    p128("mul_epu32", _mm_mul_epu32(a, b));
    p128("madd16", _mm_madd_epi16(edge, edge2));
    p128("sad8", _mm_sad_epu8(a, b));
    p128("avg8", _mm_avg_epu8(a, b));
    p128("avg16", _mm_avg_epu16(edge, edge2));
    p128("min_u8", _mm_min_epu8(a, b));
    p128("max_u8", _mm_max_epu8(a, b));
    p128("min_s16", _mm_min_epi16(edge, edge2));
    p128("max_s16", _mm_max_epi16(edge, edge2));
    p128("cmpeq8", _mm_cmpeq_epi8(a, _mm_or_si128(a, _mm_set1_epi8(1))));
    p128("cmpgt8", _mm_cmpgt_epi8(a, b));
    p128("cmplt16", _mm_cmplt_epi16(edge, edge2));
    p128("cmpgt32", _mm_cmpgt_epi32(a, b));
    p128("packs16", _mm_packs_epi16(edge, edge2));
    p128("packus16", _mm_packus_epi16(edge, edge2));
    p128("packs32", _mm_packs_epi32(a, b));
    p128("unpacklo8", _mm_unpacklo_epi8(a, b));
    p128("unpackhi8", _mm_unpackhi_epi8(a, b));
    p128("unpacklo16", _mm_unpacklo_epi16(a, b));
    p128("unpackhi32", _mm_unpackhi_epi32(a, b));
    p128("unpacklo64", _mm_unpacklo_epi64(a, b));
    p128("unpackhi64", _mm_unpackhi_epi64(a, b));
    p128("shuf32_1b", _mm_shuffle_epi32(a, 0x1b));
    p128("shuf32_e1", _mm_shuffle_epi32(a, 0xe1));
    p128("shuflo_39", _mm_shufflelo_epi16(a, 0x39));
    p128("shufhi_c6", _mm_shufflehi_epi16(a, 0xc6));
    p128("andnot", _mm_andnot_si128(a, b));
    p128("xor", _mm_xor_si128(a, b));
    for (int c = 0; c <= 66; c += 3) {
        char l[32];
        __m128i cnt = OI(_mm_cvtsi32_si128(c));
        snprintf(l, sizeof l, "sll16/%d", c); p128(l, _mm_sll_epi16(a, cnt));
        snprintf(l, sizeof l, "srl32/%d", c); p128(l, _mm_srl_epi32(a, cnt));
        snprintf(l, sizeof l, "sra16/%d", c); p128(l, _mm_sra_epi16(a, cnt));
        snprintf(l, sizeof l, "sra32/%d", c); p128(l, _mm_sra_epi32(a, cnt));
        snprintf(l, sizeof l, "sll64/%d", c); p128(l, _mm_sll_epi64(a, cnt));
    }
    /* huge count in the 64-bit count register */
    p128("srl64/2^32", _mm_srl_epi64(a, OI(_mm_set_epi32(0, 0, 1, 0))));
    p128("slli16/15", _mm_slli_epi16(a, 15));
    p128("srai32/31", _mm_srai_epi32(a, 31));
    p128("srli64/1", _mm_srli_epi64(a, 1));
    p128("slldq/1", _mm_slli_si128(a, 1));
    p128("slldq/7", _mm_slli_si128(a, 7));
    p128("srldq/3", _mm_srli_si128(a, 3));
    p128("srldq/15", _mm_srli_si128(a, 15));
    printf("movemask8 a=%04x b=%04x\n", _mm_movemask_epi8(a), _mm_movemask_epi8(b));
    printf("cvtsi128 %08x %016llx\n", _mm_cvtsi128_si32(a), (unsigned long long)_mm_cvtsi128_si64(a));
    printf("extract16 %d %d insert ", _mm_extract_epi16(a, 0), _mm_extract_epi16(a, 7));
    p128("", _mm_insert_epi16(a, 0xbeef, 5));

    /* floating point */
    __m128 fa = OF(_mm_setr_ps(1.0f, -2.5f, 3.0e38f, 1e-40f));
    __m128 fb = OF(_mm_setr_ps(3.0f, 0.0f, 10.0f, -1e-40f));
    __m128 fnan = OF(_mm_setr_ps(__builtin_nanf(""), 1.0f, -__builtin_inff(), 0.0f));
    pps("addps", _mm_add_ps(fa, fb));
    pps("mulps", _mm_mul_ps(fa, fb));
    pps("divps", _mm_div_ps(fa, fb));
    pps("sqrtps", _mm_sqrt_ps(fa));
    pps("minps a,n", _mm_min_ps(fa, fnan));
    pps("minps n,a", _mm_min_ps(fnan, fa));
    pps("maxps a,n", _mm_max_ps(fa, fnan));
    pps("maxps n,a", _mm_max_ps(fnan, fa));
    pps("min(-0,+0)", _mm_min_ps(OF(_mm_set1_ps(-0.0f)), OF(_mm_set1_ps(0.0f))));
    pps("min(+0,-0)", _mm_min_ps(OF(_mm_set1_ps(0.0f)), OF(_mm_set1_ps(-0.0f))));
    pps("addss", _mm_add_ss(fa, fb));
    pps("sqrtss", _mm_sqrt_ss(fb));
    pps("cmpeq", _mm_cmpeq_ps(fa, fnan));
    pps("cmplt", _mm_cmplt_ps(fa, fb));
    pps("cmple", _mm_cmple_ps(fa, fb));
    pps("cmpunord", _mm_cmpunord_ps(fa, fnan));
    pps("cmpord", _mm_cmpord_ps(fa, fnan));
    pps("cmpneq", _mm_cmpneq_ps(fnan, fnan));
    pps("cmpnlt", _mm_cmpnlt_ps(fa, fnan));
    pps("shufps", _mm_shuffle_ps(fa, fb, 0x4e));
    pps("unpacklo", _mm_unpacklo_ps(fa, fb));
    pps("movehl", _mm_movehl_ps(fa, fb));
    pps("movelh", _mm_movelh_ps(fa, fb));
    pps("rcp-ish", _mm_and_ps(_mm_rcp_ps(OF(_mm_set1_ps(4.0f))), _mm_castsi128_ps(_mm_set1_epi32((int)0xffff0000u))));
    printf("movmskps %x\n", _mm_movemask_ps(OF(_mm_setr_ps(-1.0f, 1.0f, -0.0f, __builtin_nanf("")))));
    __m128d da = OD(_mm_setr_pd(1.0 / 3.0, -1e308)), db = OD(_mm_setr_pd(3.0, 10.0));
    ppd("mulpd", _mm_mul_pd(da, db));
    ppd("divpd", _mm_div_pd(db, da));
    ppd("sqrtpd", _mm_sqrt_pd(OD(_mm_setr_pd(2.0, -1.0))));
    ppd("minpd nan", _mm_min_pd(OD(_mm_setr_pd(__builtin_nan(""), 1.0)), OD(_mm_setr_pd(2.0, __builtin_nan("")))));
    ppd("maxsd", _mm_max_sd(da, db));
    ppd("cmplepd", _mm_cmple_pd(da, db));
    ppd("unpackhi", _mm_unpackhi_pd(da, db));
    ppd("shufpd", _mm_shuffle_pd(da, db, 1));
    printf("movmskpd %x comisd lt=%d eq=%d ucomi-nan lt=%d eq=%d neq=%d\n", _mm_movemask_pd(da), _mm_comilt_sd(da, db), _mm_comieq_sd(da, da),
           _mm_ucomilt_sd(OD(_mm_set_sd(__builtin_nan(""))), db), _mm_ucomieq_sd(OD(_mm_set_sd(__builtin_nan(""))), db),
           _mm_ucomineq_sd(OD(_mm_set_sd(__builtin_nan(""))), db));
    /* conversions */
    __m128 cv = OF(_mm_setr_ps(2.5f, -3.5f, 3e9f, -2147483904.0f));
    p128("cvtps2dq", _mm_cvtps_epi32(cv));
    p128("cvttps2dq", _mm_cvttps_epi32(cv));
    p128("cvttps2dq nan", _mm_cvttps_epi32(fnan));
    pps("cvtdq2ps", _mm_cvtepi32_ps(OI(_mm_setr_epi32(16777217, -16777219, 0x7fffffff, (int)0x80000001u))));
    p128("cvtpd2dq", _mm_cvtpd_epi32(OD(_mm_setr_pd(-0.5, 1e10))));
    p128("cvttpd2dq", _mm_cvttpd_epi32(OD(_mm_setr_pd(-1.9, 2147483647.9))));
    ppd("cvtps2pd", _mm_cvtps_pd(fa));
    pps("cvtpd2ps", _mm_cvtpd_ps(OD(_mm_setr_pd(1e300, 1.0000000596046448))));
    ppd("cvtdq2pd", _mm_cvtepi32_pd(OI(_mm_setr_epi32(-7, 2147483647, 0, 0))));
    const double sdv[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1e19, -9.3e18, 9.2233720368547748e18, __builtin_nan(""), __builtin_inf()};
    const unsigned modes[4] = {_MM_ROUND_NEAREST, _MM_ROUND_DOWN, _MM_ROUND_UP, _MM_ROUND_TOWARD_ZERO};
    unsigned csr0 = _mm_getcsr();
    for (int m = 0; m < 4; m++) {
        unsigned csr = (csr0 & ~0x6000u) | modes[m];
        printf("mode %d:", m);
        for (size_t i = 0; i < sizeof sdv / sizeof sdv[0]; i++) {
            __m128d x = _mm_set_sd(sdv[i]);
            int r32, t32;
            long long r64, t64;
            /* ldmxcsr ... ops ... ldmxcsr in one asm so nothing is scheduled across the mode change */
            __asm__ volatile("ldmxcsr %[c]\n\tcvtsd2si %[x], %k[r32]\n\tcvtsd2si %[x], %q[r64]\n\t"
                             "cvttsd2si %[x], %k[t32]\n\tcvttsd2si %[x], %q[t64]\n\tldmxcsr %[c0]"
                             : [r32] "=&r"(r32), [r64] "=&r"(r64), [t32] "=&r"(t32), [t64] "=&r"(t64)
                             : [x] "x"(x), [c] "m"(csr), [c0] "m"(csr0));
            printf(" [%d %lld %d %lld]", r32, r64, t32, t64);
        }
        __m128 third = _mm_set_ss(1.0f);
        __m128d dthird = _mm_set_sd(-1.0), d01 = _mm_set_sd(0.1), big = _mm_set_sd(1e300);
        __m128 s01 = _mm_setzero_ps(), sbig = _mm_setzero_ps();
        __m128d sq2 = _mm_set_sd(2.0);
        __asm__ volatile("ldmxcsr %[c]\n\tdivss %[t3], %[t]\n\tdivsd %[d3], %[dt]\n\tcvtsd2ss %[d01], %[s01]\n\t"
                         "cvtsd2ss %[big], %[sbig]\n\tsqrtsd %[sq2], %[sq2]\n\tldmxcsr %[c0]"
                         : [t] "+x"(third), [dt] "+x"(dthird), [s01] "+x"(s01), [sbig] "+x"(sbig), [sq2] "+x"(sq2)
                         : [t3] "x"(_mm_set_ss(3.0f)), [d3] "x"(_mm_set_sd(3.0)), [d01] "x"(d01), [big] "x"(big),
                           [c] "m"(csr), [c0] "m"(csr0));
        printf(" 1/3f=%08x -1/3=%016llx cvtsd2ss(0.1)=%08x cvtsd2ss(1e300)=%08x sqrt2=%016llx\n",
               (unsigned)_mm_cvtsi128_si32(_mm_castps_si128(third)), (unsigned long long)_mm_cvtsi128_si64(_mm_castpd_si128(dthird)),
               (unsigned)_mm_cvtsi128_si32(_mm_castps_si128(s01)), (unsigned)_mm_cvtsi128_si32(_mm_castps_si128(sbig)),
               (unsigned long long)_mm_cvtsi128_si64(_mm_castpd_si128(sq2)));
    }
    /* exception status flags (sticky bits 0..5 of MXCSR) */
#define FLAGTEST(name, insn, xv, yv)                                                                              \
    {                                                                                                              \
        unsigned cin = csr0 & ~0x3fu, cout;                                                                        \
        __m128d x = _mm_set_sd(xv), y = _mm_set_sd(yv);                                                            \
        __asm__ volatile("ldmxcsr %[ci]\n\t" insn " %[y], %[x]\n\tstmxcsr %[co]\n\tldmxcsr %[c0]"                   \
                         : [x] "+x"(x), [co] "=m"(cout) : [y] "x"(y), [ci] "m"(cin), [c0] "m"(csr0));              \
        printf("mxcsr flags after %-22s = %02x result=%016llx\n", name, cout & 0x3f,                               \
               (unsigned long long)_mm_cvtsi128_si64(_mm_castpd_si128(x)));                                        \
    }
    FLAGTEST("addsd exact", "addsd", 1.0, 3.0)
    FLAGTEST("divsd inexact", "divsd", 1.0, 3.0)
    FLAGTEST("divsd by zero", "divsd", 1.0, 0.0)
    FLAGTEST("divsd 0/0 invalid", "divsd", 0.0, 0.0)
    FLAGTEST("sqrtsd negative", "sqrtsd", 0.0, -3.0)
    FLAGTEST("mulsd overflow", "mulsd", 1e300, 1e300)
    FLAGTEST("mulsd underflow", "mulsd", 1e-300, 1e-300)
    FLAGTEST("addsd denormal input", "addsd", 3.0, 4e-320)
    FLAGTEST("mulsd exact denormal", "mulsd", 0.5, 4e-320)
    FLAGTEST("subsd inf-inf", "subsd", __builtin_inf(), __builtin_inf())
    FLAGTEST("maxsd qnan", "maxsd", 1.0, __builtin_nan(""))
    FLAGTEST("ucomisd qnan", "ucomisd", 1.0, __builtin_nan(""))
    FLAGTEST("comisd qnan", "comisd", 1.0, __builtin_nan(""))
    FLAGTEST("cvtsd2ss-like mul", "mulsd", 1.5, 2.0)
    /* FTZ (bit 15) and DAZ (bit 6) */
    {
        unsigned cin = (csr0 & ~0x3fu) | 0x8040u, cout;
        __m128 x = _mm_set_ss(1e-39f), y = _mm_set_ss(2.0f), z = _mm_set_ss(1e-30f), w = _mm_set_ss(1e-10f);
        __asm__ volatile("ldmxcsr %[ci]\n\tmulss %[y], %[x]\n\tmulss %[w], %[z]\n\tstmxcsr %[co]\n\tldmxcsr %[c0]"
                         : [x] "+x"(x), [z] "+x"(z), [co] "=m"(cout) : [y] "x"(y), [w] "x"(w), [ci] "m"(cin), [c0] "m"(csr0));
        pps("daz*2", x);
        pps("ftz", z);
        printf("ftz/daz flags=%02x restored csr=%04x\n", cout & 0x3f, _mm_getcsr() & 0xffc0);
    }
    return 0;
}
