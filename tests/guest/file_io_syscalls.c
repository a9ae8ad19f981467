// Raw file syscalls: open flags, read/write, lseek (SET/CUR/END, holes), pread/pwrite,
// readv/writev, ftruncate, fstat/stat size & type bits, O_APPEND, O_EXCL, O_TRUNC, access.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>

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

static const char *ftype(mode_t m)
{
    if (S_ISREG(m)) return "reg";
    if (S_ISDIR(m)) return "dir";
    if (S_ISLNK(m)) return "lnk";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISCHR(m)) return "chr";
    return "other";
}

static void show_stat(const char *label, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0) { printf("%s: fstat failed errno=%d\n", label, errno); return; }
    printf("%s: size=%lld type=%s perm=%03o nlink=%lu\n", label, (long long)st.st_size,
           ftype(st.st_mode), (unsigned)(st.st_mode & 0777), (unsigned long)st.st_nlink);
}

int main(int argc, char **argv)
{
    setup_dir(argc, argv);
    umask(022);
    char p[512], p2[512];
    snprintf(p, sizeof p, "%s/data.bin", dir);
    snprintf(p2, sizeof p2, "%s/other.txt", dir);

    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0640);
    printf("open ok=%d\n", fd >= 0);
    show_stat("empty", fd);
    unsigned char buf[8192];
    for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (unsigned char)(i ^ (i >> 8));
    ssize_t w = write(fd, buf, 5000);
    printf("write=%zd pos=%lld\n", w, (long long)lseek(fd, 0, SEEK_CUR));
    show_stat("after write", fd);
    printf("lseek set 100 -> %lld\n", (long long)lseek(fd, 100, SEEK_SET));
    unsigned char rb[64];
    ssize_t r = read(fd, rb, 10);
    printf("read=%zd bytes:", r);
    for (int i = 0; i < r; i++) printf(" %02x", rb[i]);
    printf("\n");
    printf("lseek cur -50 -> %lld\n", (long long)lseek(fd, -50, SEEK_CUR));
    printf("lseek end -1 -> %lld\n", (long long)lseek(fd, -1, SEEK_END));
    r = read(fd, rb, 64);
    printf("read at end-1=%zd val=%02x\n", r, rb[0]);
    r = read(fd, rb, 64);
    printf("read at eof=%zd\n", r);
    errno = 0;
    off_t bad = lseek(fd, -10, SEEK_SET);
    printf("lseek negative -> %lld errno=%s\n", (long long)bad, errno == EINVAL ? "EINVAL" : "other");
    /* sparse write beyond EOF creates a hole that reads as zeros */
    printf("lseek 20000 -> %lld\n", (long long)lseek(fd, 20000, SEEK_SET));
    w = write(fd, "TAIL", 4);
    show_stat("after hole", fd);
    r = pread(fd, rb, 16, 10000);
    int zeros = 0;
    for (int i = 0; i < r; i++) zeros += rb[i] == 0;
    printf("pread hole=%zd zeros=%d\n", r, zeros);
    /* pread/pwrite do not move the offset */
    lseek(fd, 7, SEEK_SET);
    w = pwrite(fd, "PWRITE", 6, 4990);
    r = pread(fd, rb, 12, 4988);
    printf("pwrite=%zd pread=%zd [%.6s] pos=%lld\n", w, r, (char *)rb + 2, (long long)lseek(fd, 0, SEEK_CUR));
    for (int i = 0; i < 12; i++) printf("%02x", rb[i]);
    printf("\n");
    /* writev/readv */
    struct iovec iov[3];
    char a[] = "alpha-", b2[] = "beta-", c[] = "gamma";
    iov[0].iov_base = a; iov[0].iov_len = 6;
    iov[1].iov_base = b2; iov[1].iov_len = 5;
    iov[2].iov_base = c; iov[2].iov_len = 5;
    lseek(fd, 0, SEEK_SET);
    printf("writev=%zd\n", writev(fd, iov, 3));
    char r1[4] = {0}, r2[8] = {0}, r3[32] = {0};
    iov[0].iov_base = r1; iov[0].iov_len = 3;
    iov[1].iov_base = r2; iov[1].iov_len = 7;
    iov[2].iov_base = r3; iov[2].iov_len = 6;
    lseek(fd, 0, SEEK_SET);
    printf("readv=%zd [%s][%s][%s]\n", readv(fd, iov, 3), r1, r2, r3);
    printf("preadv=%zd [%s]\n", preadv(fd, iov + 2, 1, 3), r3);
    /* ftruncate shrink and grow */
    printf("ftruncate 1000 rc=%d\n", ftruncate(fd, 1000));
    show_stat("truncated", fd);
    printf("ftruncate 3000 rc=%d\n", ftruncate(fd, 3000));
    r = pread(fd, rb, 8, 1500);
    printf("grown region read=%zd first=%d\n", r, rb[0]);
    printf("truncate() by path rc=%d\n", truncate(p, 12));
    show_stat("truncate path", fd);
    close(fd);
    /* read back whole file and checksum */
    fd = open(p, O_RDONLY);
    unsigned h = 0;
    while ((r = read(fd, buf, 5)) > 0)
        for (int i = 0; i < r; i++) h = h * 31 + buf[i];
    printf("final content hash=%08x\n", h);
    errno = 0;
    w = write(fd, "x", 1);
    printf("write to O_RDONLY=%zd EBADF=%d\n", w, errno == EBADF);
    close(fd);
    /* O_APPEND */
    fd = open(p2, O_WRONLY | O_CREAT | O_APPEND, 0600);
    write(fd, "one\n", 4);
    lseek(fd, 0, SEEK_SET);
    write(fd, "two\n", 4);
    show_stat("append", fd);
    close(fd);
    /* O_EXCL on existing file */
    errno = 0;
    fd = open(p2, O_WRONLY | O_CREAT | O_EXCL, 0600);
    printf("O_EXCL fd=%d EEXIST=%d\n", fd, errno == EEXIST);
    fd = open(p2, O_RDWR | O_TRUNC);
    show_stat("O_TRUNC", fd);
    close(fd);
    printf("access F_OK=%d R_OK=%d X_OK=%d missing=%d\n", access(p2, F_OK), access(p2, R_OK), access(p2, X_OK) == 0,
           access("/definitely/not/here", F_OK));
    chmod(p2, 0751);
    struct stat st;
    stat(p2, &st);
    printf("chmod perm=%03o X_OK=%d\n", (unsigned)(st.st_mode & 0777), access(p2, X_OK));
    /* openat + fstatat relative to a dir fd */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int fd3 = openat(dfd, "rel.txt", O_CREAT | O_WRONLY, 0644);
    write(fd3, "relative", 8);
    close(fd3);
    fstatat(dfd, "rel.txt", &st, 0);
    printf("openat size=%lld type=%s\n", (long long)st.st_size, ftype(st.st_mode));
    printf("unlinkat=%d\n", unlinkat(dfd, "rel.txt", 0));
    close(dfd);
    /* large read/write in one go */
    fd = open(p, O_RDWR | O_TRUNC);
    static unsigned char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i += 4096) big[i] = (unsigned char)(i >> 12);
    printf("big write=%zd\n", write(fd, big, sizeof big));
    lseek(fd, 0, SEEK_SET);
    memset(big, 0, sizeof big);
    size_t tot = 0;
    while ((r = read(fd, big + tot, sizeof big - tot)) > 0) tot += (size_t)r;
    unsigned bh = 0;
    for (size_t i = 0; i < sizeof big; i += 4096) bh = bh * 7 + big[i];
    printf("big read=%zu hash=%08x\n", tot, bh);
    close(fd);
    unlink(p);
    unlink(p2);
    if (own_dir) printf("rmdir=%d\n", rmdir(dir));
    else printf("rmdir=0\n");
    return 0;
}
