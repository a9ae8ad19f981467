// Memory mapping syscalls: anonymous private/shared mmap (zero-filled), file-backed
// MAP_SHARED writes visible through read(2) and MAP_PRIVATE copy-on-write not visible,
// mprotect, partial munmap, mremap grow/shrink/move, madvise(DONTNEED) re-zeroing,
// MAP_FIXED over an existing range, msync, mincore, brk/sbrk growth. Addresses are never
// printed, only offsets and contents.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

static unsigned sum(const unsigned char *p, size_t n) { unsigned s = 0; for (size_t i = 0; i < n; i++) s = s * 31 + p[i]; return s; }

int main(int argc, char **argv)
{
    const size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    /* anonymous mapping is zero-filled and page aligned */
    unsigned char *a = mmap(NULL, pg * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anon ok=%d aligned=%d\n", a != MAP_FAILED, ((uintptr_t)a % pg) == 0);
    size_t nz = 0;
    for (size_t i = 0; i < pg * 8; i++) nz += a[i] != 0;
    printf("anon nonzero bytes=%zu\n", nz);
    for (size_t i = 0; i < pg * 8; i++) a[i] = (unsigned char)(i * 7 + (i >> 12));
    printf("anon pattern sum=%08x\n", sum(a, pg * 8));
    /* partial munmap of the middle: neighbours keep content */
    printf("munmap middle rc=%d\n", munmap(a + pg * 3, pg * 2));
    printf("page2 sum=%08x page5 sum=%08x\n", sum(a + pg * 2, pg), sum(a + pg * 5, pg));
    /* MAP_FIXED into the hole */
    unsigned char *f = mmap(a + pg * 3, pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at hole: same addr=%d zero=%d\n", f == a + pg * 3, f[0] == 0 && f[pg * 2 - 1] == 0);
    /* MAP_FIXED_NOREPLACE over existing mapping fails */
    errno = 0;
    void *nr = mmap(a, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over mapping: failed=%d EEXIST=%d\n", nr == MAP_FAILED, errno == EEXIST);
    /* madvise DONTNEED on private anon re-zeroes */
    a[pg * 6 + 5] = 0x77;
    int mr = madvise(a + pg * 6, pg, MADV_DONTNEED);
    printf("madvise rc=%d byte after=%d\n", mr, a[pg * 6 + 5]);
    /* mincore */
    unsigned char vec[8];
    printf("mincore rc=%d\n", mincore(a, pg * 8, vec));
    /* mremap grow in place or move, content preserved */
    unsigned char *g = mremap(a, pg * 8, pg * 64, MREMAP_MAYMOVE);
    printf("mremap grow ok=%d page0 sum=%08x page7 sum=%08x new area zero=%d\n", g != MAP_FAILED, sum(g, pg), sum(g + pg * 7, pg), g[pg * 63] == 0);
    g[pg * 63 + 1] = 9;
    unsigned char *s = mremap(g, pg * 64, pg * 2, 0);
    printf("mremap shrink same=%d page1 sum=%08x\n", s == g, sum(s + pg, pg));
    /* forced move with MREMAP_FIXED */
    unsigned char *target = mmap(NULL, pg * 4, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *mv = mremap(s, pg * 2, pg * 2, MREMAP_MAYMOVE | MREMAP_FIXED, target + pg);
    printf("mremap fixed move ok=%d page0 sum=%08x\n", mv == target + pg, sum(mv, pg));
    munmap(target, pg * 4);
    /* mprotect: read-only then back */
    unsigned char *p = mmap(NULL, pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 1;
    mr = mprotect(p, pg, PROT_READ);
    printf("mprotect ro rc=%d read=%d\n", mr, p[0]);
    printf("mprotect rw rc=%d\n", mprotect(p, pg, PROT_READ | PROT_WRITE));
    p[1] = 2;
    errno = 0;
    mr = mprotect(p + 1, pg, PROT_READ);
    printf("mprotect unaligned rc=%d EINVAL=%d\n", mr, errno == EINVAL);
    munmap(p, pg * 2);
    /* shared anonymous mapping */
    int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    sh[10] = 12345;
    printf("shared anon value=%d\n", sh[10]);
    munmap(sh, pg);
    /* file-backed mappings */
    /* scratch file in argv[1] if given, else /tmp; unlinked at once, name never printed */
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/ferry-guest-XXXXXX", argc > 1 ? argv[1] : "/tmp");
    int fd = mkstemp(tmpl);
    unlink(tmpl);
    unsigned char buf[3 * 4096];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i ^ 0x5a);
    write(fd, buf, sizeof buf);
    unsigned char *fs = mmap(NULL, sizeof buf, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *fp = mmap(NULL, sizeof buf, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("file maps ok=%d,%d contents equal=%d sum=%08x\n", fs != MAP_FAILED, fp != MAP_FAILED, memcmp(fs, buf, sizeof buf) == 0, sum(fs, sizeof buf));
    memcpy(fs + 100, "SHARED-WRITE", 12);
    memcpy(fp + 200, "PRIVATE-WRITE", 13);
    printf("msync rc=%d\n", msync(fs, sizeof buf, MS_SYNC));
    unsigned char rb[16] = {0};
    pread(fd, rb, 12, 100);
    printf("read(2) sees shared write: [%.12s]\n", (char *)rb);
    pread(fd, rb, 13, 200);
    printf("read(2) does not see private write: %d\n", memcmp(rb, "PRIVATE-WRITE", 13) != 0);
    printf("private copy made after the shared write contains it: %d\n", memcmp(fp + 100, "SHARED-WRITE", 12) == 0);
    pwrite(fd, "PWRITE", 6, 4096 + 50);
    printf("shared map sees pwrite: %d\n", memcmp(fs + 4096 + 50, "PWRITE", 6) == 0);
    /* offset mapping */
    unsigned char *fo = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096 * 2);
    printf("offset map first byte=%02x expect=%02x\n", fo[0], (unsigned char)((4096 * 2) ^ 0x5a));
    errno = 0;
    void *bad = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 100);
    printf("unaligned offset failed=%d EINVAL=%d\n", bad == MAP_FAILED, errno == EINVAL);
    munmap(fs, sizeof buf);
    munmap(fp, sizeof buf);
    munmap(fo, 4096);
    close(fd);
    /* bad calls */
    errno = 0;
    void *z = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap len 0 failed=%d EINVAL=%d\n", z == MAP_FAILED, errno == EINVAL);
    errno = 0;
    z = mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0);
    printf("mmap bad fd failed=%d EBADF=%d\n", z == MAP_FAILED, errno == EBADF);
    void *gone = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(gone, pg);
    printf("munmap already-unmapped range rc=%d\n", munmap(gone, pg));
    /* brk / sbrk */
    void *b0 = sbrk(0);
    void *b1 = sbrk(100000);
    void *b2 = sbrk(0);
    printf("sbrk grew by %ld, old break returned=%d\n", (long)((char *)b2 - (char *)b0), b1 == b0);
    memset(b1, 0xab, 100000);
    printf("sbrk memory writable last=%02x\n", ((unsigned char *)b1)[99999]);
    sbrk(-100000);
    printf("sbrk shrink back=%d\n", sbrk(0) == b0);
    /* big allocation touched sparsely */
    size_t big = (size_t)256 << 20;
    unsigned char *bg = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    unsigned long t = 0;
    for (size_t i = 0; i < big; i += (size_t)16 << 20) { bg[i] = (unsigned char)(i >> 20); t += bg[i]; }
    printf("256MiB sparse touch sum=%lu\n", t);
    munmap(bg, big);
    return 0;
}
