// strlen/strnlen/strchr/strrchr/strchrnul/strcmp/strncmp/strcpy/stpcpy/strcat at every offset
// 0..63 and lengths 0..300, plus strings that end right before an unmapped page.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wstringop-truncation"

static char a_buf[512 + 128] __attribute__((aligned(64)));
static char b_buf[512 + 128] __attribute__((aligned(64)));

static int sgn(int x) { return (x > 0) - (x < 0); }

static char pool[1024];

/* copy len letters from a fixed random pool (cheap), terminate, and put garbage after */
static void make_str(char *p, int len, unsigned seed)
{
    memcpy(p, pool + seed % 512, (size_t)len);
    p[len] = 0;
    p[len + 1] = 'Q';
    p[len + 2] = 'a';
}

static long ptr_off(const char *p, const char *base) { return p ? (long)(p - base) : -1L; }

int main(void)
{
    unsigned seed = 12345;
    for (size_t i = 0; i < sizeof pool; i++) {
        seed = seed * 1664525u + 1013904223u;
        pool[i] = (char)('a' + (seed >> 24) % 26);
    }
    unsigned long errors = 0;
    uint32_t total = 0;
    for (int off = 0; off < 64; off++) {
        uint32_t h = 0;
        int boff = (off * 5 + 1) & 63;
        for (int len = 0; len <= 300; len++) {
            char *a = a_buf + off;
            char *b = b_buf + boff;
            make_str(a, len, (unsigned)(len * 31 + off));
            if (strlen(a) != (size_t)len) errors++;
            size_t nl = strnlen(a, (size_t)(len / 2 + off % 3));
            h = h * 3 + (uint32_t)nl;
            /* strchr / strrchr on characters present, absent and NUL */
            char target = len ? a[(len * 7) % len] : 'z';
            long c1 = ptr_off(strchr(a, target), a);
            long c2 = ptr_off(strrchr(a, target), a);
            long c3 = ptr_off(strchr(a, '#'), a);
            long c4 = ptr_off(strchr(a, 0), a);
            long c5 = ptr_off(strchrnul(a, '#'), a);
            long r1 = -1, r2 = -1;
            for (int i = 0; i < len; i++) {
                if (a[i] == target) { if (r1 < 0) r1 = i; r2 = i; }
            }
            if (c1 != r1 || c2 != r2 || c3 != -1 || c4 != len || c5 != len) errors++;
            h = h * 7 + (uint32_t)(c1 + 3 * c2);
            /* strcpy/stpcpy/strcmp */
            memset(b_buf, 'X', sizeof b_buf);
            char *e = stpcpy(b, a);
            if (e != b + len || b[len] != 0 || b[len + 1] != 'X') errors++;
            if (strcmp(a, b) != 0 || strncmp(a, b, (size_t)len + 5) != 0) errors++;
            if (len > 0) {
                int pos = (len * 11 + off) % len;
                b[pos] = (char)(b[pos] + 1);
                int s1 = sgn(strcmp(a, b)), s2 = sgn(strcmp(b, a));
                int s3 = sgn(strncmp(a, b, (size_t)pos));
                int s4 = sgn(strncmp(a, b, (size_t)pos + 1));
                if (s1 != -1 || s2 != 1 || s3 != 0 || s4 != -1) errors++;
                b[pos] = (char)(b[pos] - 1);
                /* prefix comparisons: shorter string is less */
                b[len - 1] = 0;
                if (sgn(strcmp(a, b)) != 1 || sgn(strcmp(b, a)) != -1) errors++;
                if (strncmp(a, b, (size_t)len - 1) != 0) errors++;
                h = h * 5 + (uint32_t)(s1 + 2 * s2 + 4 * s3 + 8 * s4 + 20);
                /* high-bit characters compare as unsigned char */
                b[len - 1] = (char)0xE9;
                b[len] = 0;
                if (sgn(strcmp(a, b)) != -1) errors++;
            }
            /* strcat */
            strcpy(b, "pre-");
            strcat(b, a);
            if (strlen(b) != (size_t)len + 4 || memcmp(b + 4, a, (size_t)len) != 0) errors++;
            strncat(b, a, (size_t)(len % 7));
            h = h * 11 + (uint32_t)strlen(b);
        }
        printf("offset %2d: hash %08x\n", off, h);
        total = total * 31 + h;
    }
    /* page boundary: string ends exactly at the end of a readable page */
    long pg = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) { perror("mmap"); return 2; }
    if (mprotect(map + pg, (size_t)pg, PROT_NONE) != 0) { perror("mprotect"); return 2; }
    for (int len = 0; len <= 130; len++) {
        char *s = map + pg - len - 1;
        memset(s, 'k', (size_t)len);
        s[len] = 0;
        if (len > 3) s[len / 2] = 'm';
        char *t = map + pg - len - 1 - 200 - (len % 16);
        memcpy(t, s, (size_t)len + 1);
        size_t l = strlen(s);
        long pc = ptr_off(strchr(s, 'm'), s);
        long pr = ptr_off(strrchr(s, 'k'), s);
        int cmp = sgn(strcmp(s, t));
        int ncmp = sgn(strncmp(t, s, 1000));
        char *mc = memchr(s, 0, (size_t)len + 1);
        printf("edge len=%3d strlen=%zu strchr=%ld strrchr=%ld cmp=%d ncmp=%d memchr0=%ld nlen=%zu\n", len, l, pc, pr,
               cmp, ncmp, ptr_off(mc, s), strnlen(s, 5000));
    }
    munmap(map, (size_t)pg * 2);
    printf("errors=%lu total=%08x\n", errors, total);
    return errors ? 1 : 0;
}
