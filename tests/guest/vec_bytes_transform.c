// cflags: -O3
// Byte-oriented loops that gcc -O3 vectorises with SSE2: ASCII upper/lower-casing, byte
// histogram, counting matches, saturating add/sub, absolute difference, averaging,
// interleave/deinterleave, reversal, RGB->gray weighted sums, over unaligned sub-arrays.
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define N 1500
static uint8_t src[N + 64], src2[N + 64], dst[N + 128];
static char text[N + 64], out[N + 128];

__attribute__((noinline)) static void to_upper(char *restrict d, const char *restrict s, int n)
{
    for (int i = 0; i < n; i++) { char c = s[i]; d[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }
}
__attribute__((noinline)) static void to_lower_xor(char *restrict d, const char *restrict s, int n)
{
    for (int i = 0; i < n; i++) { unsigned char c = (unsigned char)s[i]; d[i] = (char)(c ^ (((unsigned char)(c - 'A') < 26u) << 5)); }
}
__attribute__((noinline)) static void histogram(uint32_t *h, const uint8_t *s, int n) { for (int i = 0; i < n; i++) h[s[i]]++; }
__attribute__((noinline)) static int count_eq(const uint8_t *s, int n, uint8_t v) { int c = 0; for (int i = 0; i < n; i++) c += s[i] == v; return c; }
__attribute__((noinline)) static int count_range(const char *s, int n) { int c = 0; for (int i = 0; i < n; i++) c += (s[i] >= '0' && s[i] <= '9'); return c; }
__attribute__((noinline)) static void sat_add(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) { unsigned v = (unsigned)a[i] + b[i]; d[i] = (uint8_t)(v > 255 ? 255 : v); }
}
__attribute__((noinline)) static void sat_sub(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) d[i] = a[i] > b[i] ? (uint8_t)(a[i] - b[i]) : 0;
}
__attribute__((noinline)) static void absdiff(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) d[i] = (uint8_t)(a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
}
__attribute__((noinline)) static void avg(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) d[i] = (uint8_t)((a[i] + b[i] + 1) >> 1);
}
__attribute__((noinline)) static uint32_t sad(const uint8_t *a, const uint8_t *b, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++) s += (uint32_t)(a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
    return s;
}
__attribute__((noinline)) static void interleave(uint8_t *restrict d, const uint8_t *restrict a, const uint8_t *restrict b, int n)
{
    for (int i = 0; i < n; i++) { d[2 * i] = a[i]; d[2 * i + 1] = b[i]; }
}
__attribute__((noinline)) static void deinterleave(uint8_t *restrict a, uint8_t *restrict b, const uint8_t *restrict s, int n)
{
    for (int i = 0; i < n; i++) { a[i] = s[2 * i]; b[i] = s[2 * i + 1]; }
}
__attribute__((noinline)) static void reverse(uint8_t *restrict d, const uint8_t *restrict s, int n) { for (int i = 0; i < n; i++) d[i] = s[n - 1 - i]; }
__attribute__((noinline)) static void gray(uint8_t *restrict d, const uint8_t *restrict rgb, int n)
{
    for (int i = 0; i < n; i++) d[i] = (uint8_t)((rgb[3 * i] * 77 + rgb[3 * i + 1] * 150 + rgb[3 * i + 2] * 29) >> 8);
}
__attribute__((noinline)) static void shifts(uint16_t *restrict d, const uint8_t *restrict s, int n)
{
    for (int i = 0; i < n; i++) d[i] = (uint16_t)((s[i] << 4) | (s[i] >> 3));
}

static uint64_t hb(const void *p, int n)
{
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

int main(void)
{
    uint32_t s = 99991;
    const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:!?@[`{\x7f\x80\xc3\xa9\xff";
    for (int i = 0; i < N + 64; i++) {
        s = s * 1103515245u + 12345u;
        src[i] = (uint8_t)(s >> 16);
        src2[i] = (uint8_t)(s >> 24);
        text[i] = alphabet[(s >> 10) % (sizeof alphabet - 1)];
    }
    static const int lens[] = {0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 255, 256, 257, 499, 1000};
    uint64_t total = 0;
    for (int off = 0; off < 32; off++) {
        uint64_t h = 0;
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            int n = lens[li];
            to_upper(out + (off & 7), text + off, n);
            h = h * 31 + hb(out + (off & 7), n);
            to_lower_xor(out + 1, text + off, n);
            h = h * 31 + hb(out + 1, n);
            if (off == 3 && n == 63) printf("upper: %.63s\n", (to_upper(out, text + off, n), out));
            uint32_t hist[256] = {0};
            histogram(hist, src + off, n);
            h = h * 31 + hb(hist, sizeof hist);
            h = h * 31 + (uint64_t)count_eq(src + off, n, 0x80) * 7 + (uint64_t)count_range(text + off, n);
            sat_add(dst + (off & 15), src + off, src2 + 1, n);
            h = h * 31 + hb(dst + (off & 15), n);
            sat_sub(dst + 2, src + off, src2 + off, n);
            h = h * 31 + hb(dst + 2, n);
            absdiff(dst + 5, src + 3, src2 + off, n);
            h = h * 31 + hb(dst + 5, n);
            avg(dst, src + off, src2 + 7, n);
            h = h * 31 + hb(dst, n) + sad(src + off, src2 + 9, n);
            if (2 * n <= N) {
                static uint8_t il[2 * N + 64], a[N + 64], b[N + 64];
                interleave(il + (off & 1), src + off, src2 + off, n);
                deinterleave(a + 3, b + 1, il + (off & 1), n);
                h = h * 31 + hb(il + (off & 1), 2 * n) + (memcmp(a + 3, src + off, (size_t)n) == 0) + (memcmp(b + 1, src2 + off, (size_t)n) == 0) * 2;
            }
            reverse(dst + 1, src + off, n);
            h = h * 31 + hb(dst + 1, n);
            if (3 * n <= N) {
                gray(dst + off % 4, src + off, n);
                h = h * 31 + hb(dst + off % 4, n);
            }
            static uint16_t w[N + 64];
            shifts(w + (off & 1), src + off, n);
            h = h * 31 + hb(w + (off & 1), 2 * n);
        }
        printf("offset %2d hash %016llx\n", off, (unsigned long long)h);
        total = total * 1000003 + h;
    }
    uint32_t hist[256] = {0};
    histogram(hist, src, N);
    for (int i = 0; i < 256; i += 16) {
        printf("hist[%3d..]:", i);
        for (int j = 0; j < 16; j++) printf(" %2u", hist[i + j]);
        printf("\n");
    }
    printf("total %016llx\n", (unsigned long long)total);
    return 0;
}
