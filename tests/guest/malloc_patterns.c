// malloc/calloc/realloc/free: many sizes, interleaved frees, calloc zeroing after reuse,
// realloc growth/shrink preserving contents, large mmap-backed blocks, aligned allocation.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <malloc.h>

#define SLOTS 512

static uint32_t rng = 12345;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

/* touch every byte of the first 2 KiB, then every 251st byte (keeps big blocks cheap) */
static size_t step_after(size_t i) { return i < 2048 ? i + 1 : (i < 2259 ? 2259 : i + 251); }

static void pattern(unsigned char *p, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i = step_after(i)) p[i] = (unsigned char)(tag + i * 7);
}
static int check(const unsigned char *p, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i = step_after(i))
        if (p[i] != (unsigned char)(tag + i * 7)) return 0;
    return 1;
}

int main(void)
{
    static unsigned char *slot[SLOTS];
    static size_t size[SLOTS];
    static uint32_t tag[SLOTS];
    unsigned long bad = 0, allocs = 0, frees = 0, reallocs = 0;
    uint64_t bytes = 0;
    for (int round = 0; round < 4000; round++) {
        uint32_t r = next();
        int i = (int)(r % SLOTS);
        if (slot[i]) {
            if (!check(slot[i], size[i], tag[i])) bad++;
            if ((r >> 9) % 3 == 0) {
                size_t ns = (r >> 12) % 8 ? (r >> 14) % 2000 : (r >> 14) % 300000;
                unsigned char *np = realloc(slot[i], ns ? ns : 1);
                if (!np) { bad++; continue; }
                size_t keep = ns < size[i] ? ns : size[i];
                if (!check(np, keep, tag[i])) bad++;
                slot[i] = np;
                size[i] = ns;
                pattern(np, ns, tag[i]);
                reallocs++;
            } else {
                free(slot[i]);
                slot[i] = NULL;
                frees++;
            }
        } else {
            size_t n;
            switch ((r >> 9) % 16) {
            case 0: n = 0; break;
            case 1: n = (r >> 12) % 16; break;
            case 2: n = (r >> 12) % 128; break;
            case 3: n = (r >> 12) % 1024; break;
            case 4: n = (r >> 12) % 8192; break;
            case 5: n = 128 * 1024 + (r >> 12) % (512 * 1024); break; /* mmap threshold territory */
            case 6: n = (r >> 12) % 65536; break;
            default: n = (r >> 12) % 4096 + 24; break;
            }
            unsigned char *p;
            if ((r >> 30) & 1) {
                p = calloc(1, n ? n : 1);
                for (size_t k = 0; k < n; k = step_after(k)) if (p[k]) { bad++; break; }
            } else {
                p = malloc(n ? n : 1);
            }
            if (!p) { bad++; continue; }
            if (((uintptr_t)p & 15) != 0) bad++; /* 16-byte alignment on x86-64 */
            slot[i] = p;
            size[i] = n;
            tag[i] = r;
            pattern(p, n, r);
            allocs++;
            bytes += n;
        }
        if (round % 500 == 499) {
            uint32_t h = 0;
            size_t live = 0;
            for (int k = 0; k < SLOTS; k++) {
                if (slot[k]) { live++; h = h * 31 + (uint32_t)size[k] + 0u; }
            }
            printf("round %5d: live=%zu sizehash=%08x allocs=%lu frees=%lu reallocs=%lu bad=%lu\n", round + 1, live, h,
                   allocs, frees, reallocs, bad);
        }
    }
    for (int k = 0; k < SLOTS; k++) {
        if (slot[k] && !check(slot[k], size[k], tag[k])) bad++;
        free(slot[k]);
    }
    /* calloc must zero memory that was previously dirtied */
    for (int rep = 0; rep < 5; rep++) {
        size_t n = (size_t)1000 * (rep + 1) * (rep + 1);
        unsigned char *p = malloc(n);
        memset(p, 0xEE, n);
        free(p);
        unsigned int *q = calloc(n / 4, 4);
        size_t nz = 0;
        for (size_t k = 0; k < n / 4; k++) nz += q[k] != 0;
        printf("calloc rep %d n=%zu nonzero=%zu\n", rep, n, nz);
        free(q);
    }
    /* realloc growth doubling up to 16 MiB keeps the prefix */
    size_t n = 1;
    unsigned char *g = malloc(1);
    g[0] = 0x5a;
    while (n < (16u << 20)) {
        size_t nn = n * 2;
        g = realloc(g, nn);
        if (!g) { printf("realloc failed at %zu\n", nn); return 1; }
        for (size_t k = n; k < nn; k += 509) g[k] = (unsigned char)(k * 13 + (k >> 8));
        n = nn;
    }
    uint64_t sum = 0;
    for (size_t k = 1; k < n; k += 509) sum += g[k] * (k | 1);
    printf("grown to %zu sum=%llu first=%02x\n", n, (unsigned long long)sum, g[0]);
    g = realloc(g, 100);
    printf("shrunk first=%02x\n", g[0]);
    free(g);
    /* aligned allocations */
    for (size_t al = 16; al <= 65536; al *= 4) {
        void *p1 = aligned_alloc(al, al * 3);
        void *p2 = memalign(al, 100);
        void *p3 = NULL;
        int rc = posix_memalign(&p3, al, 12345);
        printf("align %6zu: aligned_alloc ok=%d memalign ok=%d posix_memalign rc=%d ok=%d\n", al,
               p1 && ((uintptr_t)p1 % al) == 0, p2 && ((uintptr_t)p2 % al) == 0, rc, p3 && ((uintptr_t)p3 % al) == 0);
        memset(p1, 1, al * 3);
        free(p1);
        free(p2);
        free(p3);
    }
    /* huge allocation that must fail cleanly */
    void *huge = malloc((size_t)1 << 62);
    printf("huge malloc null=%d\n", huge == NULL);
    printf("total allocs=%lu bytes=%llu bad=%lu\n", allocs, (unsigned long long)bytes, bad);
    return bad ? 1 : 0;
}
