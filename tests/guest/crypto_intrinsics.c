// cflags: -maes -mpclmul -msha
// AES-NI (FIPS-197 vectors, key expansion with aeskeygenassist, aesimc for the decryption keys, a CBC
// round trip), SHA-1 and SHA-256 with the SHA extensions (rounds, nexte and message schedule) on known
// and generated messages, and PCLMULQDQ products with every immediate. Needs only SSE2 besides.
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void hex(const char *label, const uint8_t *p, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
    printf("\n");
}

static __m128i expand(__m128i key, __m128i assist)
{
    assist = _mm_shuffle_epi32(assist, 0xff);
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, assist);
}

#define EXPAND(i, rcon) k[i] = expand(k[i - 1], _mm_aeskeygenassist_si128(k[i - 1], rcon))

static void aes128_keys(const uint8_t key[16], __m128i k[11], __m128i dk[11])
{
    k[0] = _mm_loadu_si128((const __m128i *)key);
    EXPAND(1, 0x01); EXPAND(2, 0x02); EXPAND(3, 0x04); EXPAND(4, 0x08); EXPAND(5, 0x10);
    EXPAND(6, 0x20); EXPAND(7, 0x40); EXPAND(8, 0x80); EXPAND(9, 0x1b); EXPAND(10, 0x36);
    dk[0] = k[10];
    for (int i = 1; i < 10; i++) dk[i] = _mm_aesimc_si128(k[10 - i]);
    dk[10] = k[0];
}

static __m128i aes_encrypt(__m128i x, const __m128i k[11])
{
    x = _mm_xor_si128(x, k[0]);
    for (int i = 1; i < 10; i++) x = _mm_aesenc_si128(x, k[i]);
    return _mm_aesenclast_si128(x, k[10]);
}

static __m128i aes_decrypt(__m128i x, const __m128i dk[11])
{
    x = _mm_xor_si128(x, dk[0]);
    for (int i = 1; i < 10; i++) x = _mm_aesdec_si128(x, dk[i]);
    return _mm_aesdeclast_si128(x, dk[10]);
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static __m128i words(const uint32_t *w) { return _mm_set_epi32(w[0], w[1], w[2], w[3]); } // w[0] in bits 127:96
static __m128i words_lo(const uint32_t *w) { return _mm_set_epi32(w[3], w[2], w[1], w[0]); } // w[0] in bits 31:0
static void store_lo(uint32_t *w, __m128i v) { _mm_storeu_si128((__m128i *)w, v); }

static void sha256_block(uint32_t h[8], const uint8_t *block)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++) w[t] = be32(block + 4 * t);
    // The schedule through SHA256MSG1/MSG2: W[t..t+3] from W[t-16..t-13], W[t-12..], W[t-7..t-4], W[t-4..t-1].
    for (int t = 16; t < 64; t += 4) {
        __m128i x = _mm_sha256msg1_epu32(words_lo(w + t - 16), words_lo(w + t - 12));
        x = _mm_add_epi32(x, words_lo(w + t - 7));
        store_lo(w + t, _mm_sha256msg2_epu32(x, words_lo(w + t - 4)));
    }
    __m128i abef = _mm_set_epi32(h[0], h[1], h[4], h[5]), cdgh = _mm_set_epi32(h[2], h[3], h[6], h[7]);
    for (int t = 0; t < 64; t += 4) {
        __m128i wk = _mm_add_epi32(words_lo(w + t), words_lo(K256 + t));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
    }
    uint32_t a[4], c[4];
    _mm_storeu_si128((__m128i *)a, abef);
    _mm_storeu_si128((__m128i *)c, cdgh);
    h[0] += a[3]; h[1] += a[2]; h[4] += a[1]; h[5] += a[0];
    h[2] += c[3]; h[3] += c[2]; h[6] += c[1]; h[7] += c[0];
}

static void sha1_block(uint32_t h[5], const uint8_t *block)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++) w[t] = be32(block + 4 * t);
    // SHA1MSG1/MSG2 take and give words with the earliest in bits 127:96.
    for (int t = 16; t < 80; t += 4) {
        __m128i x = _mm_sha1msg1_epu32(words(w + t - 16), words(w + t - 12));
        x = _mm_xor_si128(x, words(w + t - 8));
        __m128i r = _mm_sha1msg2_epu32(x, words(w + t - 4));
        uint32_t o[4];
        _mm_storeu_si128((__m128i *)o, r);
        w[t] = o[3]; w[t + 1] = o[2]; w[t + 2] = o[1]; w[t + 3] = o[0];
    }
    __m128i abcd = _mm_set_epi32(h[0], h[1], h[2], h[3]), prev = abcd;
    for (int g = 0; g < 20; g++) {
        __m128i x = g == 0 ? _mm_add_epi32(words(w), _mm_set_epi32(h[4], 0, 0, 0)) : _mm_sha1nexte_epu32(prev, words(w + 4 * g));
        prev = abcd;
        switch (g / 5) {
        case 0: abcd = _mm_sha1rnds4_epu32(abcd, x, 0); break;
        case 1: abcd = _mm_sha1rnds4_epu32(abcd, x, 1); break;
        case 2: abcd = _mm_sha1rnds4_epu32(abcd, x, 2); break;
        default: abcd = _mm_sha1rnds4_epu32(abcd, x, 3); break;
        }
    }
    uint32_t e[4], a[4];
    _mm_storeu_si128((__m128i *)e, _mm_sha1nexte_epu32(prev, _mm_set_epi32(h[4], 0, 0, 0)));
    _mm_storeu_si128((__m128i *)a, abcd);
    h[0] += a[3]; h[1] += a[2]; h[2] += a[1]; h[3] += a[0]; h[4] = e[3];
}

