// Wide characters in the C locale and in C.UTF-8 when available (printed only as a
// boolean): mbstowcs/wcstombs/mbrtowc/wcrtomb/mblen, wcslen/wcscmp/wcschr/wcsstr/wcscpy,
// swprintf/wcstol/wcstod, and invalid sequences returning -1 (EILSEQ).
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <locale.h>
#include <errno.h>

static void dump_w(const char *label, const wchar_t *w, size_t n)
{
    printf("%s:", label);
    for (size_t i = 0; i < n; i++) printf(" %lx", (unsigned long)w[i]);
    printf("\n");
}

int main(void)
{
    setlocale(LC_ALL, "C");
    printf("MB_CUR_MAX(C)=%zu\n", MB_CUR_MAX);
    const char *ascii = "Hello, wide world! 0123";
    wchar_t wbuf[64];
    size_t n = mbstowcs(wbuf, ascii, 64);
    printf("mbstowcs ascii n=%zu\n", n);
    dump_w("wide", wbuf, n);
    char back[64];
    size_t m = wcstombs(back, wbuf, sizeof back);
    printf("wcstombs n=%zu back=[%s] same=%d\n", m, back, strcmp(back, ascii) == 0);
    /* high bytes in the C locale */
    const char high[] = "a\xe9\xff\x80z";
    errno = 0;
    n = mbstowcs(wbuf, high, 64);
    printf("mbstowcs high bytes in C locale: n=%zd errno_EILSEQ=%d\n", (ssize_t)n, errno == EILSEQ);
    if (n != (size_t)-1) dump_w("wide", wbuf, n);
    printf("mblen: %d %d %d\n", mblen("a", 1), mblen("", 1), mblen("\xc3\xa9", 2));
    /* wide string functions */
    const wchar_t *ws = L"the quick brown fox jumps over the lazy dog";
    printf("wcslen=%zu wcschr(q)=%td wcsrchr(o)=%td wcsstr(lazy)=%td\n", wcslen(ws), wcschr(ws, L'q') - ws, wcsrchr(ws, L'o') - ws,
           wcsstr(ws, L"lazy") - ws);
    wchar_t copy[64];
    wcscpy(copy, ws);
    copy[4] = L'Q';
    printf("wcscmp=%d wcsncmp4=%d wcsspn=%zu wcscspn=%zu\n", wcscmp(ws, copy) > 0, wcsncmp(ws, copy, 4), wcsspn(ws, L"eht "), wcscspn(ws, L"xyz"));
    wchar_t fmt[128];
    int r = swprintf(fmt, 128, L"%d|%5ls|%-4lc|%.3f|%x", -42, L"ab", L'Z', 3.14159, 255u);
    printf("swprintf r=%d:", r);
    for (int i = 0; i < r; i++) printf("%c", (char)fmt[i]);
    printf("\n");
    wchar_t *end;
    long lv = wcstol(L"  -12345xyz", &end, 10);
    double dv = wcstod(L"6.02e23rest", &end);
    printf("wcstol=%ld wcstod=%.17g rest=%c\n", lv, dv, (char)*end);
    /* mbrtowc state machine with ASCII */
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t k = mbrtowc(&wc, "Q", 1, &st);
    printf("mbrtowc k=%zu wc=%lx mbsinit=%d\n", k, (unsigned long)wc, mbsinit(&st) != 0);
    char mb[8];
    k = wcrtomb(mb, L'R', &st);
    printf("wcrtomb k=%zu byte=%c\n", k, mb[0]);
    errno = 0;
    k = wcrtomb(mb, (wchar_t)0x20ac, &st);
    printf("wcrtomb euro in C locale k=%zd EILSEQ=%d\n", (ssize_t)k, errno == EILSEQ);
    /* UTF-8 locale, if the C.UTF-8 locale is available (built into glibc >= 2.35) */
    int have = setlocale(LC_ALL, "C.UTF-8") != NULL;
    printf("C.UTF-8 available=%d\n", have);
    if (have) {
        const char *u = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 \xe4\xb8\xad";
        n = mbstowcs(wbuf, u, 64);
        printf("utf8 mbstowcs n=%zu MB_CUR_MAX=%zu\n", n, MB_CUR_MAX);
        dump_w("wide", wbuf, n);
        m = wcstombs(back, wbuf, sizeof back);
        printf("wcstombs n=%zu same=%d\n", m, strcmp(back, u) == 0);
        const char *bad[] = {"\xc3", "\xc3\x28", "\xed\xa0\x80", "\xf8\x88\x80\x80\x80", "\xc0\xaf", "ok"};
        for (int i = 0; i < 6; i++) {
            errno = 0;
            size_t rr = mbstowcs(NULL, bad[i], 0);
            printf("invalid seq %d -> %zd EILSEQ=%d\n", i, (ssize_t)rr, errno == EILSEQ);
        }
        memset(&st, 0, sizeof st);
        const char *p = "\xe2\x82\xac";
        size_t a = mbrtowc(&wc, p, 1, &st);
        size_t b = mbrtowc(&wc, p + 1, 1, &st);
        size_t c = mbrtowc(&wc, p + 2, 1, &st);
        printf("byte-at-a-time: %zd %zd %zd wc=%lx\n", (ssize_t)a, (ssize_t)b, (ssize_t)c, (unsigned long)wc);
        printf("wcwidth: a=%d euro=%d zhong=%d combining=%d\n", wcwidth(L'a'), wcwidth(0x20ac), wcwidth(0x4e2d), wcwidth(0x301));
        setlocale(LC_ALL, "C");
    }
    return 0;
}
