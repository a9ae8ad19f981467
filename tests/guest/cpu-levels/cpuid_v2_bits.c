// Prints the x86-64-v2 CPUID feature bits and what libgcc's CPU detection (__builtin_cpu_supports) concluded from them. The
// host (and Ferry's default CPU) report all of them; under `ferry --cpu x86-64` none may show.
#include <cpuid.h>
#include <stdio.h>

int main(void)
{
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    printf("cpuid.1.ecx sse3=%u ssse3=%u cx16=%u sse4.1=%u sse4.2=%u popcnt=%u\n",
           c & 1, (c >> 9) & 1, (c >> 13) & 1, (c >> 19) & 1, (c >> 20) & 1, (c >> 23) & 1);
    __builtin_cpu_init();
    printf("libgcc sse3=%d ssse3=%d sse4.1=%d sse4.2=%d popcnt=%d\n",
           !!__builtin_cpu_supports("sse3"), !!__builtin_cpu_supports("ssse3"), !!__builtin_cpu_supports("sse4.1"),
           !!__builtin_cpu_supports("sse4.2"), !!__builtin_cpu_supports("popcnt"));
    printf("x86-64-v2=%d\n", !!__builtin_cpu_supports("x86-64-v2"));
    return 0;
}
