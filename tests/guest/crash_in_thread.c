// cflags: -pthread
// A fault in a non-main thread kills the whole process with SIGSEGV while the main thread waits in
// pthread_join. The output is flushed before the fault.
#include <pthread.h>
#include <stdio.h>

static volatile int *volatile bad = (volatile int *)0x10;

static void *crasher(void *arg) {
    (void)arg;
    printf("thread about to fault\n");
    fflush(stdout);
    *bad = 1;
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, crasher, NULL);
    pthread_join(t, NULL);
    printf("not reached\n");
    return 0;
}
