// Pseudo-random generators with fixed seeds: rand/srand, rand_r, random/srandom with
// initstate/setstate of several state sizes, drand48 family (erand48, lrand48, mrand48,
// nrand48, jrand48, seed48, lcong48), and a distribution histogram.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    srand(1);
    printf("rand seed 1:");
    for (int i = 0; i < 12; i++) printf(" %d", rand());
    printf("\n");
    srand(12345);
    unsigned long h = 0;
    for (int i = 0; i < 10000; i++) h = h * 31 + (unsigned)rand();
    printf("rand seed 12345 hash=%016lx next=%d\n", h, rand());
    unsigned int st = 42;
    printf("rand_r:");
    for (int i = 0; i < 10; i++) printf(" %d", rand_r(&st));
    printf(" state=%u\n", st);
    srandom(7);
    printf("random seed 7:");
    for (int i = 0; i < 10; i++) printf(" %ld", random());
    printf("\n");
    static char s8[8], s32[32], s64[64], s128[128], s256[256];
    char *states[] = {s8, s32, s64, s128, s256};
    size_t sizes[] = {8, 32, 64, 128, 256};
    for (int k = 0; k < 5; k++) {
        initstate(99, states[k], sizes[k]);
        printf("initstate size %3zu:", sizes[k]);
        for (int i = 0; i < 8; i++) printf(" %ld", random());
        printf("\n");
    }
    setstate(s64);
    printf("resume 64:");
    for (int i = 0; i < 4; i++) printf(" %ld", random());
    printf("\n");
    srand48(2024);
    printf("drand48:");
    for (int i = 0; i < 6; i++) printf(" %.17g", drand48());
    printf("\nlrand48:");
    for (int i = 0; i < 6; i++) printf(" %ld", lrand48());
    printf("\nmrand48:");
    for (int i = 0; i < 6; i++) printf(" %ld", mrand48());
    printf("\n");
    unsigned short xs[3] = {1, 2, 3};
    double e48 = erand48(xs);
    long n48 = nrand48(xs);
    long j48 = jrand48(xs);
    printf("erand48/nrand48/jrand48: %.17g %ld %ld xsubi=%u,%u,%u\n", e48, n48, j48, xs[0], xs[1], xs[2]);
    unsigned short seed[3] = {0x1234, 0x5678, 0x9abc};
    unsigned short *old = seed48(seed);
    unsigned short o0 = old[0], o1 = old[1], o2 = old[2];
    long nx = lrand48();
    printf("seed48 old=%04x%04x%04x next=%ld\n", o2, o1, o0, nx);
    unsigned short param[7] = {1, 2, 3, 0xe66d, 0xdeec, 0x5, 0xb};
    lcong48(param);
    printf("lcong48:");
    for (int i = 0; i < 5; i++) printf(" %ld", lrand48());
    printf("\n");
    /* histogram of rand() % 10 and of dice sums */
    srand(777);
    int hist[10] = {0}, dice[13] = {0};
    for (int i = 0; i < 20000; i++) {
        hist[rand() % 10]++;
        dice[(rand() % 6 + 1) + (rand() % 6 + 1)]++;
    }
    printf("hist:");
    for (int i = 0; i < 10; i++) printf(" %d", hist[i]);
    printf("\ndice:");
    for (int i = 2; i <= 12; i++) printf(" %d", dice[i]);
    printf("\n");
    struct drand48_data dd;
    srand48_r(5, &dd);
    double dv;
    long lv;
    drand48_r(&dd, &dv);
    lrand48_r(&dd, &lv);
    struct random_data rd = {0};
    static char rs[64];
    int32_t r32;
    initstate_r(3, rs, sizeof rs, &rd);
    random_r(&rd, &r32);
    printf("reentrant: drand48_r=%.17g lrand48_r=%ld random_r=%d\n", dv, lv, r32);
    return 0;
}
