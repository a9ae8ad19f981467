// qsort with several element sizes and comparators (ints, doubles, structs, strings,
// stable-by-index tie break), then bsearch hits and misses. Exits with status 42.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t seed = 88172645463325252ull;
static uint64_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int(b, a); }
static int cmp_u64(const void *a, const void *b) { uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return (x > y) - (x < y); }
static int cmp_dbl(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
static int cmp_char(const void *a, const void *b) { return *(const unsigned char *)a - *(const unsigned char *)b; }

struct rec { int key; int idx; char name[13]; }; /* 24 bytes with padding */
struct packed3 { unsigned char b[3]; };

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
    return (x->idx > y->idx) - (x->idx < y->idx);
}
static int cmp_rec_name(const void *a, const void *b) { return strcmp(((const struct rec *)a)->name, ((const struct rec *)b)->name); }
static int cmp_p3(const void *a, const void *b) { return memcmp(a, b, 3); }
static int cmp_strp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    /* ints of many lengths */
    unsigned long h = 0;
    for (int n = 0; n <= 1000; n = n ? n * 2 + 1 : 1) {
        int *v = malloc(sizeof(int) * (size_t)(n + 1));
        for (int i = 0; i < n; i++) v[i] = (int)(rnd() % 1000) - 500;
        qsort(v, (size_t)n, sizeof v[0], cmp_int);
        int sorted = 1;
        for (int i = 1; i < n; i++) if (v[i - 1] > v[i]) sorted = 0;
        long sum = 0;
        for (int i = 0; i < n; i++) sum += (long)v[i] * (i + 1);
        int hits = 0, misses = 0;
        for (int k = -510; k <= 510; k += 3) {
            int *f = bsearch(&k, v, (size_t)n, sizeof v[0], cmp_int);
            if (f) { hits++; if (*f != k) sorted = -1; } else misses++;
        }
        printf("ints n=%4d sorted=%d wsum=%ld min=%d max=%d hits=%d misses=%d\n", n, sorted, sum, n ? v[0] : 0, n ? v[n - 1] : 0, hits, misses);
        qsort(v, (size_t)n, sizeof v[0], cmp_int_desc);
        for (int i = 0; i < n; i++) h = h * 31 + (unsigned)v[i];
        free(v);
    }
    /* already sorted, reversed, all equal (worst cases for naive quicksort) */
    static int big[20000];
    for (int kind = 0; kind < 3; kind++) {
        for (int i = 0; i < 20000; i++) big[i] = kind == 0 ? i : kind == 1 ? 20000 - i : 7;
        qsort(big, 20000, sizeof big[0], cmp_int);
        printf("pattern %d: first=%d mid=%d last=%d\n", kind, big[0], big[10000], big[19999]);
    }
    /* u64 and doubles */
    static uint64_t u[3000];
    static double d[3000];
    for (int i = 0; i < 3000; i++) { u[i] = rnd(); d[i] = (double)(int64_t)rnd() / 1e10; }
    qsort(u, 3000, sizeof u[0], cmp_u64);
    qsort(d, 3000, sizeof d[0], cmp_dbl);
    printf("u64: %016llx %016llx %016llx\n", (unsigned long long)u[0], (unsigned long long)u[1500], (unsigned long long)u[2999]);
    printf("dbl: %.17g %.17g %.17g\n", d[0], d[1500], d[2999]);
    uint64_t key = u[1234];
    uint64_t *fu = bsearch(&key, u, 3000, sizeof u[0], cmp_u64);
    printf("bsearch u64 index=%ld\n", fu ? (long)(fu - u) : -1L);
    /* structs: sort by key then idx gives stable order */
    static struct rec recs[500];
    for (int i = 0; i < 500; i++) {
        recs[i].key = (int)(rnd() % 20);
        recs[i].idx = i;
        for (int j = 0; j < 12; j++) recs[i].name[j] = (char)('a' + rnd() % 26);
        recs[i].name[12] = 0;
    }
    qsort(recs, 500, sizeof recs[0], cmp_rec);
    for (int i = 0; i < 500; i += 50) printf("rec[%3d] key=%2d idx=%3d name=%s\n", i, recs[i].key, recs[i].idx, recs[i].name);
    qsort(recs, 500, sizeof recs[0], cmp_rec_name);
    printf("by name: %s .. %s\n", recs[0].name, recs[499].name);
    struct rec probe;
    strcpy(probe.name, recs[321].name);
    struct rec *fr = bsearch(&probe, recs, 500, sizeof recs[0], cmp_rec_name);
    printf("bsearch name found idx=%d\n", fr ? (int)(fr - recs) : -1);
    /* 3-byte elements */
    static struct packed3 p3[777];
    for (int i = 0; i < 777; i++) for (int j = 0; j < 3; j++) p3[i].b[j] = (unsigned char)rnd();
    qsort(p3, 777, 3, cmp_p3);
    unsigned long h3 = 0;
    for (int i = 0; i < 777; i++) h3 = h3 * 257 + (unsigned long)(p3[i].b[0] << 16 | p3[i].b[1] << 8 | p3[i].b[2]);
    printf("packed3 sorted hash=%016lx first=%02x%02x%02x\n", h3, p3[0].b[0], p3[0].b[1], p3[0].b[2]);
    /* chars */
    char text[] = "the quick brown fox jumps over the lazy dog 0123456789 THE END";
    qsort(text, strlen(text), 1, cmp_char);
    printf("chars sorted: [%s]\n", text);
    /* string pointers */
    const char *words[] = {"pear", "apple", "fig", "banana", "apple pie", "Apple", "zucchini", "", "kiwi", "apples", "app"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_strp);
    for (size_t i = 0; i < nw; i++) printf("word[%zu]=\"%s\"\n", i, words[i]);
    const char *k1 = "kiwi", *k2 = "grape";
    const char **f1 = bsearch(&k1, words, nw, sizeof words[0], cmp_strp);
    const char **f2 = bsearch(&k2, words, nw, sizeof words[0], cmp_strp);
    printf("bsearch kiwi=%ld grape=%ld\n", f1 ? (long)(f1 - words) : -1L, f2 ? (long)(f2 - words) : -1L);
    printf("hash=%016lx\n", h);
    return 42;
}
