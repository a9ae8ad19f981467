// Integer kernel: a sieve, a hash mix and a sort-like inner loop over a small table.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    static unsigned char sieve[1 << 20];
    uint64_t acc = 0;
    for (int round = 0; round < (int)(n / 1000000 + 1); round++) {
        memset(sieve, 1, sizeof sieve);
        for (long i = 2; i * i < (long)sizeof sieve; i++)
            if (sieve[i]) for (long j = i * i; j < (long)sizeof sieve; j += i) sieve[j] = 0;
        for (long i = 2; i < (long)sizeof sieve; i++) if (sieve[i]) acc += (uint64_t)i * (round + 1);
    }
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (long i = 0; i < n * 8; i++) { h ^= h >> 31; h *= 0xBF58476D1CE4E5B9ull; h += (uint64_t)i; acc += h >> 60; }
    printf("%llu %llu\n", (unsigned long long)acc, (unsigned long long)h);
    return 0;
}
