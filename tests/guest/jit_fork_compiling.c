// Forks while the JIT's compile worker is busy: many small functions become hot one after another (each
// queues a compilation), and the program forks right after each one is hot, so a fork often comes while a
// method is being compiled. The children (and one grandchild per round) run hot code of their own, which
// needs a compile worker in the child. Every process prints what it computed; the output must be the
// native one and no process may hang.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define F(k) \
    __attribute__((noinline)) static uint64_t f##k(uint64_t x) \
    { \
        uint64_t s = x; \
        for (int i = 0; i < 8; i++) s = (s & 1) ? s * (3 + k) + i : (s >> 1) ^ (uint64_t)(k * 0x9e37); \
        return s; \
    }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)
F(16) F(17) F(18) F(19) F(20) F(21) F(22) F(23)

typedef uint64_t (*fn)(uint64_t);
static fn fns[] = {f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15,
                   f16, f17, f18, f19, f20, f21, f22, f23};
#define NF (int)(sizeof fns / sizeof fns[0])

static uint64_t heat(int k, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++) s += fns[k % NF]((uint64_t)i + (uint64_t)k);
    return s;
}

static void child(int round, int depth)
{
    uint64_t s = heat(round + 7, 3000) ^ heat(round + 11, 3000);
    if (depth == 0) {
        fflush(stdout);
        pid_t g = fork();
        if (g < 0) { perror("fork"); exit(2); }
        if (g == 0) child(round, 1);
        int st;
        if (waitpid(g, &st, 0) != g) { perror("waitpid"); exit(2); }
        printf("round %d child: %llx, grandchild status %d\n", round, (unsigned long long)s, WEXITSTATUS(st));
    } else {
        printf("round %d grandchild: %llx\n", round, (unsigned long long)s);
    }
    fflush(stdout);
    exit(depth + 3);
}

int main(void)
{
    for (int round = 0; round < 16; round++) {
        uint64_t s = heat(round, 2000);
        fflush(stdout);
        pid_t c = fork();
        if (c < 0) { perror("fork"); return 1; }
        if (c == 0) child(round, 0);
        uint64_t t = heat(round + 3, 2000);
        int st;
        if (waitpid(c, &st, 0) != c) { perror("waitpid"); return 1; }
        printf("round %d parent: %llx %llx, child status %d\n", round, (unsigned long long)s, (unsigned long long)t,
               WEXITSTATUS(st));
    }
    return 0;
}
