// x86-64 integer instructions via inline asm, checking results AND the architecturally
// defined flags (undefined flags are masked out): add/adc/sub/sbb/and/or/xor/cmp/test,
// inc/dec/neg/not, shl/shr/sar/rol/ror/rcl/rcr (8/16/32/64-bit, counts 0..70),
// shld/shrd, mul/imul, div/idiv, bt/bts/btr/btc, bsf/bsr, bswap, xadd, cmpxchg,
// setcc/cmovcc for every condition, sign extensions and partial-register writes.
// Flags are seeded with popfq (below the red zone) so flag-preserving behaviour is visible.
#include <stdio.h>
#include <stdint.h>

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ALL (CF | PF | AF | ZF | SF | OF)

#define PRE "lea -128(%%rsp), %%rsp\n\tpushq %[f]\n\tpopfq\n\t"
#define POST "\n\tpushfq\n\tpopq %[f]\n\tlea 128(%%rsp), %%rsp"

#define DEF_BIN(name, insn, T, m)                                                                          \
    static T name(T a, T b, uint64_t *fl)                                                                  \
    {                                                                                                      \
        uint64_t f = *fl;                                                                                  \
        __asm__ volatile(PRE insn " %" m "[b], %" m "[a]" POST : [a] "+r"(a), [f] "+r"(f) : [b] "r"(b) : "cc", "memory"); \
        *fl = f;                                                                                           \
        return a;                                                                                          \
    }
#define DEF_UN(name, insn, T, m)                                                                           \
    static T name(T a, uint64_t *fl)                                                                       \
    {                                                                                                      \
        uint64_t f = *fl;                                                                                  \
        __asm__ volatile(PRE insn " %" m "[a]" POST : [a] "+r"(a), [f] "+r"(f) : : "cc", "memory");        \
        *fl = f;                                                                                           \
        return a;                                                                                          \
    }
#define DEF_SH(name, insn, T, m)                                                                           \
    static T name(T a, uint8_t c, uint64_t *fl)                                                            \
    {                                                                                                      \
        uint64_t f = *fl;                                                                                  \
        __asm__ volatile(PRE insn " %%cl, %" m "[a]" POST : [a] "+r"(a), [f] "+r"(f) : "c"(c) : "cc", "memory"); \
        *fl = f;                                                                                           \
        return a;                                                                                          \
    }

