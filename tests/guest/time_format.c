// Time conversions with TZ=UTC set by the program: gmtime_r/localtime_r/timegm/mktime for
// fixed timestamps (epoch, leap years, 2038, negative times), strftime with many
// conversions, mktime normalisation of out-of-range fields, difftime, asctime_r, strptime.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const long long stamps[] = {
    0, 1, -1, 59, 60, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800, 946684799, 946684800,
    978307199, 1234567890, 1700000000, 2147483647, 2147483648LL, -2147483648LL, 4102444800LL /* 2100-01-01 */,
    253402300799LL /* 9999-12-31 */, -62135596800LL /* 0001-01-01 */, 1583020800LL, 68169600, 1072915199,
    1104537600 /* 2005-01-01 */, 1230767999 /* 2008-12-31 23:59:59 */, 1230768000,
};

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    printf("tzname=%s/%s timezone=%ld daylight=%d\n", tzname[0], tzname[1], timezone, daylight);
    char buf[512];
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        time_t t = (time_t)stamps[i];
        struct tm g, l;
        if (!gmtime_r(&t, &g)) { printf("gmtime_r failed for %lld\n", stamps[i]); continue; }
        localtime_r(&t, &l);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %A %b %B %j %U %W %V %G %g %u %w %y %C %e %I %p %Z %z %s", &g);
        printf("%lld: %s\n", stamps[i], buf);
        strftime(buf, sizeof buf, "%c | %x | %X | %D | %F | %T | %R | %r | %h | %n%t|%%", &l);
        printf("   %s\n", buf);
        time_t back = timegm(&g);
        time_t back2 = mktime(&l);
        printf("   yday=%d wday=%d isdst=%d timegm=%lld mktime=%lld same=%d\n", g.tm_yday, g.tm_wday, l.tm_isdst, (long long)back,
               (long long)back2, back == t && back2 == t);
        char ab[64];
        if (g.tm_year > -1900 && g.tm_year < 8099 && asctime_r(&g, ab)) printf("   asctime=%s", ab);
    }
    /* mktime normalisation */
    struct tm n;
    memset(&n, 0, sizeof n);
    n.tm_year = 2023 - 1900; n.tm_mon = 13; n.tm_mday = 35; n.tm_hour = 25; n.tm_min = -30; n.tm_sec = 3661; n.tm_isdst = -1;
    time_t nt = mktime(&n);
    strftime(buf, sizeof buf, "%F %T", &n);
    printf("normalised: %s (%lld) wday=%d yday=%d\n", buf, (long long)nt, n.tm_wday, n.tm_yday);
    memset(&n, 0, sizeof n);
    n.tm_year = 2024 - 1900; n.tm_mon = 1; n.tm_mday = 29;
    for (int d = 0; d < 400; d += 37) {
        struct tm c = n;
        c.tm_mday += d;
        time_t ct = timegm(&c);
        strftime(buf, sizeof buf, "%F %a", &c);
        printf("2024-02-29 + %3d days = %s (%lld)\n", d, buf, (long long)ct);
    }
    /* every month start in 2024 and day counts */
    for (int m = 0; m < 12; m++) {
        struct tm a = {0}, b = {0};
        a.tm_year = b.tm_year = 124;
        a.tm_mon = m; a.tm_mday = 1;
        b.tm_mon = m + 1; b.tm_mday = 1;
        double days = difftime(timegm(&b), timegm(&a)) / 86400.0;
        char wd[32];
        strftime(buf, sizeof buf, "%B", &a);
        strftime(wd, sizeof wd, "%A", &a);
        printf("%-9s 2024 has %.0f days, starts on %s\n", buf, days, wd);
    }
    printf("difftime: %.1f %.1f %.1f\n", difftime(10, 3), difftime(0, 86400), difftime((time_t)2147483648LL, (time_t)-2147483648LL));
    /* strptime */
    const char *in[] = {"2021-07-04 12:34:56", "1999-12-31 23:59:60", "1970-01-01 00:00:00", "2038-01-19 03:14:08"};
    for (size_t i = 0; i < 4; i++) {
        struct tm p;
        memset(&p, 0, sizeof p);
        char *end = strptime(in[i], "%Y-%m-%d %H:%M:%S", &p);
        printf("strptime %s -> ok=%d timegm=%lld wday=%d\n", in[i], end && *end == 0, (long long)timegm(&p), p.tm_wday);
    }
    /* strftime with tiny buffer returns 0 */
    struct tm z;
    time_t zt = 0;
    gmtime_r(&zt, &z);
    char small[8];
    size_t r = strftime(small, sizeof small, "%Y-%m-%d", &z);
    printf("strftime small buffer ret=%zu\n", r);
    /* a different fixed TZ set by the program */
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    const long long est[] = {1710054000, 1710054000 + 3600 * 2, 1730613600, 1730613600 + 3600 * 2, 1700000000};
    for (size_t i = 0; i < 5; i++) {
        time_t t = (time_t)est[i];
        struct tm l;
        localtime_r(&t, &l);
        strftime(buf, sizeof buf, "%F %T %Z %z", &l);
        printf("EST5EDT %lld -> %s isdst=%d mktime=%lld\n", est[i], buf, l.tm_isdst, (long long)mktime(&l));
    }
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}
