// Expected to die with SIGSEGV: prints and flushes some output, then writes through a
// pointer into an unmapped page near address 0. Native exit status is 128+11 in a shell
// (the process is killed by signal 11; stdout before the crash must be complete).
#include <stdio.h>
#include <stdint.h>

int main(void)
{
    for (int i = 0; i < 5; i++) printf("before crash line %d\n", i);
    fprintf(stderr, "about to dereference an unmapped address\n");
    fflush(stdout);
    fflush(stderr);
    volatile uintptr_t addr = 0x10; /* page 0 is never mapped */
    volatile int *p = (volatile int *)addr;
    *p = 42;
    printf("not reached\n");
    return 0;
}