// Pads (0x80, zeros, the bit length big-endian) and hashes: SHA-1 when n_words is 5, SHA-256 when 8.
static void digest(const uint8_t *msg, size_t len, int n_words, uint8_t *out)
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    if (n_words == 5) { uint32_t s[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}; memcpy(h, s, sizeof s); }
    static uint8_t padded[512];
    size_t total = (len + 9 + 63) / 64 * 64;
    memset(padded, 0, total);
    memcpy(padded, msg, len);
    padded[len] = 0x80;
    for (int i = 0; i < 8; i++) padded[total - 1 - i] = (uint8_t)((uint64_t)len * 8 >> (8 * i));
    for (size_t b = 0; b < total; b += 64)
        if (n_words == 5) sha1_block(h, padded + b); else sha256_block(h, padded + b);
    for (int i = 0; i < n_words; i++) { out[4 * i] = h[i] >> 24; out[4 * i + 1] = h[i] >> 16; out[4 * i + 2] = h[i] >> 8; out[4 * i + 3] = h[i]; }
}

static uint64_t seed = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { seed = seed * 6364136223846793005ull + 1442695040888963407ull; return seed ^ (seed >> 29); }

int main(void)
{
    static const uint8_t key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static const uint8_t pt[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    __m128i k[11], dk[11];
    aes128_keys(key, k, dk);
    uint8_t out[16];
    _mm_storeu_si128((__m128i *)out, k[10]);
    hex("aes128 last round key: ", out, 16);
    __m128i c = aes_encrypt(_mm_loadu_si128((const __m128i *)pt), k);
    _mm_storeu_si128((__m128i *)out, c);
    hex("aes128 fips-197 c.1:   ", out, 16);
    _mm_storeu_si128((__m128i *)out, aes_decrypt(c, dk));
    hex("aes128 decrypted:      ", out, 16);

    static uint8_t buf[4096], enc[4096], dec[4096];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)next();
    __m128i iv = _mm_set_epi64x(0x0f0e0d0c0b0a0908, 0x0706050403020100), chain = iv;
    for (size_t i = 0; i < sizeof buf; i += 16) {
        chain = aes_encrypt(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(buf + i)), chain), k);
        _mm_storeu_si128((__m128i *)(enc + i), chain);
    }
    chain = iv;
    for (size_t i = 0; i < sizeof buf; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(enc + i));
        _mm_storeu_si128((__m128i *)(dec + i), _mm_xor_si128(aes_decrypt(x, dk), chain));
        chain = x;
    }
    hex("cbc last block:        ", enc + sizeof enc - 16, 16);
    printf("cbc round trip:        %s\n", memcmp(buf, dec, sizeof buf) == 0 ? "ok" : "MISMATCH");

    uint8_t d[32];
    const char *abc = "abc", *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest((const uint8_t *)abc, 3, 8, d); hex("sha256(abc):  ", d, 32);
    digest((const uint8_t *)two, strlen(two), 8, d); hex("sha256(448b): ", d, 32);
    digest((const uint8_t *)abc, 3, 5, d); hex("sha1(abc):    ", d, 20);
    digest((const uint8_t *)two, strlen(two), 5, d); hex("sha1(448b):   ", d, 20);
    for (size_t len = 0; len <= 200; len += 37) {
        char label[32];
        digest(buf, len, 8, d); snprintf(label, sizeof label, "sha256(buf,%zu): ", len); hex(label, d, 32);
        digest(buf, len, 5, d); snprintf(label, sizeof label, "sha1(buf,%zu):   ", len); hex(label, d, 20);
    }

    uint64_t acc = 0;
    for (int i = 0; i < 1000; i++) {
        __m128i a = _mm_set_epi64x(next(), next()), b = _mm_set_epi64x(next(), next());
        __m128i r0 = _mm_clmulepi64_si128(a, b, 0x00), r1 = _mm_clmulepi64_si128(a, b, 0x01);
        __m128i r2 = _mm_clmulepi64_si128(a, b, 0x10), r3 = _mm_clmulepi64_si128(a, b, 0x11);
        __m128i x = _mm_xor_si128(_mm_xor_si128(r0, _mm_slli_si128(r1, 1)), _mm_xor_si128(_mm_srli_si128(r2, 3), r3));
        uint64_t v[2];
        _mm_storeu_si128((__m128i *)v, x);
        acc = (acc ^ v[0]) * 0x100000001b3ull ^ v[1];
        if (i < 3) printf("clmul %d: %016llx %016llx\n", i, (unsigned long long)v[1], (unsigned long long)v[0]);
    }
    printf("clmul checksum: %016llx\n", (unsigned long long)acc);
    return 0;
}
