// Memory-copy kernel: memcpy and memset over buffers of several sizes (glibc's string routines).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
    long mb = argc > 1 ? atol(argv[1]) : 256;
    size_t size = 1 << 20;
    char *a = malloc(size), *b = malloc(size);
    memset(a, 7, size);
    unsigned long sum = 0;
    for (long i = 0; i < mb; i++) {
        memcpy(b, a, size);
        memset(a + (i & 4095), (int)i, 4096);
        for (size_t off = 0; off < 4096; off += 64) memcpy(b + off, a + off * 3, 64 + (off & 63));
        sum += (unsigned char)b[i % size];
    }
    printf("%lu\n", sum);
    return 0;
}
