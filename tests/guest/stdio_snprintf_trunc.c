// snprintf truncation at every buffer size, return values, NUL placement.
#include <stdio.h>
#include <string.h>

static int do_snprintf(char *buf, size_t n, const char *fmt, long long a, const char *s, double d)
{
    return snprintf(buf, n, fmt, a, s, d);
}

static const char *fmts[] = {
    "%lld|%s|%g",
    "%-20lld[%10s]%.3f",
    "%+#llx %.2s %e",
    "%lld%s%a",
    "prefix-only %lld %s %.0f suffix",
};

int main(void)
{
    char buf[200];
    unsigned long sum = 0;
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        char full[256];
        int flen = snprintf(full, sizeof full, fmts[f], -1234567890123LL, "string-arg", 3.25);
        printf("fmt %zu: len=%d full=\"%s\"\n", f, flen, full);
        for (size_t n = 0; n <= (size_t)flen + 2; n++) {
            memset(buf, 'Z', sizeof buf);
            volatile size_t vn = n;
            int r = do_snprintf(buf, vn, fmts[f], -1234567890123LL, "string-arg", 3.25);
            int ok = (r == flen);
            if (n > 0) {
                size_t expect = n - 1 < (size_t)flen ? n - 1 : (size_t)flen;
                ok &= (strlen(buf) == expect);
                ok &= (memcmp(buf, full, expect) == 0);
                ok &= (buf[expect] == 0);
                ok &= (buf[expect + 1] == 'Z');
            } else {
                ok &= (buf[0] == 'Z');
            }
            if (n < 8 || n + 3 > (size_t)flen || !ok)
                printf("  n=%3zu r=%d ok=%d buf=\"%s\"\n", n, r, ok, n ? buf : "");
            sum = sum * 33 + (unsigned long)ok + (unsigned long)r;
        }
    }
    /* snprintf with NULL buffer and size 0 to measure */
    int need = snprintf(NULL, 0, "%0*d", 150, 7);
    printf("need=%d\n", need);
    /* very long output into a small buffer */
    char small[16];
    volatile size_t ssz = sizeof small;
    int r = snprintf(small, ssz, "%0300d", 42);
    printf("long r=%d small=\"%s\"\n", r, small);
    /* sprintf return and chained appends */
    char acc[512];
    int pos = 0;
    for (int i = 0; i < 40; i++)
        pos += sprintf(acc + pos, "%d,", i * i - 100);
    printf("pos=%d acc=%s\n", pos, acc);
    printf("sum=%lu\n", sum);
    return 0;
}
