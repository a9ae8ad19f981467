// strtol/strtoul/strtoll/strtoull/strtoimax with bases 0, 2..36, whitespace, signs,
// prefixes, overflow/underflow (ERANGE), invalid base (EINVAL), endptr; atoi/atol.
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>

static const char *inputs[] = {
    "0", "-0", "+0", "1", "-1", "42", "  \t\n-42xyz", "0x1f", "0X1F", "0x", "0xg", "077", "08", "0b101", "-0x8000000000000000",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "-1", "-18446744073709551615", "-18446744073709551616",
    "2147483647", "2147483648", "-2147483649", "zzzzzzzzzzzz", "ZZZ", "1z", "+-5", "- 5", "", "   ", "12 34",
    "99999999999999999999999999999", "0000000000000000000000000000000000001", "7fffffffffffffff", "ffffffffffffffff",
};

int main(void)
{
    const int bases[] = {0, 10, 16, 8, 2, 36, 7};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *s = inputs[i];
        printf("\"%s\":\n", s);
        for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
            char *e1, *e2;
            errno = 0;
            long v = strtol(s, &e1, bases[b]);
            int err1 = errno;
            errno = 0;
            unsigned long u = strtoul(s, &e2, bases[b]);
            int err2 = errno;
            printf("  base %2d: strtol=%ld end=%td %s | strtoul=%lu end=%td %s\n", bases[b], v, e1 - s, err1 == ERANGE ? "ERANGE" : err1 ? "ERR" : "ok", u,
                   e2 - s, err2 == ERANGE ? "ERANGE" : err2 ? "ERR" : "ok");
        }
        errno = 0;
        long long ll = strtoll(s, NULL, 0);
        int e3 = errno;
        errno = 0;
        unsigned long long ull = strtoull(s, NULL, 16);
        int e4 = errno;
        errno = 0;
        intmax_t im = strtoimax(s, NULL, 10);
        int e5 = errno;
        printf("  strtoll0=%lld(%d) strtoull16=%llu(%d) strtoimax=%jd(%d) (int)strtol=%d atol=%ld\n", ll, e3 == ERANGE, ull, e4 == ERANGE, im, e5 == ERANGE,
               (int)strtol(s, NULL, 10), atol(s));
    }
    /* invalid bases */
    for (int b = -1; b <= 40; b += 41) {
        errno = 0;
        const char *str = "123";
        char *e = NULL;
        long v = strtol(str, &e, b);
        printf("base %d: v=%ld EINVAL=%d consumed=%td\n", b, v, errno == EINVAL, e ? e - str : (ptrdiff_t)-1);
    }
    errno = 0;
    long v = strtol("123", NULL, 1);
    printf("base 1: v=%ld EINVAL=%d\n", v, errno == EINVAL);
    /* every base with the same digit string */
    for (int b = 2; b <= 36; b++) {
        const char *str = "10zZ9";
        char *e;
        unsigned long long r = strtoull(str, &e, b);
        long long neg = strtoll("-1aB", NULL, b);
        printf("base %2d: strtoull(10zZ9)=%llu consumed=%td strtoll(-1aB)=%lld\n", b, r, e - str, neg);
    }
    /* roundtrip of formatted numbers in several bases */
    unsigned long long x = 1;
    unsigned long long h = 0;
    for (int i = 0; i < 300; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        char buf[80];
        snprintf(buf, sizeof buf, "%llo", x);
        unsigned long long a = strtoull(buf, NULL, 8);
        snprintf(buf, sizeof buf, "%#llx", x);
        unsigned long long b = strtoull(buf, NULL, 0);
        snprintf(buf, sizeof buf, "%lld", (long long)x);
        long long c = strtoll(buf, NULL, 10);
        if (a != x || b != x || (unsigned long long)c != x) printf("roundtrip mismatch at %d\n", i);
        h = h * 31 + a + b + (unsigned long long)c;
    }
    printf("roundtrip hash=%016llx\n", h);
    return 0;
}
