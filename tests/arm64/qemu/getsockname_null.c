// qemu-aarch64 7.2 reads getsockname's and getpeername's length before the kernel sees the descriptor: with
// null pointers on a pipe it says EFAULT where the kernel says ENOTSOCK.
// aarch64-linux-gnu-gcc -static getsockname_null.c -o getsockname_null && qemu-aarch64 ./getsockname_null
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
    int p[2];
    pipe(p);
    printf("getsockname on a pipe, null pointers: %s\n", getsockname(p[0], NULL, NULL) < 0 ? strerror(errno) : "ok");
    printf("getpeername on a pipe, null pointers: %s\n", getpeername(p[0], NULL, NULL) < 0 ? strerror(errno) : "ok");
    return 0;
}
