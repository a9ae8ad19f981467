// memcpy/memmove/memset/memcmp at every source offset 0..63 (with a varying destination
// offset) and every length 0..300, verified and hashed; overlapping memmove in both
// directions; large copies. Exercises glibc's SSE2/AVX string routines hard.
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define BUF 512
static unsigned char src_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char dst_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char ref_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char tmp_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char pool[4096];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

static int sgn(int x) { return (x > 0) - (x < 0); }

/* hash 8 bytes at a time (the tail byte-wise) */
static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* all n bytes equal to c */
static int all_eq(const unsigned char *p, size_t n, int c)
{
    if (n == 0) return 1;
    return p[0] == c && (n == 1 || memcmp(p, p + 1, n - 1) == 0);
}

int main(void)
{
    fill(pool, sizeof pool, 7);
    unsigned long errors = 0;
    uint64_t total = 0;
    for (int off = 0; off < 64; off++) {
        uint64_t h = 0xcbf29ce484222325ULL;
        int doff = (off * 7 + 3) & 63;
        for (int len = 0; len <= 300; len++) {
            /* memcpy: source content varies with len, destination guard bytes must survive */
            memcpy(src_buf + off, pool + (len * 13) % 1024, (size_t)len + 16);
            memset(dst_buf, 0xA5, (size_t)doff + 320);
            memcpy(dst_buf + doff, src_buf + off, (size_t)len);
            if (memcmp(dst_buf + doff, src_buf + off, (size_t)len) != 0) errors++;
            if (!all_eq(dst_buf, (size_t)doff, 0xA5) || !all_eq(dst_buf + doff + len, 16, 0xA5)) errors++;
            h = hash_bytes(h, dst_buf + doff, (size_t)len + 4);
            /* memset with a varying byte */
            int byte = (len * 37 + off) & 0xff;
            memset(dst_buf + off, byte, (size_t)len);
            if (!all_eq(dst_buf + off, (size_t)len, byte)) errors++;
            h = hash_bytes(h, dst_buf + (off > 2 ? off - 2 : 0), (size_t)len + 4);
            /* memcmp: equal, then one differing byte */
            memcpy(ref_buf + doff, src_buf + off, (size_t)len + 1);
            int c0 = memcmp(ref_buf + doff, src_buf + off, (size_t)len);
            int c1 = 0, c2 = 0;
            if (len > 0) {
                int pos = (len * 13 + off) % len;
                unsigned char saved = ref_buf[doff + pos];
                unsigned char changed = (unsigned char)(saved + 1 + (off & 3));
                ref_buf[doff + pos] = changed;
                c1 = sgn(memcmp(ref_buf + doff, src_buf + off, (size_t)len));
                c2 = sgn(memcmp(src_buf + off, ref_buf + doff, (size_t)len));
                int expect = changed > saved ? 1 : -1;
                if (c1 != expect || c2 != -expect) errors++;
                ref_buf[doff + pos] = saved;
                ref_buf[doff + len] ^= 0xff; /* difference just past the end must not matter */
                if (memcmp(ref_buf + doff, src_buf + off, (size_t)len) != 0) errors++;
            }
            if (c0 != 0) errors++;
            h = (h ^ (uint64_t)(c1 + 2)) * 0x100000001b3ULL;
            /* memmove overlapping forward then backward, reference via a bounce buffer */
            int shift = (len % 17) + 1;
            memcpy(dst_buf + off, pool + 2048 + len, (size_t)len + 32);
            memcpy(ref_buf, dst_buf, sizeof dst_buf);
            memmove(dst_buf + off + shift, dst_buf + off, (size_t)len);
            memcpy(tmp_buf, ref_buf + off, (size_t)len);
            memcpy(ref_buf + off + shift, tmp_buf, (size_t)len);
            if (memcmp(dst_buf, ref_buf, sizeof dst_buf) != 0) errors++;
            memmove(dst_buf + off, dst_buf + off + shift, (size_t)len);
            memcpy(tmp_buf, ref_buf + off + shift, (size_t)len);
            memcpy(ref_buf + off, tmp_buf, (size_t)len);
            if (memcmp(dst_buf, ref_buf, sizeof dst_buf) != 0) errors++;
            h = hash_bytes(h, dst_buf + off, (size_t)(len + shift + 8));
        }
        printf("offset %2d (dst %2d): hash %016llx\n", off, doff, (unsigned long long)h);
        total = total * 31 + h;
    }
    /* large copies crossing many cache lines and pages */
    static unsigned char big1[70000], big2[70000];
    fill(big1, sizeof big1, 99);
    for (size_t n = 1000; n <= 65536; n = n * 2 + 3) {
        for (int o = 0; o < 3; o++) {
            memset(big2, 0, sizeof big2);
            memcpy(big2 + o * 5, big1 + o * 11, n);
            uint64_t hh = hash_bytes(0, big2, n + 40);
            printf("big n=%zu o=%d h=%016llx cmp=%d\n", n, o, (unsigned long long)hh, memcmp(big2 + o * 5, big1 + o * 11, n) != 0);
        }
        memmove(big1 + 1, big1, n);
        memmove(big1, big1 + 3, n);
    }
    printf("errors=%lu total=%016llx\n", errors, (unsigned long long)total);
    return errors ? 1 : 0;
}
