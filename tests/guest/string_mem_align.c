// memcpy/memmove/memset/memcmp at every src/dst offset 0..63 and every length 0..300,
// verified against byte loops and checksummed. Also overlapping memmove both directions.
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#define BUF 512
static unsigned char src_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char dst_buf[BUF + 128] __attribute__((aligned(64)));
static unsigned char ref_buf[BUF + 128] __attribute__((aligned(64)));

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

static int sgn(int x) { return (x > 0) - (x < 0); }

int main(void)
{
    unsigned long errors = 0;
    uint32_t total = 0;
    for (int off = 0; off < 64; off++) {
        uint32_t h = 2166136261u;
        int doff = (off * 7 + 3) & 63;
        for (int len = 0; len <= 300; len++) {
            /* memcpy */
            if (len % 50 == 0)
                fill(src_buf, (size_t)off + 300 + 8, (unsigned)(off * 1000 + len));
            memset(dst_buf, 0xA5, (size_t)doff + 300 + 16);
            memcpy(dst_buf + doff, src_buf + off, (size_t)len);
            for (int i = doff > 8 ? doff - 8 : 0; i < doff + len + 16; i++) {
                unsigned char want = (i >= doff && i < doff + len) ? src_buf[off + i - doff] : 0xA5;
                if (dst_buf[i] != want) { errors++; break; }
            }
            /* memset with varying byte */
            int byte = (len * 37 + off) & 0xff;
            memset(dst_buf + off, byte, (size_t)len);
            for (int i = off - 1; i <= off + len; i++) {
                if (i < 0) continue;
                int inside = i >= off && i < off + len;
                if (inside && dst_buf[i] != byte) { errors++; break; }
            }
            /* memcmp: equal, then a difference at some position */
            memcpy(ref_buf + doff, src_buf + off, (size_t)len);
            int c0 = memcmp(ref_buf + doff, src_buf + off, (size_t)len);
            int c1 = 0, c2 = 0;
            if (len > 0) {
                int pos = (len * 13 + off) % len;
                unsigned char saved = ref_buf[doff + pos];
                ref_buf[doff + pos] = (unsigned char)(saved + 1 + (off & 3));
                c1 = sgn(memcmp(ref_buf + doff, src_buf + off, (size_t)len));
                c2 = sgn(memcmp(src_buf + off, ref_buf + doff, (size_t)len));
                int expect = (unsigned char)(saved + 1 + (off & 3)) > saved ? 1 : -1;
                if (c1 != expect || c2 != -expect) errors++;
                /* difference only after len must not matter */
                ref_buf[doff + pos] = saved;
                ref_buf[doff + len] ^= 0xff;
                if (memcmp(ref_buf + doff, src_buf + off, (size_t)len) != 0) errors++;
            }
            if (c0 != 0) errors++;
            /* memmove overlapping forward and backward */
            fill(dst_buf + off, (size_t)len + 32, (unsigned)len * 77u + (unsigned)off);
            memcpy(ref_buf, dst_buf, sizeof dst_buf);
            int shift = (len % 17) + 1;
            memmove(dst_buf + off + shift, dst_buf + off, (size_t)len);
            for (int i = len - 1; i >= 0; i--)
                ref_buf[off + shift + i] = ref_buf[off + i];
            if (memcmp(dst_buf, ref_buf, sizeof dst_buf) != 0) errors++;
            memmove(dst_buf + off, dst_buf + off + shift, (size_t)len);
            for (int i = 0; i < len; i++)
                ref_buf[off + i] = ref_buf[off + shift + i];
            if (memcmp(dst_buf, ref_buf, sizeof dst_buf) != 0) errors++;
            for (int i = 0; i < len + shift + 8; i++)
                h = (h ^ dst_buf[off + i]) * 16777619u;
            h = (h ^ (uint32_t)(c1 + 2)) * 16777619u;
        }
        printf("offset %2d (dst %2d): hash %08x\n", off, doff, h);
        total = total * 31 + h;
    }
    /* large copies crossing many cache lines */
    static unsigned char big1[70000], big2[70000];
    fill(big1, sizeof big1, 99);
    for (size_t n = 1000; n <= 65536; n = n * 2 + 3) {
        for (int o = 0; o < 3; o++) {
            memset(big2, 0, sizeof big2);
            memcpy(big2 + o * 5, big1 + o * 11, n);
            uint32_t hh = 0;
            for (size_t i = 0; i < n + 40; i++) hh = hh * 131 + big2[i];
            printf("big n=%zu o=%d h=%08x cmp=%d\n", n, o, hh, memcmp(big2 + o * 5, big1 + o * 11, n) != 0);
        }
        memmove(big1 + 1, big1, n);
        memmove(big1, big1 + 3, n);
    }
    printf("errors=%lu total=%08x\n", errors, total);
    return errors ? 1 : 0;
}
