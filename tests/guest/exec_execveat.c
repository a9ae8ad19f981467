// execveat(2) as Linux runs it: a directory fd and a relative path, AT_FDCWD, an absolute path (the fd ignored), the
// program's own fd with AT_EMPTY_PATH (opened plainly, close-on-exec and O_PATH), a symlink with and without
// AT_SYMLINK_NOFOLLOW, and #! scripts reached through an fd, which the interpreter gets as /dev/fd/N or
// /dev/fd/N/NAME (AT_EXECFN too) -- unless that fd is close-on-exec, when the kernel refuses with ENOENT because the
// interpreter could not open the script. Then the errors: ENOENT, ENOTDIR, EINVAL for unknown flags, EACCES (no
// execute bit, a directory), EBADF, ENOEXEC. Each exec is done by a forked child that re-executes this program with
// "stage NAME" (or runs the script); the parent waits for it before going on, so the output is in a fixed order.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char exe[4096], exedir[4096], exebase[512], scratch[4096];

static const char *ename(int e)
{
    switch (e)
    {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case ENOEXEC: return "ENOEXEC";
    case ELOOP: return "ELOOP";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static int stage(int argc, char **argv)
{
    const char *fn = (const char *)getauxval(AT_EXECFN);
    printf("  stage %s: argc=%d argv[0]=%s", argv[2], argc, argv[0]);
    if (fn && strncmp(fn, "/dev/fd/", 8) == 0) printf(" execfn=%s\n", fn);
    else printf(" execfn as given: %d\n", fn && argc > 3 && strcmp(fn, argv[3]) == 0);
    // /proc/self/exe is the file that was run, whichever way it was named; comm is its name (the kernel takes
    // the file's own name rather than "N" of /dev/fd/N), cut to 15 bytes.
    char self[4096], comm[64] = "", want[16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    FILE *f = fopen("/proc/self/comm", "r");
    if (f && fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = 0;
    if (f) fclose(f);
    snprintf(want, sizeof want, "%s", argv[4]);
    printf("    exe is the program: %d, comm is its name: %d", strcmp(self, argv[5]) == 0, strcmp(comm, want) == 0);
    if (strcmp(comm, want) != 0) printf(" (comm %s)", comm);
    printf("\n");
    return 0;
}

struct call
{
    const char *name;
    int dirfd;      // -100 is AT_FDCWD; -2 means: open `fdpath` with `fdflags` in the child and use that
    const char *fdpath;
    int fdflags;
    const char *path; // NULL: the program itself, by absolute path
    int flags;
    const char *chdir_to;
    const char *comm; // NULL: the program's file name
};

static void run(const struct call *c)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        if (c->chdir_to && chdir(c->chdir_to) != 0) _exit(90);
        int fd = c->dirfd;
        if (fd == -2)
        {
            fd = open(c->fdpath, c->fdflags);
            if (fd < 0) { printf("  %s: open failed\n", c->name); fflush(stdout); _exit(91); }
        }
        const char *path = c->path ? c->path : exe;
        char *args[] = { "zeroth", "stage", (char *)c->name, (char *)path, (char *)(c->comm ? c->comm : exebase), exe, NULL };
        syscall(SYS_execveat, fd, path, args, environ, c->flags);
        printf("  %s: -1 %s\n", c->name, ename(errno));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) printf("  %s: child status %#x\n", c->name, st);
}

static void put(const char *name, const char *text, mode_t mode)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", scratch, name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { perror("put"); exit(1); }
    close(fd);
    chmod(p, mode);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "stage") == 0) return stage(argc, argv);
    if (argc >= 5 && strcmp(argv[1], "interp") == 0)
    {
        // Run as a script's interpreter: argv is this program, the #! argument, the script's name, the caller's
        // argv[1..]; AT_EXECFN stays the script's name and comm the script's.
        const char *fn = (const char *)getauxval(AT_EXECFN);
        char comm[64] = "";
        FILE *f = fopen("/proc/self/comm", "r");
        if (f && fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = 0;
        if (f) fclose(f);
        printf("  interpreter for %s: script %s, execfn %s, comm %s\n", argv[4], argv[2], fn ? fn : "(none)", comm);
        return 0;
    }
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 1;
    exe[n] = 0;
    strcpy(exedir, exe);
    strcpy(exedir, dirname(exedir));
    char tmp[4096];
    strcpy(tmp, exe);
    snprintf(exebase, sizeof exebase, "%s", basename(tmp));
    int own = argc < 2;
    if (own)
    {
        strcpy(scratch, "/tmp/ferry-guest-XXXXXX");
        if (!mkdtemp(scratch)) return 1;
    }
    else snprintf(scratch, sizeof scratch, "%s", argv[1]);

    put("script", "#!/bin/sh\necho \"  script: \\$0=$0 \\$1=$1 \\$2=$2\"\n", 0755);
    put("plain", "#!/bin/sh\necho not executable\n", 0644);
    put("notelf", "just some text\n", 0755);
    char link[4200], script[4200], plain[4200], dotbase[600];
    snprintf(link, sizeof link, "%s/link", scratch);
    snprintf(script, sizeof script, "%s/script", scratch);
    snprintf(plain, sizeof plain, "%s/plain", scratch);
    snprintf(dotbase, sizeof dotbase, "./%s", exebase);
    if (symlink(exe, link) != 0) return 1;
    char line[4300];
    snprintf(line, sizeof line, "#!%s interp\n", link);
    put("byself", line, 0755);

    const int D = O_RDONLY | O_DIRECTORY;
    const struct call calls[] = {
        { "dirfd + relative name", -2, exedir, D, exebase, 0, NULL },
        { "close-on-exec dirfd + relative name", -2, exedir, D | O_CLOEXEC, exebase, 0, NULL },
        { "AT_FDCWD + relative name", AT_FDCWD, NULL, 0, exebase, 0, exedir },
        { "AT_FDCWD + ./name", AT_FDCWD, NULL, 0, dotbase, 0, exedir },
        { "absolute path, bad fd ignored", 12345, NULL, 0, NULL, 0, NULL },
        { "own fd + AT_EMPTY_PATH", -2, exe, O_RDONLY, "", AT_EMPTY_PATH, NULL },
        { "own close-on-exec fd + AT_EMPTY_PATH", -2, exe, O_RDONLY | O_CLOEXEC, "", AT_EMPTY_PATH, NULL },
        { "own O_PATH fd + AT_EMPTY_PATH", -2, exe, O_PATH, "", AT_EMPTY_PATH, NULL },
        { "AT_EMPTY_PATH with a name", -2, exedir, D, exebase, AT_EMPTY_PATH, NULL },
        { "symlink", -2, scratch, D, "link", 0, NULL, "link" },
        { "symlink + AT_SYMLINK_NOFOLLOW", -2, scratch, D, "link", AT_SYMLINK_NOFOLLOW, NULL },
        { "script through O_PATH fd", -2, script, O_PATH, "", AT_EMPTY_PATH, NULL },
        { "script through O_RDONLY fd", -2, script, O_RDONLY, "", AT_EMPTY_PATH, NULL },
        { "script through close-on-exec O_PATH fd", -2, script, O_PATH | O_CLOEXEC, "", AT_EMPTY_PATH, NULL },
        { "script through close-on-exec O_RDONLY fd", -2, script, O_RDONLY | O_CLOEXEC, "", AT_EMPTY_PATH, NULL },
        { "script through dirfd + name", -2, scratch, D, "script", 0, NULL },
        { "script through close-on-exec dirfd + name", -2, scratch, D | O_CLOEXEC, "script", 0, NULL },
        { "script through AT_FDCWD + ./script", AT_FDCWD, NULL, 0, "./script", 0, scratch },
        { "script run by this program, dirfd + name", -2, scratch, D, "byself", 0, NULL },
        { "script run by this program, AT_FDCWD + ./byself", AT_FDCWD, NULL, 0, "./byself", 0, scratch },
        { "missing name", -2, scratch, D, "missing", 0, NULL },
        { "file fd + relative name", -2, plain, O_RDONLY, "x", 0, NULL },
        { "unknown flag 0x8000", -2, exedir, D, exebase, 0x8000, NULL },
        { "AT_EMPTY_PATH | 1", -2, exe, O_RDONLY, "", AT_EMPTY_PATH | 1, NULL },
        { "AT_SYMLINK_FOLLOW (not taken)", -2, exedir, D, exebase, AT_SYMLINK_FOLLOW, NULL },
        { "no execute bit", -2, scratch, D, "plain", 0, NULL },
        { "no execute bit, fd + AT_EMPTY_PATH", -2, plain, O_RDONLY, "", AT_EMPTY_PATH, NULL },
        { "directory fd + AT_EMPTY_PATH", -2, scratch, D, "", AT_EMPTY_PATH, NULL },
        { "empty path without AT_EMPTY_PATH", -2, exe, O_RDONLY, "", 0, NULL },
        { "bad fd + relative name", 12345, NULL, 0, "x", 0, NULL },
        { "bad fd + AT_EMPTY_PATH", 12345, NULL, 0, "", AT_EMPTY_PATH, NULL },
        { "neither ELF nor #!", -2, scratch, D, "notelf", 0, NULL },
    };
    printf("execveat\n");
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) run(&calls[i]);

    char p[4200];
    const char *names[] = { "script", "plain", "notelf", "link", "byself" };
    for (int i = 0; i < 5; i++)
    {
        snprintf(p, sizeof p, "%s/%s", scratch, names[i]);
        unlink(p);
    }
    if (own) rmdir(scratch);
    return 0;
}
