// Environment handling with the program's own variables only: setenv (overwrite or not),
// getenv, unsetenv, putenv (string becomes part of the environment), invalid names, environ
// iteration filtered by prefix, then clearenv and a fully deterministic environ listing.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

extern char **environ;

static void show(const char *name)
{
    const char *v = getenv(name);
    printf("  getenv(%s) = %s%s%s\n", name, v ? "\"" : "", v ? v : "(null)", v ? "\"" : "");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list_prefix(const char *prefix)
{
    char *found[200];
    int n = 0;
    for (char **e = environ; *e && n < 200; e++)
        if (strncmp(*e, prefix, strlen(prefix)) == 0) found[n++] = *e;
    qsort(found, (size_t)n, sizeof found[0], cmp);
    printf("  %d vars with prefix %s:\n", n, prefix);
    for (int i = 0; i < n; i++) printf("    %s\n", found[i]);
}

int main(void)
{
    printf("setenv new: %d\n", setenv("FERRY_T_A", "alpha", 0));
    show("FERRY_T_A");
    printf("setenv no-overwrite: %d\n", setenv("FERRY_T_A", "beta", 0));
    show("FERRY_T_A");
    printf("setenv overwrite: %d\n", setenv("FERRY_T_A", "gamma", 1));
    show("FERRY_T_A");
    printf("setenv empty value: %d\n", setenv("FERRY_T_EMPTY", "", 1));
    show("FERRY_T_EMPTY");
    errno = 0;
    int r = setenv("BAD=NAME", "x", 1);
    printf("setenv with '=' in name: %d EINVAL=%d\n", r, errno == EINVAL);
    errno = 0;
    r = setenv("", "x", 1);
    printf("setenv empty name: %d EINVAL=%d\n", r, errno == EINVAL);
    static char putbuf[] = "FERRY_T_PUT=initial";
    printf("putenv: %d\n", putenv(putbuf));
    show("FERRY_T_PUT");
    memcpy(putbuf + 12, "changed", 8);
    show("FERRY_T_PUT");
    for (int i = 0; i < 50; i++) {
        char name[32], val[64];
        snprintf(name, sizeof name, "FERRY_T_N%02d", (i * 37) % 50);
        snprintf(val, sizeof val, "value-%d-%s", i, i % 3 ? "x" : "yy");
        setenv(name, val, 1);
    }
    for (int i = 0; i < 50; i += 3) {
        char name[32];
        snprintf(name, sizeof name, "FERRY_T_N%02d", i);
        unsetenv(name);
    }
    list_prefix("FERRY_T_");
    printf("unsetenv missing: %d\n", unsetenv("FERRY_T_NEVER_SET"));
    show("FERRY_T_NEVER_SET");
    /* value containing '=' and long value */
    char big[3000];
    memset(big, 'v', sizeof big - 1);
    big[sizeof big - 1] = 0;
    setenv("FERRY_T_EQ", "a=b=c", 1);
    setenv("FERRY_T_BIG", big, 1);
    show("FERRY_T_EQ");
    printf("  big len=%zu\n", strlen(getenv("FERRY_T_BIG")));
    /* clearenv then a fully known environment */
    int cr = clearenv();
    printf("clearenv: %d environ empty=%d\n", cr, environ == NULL || environ[0] == NULL);
    show("PATH");
    setenv("ZED", "last", 1);
    setenv("ALPHA", "first", 1);
    setenv("MID", "middle", 1);
    putenv("RAW=from putenv");
    int n = 0;
    for (char **e = environ; e && *e; e++) n++;
    printf("environ count=%d\n", n);
    list_prefix("");
    unsetenv("MID");
    list_prefix("");
    return 0;
}
