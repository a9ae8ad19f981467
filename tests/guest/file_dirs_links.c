// Directories and links: mkdir/rmdir/unlink/rename/link/symlink/readlink/lstat,
// opendir/readdir (names sorted before printing), getcwd/chdir relative paths, errno cases.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
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

static const char *ename(int e)
{
    switch (e) {
    case 0: return "OK";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EINVAL: return "EINVAL";
    case ELOOP: return "ELOOP";
    case EBADF: return "EBADF";
    default: return "E?";
    }
}

#define TRY(expr) do { errno = 0; int rc_ = (expr); printf("%-48s -> %d %s\n", #expr, rc_, ename(rc_ < 0 ? errno : 0)); } while (0)

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s failed %s\n", path, ename(errno)); return; }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256) {
        char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : e->d_type == DT_UNKNOWN ? '?' : 'o';
        char *s = malloc(strlen(e->d_name) + 3);
        sprintf(s, "%s:%c", e->d_name, t);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    printf("listing (%d entries):", n);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void write_file(const char *name, const char *content)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, content, strlen(content));
    close(fd);
}

static void show(const char *name)
{
    struct stat st, lst;
    int r1 = stat(name, &st);
    int r2 = lstat(name, &lst);
    if (r2 != 0) { printf("%-14s: missing\n", name); return; }
    printf("%-14s: lstat type=%s size=%lld nlink=%lu | stat %s", name,
           S_ISLNK(lst.st_mode) ? "lnk" : S_ISDIR(lst.st_mode) ? "dir" : S_ISREG(lst.st_mode) ? "reg" : "other",
           S_ISLNK(lst.st_mode) ? (long long)lst.st_size : S_ISDIR(lst.st_mode) ? -1LL : (long long)lst.st_size,
           S_ISDIR(lst.st_mode) ? 0UL : (unsigned long)lst.st_nlink, r1 == 0 ? "ok" : "broken");
    if (r1 == 0 && S_ISREG(st.st_mode)) printf(" size=%lld", (long long)st.st_size);
    printf("\n");
}

int main(int argc, char **argv)
{
    setup_dir(argc, argv);
    umask(022);
    if (chdir(dir) != 0) { perror("chdir"); return 2; }
    TRY(mkdir("sub", 0755));
    TRY(mkdir("sub", 0755));
    TRY(mkdir("sub/inner", 0700));
    TRY(mkdir("missing/x", 0755));
    write_file("file1", "hello world\n");
    write_file("sub/file2", "0123456789");
    write_file("sub/inner/deep", "deep");
    for (int i = 0; i < 30; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "sub/f%02d_%c", (i * 17) % 30, 'a' + i % 26);
        write_file(nm, nm);
    }
    list_dir(".");
    list_dir("sub");
    TRY(link("file1", "hard1"));
    TRY(link("file1", "hard1"));
    TRY(symlink("file1", "sym1"));
    TRY(symlink("nowhere", "dangling"));
    TRY(symlink("sub/inner", "dirlink"));
    TRY(symlink("loop2", "loop1"));
    TRY(symlink("loop1", "loop2"));
    show("file1");
    show("hard1");
    show("sym1");
    show("dangling");
    show("dirlink");
    show("sub");
    char buf[256];
    const char *links[] = {"sym1", "dangling", "dirlink", "file1", "loop1"};
    for (int i = 0; i < 5; i++) {
        errno = 0;
        ssize_t n = readlink(links[i], buf, sizeof buf - 1);
        if (n >= 0) buf[n] = 0;
        printf("readlink(%s) = %zd [%s] %s\n", links[i], n, n >= 0 ? buf : "", ename(n < 0 ? errno : 0));
    }
    ssize_t n = readlink("sym1", buf, 3);
    printf("readlink truncated = %zd [%.3s]\n", n, buf);
    errno = 0;
    int fd = open("loop1", O_RDONLY);
    printf("open loop -> %d %s\n", fd, ename(errno));
    fd = open("dirlink/deep", O_RDONLY);
    n = read(fd, buf, sizeof buf);
    printf("read through dir symlink = %zd [%.*s]\n", n, (int)n, buf);
    close(fd);
    TRY(rename("file1", "renamed"));
    show("sym1");
    show("hard1");
    TRY(rename("renamed", "file1"));
    TRY(rename("sub/file2", "sub/inner/file2moved"));
    TRY(rename("hard1", "sub"));
    TRY(rename("sub", "file1"));
    TRY(rmdir("sub"));
    TRY(rmdir("file1"));
    TRY(unlink("sub"));
    TRY(unlink("nonexistent"));
    TRY(open("file1/x", O_RDONLY));
    list_dir("sub/inner");
    /* getcwd relative: compare cwd to the dir we chdir'ed into */
    char cwd[512];
    if (getcwd(cwd, sizeof cwd)) {
        char real[512];
        realpath(dir, real);
        printf("getcwd matches realpath(dir): %d\n", strcmp(cwd, real) == 0);
    }
    TRY(chdir("sub/inner"));
    show("deep");
    show("../file2");
    TRY(chdir("../.."));
    char rp[512];
    if (realpath("dirlink/../inner/deep", rp)) {
        char real[512];
        realpath(dir, real);
        printf("realpath suffix: %s\n", rp + strlen(real));
    }
    /* nested mkdir, then remove in reverse */
    char path[512] = "n";
    for (int depth = 0; depth < 12; depth++) {
        if (mkdir(path, 0755) != 0) printf("mkdir depth %d failed\n", depth);
        strcat(path, "/n");
    }
    struct stat st;
    path[strlen(path) - 2] = 0;
    printf("deep dir exists=%d len=%zu\n", stat(path, &st) == 0 && S_ISDIR(st.st_mode), strlen(path));
    while (strlen(path) > 0) {
        if (rmdir(path) != 0) { printf("rmdir %s failed\n", path); break; }
        char *slash = strrchr(path, '/');
        if (!slash) break;
        *slash = 0;
    }
    /* cleanup everything */
    const char *files[] = {"hard1", "sym1", "dangling", "dirlink", "loop1", "loop2", "file1", "sub/inner/deep", "sub/inner/file2moved"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (unlink(files[i]) != 0) printf("unlink %s failed %s\n", files[i], ename(errno));
    DIR *d = opendir("sub");
    struct dirent *e;
    int removed = 0;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == 'f') { char q[300]; snprintf(q, sizeof q, "sub/%s", e->d_name); removed += unlink(q) == 0; }
    closedir(d);
    printf("removed %d files from sub\n", removed);
    TRY(rmdir("sub/inner"));
    TRY(rmdir("sub"));
    list_dir(".");
    TRY(chdir("/"));
    if (own_dir) TRY(rmdir(dir));
    else printf("%-48s -> 0 OK\n", "rmdir(dir)");
    return 0;
}
