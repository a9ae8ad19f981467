// /proc with threads and memory detail: Threads: in status, num_threads in stat, one task/ directory
// per thread with its own comm, stat and status (thread-self too, and renaming another thread through
// its task/TID/comm), and smaps/smaps_rollup for the process's mappings (the same lines as maps; sizes
// of a mapping the program touched itself).
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static char buf[1 << 20], buf2[1 << 20];

static int slurp(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fd, out + n, size - 1 - n)) > 0) n += (size_t)r;
    out[n] = 0;
    close(fd);
    return (int)n;
}

static long field_value(const char *text, const char *key)
{
    const char *p = text;
    size_t k = strlen(key);
    while ((p = strstr(p, key)) != NULL)
    {
        if ((p == text || p[-1] == '\n') && p[k] == ':') return atol(p + k + 1);
        p += k;
    }
    return -1;
}

static int stat_threads(void)
{
    static char line[4096];
    slurp("/proc/self/stat", line, sizeof line);
    const char *p = strrchr(line, ')') + 2;
    for (int f = 3; f < 20; f++) p = strchr(p, ' ') + 1;
    return atoi(p);
}

static int task_count(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static pthread_barrier_t started, done;

static void *worker(void *arg)
{
    char name[16], path[64], got[64];
    snprintf(name, sizeof name, "worker-%d", (int)(long)arg);
    prctl(PR_SET_NAME, name);
    snprintf(path, sizeof path, "/proc/thread-self/comm");
    slurp(path, got, sizeof got);
    int ok = strcmp(got, name) == 0 && got[strlen(name)] == 0;
    // thread-self/comm keeps the newline: compare with it.
    char want[32];
    snprintf(want, sizeof want, "%s\n", name);
    ok = strcmp(got, want) == 0;
    pthread_barrier_wait(&started);
    pthread_barrier_wait(&done);
    return (void *)(long)ok;
}

static int cmp(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

int main(void)
{
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    prctl(PR_SET_NAME, "main-thread");
    // Touch the buffers now, so that reading one file into them later does not change the sizes the other showed.
    memset(buf, 1, sizeof buf);
    memset(buf2, 1, sizeof buf2);
    slurp("/proc/self/status", buf, sizeof buf);
    printf("alone: status Threads=%ld stat num_threads=%d tasks=%d\n", field_value(buf, "Threads"), stat_threads(), task_count());

    pthread_t th[3];
    pthread_barrier_init(&started, NULL, 4);
    pthread_barrier_init(&done, NULL, 4);
    for (long k = 0; k < 3; k++) pthread_create(&th[k], NULL, worker, (void *)(k + 1));
    pthread_barrier_wait(&started);
    // Renaming another thread writes its task/TID/comm; reading it back reads that file.
    int rn = pthread_setname_np(th[0], "renamed-1");
    char back[16] = "";
    int gn = pthread_getname_np(th[0], back, sizeof back);
    printf("setname other thread: %d getname: %d %s\n", rn, gn, back);

    slurp("/proc/self/status", buf, sizeof buf);
    printf("running: status Threads=%ld stat num_threads=%d tasks=%d\n", field_value(buf, "Threads"), stat_threads(), task_count());
    slurp("/proc/self/comm", buf, sizeof buf);
    printf("process comm: %s", buf);

    char names[8][32];
    int n = 0, stat_ok = 1, status_ok = 1;
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 8)
    {
        if (e->d_name[0] == '.') continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        slurp(path, names[n], sizeof names[n]);
        names[n][strcspn(names[n], "\n")] = 0;
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
        slurp(path, buf, sizeof buf);
        char want[320];
        snprintf(want, sizeof want, "%s (%s) ", e->d_name, names[n]);
        if (strncmp(buf, want, strlen(want)) != 0) stat_ok = 0;
        snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
        slurp(path, buf, sizeof buf);
        snprintf(want, sizeof want, "Name:\t%s\n", names[n]);
        if (strncmp(buf, want, strlen(want)) != 0 || field_value(buf, "Pid") != atol(e->d_name) ||
            field_value(buf, "Tgid") != getpid() || field_value(buf, "Threads") != 4)
            status_ok = 0;
        n++;
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp);
    printf("task comms:");
    for (int k = 0; k < n; k++) printf(" %s", names[k]);
    printf("\ntask stat lines name their thread: %d\ntask status lines name their thread: %d\n", stat_ok, status_ok);

    pthread_barrier_wait(&done);
    int self_ok = 1;
    for (int k = 0; k < 3; k++)
    {
        void *r;
        pthread_join(th[k], &r);
        self_ok &= (int)(long)r;
    }
    printf("thread-self/comm is each thread's: %d\n", self_ok);
    // A finished thread's task directory goes away. The kernel wakes pthread_join (CLONE_CHILD_CLEARTID) a
    // moment before it stops counting the thread, so on a loaded machine wait for that moment (up to 5 s).
    for (int tries = 0; tries < 500; tries++)
    {
        slurp("/proc/self/status", buf, sizeof buf);
        if (field_value(buf, "Threads") == 1 && stat_threads() == 1 && task_count() == 1) break;
        usleep(10000);
    }
    slurp("/proc/self/status", buf, sizeof buf);
    printf("joined: status Threads=%ld stat num_threads=%d tasks=%d\n", field_value(buf, "Threads"), stat_threads(), task_count());

    // smaps: five anonymous pages, three of them touched.
    char *m = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int k = 0; k < 3; k++) m[k * 4096] = 1;
    int smaps_len = slurp("/proc/self/smaps", buf, sizeof buf);
    slurp("/proc/self/maps", buf2, sizeof buf2);
    // Every maps line heads one smaps entry, in the same order.
    int same = 1, entries = 0;
    long rss_sum = 0;
    char *mp = buf2;
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    {
        if (strncmp(line, "Rss:", 4) == 0) rss_sum += atol(line + 4);
        const char *colon = strchr(line, ':'), *dash = strchr(line, '-');
        if (!dash || (colon && colon < dash) || strchr(line, '\n') < dash) continue;
        size_t len = (size_t)(strchr(line, '\n') - line) + 1;
        if (strncmp(line, mp, len) != 0) same = 0;
        mp = strchr(mp, '\n') ? strchr(mp, '\n') + 1 : mp;
        entries++;
    }
    printf("smaps read: %d, entries > 3: %d, headers are the maps lines: %d, none left: %d\n", smaps_len > 0, entries > 3, same, *mp == 0);
    char head[64];
    snprintf(head, sizeof head, "%08lx-%08lx rw-p 00000000 00:00 0", (unsigned long)m, (unsigned long)(m + 5 * 4096));
    char *entry = strstr(buf, head);
    printf("our mapping's entry: %d\n", entry != NULL);
    if (entry)
    {
        char *end = entry + 1;
        while ((end = strchr(end, '\n')) && end[1] && !strchr("0123456789abcdef", end[1])) end++;
        if (end) end[1] = 0;
        printf("  Size=%ld Rss=%ld Pss=%ld Private_Dirty=%ld Anonymous=%ld Shared_Clean=%ld Swap=%ld KernelPageSize=%ld\n",
               field_value(entry, "Size"), field_value(entry, "Rss"), field_value(entry, "Pss"), field_value(entry, "Private_Dirty"),
               field_value(entry, "Anonymous"), field_value(entry, "Shared_Clean"), field_value(entry, "Swap"), field_value(entry, "KernelPageSize"));
        char *vm = strstr(entry, "VmFlags: ");
        printf("  VmFlags starts rd wr: %d\n", vm && strncmp(vm, "VmFlags: rd wr ", 15) == 0);
        printf("  fields:");
        for (char *l = strchr(entry, '\n') + 1; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
            printf(" %.*s", (int)(strchr(l, ':') - l), l);
        printf("\n");
    }
    slurp("/proc/self/smaps_rollup", buf2, sizeof buf2);
    printf("rollup: header [rollup]: %d, Rss equals the entries' sum: %d, Pss <= Rss: %d, Pss_Anon present: %d\n",
           strstr(buf2, "[rollup]") != NULL && strchr(buf2, '\n') > strstr(buf2, "[rollup]"), field_value(buf2, "Rss") == rss_sum,
           field_value(buf2, "Pss") <= field_value(buf2, "Rss"), field_value(buf2, "Pss_Anon") >= 12);
    munmap(m, 5 * 4096);
    return 0;
}
