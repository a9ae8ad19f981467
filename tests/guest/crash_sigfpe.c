// Expected to die with SIGFPE: integer division by a volatile zero divisor after printing
// and flushing some output.
#include <stdio.h>

int main(void)
{
    volatile int divisor = 0;
    volatile int dividend = 1234;
    for (int i = 1; i <= 3; i++) {
        volatile int d = i;
        printf("%d / %d = %d\n", dividend, d, dividend / d);
    }
    printf("now dividing by zero\n");
    fflush(stdout);
    int q = dividend / divisor;
    printf("not reached %d\n", q);
    return 0;
}
