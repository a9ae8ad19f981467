// getopt and getopt_long over argv vectors the program builds itself (the real argv is
// ignored): clustered flags, required/optional arguments, unknown options (stderr
// messages), "--" termination, permutation of non-options, long options with '='.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

static void run_short(const char *label, const char *optstring, int argc, char **argv)
{
    printf("== %s (optstring \"%s\")\n", label, optstring);
    optind = 0; /* full reinitialisation in glibc */
    opterr = 1;
    int c;
    while ((c = getopt(argc, argv, optstring)) != -1) {
        if (c == 1)
            printf("  non-option arg=\"%s\" optind=%d\n", optarg, optind);
        else if (c == '?' || c == ':')
            printf("  opt '%c' optopt='%c'\n", c, optopt);
        else
            printf("  opt '%c' arg=%s%s%s optind=%d\n", c, optarg ? "\"" : "", optarg ? optarg : "(none)", optarg ? "\"" : "", optind);
    }
    printf("  optind=%d remaining:", optind);
    for (int i = optind; i < argc; i++) printf(" [%s]", argv[i]);
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* unbuffered stdout: one write per printf */
    char *v1[] = {"prog", "-a", "-bfoo", "-c", "bar", "file1", "-d", "--", "-e", "file2", NULL};
    run_short("basic", "ab:c:de", 10, v1);
    char *v2[] = {"prog", "-abc", "value", "-x", "-b", NULL};
    run_short("cluster+unknown+missing", "ab:c:", 5, v2);
    char *v3[] = {"prog", "-b", NULL};
    run_short("missing arg with leading colon", ":ab:", 2, v3);
    char *v4[] = {"prog", "one", "-a", "two", "-b", "x", "three", NULL};
    run_short("permute", "ab:", 7, v4);
    char *v5[] = {"prog", "one", "-a", "two", NULL};
    run_short("POSIX mode +", "+a", 4, v5);
    char *v6[] = {"prog", "one", "-a", "two", NULL};
    run_short("return-in-order -", "-a", 4, v6);
    char *v7[] = {"prog", "-o", "-ovalue", "-o", "next", NULL};
    run_short("optional arg", "o::", 5, v7);

    static struct option longopts[] = {
        {"verbose", no_argument, NULL, 'v'},
        {"output", required_argument, NULL, 'o'},
        {"level", optional_argument, NULL, 'l'},
        {"flag", no_argument, NULL, 0},
        {"verbatim", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    char *lv[] = {"prog", "--verbose", "--output=out.txt", "--output", "o2", "--level", "--level=3", "--flag", "--verb", "--verba",
                  "--out", "x", "--unknown", "--verbose=no", "-v", "-o", "shortval", "pos", "--", "--verbose", NULL};
    int lc = 20;
    printf("== getopt_long\n");
    optind = 0;
    int c, idx;
    while ((idx = -1, c = getopt_long(lc, lv, "vo:l::V", longopts, &idx)) != -1) {
        if (c == '?') { printf("  '?' optopt=%d\n", optopt); continue; }
        printf("  c=%c(%d) idx=%d name=%s arg=%s\n", c ? c : '0', c, idx, idx >= 0 ? longopts[idx].name : "-", optarg ? optarg : "(none)");
    }
    printf("  optind=%d remaining:", optind);
    for (int i = optind; i < lc; i++) printf(" [%s]", lv[i]);
    printf("\n");
    char *lo[] = {"prog", "-verbose", "-output=z", "-l5", NULL};
    printf("== getopt_long_only\n");
    optind = 0;
    while ((idx = -1, c = getopt_long_only(4, lo, "vo:l::", longopts, &idx)) != -1)
        printf("  c=%c idx=%d arg=%s\n", c == '?' ? '?' : c, idx, optarg ? optarg : "(none)");
    return 0;
}
