// General integer/FP workload: SHA-256 and CRC-32 of generated data (known test vectors
// too), Adler-32, sieve of Eratosthenes, N-queens counts, big-number factorial in base 1e9,
// ASCII Mandelbrot, matrix multiply, Collatz lengths, and an LCG-driven sort checksum.
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256(const uint8_t *msg, size_t len, uint8_t out[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t total = ((len + 9 + 63) / 64) * 64;
    uint8_t *buf = calloc(total, 1);
    memcpy(buf, msg, len);
    buf[len] = 0x80;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) buf[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t off = 0; off < total; off += 64) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++) w[i] = (uint32_t)buf[off + 4 * i] << 24 | (uint32_t)buf[off + 4 * i + 1] << 16 | (uint32_t)buf[off + 4 * i + 2] << 8 | buf[off + 4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = hh + S1 + ch + K[i] + w[i];
            uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
            uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + mj;
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    free(buf);
    for (int i = 0; i < 8; i++) { out[4 * i] = (uint8_t)(h[i] >> 24); out[4 * i + 1] = (uint8_t)(h[i] >> 16); out[4 * i + 2] = (uint8_t)(h[i] >> 8); out[4 * i + 3] = (uint8_t)h[i]; }
}

static uint32_t crc_table[256];
static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2)
{
    if (row == n) return 1;
    int count = 0;
    unsigned avail = ~(cols | d1 | d2) & ((1u << n) - 1);
    while (avail) {
        unsigned bit = avail & -avail;
        avail ^= bit;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return count;
}

static void print_hex(const char *label, const uint8_t *d, int n)
{
    printf("%s", label);
    for (int i = 0; i < n; i++) printf("%02x", d[i]);
    printf("\n");
}

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint8_t dig[32];
    sha256((const uint8_t *)"abc", 3, dig);
    print_hex("sha256(abc)=", dig, 32);
    sha256((const uint8_t *)"", 0, dig);
    print_hex("sha256('')=", dig, 32);
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256((const uint8_t *)two, strlen(two), dig);
    print_hex("sha256(448-bit)=", dig, 32);
    printf("crc32(123456789)=%08x\n", crc32((const uint8_t *)"123456789", 9));
    static uint8_t data[20000];
    uint32_t s = 1;
    for (size_t i = 0; i < sizeof data; i++) { s = s * 1103515245u + 12345u; data[i] = (uint8_t)(s >> 16); }
    for (size_t n = 0; n <= sizeof data; n = n ? n * 3 : 1) {
        sha256(data, n, dig);
        uint32_t a = 1, b = 0;
        for (size_t i = 0; i < n; i++) { a = (a + data[i]) % 65521; b = (b + a) % 65521; }
        printf("len %5zu: crc32=%08x adler32=%08x sha256=", n, crc32(data, n), b << 16 | a);
        print_hex("", dig, 32);
    }
    /* sieve */
    static uint8_t comp[200001];
    int primes = 0;
    long psum = 0;
    for (int i = 2; i <= 200000; i++) {
        if (comp[i]) continue;
        primes++;
        psum += i;
        for (long j = (long)i * i; j <= 200000; j += i) comp[j] = 1;
    }
    printf("primes<=200000: %d sum=%ld\n", primes, psum);
    for (int n = 1; n <= 9; n++) printf("queens(%d)=%d\n", n, queens(n, 0, 0, 0, 0));
    /* factorial 300! in base 1e9 */
    uint32_t big[100] = {1};
    int len = 1;
    for (uint32_t k = 2; k <= 300; k++) {
        uint64_t carry = 0;
        for (int i = 0; i < len; i++) {
            uint64_t v = (uint64_t)big[i] * k + carry;
            big[i] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        while (carry) { big[len++] = (uint32_t)(carry % 1000000000u); carry /= 1000000000u; }
    }
    printf("300! = %u", big[len - 1]);
    for (int i = len - 2; i >= 0; i--) printf("%09u", big[i]);
    printf("\n");
    /* mandelbrot */
    for (int y = 0; y < 24; y++) {
        char line[81];
        for (int x = 0; x < 78; x++) {
            double cr = -2.2 + x * 3.0 / 78, ci = -1.2 + y * 2.4 / 24, zr = 0, zi = 0;
            int it = 0;
            while (it < 200 && zr * zr + zi * zi < 4.0) { double t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; it++; }
            line[x] = " .:-=+*#%@"[it >= 200 ? 9 : it % 9];
        }
        line[78] = 0;
        printf("|%s|\n", line);
    }
    /* matrix multiply */
    static double A[40][40], B[40][40], C[40][40];
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++) { A[i][j] = (i * 3 + j) % 7 - 3.5; B[i][j] = 1.0 / (i + j + 1); }
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++) {
            double acc = 0;
            for (int k = 0; k < 40; k++) acc += A[i][k] * B[k][j];
            C[i][j] = acc;
        }
    double tr = 0;
    for (int i = 0; i < 40; i++) tr += C[i][i];
    printf("matmul trace=%.17g C[3][17]=%.17g\n", tr, C[3][17]);
    /* collatz */
    int best = 0, bestn = 0;
    for (int n = 1; n < 30000; n++) {
        uint64_t v = (uint64_t)n;
        int steps = 0;
        while (v != 1) { v = v & 1 ? 3 * v + 1 : v / 2; steps++; }
        if (steps > best) { best = steps; bestn = n; }
    }
    printf("collatz longest below 30000: n=%d steps=%d\n", bestn, best);
    return 0;
}
