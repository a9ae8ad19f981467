// System-call-heavy loop: getppid, clock_gettime and small writes to /dev/null.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    int fd = open("/dev/null", O_WRONLY);
    long acc = 0;
    struct timespec ts;
    for (long i = 0; i < n; i++) {
        acc += getppid() > 0;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        acc += write(fd, "x", 1);
    }
    printf("%ld\n", acc);
    return 0;
}
