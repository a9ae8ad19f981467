// qemu-aarch64 7.2 drops SA_NOCLDWAIT when it installs its own host SIGCHLD handler: the exited child stays a
// zombie and waitpid reaps it, where the kernel leaves nothing to wait for (ECHILD).
// aarch64-linux-gnu-gcc -static nocldwait.c -o nocldwait && qemu-aarch64 ./nocldwait
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
    sigaction(SIGCHLD, &sa, NULL);
    pid_t c = fork();
    if (c == 0) _exit(3);
    sleep(1);
    pid_t r = waitpid(c, NULL, 0);
    printf("waitpid after SA_NOCLDWAIT: %s\n", r < 0 ? strerror(errno) : "reaped a zombie");
    return 0;
}
