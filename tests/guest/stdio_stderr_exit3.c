// Writes to both stdout and stderr (perror, strerror, fprintf, fwrite), then exit(3).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < 20; i++) {
        printf("out line %d\n", i);
        fprintf(stderr, "err line %d: %s\n", i, i % 2 ? "odd" : "even");
    }
    errno = 0;
    int fd = open("/nonexistent-ferry-dir/definitely/missing", O_RDONLY);
    printf("open fd=%d errno=%d (%s)\n", fd, errno, strerror(errno));
    perror("open missing");
    errno = EACCES;
    perror("custom EACCES");
    for (int e = 1; e < 40; e++)
        fprintf(stderr, "strerror(%d)=%s\n", e, strerror(e));
    fwrite("raw stderr bytes\n", 1, 17, stderr);
    fputs("unbuffered-check ", stderr);
    fputc('\n', stderr);
    /* a write straight to fd 2 */
    const char msg[] = "direct write(2)\n";
    if (write(2, msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1))
        return 9;
    /* psignal-like output */
    fprintf(stderr, "%s\n", strsignal(11));
    printf("about to exit(3)\n");
    exit(3);
}
