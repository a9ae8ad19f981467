// cflags: -pthread
// exit from a non-main thread ends the whole process (exit_group) while the main thread waits in
// pthread_join and another thread is blocked in read on a pipe nobody writes to; atexit handlers run
// on the exiting thread. The process exits with status 17.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int fds[2];

static void bye(void) { printf("atexit handler ran\n"); }

static void *blocked(void *arg) {
    (void)arg;
    char b;
    if (read(fds[0], &b, 1) >= 0) printf("read returned\n");
    return NULL;
}

static void *quitter(void *arg) {
    (void)arg;
    usleep(20000);
    printf("thread calls exit(17)\n");
    exit(17);
}

int main(void) {
    if (pipe(fds) != 0) return 1;
    atexit(bye);
    pthread_t b, q;
    pthread_create(&b, NULL, blocked, NULL);
    pthread_create(&q, NULL, quitter, NULL);
    pthread_join(q, NULL);
    printf("not reached\n");
    return 0;
}
