// cflags: -pthread
// A child forked while its parent has threads blocked, which then starts and ends threads of its own and
// makes many system calls (enough for Ferry's runtime to collect garbage several times): the threads the
// fork left behind must not be disturbed by what the child does with its own (Ferry's host process kept
// the parent's threads' stacks in glibc's stack cache, so the child's new threads got them or freed them,
// and a later collection in the child walked the overwritten or unmapped stacks and crashed).
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int gate[2];

static void *blocked(void *arg)
{
    char c;
    (void)arg;
    return read(gate[0], &c, 1) == 1 ? (void *)1 : NULL;
}

static void *brief(void *arg)
{
    return arg;
}

int main(void)
{
    if (pipe(gate)) return 1;
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, blocked, NULL);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        long ok = 0;
        for (int round = 0; round < 6; round++)
        {
            pthread_t b[4];
            for (int i = 0; i < 4; i++) pthread_create(&b[i], NULL, brief, (void *)(long)(i + 1));
            for (int i = 0; i < 4; i++)
            {
                void *r;
                pthread_join(b[i], &r);
                ok += (long)r;
            }
            struct stat st;
            char path[64];
            for (int i = 0; i < 20000; i++)
            {
                snprintf(path, sizeof path, "/proc/self/no-such-file-%d-%d", round, i);
                if (stat(path, &st) == 0) return 2;
            }
        }
        printf("child: threads returned %ld\n", ok);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child: %s %d\n", WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    if (write(gate[1], "xxxx", 4) != 4) return 1;
    long back = 0;
    for (int i = 0; i < 4; i++)
    {
        void *r;
        pthread_join(t[i], &r);
        back += (long)r;
    }
    printf("parent: %ld threads released\n", back);
    return 0;
}
