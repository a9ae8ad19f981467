// Expected to die with SIGILL: __builtin_trap() compiles to ud2, reached through a few
// nested calls. Output is flushed first.
#include <stdio.h>

static volatile int do_trap = 1;

__attribute__((noinline)) static int depth(int n)
{
    if (n == 0) {
        printf("trapping at depth 0\n");
        fflush(stdout);
        if (do_trap)
            __builtin_trap();
        return 0;
    }
    return depth(n - 1) + 1;
}

int main(void)
{
    printf("start\n");
    fflush(stdout);
    int r = depth(5);
    printf("not reached %d\n", r);
    return 0;
}