#define DEF_ALL_SIZES(MAC, base, insn) \
    MAC(base##8, insn "b", uint8_t, "b") MAC(base##16, insn "w", uint16_t, "w") \
    MAC(base##32, insn "l", uint32_t, "k") MAC(base##64, insn "q", uint64_t, "q")

DEF_ALL_SIZES(DEF_BIN, add, "add")
DEF_ALL_SIZES(DEF_BIN, adc, "adc")
DEF_ALL_SIZES(DEF_BIN, sub, "sub")
DEF_ALL_SIZES(DEF_BIN, sbb, "sbb")
DEF_ALL_SIZES(DEF_BIN, and, "and")
DEF_ALL_SIZES(DEF_BIN, or, "or")
DEF_ALL_SIZES(DEF_BIN, xor, "xor")
DEF_ALL_SIZES(DEF_BIN, cmp, "cmp")
DEF_ALL_SIZES(DEF_BIN, test, "test")
DEF_ALL_SIZES(DEF_UN, inc, "inc")
DEF_ALL_SIZES(DEF_UN, dec, "dec")
DEF_ALL_SIZES(DEF_UN, neg, "neg")
DEF_ALL_SIZES(DEF_UN, not, "not")
DEF_ALL_SIZES(DEF_SH, shl, "shl")
DEF_ALL_SIZES(DEF_SH, shr, "shr")
DEF_ALL_SIZES(DEF_SH, sar, "sar")
DEF_ALL_SIZES(DEF_SH, rol, "rol")
DEF_ALL_SIZES(DEF_SH, ror, "ror")
DEF_ALL_SIZES(DEF_SH, rcl, "rcl")
DEF_ALL_SIZES(DEF_SH, rcr, "rcr")

static const uint64_t seeds[] = {
    0, 1, 2, 3, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000,
    0xffffffff, 0x100000000ULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
    0x5555555555555555ULL, 0xaaaaaaaaaaaaaaaaULL, 0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x8000000080008081ULL,
    0x00000000000000a5ULL, 0x0f0f0f0f0f0f0f0fULL,
};
#define NSEED (sizeof seeds / sizeof seeds[0])
static const uint64_t finit[] = {0x202, 0x202 | ALL, 0x202 | CF, 0x202 | ZF | PF};

static uint64_t H;
static void mix(uint64_t v) { H = (H ^ v) * 0x100000001b3ULL; }

typedef uint64_t (*bin_fn)(uint64_t, uint64_t, uint64_t *);

#define BIN_WRAP(base)                                                                           \
    static uint64_t base##_w8(uint64_t a, uint64_t b, uint64_t *f) { return base##8((uint8_t)a, (uint8_t)b, f); }   \
    static uint64_t base##_w16(uint64_t a, uint64_t b, uint64_t *f) { return base##16((uint16_t)a, (uint16_t)b, f); } \
    static uint64_t base##_w32(uint64_t a, uint64_t b, uint64_t *f) { return base##32((uint32_t)a, (uint32_t)b, f); } \
    static uint64_t base##_w64(uint64_t a, uint64_t b, uint64_t *f) { return base##64(a, b, f); }
BIN_WRAP(add) BIN_WRAP(adc) BIN_WRAP(sub) BIN_WRAP(sbb) BIN_WRAP(and) BIN_WRAP(or) BIN_WRAP(xor) BIN_WRAP(cmp) BIN_WRAP(test)

#define UN_WRAP(base)                                                                            \
    static uint64_t base##_w8(uint64_t a, uint64_t b, uint64_t *f) { (void)b; return base##8((uint8_t)a, f); }   \
    static uint64_t base##_w16(uint64_t a, uint64_t b, uint64_t *f) { (void)b; return base##16((uint16_t)a, f); } \
    static uint64_t base##_w32(uint64_t a, uint64_t b, uint64_t *f) { (void)b; return base##32((uint32_t)a, f); } \
    static uint64_t base##_w64(uint64_t a, uint64_t b, uint64_t *f) { (void)b; return base##64(a, f); }
UN_WRAP(inc) UN_WRAP(dec) UN_WRAP(neg) UN_WRAP(not)

#define SH_WRAP(base)                                                                            \
    static uint64_t base##_w8(uint64_t a, uint64_t b, uint64_t *f) { return base##8((uint8_t)a, (uint8_t)b, f); }   \
    static uint64_t base##_w16(uint64_t a, uint64_t b, uint64_t *f) { return base##16((uint16_t)a, (uint8_t)b, f); } \
    static uint64_t base##_w32(uint64_t a, uint64_t b, uint64_t *f) { return base##32((uint32_t)a, (uint8_t)b, f); } \
    static uint64_t base##_w64(uint64_t a, uint64_t b, uint64_t *f) { return base##64(a, (uint8_t)b, f); }
SH_WRAP(shl) SH_WRAP(shr) SH_WRAP(sar) SH_WRAP(rol) SH_WRAP(ror) SH_WRAP(rcl) SH_WRAP(rcr)

struct op { const char *name; bin_fn fn[4]; int kind; unsigned mask; };
enum { K_BIN, K_UN, K_SHIFT, K_ROT, K_RC };
#define OPROW(base, kind, mask) {#base, {base##_w8, base##_w16, base##_w32, base##_w64}, kind, mask}
static const struct op ops[] = {
    OPROW(add, K_BIN, ALL), OPROW(adc, K_BIN, ALL), OPROW(sub, K_BIN, ALL), OPROW(sbb, K_BIN, ALL),
    OPROW(and, K_BIN, ALL & ~AF), OPROW(or, K_BIN, ALL & ~AF), OPROW(xor, K_BIN, ALL & ~AF), OPROW(cmp, K_BIN, ALL),
    OPROW(test, K_BIN, ALL & ~AF), OPROW(inc, K_UN, ALL), OPROW(dec, K_UN, ALL), OPROW(neg, K_UN, ALL), OPROW(not, K_UN, ALL),
    OPROW(shl, K_SHIFT, 0), OPROW(shr, K_SHIFT, 0), OPROW(sar, K_SHIFT, 0), OPROW(rol, K_ROT, 0), OPROW(ror, K_ROT, 0),
    OPROW(rcl, K_RC, 0), OPROW(rcr, K_RC, 0),
};

static unsigned shift_mask(int kind, int bits, unsigned count)
{
    unsigned c = count & (bits == 64 ? 63u : 31u);
    if (c == 0) return ALL; /* flags unchanged: all defined */
    if (kind == K_SHIFT) {
        if (c >= (unsigned)bits) return 0;
        return (CF | PF | ZF | SF) | (c == 1 ? OF : 0) | 0;
    }
    /* rotates: SF ZF AF PF untouched, CF written, OF only for count 1 */
    return (PF | AF | ZF | SF | CF) | (c == 1 ? OF : 0);
}

int main(void)
{
    static const int bits_of[4] = {8, 16, 32, 64};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        for (int s = 0; s < 4; s++) {
            H = 0xcbf29ce484222325ULL;
            int bits = bits_of[s];
            int printed = 0;
            for (size_t i = 0; i < NSEED; i++) {
                size_t nb = ops[o].kind == K_UN ? 1 : ops[o].kind == K_BIN ? NSEED : 71;
                for (size_t j = 0; j < nb; j++) {
                    uint64_t b = ops[o].kind == K_BIN ? seeds[j] : (uint64_t)j;
                    for (size_t k = 0; k < 4; k++) {
                        uint64_t f = finit[k];
                        uint64_t r = ops[o].fn[s](seeds[i], b, &f);
                        unsigned m = ops[o].kind >= K_SHIFT ? shift_mask(ops[o].kind, bits, (unsigned)b) : ops[o].mask;
                        mix(r);
                        mix(f & m);
                        if ((f & 0x400) != 0) mix(0xdead); /* DF must stay clear */
                        if (printed < 3 && i == 23 && (j % 9 == 4 || ops[o].kind == K_UN) && k == 1) {
                            printf("  %s%d(%016llx, %llx) = %016llx flags=%03llx\n", ops[o].name, bits, (unsigned long long)seeds[i],
                                   (unsigned long long)b, (unsigned long long)r, (unsigned long long)(f & m));
                            printed++;
                        }
                    }
                }
            }
            printf("%-4s %2d-bit hash %016llx\n", ops[o].name, bits, (unsigned long long)H);
        }
    }

    /* shld / shrd 32 and 64 */
    H = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < NSEED; i++)
        for (unsigned c = 0; c < 64; c++)
            for (int k = 0; k < 2; k++) {
                uint64_t a = seeds[i], b = seeds[(i * 7 + 3) % NSEED], f = finit[k];
                uint64_t a2 = a, f2 = finit[k];
                __asm__ volatile(PRE "shldq %%cl, %[b], %[a]" POST : [a] "+r"(a), [f] "+r"(f) : [b] "r"(b), "c"((uint8_t)c) : "cc", "memory");
                __asm__ volatile(PRE "shrdq %%cl, %[b], %[a]" POST : [a] "+r"(a2), [f] "+r"(f2) : [b] "r"(b), "c"((uint8_t)c) : "cc", "memory");
                unsigned m = c == 0 ? ALL : (CF | PF | ZF | SF) | (c == 1 ? OF : 0);
                mix(a); mix(f & m); mix(a2); mix(f2 & m);
                uint32_t a3 = (uint32_t)seeds[i], a4 = a3, b3 = (uint32_t)b;
                uint64_t f3 = finit[k], f4 = finit[k];
                __asm__ volatile(PRE "shldl %%cl, %[b], %[a]" POST : [a] "+r"(a3), [f] "+r"(f3) : [b] "r"(b3), "c"((uint8_t)c) : "cc", "memory");
                __asm__ volatile(PRE "shrdl %%cl, %[b], %[a]" POST : [a] "+r"(a4), [f] "+r"(f4) : [b] "r"(b3), "c"((uint8_t)c) : "cc", "memory");
                unsigned c5 = c & 31;
                unsigned m3 = c5 == 0 ? ALL : (CF | PF | ZF | SF) | (c5 == 1 ? OF : 0);
                mix(a3); mix(f3 & m3); mix(a4); mix(f4 & m3);
            }
    printf("shld/shrd hash %016llx\n", (unsigned long long)H);

    /* mul / imul / div / idiv */
    H = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < NSEED; i++)
        for (size_t j = 0; j < NSEED; j++) {
            uint64_t a = seeds[i], b = seeds[j], lo = a, hi, f = 0x202;
            __asm__ volatile(PRE "mulq %[b]" POST : "+a"(lo), "=d"(hi), [f] "+r"(f) : [b] "r"(b) : "cc", "memory");
            mix(lo); mix(hi); mix(f & (CF | OF));
            lo = a; f = 0x202;
            __asm__ volatile(PRE "imulq %[b]" POST : "+a"(lo), "=d"(hi), [f] "+r"(f) : [b] "r"(b) : "cc", "memory");
            mix(lo); mix(hi); mix(f & (CF | OF));
            uint64_t r2 = a; f = 0x202;
            __asm__ volatile(PRE "imulq %[b], %[r]" POST : [r] "+r"(r2), [f] "+r"(f) : [b] "r"(b) : "cc", "memory");
            mix(r2); mix(f & (CF | OF));
            uint32_t l32 = (uint32_t)a, h32;
            f = 0x202;
            __asm__ volatile(PRE "mull %[b]" POST : "+a"(l32), "=d"(h32), [f] "+r"(f) : [b] "r"((uint32_t)b) : "cc", "memory");
            mix(l32); mix(h32); mix(f & (CF | OF));
            uint16_t r16 = (uint16_t)a; f = 0x202;
            __asm__ volatile(PRE "imulw %[b], %[r]" POST : [r] "+r"(r16), [f] "+r"(f) : [b] "r"((uint16_t)b) : "cc", "memory");
            mix(r16); mix(f & (CF | OF));
            uint16_t ax = (uint16_t)a; f = 0x202;
            __asm__ volatile(PRE "mulb %[b]" POST : "+a"(ax), [f] "+r"(f) : [b] "q"((uint8_t)b) : "cc", "memory");
            mix(ax); mix(f & (CF | OF));
            ax = (uint16_t)a; f = 0x202;
            __asm__ volatile(PRE "imulb %[b]" POST : "+a"(ax), [f] "+r"(f) : [b] "q"((uint8_t)b) : "cc", "memory");
            mix(ax); mix(f & (CF | OF));
            /* unsigned div: high half = a % b to avoid overflow */
            if (b != 0) {
                uint64_t dlo = a * 0x9e3779b97f4a7c15ULL, dhi = a % b, q, r;
                __asm__("divq %[b]" : "=a"(q), "=d"(r) : "a"(dlo), "d"(dhi), [b] "r"(b) : "cc");
                mix(q); mix(r);
                int64_t sa = (int64_t)a, sb = (int64_t)b;
                if (!(sa == INT64_MIN && sb == -1)) {
                    int64_t sq, sr;
                    __asm__("cqto\n\tidivq %[b]" : "=a"(sq), "=&d"(sr) : "a"(sa), [b] "r"(sb) : "cc");
                    mix((uint64_t)sq); mix((uint64_t)sr);
                }
                uint32_t b32 = (uint32_t)b;
                if (b32) {
                    uint32_t q32, r32;
                    __asm__("divl %[b]" : "=a"(q32), "=d"(r32) : "a"((uint32_t)dlo), "d"((uint32_t)a % b32), [b] "r"(b32) : "cc");
                    mix(q32); mix(r32);
                }
                uint8_t b8 = (uint8_t)b;
                if (b8) {
                    uint16_t axd = (uint16_t)(((uint8_t)a % b8) << 8 | (uint8_t)(a >> 8));
                    __asm__("divb %[b]" : "+a"(axd) : [b] "q"(b8) : "cc");
                    mix(axd);
                    int8_t sb8 = (int8_t)b8;
                    int16_t sax = (int16_t)(int8_t)a;
                    if (!(sax == -128 && sb8 == -1)) {
                        __asm__("idivb %[b]" : "+a"(sax) : [b] "q"(sb8) : "cc");
                        mix((uint16_t)sax);
                    }
                }
            }
        }
    printf("mul/div hash %016llx\n", (unsigned long long)H);

    /* bit test family, bsf/bsr, bswap, xadd, cmpxchg */
    H = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < NSEED; i++) {
        for (unsigned bit = 0; bit < 70; bit += 3) {
            uint64_t v = seeds[i], f = 0x202 | (bit & 1 ? ZF : 0);
            uint64_t v1 = v, v2 = v, v3 = v, f1 = f, f2 = f, f3 = f;
            uint64_t bb = bit;
            __asm__ volatile(PRE "btq %[b], %[v]" POST : [f] "+r"(f) : [v] "r"(v), [b] "r"(bb) : "cc", "memory");
            __asm__ volatile(PRE "btsq %[b], %[v]" POST : [v] "+r"(v1), [f] "+r"(f1) : [b] "r"(bb) : "cc", "memory");
            __asm__ volatile(PRE "btrq %[b], %[v]" POST : [v] "+r"(v2), [f] "+r"(f2) : [b] "r"(bb) : "cc", "memory");
            __asm__ volatile(PRE "btcq %[b], %[v]" POST : [v] "+r"(v3), [f] "+r"(f3) : [b] "r"(bb) : "cc", "memory");
            mix(f & (CF | ZF)); mix(v1); mix(f1 & (CF | ZF)); mix(v2); mix(f2 & (CF | ZF)); mix(v3); mix(f3 & (CF | ZF));
            uint32_t w = (uint32_t)v;
            f = 0x202;
            __asm__ volatile(PRE "btsl $13, %[v]" POST : [v] "+r"(w), [f] "+r"(f) : : "cc", "memory");
            mix(w); mix(f & CF);
        }
        uint64_t v = seeds[i];
        if (v) {
            uint64_t r1, r2, f1 = 0x202 | ZF, f2 = 0x202 | ZF;
            __asm__ volatile(PRE "bsfq %[v], %[r]" POST : [r] "=&r"(r1), [f] "+r"(f1) : [v] "r"(v) : "cc", "memory");
            __asm__ volatile(PRE "bsrq %[v], %[r]" POST : [r] "=&r"(r2), [f] "+r"(f2) : [v] "r"(v) : "cc", "memory");
            mix(r1); mix(r2); mix(f1 & ZF); mix(f2 & ZF);
            uint16_t v16 = (uint16_t)v, r16 = 0;
            if (v16) {
                f1 = 0x202;
                __asm__ volatile(PRE "bsrw %[v], %[r]" POST : [r] "+r"(r16), [f] "+r"(f1) : [v] "r"(v16) : "cc", "memory");
                mix(r16); mix(f1 & ZF);
            }
        } else {
            uint64_t f1 = 0x202, dummy = 0;
            __asm__ volatile(PRE "bsfq %[v], %[r]" POST : [r] "+r"(dummy), [f] "+r"(f1) : [v] "r"(v) : "cc", "memory");
            mix(f1 & ZF);
        }
        uint64_t bs = v;
        uint32_t bs32 = (uint32_t)v;
        __asm__("bswapq %0" : "+r"(bs));
        __asm__("bswapl %0" : "+r"(bs32));
        mix(bs); mix(bs32);
        /* memory operands are static (RIP-relative) because PRE moves %rsp */
        static uint64_t mem, m2;
        mem = seeds[(i + 5) % NSEED];
        uint64_t add = v, f = 0x202;
        __asm__ volatile(PRE "lock xaddq %[a], %[m]" POST : [a] "+r"(add), [m] "+m"(mem), [f] "+r"(f) : : "cc", "memory");
        mix(add); mix(mem); mix(f & ALL);
        for (int t = 0; t < 2; t++) {
            m2 = seeds[(i + 3) % NSEED];
            uint64_t expected = t ? m2 : v, desired = ~v;
            f = 0x202;
            __asm__ volatile(PRE "lock cmpxchgq %[d], %[m]" POST : "+a"(expected), [m] "+m"(m2), [f] "+r"(f) : [d] "r"(desired) : "cc", "memory");
            mix(expected); mix(m2); mix(f & ALL);
        }
    }
    printf("bit/xadd/cmpxchg hash %016llx\n", (unsigned long long)H);

    /* setcc and cmovcc for all 16 conditions over all flag combinations of CF PF ZF SF OF */
    const char *cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
    unsigned cc_table[16] = {0};
    for (unsigned combo = 0; combo < 32; combo++) {
        uint64_t f = 0x202 | ((combo & 1) ? CF : 0) | ((combo & 2) ? PF : 0) | ((combo & 4) ? ZF : 0) | ((combo & 8) ? SF : 0) | ((combo & 16) ? OF : 0);
        uint8_t s[16];
        uint64_t cm[16];
#define SETCC(i, cc)                                                                                                   \
        {                                                                                                              \
            uint64_t ff = f, src = 0x1111 * (i + 1), dst = 0xdead;                                                     \
            __asm__ volatile(PRE "set" cc " %b[s]\n\tcmov" cc "q %[src], %[d]" POST                                    \
                             : [s] "=&q"(s[i]), [d] "+r"(dst), [f] "+r"(ff) : [src] "r"(src) : "cc", "memory");         \
            cm[i] = dst;                                                                                               \
        }
        SETCC(0, "o") SETCC(1, "no") SETCC(2, "b") SETCC(3, "ae") SETCC(4, "e") SETCC(5, "ne") SETCC(6, "be") SETCC(7, "a")
        SETCC(8, "s") SETCC(9, "ns") SETCC(10, "p") SETCC(11, "np") SETCC(12, "l") SETCC(13, "ge") SETCC(14, "le") SETCC(15, "g")
        for (int i = 0; i < 16; i++) {
            cc_table[i] |= (unsigned)s[i] << combo;
            if ((cm[i] != 0xdead) != (s[i] != 0)) printf("cmov mismatch cc=%s combo=%u\n", cc_names[i], combo);
        }
    }
    for (int i = 0; i < 16; i++) printf("set%-2s truth table over CF|PF<<1|ZF<<2|SF<<3|OF<<4: %08x\n", cc_names[i], cc_table[i]);

    /* sign extension and partial register writes */
    for (size_t i = 0; i < NSEED; i += 3) {
        uint64_t v = seeds[i], r1 = 0xffffffffffffffffULL, r2 = 0x1111111111111111ULL, r3 = r2, r4 = r2, r5, r6, r7;
        __asm__("movl %k1, %k0" : "+r"(r1) : "r"(v));           /* zero-extends */
        __asm__("movw %w1, %w0" : "+r"(r2) : "r"(v));           /* preserves upper 48 */
        __asm__("movb %b1, %b0" : "+q"(r3) : "q"(v));           /* preserves upper 56 */
        __asm__("movb %b1, %h0" : "+Q"(r4) : "Q"(v));           /* writes bits 8..15 */
        __asm__("movsbq %b1, %0" : "=r"(r5) : "q"(v));
        __asm__("movswq %w1, %0" : "=r"(r6) : "r"(v));
        __asm__("movslq %k1, %0" : "=r"(r7) : "r"(v));
        uint64_t a = v, d;
        __asm__("cqto" : "+a"(a), "=d"(d));
        uint64_t cb = v;
        __asm__("cbtw" : "+a"(cb));
        uint64_t cw = v;
        __asm__("cwtl" : "+a"(cw));
        uint64_t cl = v;
        __asm__("cltq" : "+a"(cl));
        uint64_t zx8, zx16;
        __asm__("movzbl %b1, %k0" : "=r"(zx8) : "q"(v));
        __asm__("movzwq %w1, %0" : "=r"(zx16) : "r"(v));
        uint64_t ah = v, ahr;
        __asm__("movzbl %h1, %k0" : "=Q"(ahr) : "Q"(ah));
        printf("ext %016llx: movl=%016llx movw=%016llx movb=%016llx movh=%016llx sx8=%016llx sx16=%016llx sx32=%016llx cqo=%016llx "
               "cbw=%016llx cwde=%016llx cdqe=%016llx zx8=%llx zx16=%llx ah=%llx\n",
               (unsigned long long)v, (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3, (unsigned long long)r4,
               (unsigned long long)r5, (unsigned long long)r6, (unsigned long long)r7, (unsigned long long)d, (unsigned long long)cb,
               (unsigned long long)cw, (unsigned long long)cl, (unsigned long long)zx8, (unsigned long long)zx16, (unsigned long long)ahr);
    }
    /* lea address arithmetic */
    for (size_t i = 0; i < NSEED; i += 4) {
        uint64_t b = seeds[i], x = seeds[(i + 9) % NSEED], r1, r2, r3;
        __asm__("leaq 0x7fffffff(%1,%2,8), %0" : "=r"(r1) : "r"(b), "r"(x));
        __asm__("leaq -128(%1,%2,2), %0" : "=r"(r2) : "r"(b), "r"(x));
        __asm__("leal 12(%1,%2,4), %k0" : "=r"(r3) : "r"(b), "r"(x));
        printf("lea %016llx %016llx %016llx\n", (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3);
    }
    /* lahf / sahf */
    for (unsigned v = 0; v < 256; v += 17) {
        uint64_t ax = (uint64_t)v << 8, f = 0x202;
        __asm__ volatile(PRE "sahf\n\tmovb $0, %%ah\n\tlahf" POST : "+a"(ax), [f] "+r"(f) : : "cc", "memory");
        printf("sahf/lahf %02x -> ah=%02llx flags=%03llx\n", v, (unsigned long long)((ax >> 8) & 0xd7), (unsigned long long)(f & (CF | PF | AF | ZF | SF)));
    }
    return 0;
}
