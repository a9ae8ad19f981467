// <ctype.h> classification and conversion for every value -1..255 in the C locale,
// printed as a table; plus wide ctype (iswalpha etc.) for a few code points and
// toupper/tolower round trips.
#include <stdio.h>
#include <ctype.h>
#include <wctype.h>
#include <locale.h>

int main(void)
{
    setlocale(LC_ALL, "C");
    printf("  c  al di xd lo up sp pu pr gr cn bl an  toU toL\n");
    unsigned counts[12] = {0};
    for (int c = -1; c < 256; c++) {
        int f[12] = {isalpha(c) != 0, isdigit(c) != 0, isxdigit(c) != 0, islower(c) != 0, isupper(c) != 0, isspace(c) != 0,
                     ispunct(c) != 0, isprint(c) != 0, isgraph(c) != 0, iscntrl(c) != 0, isblank(c) != 0, isalnum(c) != 0};
        printf("%3d ", c);
        for (int i = 0; i < 12; i++) { printf(" %d ", f[i]); counts[i] += (unsigned)f[i]; }
        printf(" %3d %3d\n", toupper(c), tolower(c));
    }
    printf("counts:");
    for (int i = 0; i < 12; i++) printf(" %u", counts[i]);
    printf("\n");
    const wint_t wc[] = {L'a', L'Z', L'5', L' ', L'\t', 0xe9, 0x3b1, 0x4e2d, 0x2028, 0xff10, WEOF};
    for (size_t i = 0; i < sizeof wc / sizeof wc[0]; i++)
        printf("wc %#x: alpha=%d digit=%d space=%d upper=%d lower=%d print=%d towupper=%#x towlower=%#x\n", (unsigned)wc[i], iswalpha(wc[i]) != 0,
               iswdigit(wc[i]) != 0, iswspace(wc[i]) != 0, iswupper(wc[i]) != 0, iswlower(wc[i]) != 0, iswprint(wc[i]) != 0, (unsigned)towupper(wc[i]),
               (unsigned)towlower(wc[i]));
    const char *s = "Hello, World! 123 abc XYZ\t~";
    char up[64], lo[64];
    int i;
    for (i = 0; s[i]; i++) { up[i] = (char)toupper((unsigned char)s[i]); lo[i] = (char)tolower((unsigned char)s[i]); }
    up[i] = lo[i] = 0;
    printf("upper=[%s]\nlower=[%s]\n", up, lo);
    printf("wctype: %d %d\n", iswctype(L'x', wctype("alpha")) != 0, iswctype(L'x', wctype("digit")) != 0);
    return 0;
}
