// Less common string functions: strtok/strtok_r/strsep, strdup/strndup, strncpy padding,
// stpncpy, memccpy, mempcpy, strcoll/strxfrm (C locale), strerror_r (GNU), strsignal,
// strverscmp, basename/dirname, fnmatch, regex,
// memfrob, swab, ffsl, index/rindex, bzero/bcmp.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libgen.h>
#include <fnmatch.h>
#include <regex.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wstringop-truncation"

static void hexdump(const char *label, const void *p, size_t n)
{
    const unsigned char *b = p;
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) printf(" %02x", b[i]);
    printf("\n");
}

int main(void)
{
    char s1[] = "  alpha, beta;;gamma ,delta,, epsilon  ";
    printf("strtok:");
    for (char *t = strtok(s1, " ,;"); t; t = strtok(NULL, " ,;")) printf(" [%s]", t);
    printf("\n");
    char s2[] = "a=1&b=22&&c=333&d";
    char *save, *save2;
    printf("strtok_r nested:");
    for (char *kv = strtok_r(s2, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *k = strtok_r(kv, "=", &save2);
        char *v = strtok_r(NULL, "=", &save2);
        printf(" {%s:%s}", k, v ? v : "-");
    }
    printf("\n");
    char s3[] = "x,,y,z,";
    char *sp = s3, *tok;
    printf("strsep:");
    while ((tok = strsep(&sp, ",")) != NULL) printf(" [%s]", tok);
    printf("\n");
    char *d = strdup("duplicate me");
    char *nd = strndup("truncate this string", 8);
    static char shortstr[] = "short";
    volatile size_t bound = 100;
    char *nd2 = strndup(shortstr, bound);
    printf("strdup=[%s] strndup=[%s] strndup-long=[%s]\n", d, nd, nd2);
    free(d); free(nd); free(nd2);
    char pad[12];
    memset(pad, 'Z', sizeof pad);
    strncpy(pad, "abc", sizeof pad);
    hexdump("strncpy pads with NUL", pad, sizeof pad);
    memset(pad, 'Z', sizeof pad);
    strncpy(pad, "exactly-twelve!", sizeof pad);
    hexdump("strncpy no terminator", pad, sizeof pad);
    memset(pad, 'Z', sizeof pad);
    char *e = stpncpy(pad, "xy", 6);
    printf("stpncpy end offset=%td\n", e - pad);
    hexdump("stpncpy", pad, sizeof pad);
    char mc[16];
    memset(mc, '.', sizeof mc);
    char *r = memccpy(mc, "copy:until:colon", ':', sizeof mc);
    printf("memccpy stop offset=%td content=%.*s\n", r ? r - mc : -1L, (int)(r ? r - mc : 16), mc);
    r = memccpy(mc, "no-stop-char-here", '#', 8);
    printf("memccpy not found=%d\n", r == NULL);
    char mp[32];
    char *q = mempcpy(mp, "abc", 3);
    q = mempcpy(q, "defg", 4);
    *q = 0;
    printf("mempcpy=[%s] len=%td\n", mp, q - mp);
    printf("strcoll: %d %d %d\n", strcoll("abc", "abd") < 0, strcoll("B", "a") < 0, strcoll("same", "same"));
    char xf[32];
    size_t xl = strxfrm(xf, "transform", sizeof xf);
    printf("strxfrm len=%zu [%s]\n", xl, xf);
    char eb[128];
    char *em = strerror_r(2, eb, sizeof eb);
    printf("strerror_r(2)=%s\n", em);
    em = strerror_r(9999, eb, sizeof eb);
    printf("strerror_r(9999)=%s\n", em);
    for (int sg = 1; sg < 32; sg += 5) printf("strsignal(%d)=%s\n", sg, strsignal(sg));
    const char *vers[] = {"file10", "file9", "file1.2", "file1.10", "a000", "a00", "a01", "a0", "b"};
    for (int i = 0; i + 1 < 9; i++) printf("strverscmp(%s,%s)=%d\n", vers[i], vers[i + 1], (strverscmp(vers[i], vers[i + 1]) > 0) - (strverscmp(vers[i], vers[i + 1]) < 0));
    const char *paths[] = {"/usr/lib/libc.so", "/usr/lib/", "libc.so", "/", "", ".", "..", "a//b//", "//x"};
    for (int i = 0; i < 9; i++) {
        char b1[64], b2[64];
        strcpy(b1, paths[i]);
        strcpy(b2, paths[i]);
        char *dn = dirname(b1);
        char *bn = basename(b2); /* POSIX version from <libgen.h> */
        printf("path [%s]: dirname=[%s] basename=[%s]\n", paths[i], dn, bn);
    }
    const char *pats[][2] = {{"*.c", "main.c"}, {"*.c", "main.h"}, {"ma?n.*", "main.c"}, {"[a-c]*", "bee"}, {"[!a-c]*", "bee"}, {"*/x", "a/b/x"},
                             {"\\*", "*"}, {"*", ".hidden"}, {"[[:digit:]]*", "7up"}};
    for (int i = 0; i < 9; i++)
        printf("fnmatch(%s,%s)=%d period=%d pathname=%d\n", pats[i][0], pats[i][1], fnmatch(pats[i][0], pats[i][1], 0) == 0,
               fnmatch(pats[i][0], pats[i][1], FNM_PERIOD) == 0, fnmatch(pats[i][0], pats[i][1], FNM_PATHNAME) == 0);
    regex_t re;
    int rc = regcomp(&re, "([a-z]+)-([0-9]{2,4})(x?)", REG_EXTENDED);
    const char *subjects[] = {"abc-123", "zz-1", "id: foo-2024x tail", "NONE-99", "q-12345"};
    for (int i = 0; i < 5 && rc == 0; i++) {
        regmatch_t m[4];
        int mr = regexec(&re, subjects[i], 4, m, 0);
        printf("regex [%s]: %s", subjects[i], mr == 0 ? "match" : "nomatch");
        if (mr == 0)
            for (int g = 0; g < 4; g++) printf(" g%d=[%.*s]@%d", g, (int)(m[g].rm_eo - m[g].rm_so), subjects[i] + m[g].rm_so, (int)m[g].rm_so);
        printf("\n");
    }
    regfree(&re);
    rc = regcomp(&re, "a(b", REG_EXTENDED);
    char ebuf[100];
    regerror(rc, &re, ebuf, sizeof ebuf);
    printf("bad regex rc!=0: %d msg=%s\n", rc != 0, ebuf);
    char fro[] = "frobnicate";
    memfrob(fro, strlen(fro));
    hexdump("memfrob", fro, strlen(fro));
    memfrob(fro, strlen(fro));
    printf("memfrob twice=[%s]\n", fro);
    char sw[8] = "abcdefg", swd[8] = {0};
    swab(sw, swd, 6);
    printf("swab=[%.6s]\n", swd);
    static char hello[] = "hello";
    printf("ffsl=%d ffsll=%d index=%td rindex=%td bcmp=%d\n", ffsl(0x100L), ffsll(1LL << 40), index(hello, 'l') - hello, rindex(hello, 'l') - hello,
           bcmp("abc", "abd", 2));
    char bz[8] = "xxxxxxx";
    bzero(bz + 2, 3);
    hexdump("bzero", bz, 8);
    printf("strcasestr=%s strchrnul-end=%d\n", strcasestr("Hello World", "WORLD"), *strchrnul("abc", 'z') == 0);
    return 0;
}
