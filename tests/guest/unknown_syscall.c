// A system call number no kernel has, twice, and a valid one after: the program must keep running
// with -1/ENOSYS as on Linux.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 2; i++)
    {
        errno = 0;
        long r = syscall(1000 + i * 0);
        printf("syscall(1000) = %ld errno=%s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    }
    errno = 0;
    long r = syscall(100000);
    printf("syscall(100000) = %ld errno=%s\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
    printf("getpid works: %d\n", getpid() > 0);
    return 0;
}
