// qemu-aarch64 7.2: a forked child of a multithreaded process aborts when it starts a thread
// (plugins/core.c: qemu_plugin_vcpu_init_hook: assertion failed). Natively the child prints
// "child made a thread: 0" and the parent "child status 0".
// aarch64-linux-gnu-gcc -static fork_thread.c -o fork_thread && qemu-aarch64 ./fork_thread
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void *idle(void *a) { (void)a; pause(); return 0; }
static void *quick(void *a) { return a; }

int main(void)
{
    pthread_t t;
    pthread_create(&t, 0, idle, 0);
    pthread_create(&t, 0, idle, 0);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        pthread_t u;
        int r = pthread_create(&u, 0, quick, 0);
        pthread_join(u, 0);
        printf("child made a thread: %d\n", r);
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("child status %d\n", st);
    return 0;
}
