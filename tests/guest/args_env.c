// Prints argc and every argv[i] (the harness passes fixed arguments; argv[0] is shown only
// by its basename), checks argv[argc]==NULL and envp==environ, and prints a few auxiliary
// vector entries that are the same on every x86-64 Linux run.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    const char *base = strrchr(argv[0], '/');
    printf("argv[0] basename=%s\n", base ? base + 1 : argv[0]);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d] len=%zu \"%s\" bytes:", i, strlen(argv[i]), argv[i]);
        for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++) printf(" %02x", *p);
        printf("\n");
    }
    printf("argv[argc]==NULL: %d\n", argv[argc] == NULL);
    printf("envp==environ: %d\n", envp == environ);
    int n = 0;
    while (envp[n]) n++;
    printf("envp terminated: %d\n", envp[n] == NULL);
    printf("argv/envp contiguous order: %d\n", (void *)(argv + argc + 1) == (void *)envp);
    printf("AT_PAGESZ=%lu AT_SECURE=%lu AT_PHENT=%lu AT_ENTRY!=0: %d AT_RANDOM!=0: %d AT_PHDR!=0: %d\n", getauxval(AT_PAGESZ), getauxval(AT_SECURE),
           getauxval(AT_PHENT), getauxval(AT_ENTRY) != 0, getauxval(AT_RANDOM) != 0, getauxval(AT_PHDR) != 0);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM=%s\n", plat ? plat : "(none)");
    printf("AT_UID==AT_EUID: %d\n", getauxval(AT_UID) == getauxval(AT_EUID));
    return argc;
}
