// <search.h>: hsearch (create/enter/find), hsearch_r, tsearch/tfind/tdelete/twalk with
// depth output, lsearch/lfind, insque/remque; plus a hand-written hash set cross-check.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <search.h>
#include <stddef.h>

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_str(const void *a, const void *b) { return strcmp(a, b); }

static int walk_count, walk_sum, walk_maxdepth;
static void walker(const void *node, VISIT which, int depth)
{
    if (which == postorder || which == leaf) {
        int v = **(int *const *)node;
        walk_count++;
        walk_sum += v * (walk_count % 7 + 1);
        if (depth > walk_maxdepth) walk_maxdepth = depth;
        if (walk_count <= 12) printf("  visit %d depth=%d %s\n", v, depth, which == leaf ? "leaf" : "inner");
    }
}

struct elem { struct elem *next, *prev; int v; };

static int noop_calls;
static void noop_free(void *p) { (void)p; noop_calls++; }

int main(void)
{
    /* hsearch */
    if (!hcreate(200)) { printf("hcreate failed\n"); return 1; }
    static char keys[150][16];
    for (int i = 0; i < 150; i++) {
        snprintf(keys[i], sizeof keys[i], "key%03d", (i * 61) % 150);
        ENTRY e = {keys[i], (void *)(long)(i * i)};
        ENTRY *r = hsearch(e, ENTER);
        if (!r) { printf("hsearch ENTER failed at %d\n", i); return 1; }
    }
    int found = 0;
    long sum = 0;
    for (int i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "key%03d", i);
        ENTRY q = {k, NULL};
        ENTRY *r = hsearch(q, FIND);
        if (r) { found++; sum += (long)r->data; }
        if (i % 25 == 0) printf("hsearch %s -> %s %ld\n", k, r ? "found" : "missing", r ? (long)r->data : -1L);
    }
    ENTRY dup = {keys[0], (void *)-5L};
    ENTRY *rd = hsearch(dup, ENTER);
    printf("hsearch found=%d sum=%ld re-enter keeps old data=%ld\n", found, sum, (long)rd->data);
    hdestroy();
    struct hsearch_data htab;
    memset(&htab, 0, sizeof htab);
    hcreate_r(10, &htab);
    ENTRY *ret;
    int ok = 0;
    for (int i = 0; i < 30; i++) {
        ENTRY e = {keys[i], (void *)(long)i};
        ok += hsearch_r(e, ENTER, &ret, &htab);
    }
    printf("hsearch_r small table: entered %d of 30\n", ok);
    hdestroy_r(&htab);
    /* tsearch */
    void *root = NULL;
    static int vals[500];
    for (int i = 0; i < 500; i++) {
        vals[i] = (i * 7919) % 1009;
        tsearch(&vals[i], &root, cmp_int);
    }
    int q = 7919 % 1009;
    int **f = tfind(&q, &root, cmp_int);
    printf("tfind %d -> %s\n", q, f ? "found" : "missing");
    q = 1008;
    f = tfind(&q, &root, cmp_int);
    printf("tfind %d -> %s\n", q, f ? "found" : "missing");
    twalk(root, walker);
    printf("twalk count=%d weighted sum=%d maxdepth<=20:%d\n", walk_count, walk_sum, walk_maxdepth <= 20);
    int deleted = 0;
    for (int i = 0; i < 500; i += 2) deleted += tdelete(&vals[i], &root, cmp_int) != NULL;
    walk_count = walk_sum = walk_maxdepth = 0;
    twalk(root, walker);
    printf("after deleting %d: count=%d weighted sum=%d\n", deleted, walk_count, walk_sum);
    tdestroy(root, noop_free); /* keys are static; only the tree nodes are released */
    printf("tdestroy callbacks=%d\n", noop_calls);
    /* string tree */
    void *sroot = NULL;
    const char *words[] = {"delta", "alpha", "echo", "bravo", "charlie", "alpha", "foxtrot", "echo"};
    int newcount = 0;
    for (int i = 0; i < 8; i++) {
        if (!tfind(words[i], &sroot, cmp_str)) newcount++;
        tsearch(words[i], &sroot, cmp_str);
    }
    printf("string tree unique inserts=%d\n", newcount);
    noop_calls = 0;
    tdestroy(sroot, noop_free);
    printf("string tree destroyed nodes=%d\n", noop_calls);
    /* lsearch/lfind */
    int arr[20] = {5, 3, 9};
    size_t n = 3;
    int keys2[] = {9, 4, 5, 8, 4};
    for (int i = 0; i < 5; i++) {
        int *p = lsearch(&keys2[i], arr, &n, sizeof arr[0], cmp_int);
        printf("lsearch %d -> index %td n=%zu\n", keys2[i], p - arr, n);
    }
    int k = 8;
    int *lf = lfind(&k, arr, &n, sizeof arr[0], cmp_int);
    printf("lfind 8 -> index %td\n", lf ? lf - arr : (ptrdiff_t)-1);
    /* insque/remque */
    struct elem e[6];
    for (int i = 0; i < 6; i++) e[i].v = i * 10;
    insque(&e[0], NULL);
    e[0].next = e[0].prev = NULL;
    for (int i = 1; i < 6; i++) insque(&e[i], &e[i - 1]);
    remque(&e[2]);
    remque(&e[5]);
    printf("list:");
    for (struct elem *p = &e[0]; p; p = p->next) printf(" %d", p->v);
    printf("\nreverse:");
    for (struct elem *p = &e[4]; p; p = p->prev) printf(" %d", p->v);
    printf("\n");
    return 0;
}
