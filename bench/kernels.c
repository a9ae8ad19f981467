// CPU-bound integer kernels for comparing Ferry with native runs: `kernels SCALE` runs each kernel
// SCALE times and prints its checksum on stdout and its time (from CLOCK_MONOTONIC, so the
// emulator's start-up is not counted) on stderr as "name ms".
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static uint64_t lcg(int scale)
{
    uint64_t a = 1, b = 0, s = 0;
    for (uint64_t i = 0; i < 2000000ull * scale; i++) {
        a = a * 6364136223846793005ull + 1442695040888963407ull;
        b ^= a >> 17;
        s += (b & 0xff) + (i ^ a);
    }
    return s ^ b;
}

static uint64_t sieve(int scale)
{
    enum { N = 1 << 20 };
    static uint8_t composite[N];
    uint64_t count = 0;
    for (int r = 0; r < scale; r++) {
        memset(composite, 0, sizeof composite);
        for (uint32_t i = 2; i < N; i++) {
            if (composite[i]) continue;
            count++;
            for (uint64_t j = (uint64_t)i * i; j < N; j += i) composite[j] = 1;
        }
    }
    return count;
}

static uint64_t crc32_bitwise(int scale)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (int r = 0; r < 40000 * scale; r++) {
        uint32_t byte = (uint32_t)r * 2654435761u;
        crc ^= byte & 0xff;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint64_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint64_t fib_kernel(int scale)
{
    uint64_t s = 0;
    for (int r = 0; r < scale; r++) s += fib(24);
    return s;
}

static uint64_t insertion_sort(int scale)
{
    enum { N = 2000 };
    static int32_t v[N];
    uint64_t s = 0;
    uint32_t x = 12345;
    for (int r = 0; r < scale; r++) {
        for (int i = 0; i < N; i++) { x = x * 1103515245u + 12345u; v[i] = (int32_t)(x >> 1); }
        for (int i = 1; i < N; i++) {
            int32_t key = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > key) { v[j + 1] = v[j]; j--; }
            v[j + 1] = key;
        }
        s += (uint64_t)v[N / 2];
    }
    return s;
}

static uint64_t matmul(int scale)
{
    enum { N = 64 };
    static int32_t a[N][N], b[N][N], c[N][N];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { a[i][j] = i * 3 + j; b[i][j] = i - 2 * j; }
    uint64_t s = 0;
    for (int r = 0; r < 4 * scale; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                int32_t acc = 0;
                for (int k = 0; k < N; k++) acc += a[i][k] * b[k][j];
                c[i][j] = acc + r;
            }
        s += (uint64_t)(uint32_t)c[r % N][(r * 7) % N];
    }
    return s;
}

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 10;
    static const struct { const char *name; uint64_t (*run)(int); } kernels[] = {
        {"lcg", lcg}, {"sieve", sieve}, {"crc32", crc32_bitwise}, {"fib", fib_kernel},
        {"isort", insertion_sort}, {"matmul", matmul},
    };
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        double t0 = now_ms();
        uint64_t r = kernels[k].run(scale);
        double t1 = now_ms();
        printf("%s %llu\n", kernels[k].name, (unsigned long long)r);
        fprintf(stderr, "%s %.1f\n", kernels[k].name, t1 - t0);
    }
    return 0;
}
