// Deep guest recursion under the JIT: calls and returns of hot code go from compiled code to compiled code
// (chained), and a guest call must never become a host call, or the host stack would overflow long before
// the guest's does. Direct recursion 150000 deep, mutual recursion through function pointers, and a
// recursion that unwinds through many different return addresses.
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static uint64_t down(uint64_t n, uint64_t acc)
{
    if (n == 0) return acc;
    uint64_t r = down(n - 1, acc * 31 + n);
    return r ^ (n * 0x9e3779b97f4a7c15ull >> 7);
}

typedef uint64_t (*step)(uint64_t, int);
static uint64_t even(uint64_t n, int d);
static uint64_t odd(uint64_t n, int d);
static volatile step pick[2] = {even, odd};

__attribute__((noinline)) static uint64_t even(uint64_t n, int d)
{
    if (d == 0) return n;
    return pick[d & 1](n + 3, d - 1) * 5 + 1;
}

__attribute__((noinline)) static uint64_t odd(uint64_t n, int d)
{
    if (d == 0) return n ^ 0xff;
    return pick[d & 1](n * 7, d - 1) + (uint64_t)d;
}

// Each level returns through one of several call sites.
__attribute__((noinline)) static uint64_t sites(uint64_t n)
{
    if (n == 0) return 1;
    switch (n % 4) {
    case 0: return sites(n - 1) + 1;
    case 1: return sites(n - 1) * 3;
    case 2: return sites(n - 1) ^ n;
    default: return sites(n - 1) - 7;
    }
}

int main(void)
{
    uint64_t s = 0;
    for (int r = 0; r < 20; r++) s += down(150000, (uint64_t)r);
    printf("down: %llx\n", (unsigned long long)s);
    s = 0;
    for (int r = 0; r < 20; r++) s += even((uint64_t)r, 100000);
    printf("mutual: %llx\n", (unsigned long long)s);
    s = 0;
    for (int r = 0; r < 20; r++) s += sites(100000 + (uint64_t)r);
    printf("sites: %llx\n", (unsigned long long)s);
    return 0;
}
