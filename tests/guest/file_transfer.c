// Kernel-side copies and file space: sendfile (with and without an offset), copy_file_range,
// splice through a pipe, tee, fallocate (and its errors), posix_fadvise, flock between two opens.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/ferry-guest-XXXXXX";

static int make(const char *name, const char *content)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (content) write(fd, content, strlen(content));
    return fd;
}

static void show(const char *label, int fd)
{
    char buf[256] = { 0 };
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    printf("%s: %zd \"", label, n);
    for (ssize_t i = 0; i < n; i++) printf(buf[i] ? "%c" : "\\0", buf[i]);
    printf("\"\n");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) snprintf(dir, sizeof dir, "%s", argv[1]);
    else if (!mkdtemp(dir)) return 1;
    const char *text = "0123456789abcdefghijklmnopqrstuvwxyz";
    int src = make("src", text), dst = make("dst", NULL);

    off_t off = 10;
    ssize_t r = sendfile(dst, src, &off, 8);
    printf("sendfile with offset: %zd, offset now %lld\n", r, (long long)off);
    lseek(src, 30, SEEK_SET);
    r = sendfile(dst, src, NULL, 100);
    printf("sendfile from file position: %zd, position now %lld\n", r, (long long)lseek(src, 0, SEEK_CUR));
    show("dst", dst);

    int cfr = make("cfr", NULL);
    off_t in = 5, out = 2;
    r = copy_file_range(src, &in, cfr, &out, 10, 0);
    printf("copy_file_range: %zd in %lld out %lld\n", r, (long long)in, (long long)out);
    show("cfr", cfr);
    printf("copy_file_range bad flags: %s\n", copy_file_range(src, NULL, cfr, NULL, 1, 1) < 0 ? strerror(errno) : "ok?");

    int p[2], q[2];
    pipe(p); pipe(q);
    off = 20;
    r = splice(src, &off, p[1], NULL, 6, 0);
    printf("splice file to pipe: %zd, offset %lld\n", r, (long long)off);
    r = tee(p[0], q[1], 6, 0);
    printf("tee: %zd\n", r);
    int sp = make("splice", NULL);
    off_t o2 = 0;
    r = splice(p[0], NULL, sp, &o2, 6, 0);
    printf("splice pipe to file: %zd, offset %lld\n", r, (long long)o2);
    char buf[16] = { 0 };
    r = read(q[0], buf, sizeof buf);
    printf("teed copy: %zd \"%s\"\n", r, buf);
    show("splice", sp);
    printf("splice between two files: %s\n", splice(src, NULL, sp, NULL, 4, 0) < 0 ? strerror(errno) : "ok?");

    int fa = make("falloc", "abc");
    printf("fallocate 64 KiB: %s\n", fallocate(fa, 0, 0, 65536) < 0 ? strerror(errno) : "ok");
    struct stat st;
    fstat(fa, &st);
    printf("size after fallocate: %lld\n", (long long)st.st_size);
    printf("fallocate keep size past end: %s\n", fallocate(fa, FALLOC_FL_KEEP_SIZE, 65536, 4096) < 0 ? strerror(errno) : "ok");
    fstat(fa, &st);
    printf("size kept: %lld\n", (long long)st.st_size);
    printf("fallocate negative length: %s\n", fallocate(fa, 0, 0, -1) < 0 ? strerror(errno) : "ok?");
    printf("fallocate on a pipe: %s\n", fallocate(p[1], 0, 0, 1) < 0 ? strerror(errno) : "ok?");
    printf("posix_fadvise sequential: %d, bad advice: %d\n", posix_fadvise(fa, 0, 0, POSIX_FADV_SEQUENTIAL), posix_fadvise(fa, 0, 0, 99));

    char path[128];
    snprintf(path, sizeof path, "%s/src", dir);
    int again = open(path, O_RDONLY);
    printf("flock exclusive: %d\n", flock(src, LOCK_EX | LOCK_NB));
    printf("flock from a second open: %s\n", flock(again, LOCK_EX | LOCK_NB) < 0 ? strerror(errno) : "ok?");
    int unlocked = flock(src, LOCK_UN);
    printf("unlock, then second open: %d %d\n", unlocked, flock(again, LOCK_SH | LOCK_NB));
    printf("flock bad operation: %s\n", flock(again, 12345) < 0 ? strerror(errno) : "ok?");

    const char *names[] = { "src", "dst", "cfr", "splice", "falloc" };
    for (int i = 0; i < 5; i++) { snprintf(path, sizeof path, "%s/%s", dir, names[i]); unlink(path); }
    if (argc <= 1) rmdir(dir);
    return 0;
}
