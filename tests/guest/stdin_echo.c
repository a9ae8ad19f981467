// Reads all of stdin with read(2) in irregular chunk sizes, echoes it upper-cased, and
// reports line/byte/word counts and a checksum; then checks that read and fgetc see EOF.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>

int main(void)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    static const size_t chunks[] = {1, 7, 64, 3, 1000, 13};
    int k = 0, reads = 0;
    for (;;) {
        size_t want = chunks[k++ % 6];
        if (len + want > cap) { cap = cap * 2 + want; buf = realloc(buf, cap); }
        ssize_t r = read(0, buf + len, want);
        if (r < 0) { perror("read"); return 2; }
        if (r == 0) break;
        len += (size_t)r;
        reads++;
    }
    size_t lines = 0, words = 0, nonascii = 0;
    unsigned long sum = 0;
    int inword = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        lines += c == '\n';
        nonascii += c >= 0x80;
        if (isspace(c)) inword = 0;
        else if (!inword) { inword = 1; words++; }
        sum = sum * 31 + c;
        buf[i] = (char)toupper(c);
    }
    fwrite(buf, 1, len, stdout);
    if (len && buf[len - 1] != '\n') putchar('\n');
    printf("--\nbytes=%zu lines=%zu words=%zu nonascii=%zu checksum=%016lx reads>0=%d\n", len, lines, words, nonascii, sum, reads > 0);
    /* second read must report EOF immediately */
    char extra[16];
    printf("read after EOF=%zd\n", read(0, extra, sizeof extra));
    printf("fgetc after EOF is EOF: %d\n", fgetc(stdin) == EOF);
    free(buf);
    return lines > 255 ? 255 : (int)lines;
}
