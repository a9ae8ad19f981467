// What a process sees of itself in /proc: cmdline, environ, auxv, stat, status, maps, exe and fd/.
// Every value that depends on addresses, pids or the host is printed as a comparison with what the
// process knows itself (argv, environ, getauxval, getpid, its own addresses).
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;
static int failures;

static void check(const char *what, int ok) {
    printf("%s: %s\n", what, ok ? "yes" : "NO");
    if (!ok) failures++;
}

static size_t slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { printf("open %s: errno %d\n", path, errno); failures++; return 0; }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = 0;
    close(fd);
    return n;
}

static char buf[1 << 20];

static void on_usr1(int sig) { (void)sig; }

// The maps line whose range holds addr, copied to out.
static int maps_line(uintptr_t addr, char *out, size_t cap) {
    slurp("/proc/self/maps", buf, sizeof buf);
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
            snprintf(out, cap, "%s", line);
            return 1;
        }
    }
    return 0;
}

static const char *field(const char *line, int n) { // n-th space-separated field, 1-based
    const char *p = line;
    for (int k = 1; k < n; k++) {
        p = strchr(p, ' ');
        if (!p) return "";
        while (*p == ' ') p++;
    }
    return p;
}

int main(int argc, char **argv) {
    // cmdline: argv, NUL-separated.
    size_t n = slurp("/proc/self/cmdline", buf, sizeof buf), off = 0;
    int same = 1;
    for (int k = 0; k < argc; k++) {
        size_t len = strlen(argv[k]) + 1;
        if (off + len > n || memcmp(buf + off, argv[k], len) != 0) same = 0;
        off += len;
    }
    check("cmdline is argv", same && off == n);
    for (size_t k = 0; k < n; k++) if (buf[k] == 0) buf[k] = '|';
    char *slash = strrchr(buf, '/');
    printf("cmdline after argv[0]'s directory: %s\n", slash ? slash + 1 : buf);

    // environ: the environment exec gave, before the program changed it.
    n = slurp("/proc/self/environ", buf, sizeof buf);
    off = 0; same = 1;
    for (char **e = environ; *e; e++) {
        size_t len = strlen(*e) + 1;
        if (off + len > n || memcmp(buf + off, *e, len) != 0) same = 0;
        off += len;
    }
    check("environ is envp", same && off == n);

    // auxv: the same pairs getauxval reads.
    n = slurp("/proc/self/auxv", buf, sizeof buf);
    unsigned long *aux = (unsigned long *)buf;
    int pairs = 0, agree = 1, seen_phdr = 0, seen_random = 0;
    for (; (size_t)(pairs * 16) < n && aux[pairs * 2] != AT_NULL; pairs++) {
        unsigned long type = aux[pairs * 2], value = aux[pairs * 2 + 1];
        if (type == AT_PHDR) seen_phdr = 1;
        if (type == AT_RANDOM) seen_random = 1;
        // glibc's getauxval(AT_HWCAP) on x86-64 is its own dl_hwcap, not the kernel's word.
        if (type != AT_HWCAP && type != AT_HWCAP2 && getauxval(type) != value) agree = 0;
    }
    check("auxv matches getauxval", agree && pairs > 5);
    check("auxv ends with AT_NULL", (size_t)(pairs + 1) * 16 == n);
    check("auxv has AT_PHDR and AT_RANDOM", seen_phdr && seen_random);

    // Signal dispositions and mask show in stat and status.
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    prctl(PR_SET_NAME, "renamed-proc");
    slurp("/proc/self/comm", buf, sizeof buf);
    printf("comm: %s", buf);
    char task[64];
    snprintf(task, sizeof task, "/proc/self/task/%d/comm", getpid());
    slurp(task, buf, sizeof buf);
    printf("main thread's comm: %s", buf);

    // stat: pid (comm) state ppid ...
    slurp("/proc/self/stat", buf, sizeof buf);
    char *close_paren = strrchr(buf, ')');
    check("stat pid", atoi(buf) == getpid());
    *close_paren = 0;
    printf("stat comm: %s\n", strchr(buf, '(') + 1);
    const char *rest = close_paren + 2; // field 3 onwards
    char state = rest[0];
    check("stat state R", state == 'R');
    check("stat ppid", atoi(field(rest, 2)) == getppid());
    check("stat num_threads 1", atoi(field(rest, 18)) == 1);
    check("stat vsize > 1 MiB", strtoull(field(rest, 21), NULL, 10) > (1 << 20));
    check("stat rss > 0", strtoull(field(rest, 22), NULL, 10) > 0);
    unsigned long long blocked = strtoull(field(rest, 30), NULL, 10), ignored = strtoull(field(rest, 31), NULL, 10),
        caught = strtoull(field(rest, 32), NULL, 10);
    check("stat blocked has SIGHUP", (blocked >> (SIGHUP - 1)) & 1);
    check("stat sigignore has SIGUSR2", (ignored >> (SIGUSR2 - 1)) & 1);
    check("stat sigcatch has SIGUSR1", (caught >> (SIGUSR1 - 1)) & 1);
    check("stat arg_start is argv[0]", strtoull(field(rest, 46), NULL, 10) == (uintptr_t)argv[0]);
    check("stat env_start is envp[0]", environ[0] && strtoull(field(rest, 48), NULL, 10) == (uintptr_t)environ[0]);
    uintptr_t code = (uintptr_t)&main;
    check("stat startcode <= main < endcode",
        strtoull(field(rest, 24), NULL, 10) <= code && code < strtoull(field(rest, 25), NULL, 10));

    // status: Name, Pid, PPid, Threads and the signal sets.
    slurp("/proc/self/status", buf, sizeof buf);
    char name[64] = "", sigblk[32] = "", sigign[32] = "", sigcgt[32] = "";
    int pid = 0, ppid = 0, threads = 0;
    unsigned long vmsize = 0, vmrss = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        sscanf(line, "Name:\t%63s", name);
        sscanf(line, "Pid:\t%d", &pid);
        sscanf(line, "PPid:\t%d", &ppid);
        sscanf(line, "Threads:\t%d", &threads);
        sscanf(line, "VmSize:\t%lu", &vmsize);
        sscanf(line, "VmRSS:\t%lu", &vmrss);
        sscanf(line, "SigBlk:\t%31s", sigblk);
        sscanf(line, "SigIgn:\t%31s", sigign);
        sscanf(line, "SigCgt:\t%31s", sigcgt);
    }
    printf("status Name: %s\n", name);
    check("status Pid and PPid", pid == getpid() && ppid == getppid());
    check("status Threads 1", threads == 1);
    check("status VmRSS <= VmSize", vmrss > 0 && vmrss <= vmsize);
    check("status SigBlk has SIGHUP", (strtoull(sigblk, NULL, 16) >> (SIGHUP - 1)) & 1);
    check("status SigIgn has SIGUSR2", (strtoull(sigign, NULL, 16) >> (SIGUSR2 - 1)) & 1);
    check("status SigCgt has SIGUSR1", (strtoull(sigcgt, NULL, 16) >> (SIGUSR1 - 1)) & 1);

    // statm: pages, consistent with status.
    slurp("/proc/self/statm", buf, sizeof buf);
    unsigned long msize = 0, mres = 0, mshared = 0, mtext = 0;
    check("statm has 7 fields", sscanf(buf, "%lu %lu %lu %lu", &msize, &mres, &mshared, &mtext) == 4 &&
        strchr(buf, '\n') && buf[strlen(buf) - 1] == '\n');
    long drift = (long)(msize * 4) - (long)vmsize; // the two reads are moments apart
    check("statm size and resident agree with status", labs(drift) <= (long)vmsize / 8 && mres > 0 && mres <= msize && mshared <= mres && mtext > 0);

    // maps: code, stack, heap, and a fresh read-only mapping, with their permissions.
    char line[512], self[PATH_MAX];
    if (!realpath("/proc/self/exe", self)) strcpy(self, "?");
    check("main is in r-xp of the program", maps_line(code, line, sizeof line) &&
        strncmp(field(line, 2), "r-xp", 4) == 0 && strcmp(field(line, 6), self) == 0);
    int local = 0;
    check("a local is in [stack]", maps_line((uintptr_t)&local, line, sizeof line) && strstr(line, "[stack]") != NULL &&
        strncmp(field(line, 2), "rw-p", 4) == 0);
    void *brk_now = sbrk(0);
    sbrk(8192);
    check("sbrk memory is in [heap]", maps_line((uintptr_t)brk_now, line, sizeof line) && strstr(line, "[heap]") != NULL);
    char *ro = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(ro + 4096, 4096, PROT_READ | PROT_WRITE);
    check("r--p anonymous mapping", maps_line((uintptr_t)ro, line, sizeof line) && strncmp(field(line, 2), "r--p 00000000 00:00 0", 21) == 0);
    check("mprotect splits it: rw-p", maps_line((uintptr_t)ro + 4096, line, sizeof line) && strncmp(field(line, 2), "rw-p", 4) == 0);
    unsigned long lo, hi;
    check("the split line is one page", sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi - lo == 4096);
    int tmp = open("/proc/self/exe", O_RDONLY);
    void *file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, tmp, 0);
    check("file mapping names the file at offset 0", maps_line((uintptr_t)file, line, sizeof line) &&
        strncmp(field(line, 3), "00000000", 8) == 0 && strcmp(field(line, 6), self) == 0);
    slurp("/proc/self/maps", buf, sizeof buf);
    check("maps shows no runtime", !strstr(buf, "dotnet") && !strstr(buf, "coreclr") && !strstr(buf, ".dll"));

    // Names relative to a descriptor of /proc/self, or to /proc/self as the working directory, are the same files.
    int procdir = open("/proc/self", O_RDONLY | O_DIRECTORY);
    int viafd = openat(procdir, "cmdline", O_RDONLY);
    n = viafd < 0 ? 0 : (size_t)read(viafd, buf, sizeof buf);
    check("openat(/proc/self fd, \"cmdline\") is argv", n > 0 && strcmp(buf, argv[0]) == 0);
    if (viafd >= 0) close(viafd);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
    fchdir(procdir);
    n = slurp("environ", buf, sizeof buf);
    check("environ relative to cwd /proc/self is envp", environ[0] && n > 0 && strcmp(buf, environ[0]) == 0);
    chdir(cwd);
    close(procdir);

    // exe: a link to the program, and opening it opens the program.
    char target[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", target, sizeof target - 1);
    target[len > 0 ? len : 0] = 0;
    check("exe link is the program", strcmp(target, self) == 0);
    char magic[4] = {0};
    check("exe opens the program", pread(tmp, magic, 4, 0) == 4 && memcmp(magic, "\177ELF", 4) == 0);
    close(tmp);

    // fd/: the process's descriptor numbers.
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 9);
    close(null);
    len = readlink("/proc/self/fd/9", target, sizeof target - 1);
    target[len > 0 ? len : 0] = 0;
    printf("fd/9 -> %s\n", target);
    len = readlink("/dev/fd/9", target, sizeof target - 1);
    target[len > 0 ? len : 0] = 0;
    printf("/dev/fd/9 -> %s\n", target);
    errno = 0;
    len = readlink("/proc/self/fd/11", target, sizeof target);
    printf("fd/11 readlink: %zd errno %s\n", len, strerror(errno));
    struct stat st;
    check("stat fd/9 is /dev/null", stat("/proc/self/fd/9", &st) == 0 && S_ISCHR(st.st_mode));
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", getpid());
    DIR *d = opendir(path);
    int fds[64], count = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        // Descriptors from 10 up may be leaked into the native run by whatever started the test.
        if (e->d_name[0] != '.' && count < 64 && atoi(e->d_name) < 10) fds[count++] = atoi(e->d_name);
    for (int a = 0; a < count; a++)
        for (int b = a + 1; b < count; b++)
            if (fds[b] < fds[a]) { int t = fds[a]; fds[a] = fds[b]; fds[b] = t; }
    printf("/proc/PID/fd lists:");
    for (int k = 0; k < count; k++) printf(" %d", fds[k]);
    printf("\n");
    rewinddir(d);
    int again = 0;
    for (struct dirent *e; (e = readdir(d));) again += e->d_name[0] != '.' && atoi(e->d_name) < 10;
    check("rewinddir lists it again", again == count);
    closedir(d);
    d = opendir("/proc/self/task");
    int tasks = 0, main_task = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') { tasks++; main_task |= atoi(e->d_name) == getpid() && e->d_type == DT_DIR; }
    if (d) closedir(d);
    check("task/ lists the one thread, the main one", tasks == 1 && main_task);
    return failures != 0;
}
