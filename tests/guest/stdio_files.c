// stdio on real files: fputs/fwrite/fread/fseek/ftell, setvbuf modes, ungetc, getline, fgets, fdopen.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

static char dir[256];
static int own_dir;

static void setup_dir(int argc, char **argv)
{
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {
        strcpy(dir, "/tmp/ferry-guest-XXXXXX");
        if (!mkdtemp(dir)) { perror("mkdtemp"); exit(2); }
        own_dir = 1;
    }
}

static void path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static unsigned long hash_file(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (!f) return 0;
    unsigned long h = 5381;
    int c;
    while ((c = getc(f)) != EOF)
        h = h * 33 + (unsigned)c;
    fclose(f);
    return h;
}

int main(int argc, char **argv)
{
    setup_dir(argc, argv);
    char p1[512], p2[512], p3[512];
    path(p1, sizeof p1, "lines.txt");
    path(p2, sizeof p2, "binary.dat");
    path(p3, sizeof p3, "buffered.txt");

    /* text file with fputs/fprintf/putc */
    FILE *f = fopen(p1, "w");
    if (!f) { perror("fopen"); return 2; }
    for (int i = 0; i < 120; i++) {
        if (i % 3 == 0) fputs("fputs line ", f);
        fprintf(f, "%d: %.*s", i, i % 50, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (i % 7 == 0) putc('!', f);
        if (i != 119 || 1) fputc('\n', f);
    }
    fputs("last line without newline", f);
    printf("ftell after write=%ld\n", ftell(f));
    fclose(f);
    printf("hash lines=%lu\n", hash_file(p1));

    /* getline */
    f = fopen(p1, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int nl = 0;
    long total = 0;
    while ((len = getline(&line, &cap, f)) != -1) {
        nl++;
        total += len;
        if (nl % 10 == 1 || line[len - 1] != '\n')
            printf("getline %d len=%zd: %s%s", nl, len, line, line[len - 1] == '\n' ? "" : "<EOF>\n");
    }
    printf("lines=%d total=%ld feof=%d ferror=%d\n", nl, total, feof(f) != 0, ferror(f) != 0);
    /* rewind + fgets with small buffer */
    rewind(f);
    char small[10];
    int pieces = 0;
    while (fgets(small, sizeof small, f)) {
        pieces++;
        if (pieces <= 6) printf("fgets piece %d: [%s]\n", pieces, small);
    }
    printf("fgets pieces=%d\n", pieces);
    /* ungetc */
    rewind(f);
    int c = getc(f);
    printf("first=%c\n", c);
    ungetc('X', f);
    ungetc('Y', f); /* glibc allows more than one pushback on files */
    char tmp[8] = {0};
    size_t got = fread(tmp, 1, 6, f);
    printf("after ungetc got=%zu [%s] ftell=%ld\n", got, tmp, ftell(f));
    /* getdelim */
    rewind(f);
    int fields = 0;
    while ((len = getdelim(&line, &cap, ':', f)) != -1 && fields < 5) {
        fields++;
        printf("getdelim %d len=%zd\n", fields, len);
    }
    free(line);
    fclose(f);

    /* binary fwrite/fread and seeking */
    f = fopen(p2, "w+b");
    unsigned int data[1000];
    for (int i = 0; i < 1000; i++) data[i] = (unsigned)i * 2654435761u;
    size_t w = fwrite(data, sizeof data[0], 1000, f);
    printf("fwrite=%zu ftell=%ld\n", w, ftell(f));
    for (int pos = 0; pos < 1000; pos += 97) {
        unsigned int v = 0;
        fseek(f, (long)pos * 4, SEEK_SET);
        size_t r = fread(&v, 4, 1, f);
        printf("pos %4d r=%zu v=%08x ok=%d\n", pos, r, v, v == data[pos]);
    }
    fseek(f, -8, SEEK_END);
    unsigned int two[2];
    size_t tr = fread(two, 4, 2, f);
    printf("tail read=%zu %08x %08x\n", tr, two[0], two[1]);
    tr = fread(two, 4, 2, f);
    printf("read past end=%zu feof=%d\n", tr, feof(f) != 0);
    clearerr(f);
    fseek(f, 4, SEEK_SET);
    unsigned int patch = 0xdeadbeef;
    fwrite(&patch, 4, 1, f);
    fseek(f, 0, SEEK_CUR);
    unsigned int after;
    fread(&after, 4, 1, f);
    printf("after patch next=%08x (expect %08x)\n", after, data[2]);
    fclose(f);
    printf("hash binary=%lu\n", hash_file(p2));

    /* setvbuf modes */
    static char mybuf[64];
    const int modes[3] = {_IONBF, _IOLBF, _IOFBF};
    for (int m = 0; m < 3; m++) {
        f = fopen(p3, "w");
        setvbuf(f, m == 2 ? mybuf : NULL, modes[m], m == 2 ? sizeof mybuf : 0);
        int fd = fileno(f);
        struct stat st;
        fputs("partial", f);
        fstat(fd, &st);
        long s1 = (long)st.st_size;
        fputs(" line\n", f);
        fstat(fd, &st);
        long s2 = (long)st.st_size;
        for (int i = 0; i < 20; i++) fputs("0123456789", f);
        fstat(fd, &st);
        long s3 = (long)st.st_size;
        fflush(f);
        fstat(fd, &st);
        long s4 = (long)st.st_size;
        printf("mode %d sizes: %ld %ld %ld %ld\n", m, s1, s2, s3, s4);
        fclose(f);
    }
    /* append mode */
    f = fopen(p3, "a+");
    fputs("APPENDED\n", f);
    fseek(f, 0, SEEK_SET);
    char head[16] = {0};
    fread(head, 1, 10, f);
    fseek(f, 0, SEEK_END);
    printf("append head=[%s] size=%ld\n", head, ftell(f));
    fclose(f);
    /* fdopen on raw fd */
    int fd = open(p3, O_RDONLY);
    f = fdopen(fd, "r");
    int cnt = 0;
    while ((c = fgetc(f)) != EOF) cnt += (c == '0');
    printf("zeros=%d\n", cnt);
    fclose(f);
    /* fmemopen and open_memstream */
    char membuf[64] = "alpha beta gamma";
    f = fmemopen(membuf, strlen(membuf), "r");
    char wbuf[16];
    while (fscanf(f, "%15s", wbuf) == 1) printf("mem word=%s\n", wbuf);
    fclose(f);
    char *ms = NULL;
    size_t mslen = 0;
    f = open_memstream(&ms, &mslen);
    for (int i = 0; i < 50; i++) fprintf(f, "%d;", i * i);
    fclose(f);
    printf("memstream len=%zu str=%s\n", mslen, ms);
    free(ms);

    unlink(p1);
    unlink(p2);
    unlink(p3);
    if (own_dir) rmdir(dir);
    return 0;
}
