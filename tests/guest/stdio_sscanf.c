// sscanf: integers, floats, strings, scansets, %n, widths, return counts.
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *inputs[] = {
        "42 -17 0x1f 0777 3.5 hello",
        "  +7   -0   0X10 010 -2.5e3 world!",
        "2147483647 -2147483648 ffff 17 1e-5 x",
        "abc",
        "12abc 34 0x 08 .5 tail",
        "",
        "-9223372036854775808 18446744073709551615 z",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        int a = 0, b = 0, c = 0, d = 0;
        double e = 0;
        char s[32] = "";
        int r = sscanf(inputs[i], "%d %i %x %o %lf %31s", &a, &b, &c, &d, &e, s);
        printf("in=\"%s\" r=%d a=%d b=%d c=%d d=%d e=%.17g s=\"%s\"\n", inputs[i], r, a, b, c, d, e, s);
        int i1 = 0, i2 = 0, i3 = 0, i4 = 0;
        r = sscanf(inputs[i], "%i %i %i %i", &i1, &i2, &i3, &i4);
        printf("  %%i: r=%d %d %d %d %d\n", r, i1, i2, i3, i4);
    }
    long long ll = 0;
    unsigned long long ull = 0;
    int r = sscanf("-9223372036854775808 18446744073709551615", "%lld %llu", &ll, &ull);
    printf("r=%d ll=%lld ull=%llu\n", r, ll, ull);
    short h = 0;
    signed char hh = 0;
    r = sscanf("-300 200", "%hd %hhd", &h, &hh);
    printf("r=%d h=%d hh=%d\n", r, h, hh);

    char w1[8], w2[8], w3[16];
    int n = 0;
    r = sscanf("abcdefghijkl mnop", "%3s%4s%15s%n", w1, w2, w3, &n);
    printf("r=%d w1=%s w2=%s w3=%s n=%d\n", r, w1, w2, w3, n);

    char set1[32] = "", set2[32] = "";
    r = sscanf("key_name=some value;rest", "%31[a-z_]=%31[^;]", set1, set2);
    printf("r=%d set1=\"%s\" set2=\"%s\"\n", r, set1, set2);

    int x = 0, y = 0, z = 0;
    r = sscanf("12:34:56", "%d:%d:%d", &x, &y, &z);
    printf("time r=%d %02d-%02d-%02d\n", r, x, y, z);
    r = sscanf("12:34", "%d:%d:%d", &x, &y, &z);
    printf("partial r=%d\n", r);
    r = sscanf("   ", "%d", &x);
    printf("empty r=%d\n", r);
    r = sscanf("5 6", "%d %*d %d", &x, &y);
    printf("suppress r=%d x=%d\n", r, x);
    r = sscanf("123456", "%2d%3d%d", &x, &y, &z);
    printf("widths r=%d %d %d %d\n", r, x, y, z);
    char c1 = 0, c2 = 0, c3 = 0;
    r = sscanf("a b", "%c%c%c", &c1, &c2, &c3);
    printf("chars r=%d [%c][%c][%c]\n", r, c1, c2, c3);
    float f1 = 0, f2 = 0, f3 = 0;
    r = sscanf("1.5 -inf nan", "%f %f %f", &f1, &f2, &f3);
    printf("floats r=%d %g %g %s\n", r, f1, f2, f3 != f3 ? "nan" : "num");
    double dd[6];
    r = sscanf("0x1.8p1 1e308 1e-320 -0 4.9406564584124654e-324 .1", "%lf %lf %lf %lf %lf %lf",
               &dd[0], &dd[1], &dd[2], &dd[3], &dd[4], &dd[5]);
    printf("doubles r=%d", r);
    for (int i = 0; i < 6; i++)
        printf(" %a", dd[i]);
    printf("\n");
    /* loop parsing a list */
    const char *list = "10,20,-30,40 ,50,x60";
    const char *p = list;
    int v, used, total = 0, cnt = 0;
    while (sscanf(p, "%d%n", &v, &used) == 1) {
        total += v;
        cnt++;
        p += used;
        if (*p == ' ')
            p++;
        if (*p != ',')
            break;
        p++;
    }
    printf("list cnt=%d total=%d rest=\"%s\"\n", cnt, total, p);
    unsigned checksum = 0;
    char buf[64];
    for (int i = -5000; i <= 5000; i += 7) {
        snprintf(buf, sizeof buf, "%d %x %o %.3f", i, (unsigned)i * 31u, (unsigned)(i + 5000), i / 8.0);
        int a2; unsigned b2, c2u; double d2;
        if (sscanf(buf, "%d %x %o %lf", &a2, &b2, &c2u, &d2) != 4) { printf("fail at %d\n", i); return 1; }
        checksum = checksum * 31 + (unsigned)a2 + b2 + c2u + (unsigned)(long)(d2 * 1000);
    }
    printf("roundtrip checksum=%08x\n", checksum);
    return 0;
}
