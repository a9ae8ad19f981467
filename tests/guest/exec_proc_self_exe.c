// Re-executing oneself through /proc/self/exe (busybox, test suites and launchers do it): the new image
// is the same program, with the new argv, and /proc/self/exe still names it.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    if (argc > 1)
    {
        printf("second image: argc=%d argv[0]=%s argv[1]=%s\n", argc, argv[0], argv[1]);
        printf("/proc/self/exe unchanged: %d\n", argc > 2 && strcmp(argv[2], exe) == 0);
        return 5;
    }
    printf("first image: argc=%d\n", argc);
    fflush(stdout);
    execl("/proc/self/exe", "renamed", "one", exe, (char *)0);
    perror("execl /proc/self/exe");
    return 1;
}
