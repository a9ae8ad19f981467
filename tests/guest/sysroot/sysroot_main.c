// Runs from a sysroot (SysrootTests): its ELF interpreter, libc and a library are found only under
// /opt/ferry-sysroot-test inside the sysroot (the first two through absolute symlinks into
// /opt/ferry-sysroot-test/real), and /etc/ferry-sysroot-marker exists only there. It prints /proc/self/exe
// and AT_EXECFN (the guest paths), then re-executes itself by its guest path.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

const char *sysroot_greeting(void);

static char maps[1 << 16];

static void print_exe(const char *what) {
    char exe[256];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = 0;
    printf("%s: %s\n", what, exe);
    printf("execfn: %s\n", (const char *)getauxval(AT_EXECFN));
}

int main(int argc, char **argv) {
    if (argc > 1) {
        // Re-executed by its guest path: the interpreter is found in the sysroot again.
        print_exe("exec'd exe");
        return 0;
    }
    puts(sysroot_greeting());
    char line[256];
    FILE *f = fopen("/etc/ferry-sysroot-marker", "r");
    if (f && fgets(line, sizeof line, f)) printf("marker: %s", line);
    else printf("marker: missing\n");
    if (f) fclose(f);
    struct stat st;
    int r = stat("/etc/ferry-sysroot-marker", &st);
    printf("stat marker: %d, size %lld\n", r, (long long)st.st_size);
    printf("host /etc/passwd visible: %d\n", access("/etc/passwd", R_OK) == 0);
    f = fopen("/proc/self/maps", "r");
    size_t n = fread(maps, 1, sizeof maps - 1, f);
    maps[n] = 0;
    fclose(f);
    const char *names[] = { " /opt/ferry-sysroot-test/real/ld.so\n", " /opt/ferry-sysroot-test/real/libc.so.6\n",
        " /opt/ferry-sysroot-test/lib/libferrysysroot.so\n", " /opt/ferry-sysroot-test/bin/sysroot_main\n" };
    for (int k = 0; k < 4; k++) printf("mapped%s", strstr(maps, names[k]) ? names[k] : " NOT FOUND\n");
    print_exe("exe");
    fflush(stdout);
    execl("/opt/ferry-sysroot-test/bin/sysroot_main", "sysroot_main", "again", (char *)0);
    perror("execl");
    return 1;
}
