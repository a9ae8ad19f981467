// printf of integers: all widths, flags, precisions, length modifiers.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>

static const long long vals[] = {
    0, 1, -1, 7, -7, 9, 10, -10, 99, 100, 127, 128, -128, -129, 255, 256,
    32767, 32768, -32768, -32769, 65535, 65536, 2147483647LL, -2147483647LL - 1,
    2147483648LL, 4294967295LL, 4294967296LL, 1000000000000LL, -999999999999LL,
    LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL, -0x123456789abcdefLL,
};
#define NV (sizeof vals / sizeof vals[0])

int main(void)
{
    for (size_t i = 0; i < NV; i++) {
        long long v = vals[i];
        printf("[%lld] [%llu] [%llx] [%llX] [%llo] [%#llx] [%#llo]\n",
               v, (unsigned long long)v, (unsigned long long)v,
               (unsigned long long)v, (unsigned long long)v,
               (unsigned long long)v, (unsigned long long)v);
        printf("  int:[%d] [%i] [%u] [%x] [%o] [%+d] [% d] [%05d] [%-6d|] [%.3d] [%8.4d] [%-8.4d|] [%#.0o] [%.0d]\n",
               (int)v, (int)v, (unsigned)v, (unsigned)v, (unsigned)v, (int)v,
               (int)v, (int)v, (int)v, (int)v, (int)v, (int)v, (unsigned)v, (int)v);
        printf("  short:[%hd] [%hu] [%hx] char:[%hhd] [%hhu] [%hhx] [%#hho]\n",
               (short)v, (unsigned short)v, (unsigned short)v, (signed char)v,
               (unsigned char)v, (unsigned char)v, (unsigned char)v);
        printf("  long:[%ld] [%lu] [%+025ld] [%-25ld|] [%025lx] [%#025lx] [%.20ld]\n",
               (long)v, (unsigned long)v, (long)v, (long)v, (unsigned long)v,
               (unsigned long)v, (long)v);
        printf("  misc:[%jd] [%zu] [%td] [%" PRId64 "] [%" PRIx32 "] [%" PRIu16 "]\n",
               (intmax_t)v, (size_t)v, (ptrdiff_t)v, (int64_t)v, (uint32_t)v,
               (uint16_t)v);
    }
    /* star widths / precisions including negative width */
    for (int w = -12; w <= 12; w += 3) {
        for (int p = -1; p <= 7; p += 2) {
            printf("w=%3d p=%2d [%*.*d] [%*.*x] [%-*.*u]\n", w, p, w, p, -4242,
                   w, p, 0xbeefu, w, p, 17u);
        }
    }
    /* chars and strings */
    for (int c = 32; c < 127; c += 5)
        printf("[%c][%3c][%-3c]", c, c, c);
    printf("\n");
    const char *s = "Hello, world";
    for (int p = 0; p <= 14; p++)
        printf("[%.*s][%15.*s][%-15.*s]\n", p, s, p, s, p, s);
    printf("[%%][%s][%10s][%-10s|]\n", "", "", "");
    /* %n */
    int n1 = 0, n2 = 0;
    printf("abc%ndef%n\n", &n1, &n2);
    printf("n1=%d n2=%d\n", n1, n2);
    /* positional args */
    printf("%2$s %1$s %2$s %3$d\n", "world", "hello", 5);
    /* return value of printf */
    int r = printf("%20lld|%-20llu|\n", LLONG_MIN, ULLONG_MAX);
    printf("ret=%d\n", r);
    unsigned long long acc = 0;
    char buf[128];
    for (long long v = -100000; v <= 100000; v += 997) {
        int n = snprintf(buf, sizeof buf, "%+.7lld:%#llx:%llo", v * 104729,
                         (unsigned long long)(v * 7919), (unsigned long long)v);
        for (int i = 0; i < n; i++)
            acc = acc * 131 + (unsigned char)buf[i];
        acc += (unsigned)n;
    }
    printf("checksum=%016llx\n", acc);
    return 0;
}
