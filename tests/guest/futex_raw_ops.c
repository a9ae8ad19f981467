// cflags: -pthread
// Raw futex(2) through syscall(), each operation in its private and its shared form: WAIT with a value that does not
// match (EAGAIN) and with a relative timeout (ETIMEDOUT), WAIT_BITSET with absolute CLOCK_MONOTONIC and
// FUTEX_CLOCK_REALTIME deadlines, WAKE_BITSET waking only the waiters whose bitset meets its own (bitset 0: EINVAL),
// REQUEUE and CMP_REQUEUE (the count returned is woken plus requeued; a changed word is EAGAIN, a negative count
// EINVAL), WAKE_OP with every operation and comparison (return value and the word afterwards), unknown operations and
// flags (ENOSYS). Waiters are threads; the main thread knows one is really blocked because FUTEX_REQUEUE of the word
// onto itself counts the waiters without moving or waking any (Linux's loop only relabels them when both words hash
// to the same bucket). Only the main thread prints.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int priv; // FUTEX_PRIVATE_FLAG or 0, for the section being run
static int failures;

static long fx(uint32_t *addr, int op, uint32_t val, const void *ts_or_val2, uint32_t *addr2, uint32_t val3)
{
    return syscall(SYS_futex, addr, op | priv, val, ts_or_val2, addr2, val3);
}

static const char *ename(int e)
{
    switch (e)
    {
    case EAGAIN: return "EAGAIN";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case EFAULT: return "EFAULT";
    case EINTR: return "EINTR";
    case EPERM: return "EPERM";
    default: return "other";
    }
}

static void show(const char *what, long r, int e)
{
    if (r < 0) printf("  %s: -1 %s\n", what, ename(e));
    else printf("  %s: %ld\n", what, r);
}

#define SHOW(what, call) do { errno = 0; long r_ = (call); show(what, r_, errno); } while (0)

// How many threads are blocked on the word: requeueing it onto itself moves nobody and returns the count.
static long blocked(uint32_t *f)
{
    return fx(f, FUTEX_REQUEUE, 0, (void *)(uintptr_t)INT_MAX, f, 0);
}

static void await_blocked(uint32_t *f, long n)
{
    for (long i = 0; blocked(f) != n; i++)
    {
        if (i > 2000000) { printf("  never %ld blocked\n", n); failures++; return; }
        sched_yield();
    }
}

struct waiter
{
    pthread_t thread;
    uint32_t *addr;
    int op;
    uint32_t val, bitset;
    long ret;
    int err;
    volatile int done;
};

static void *wait_body(void *arg)
{
    struct waiter *w = arg;
    errno = 0;
    w->ret = fx(w->addr, w->op, w->val, NULL, NULL, w->bitset);
    w->err = errno;
    __atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

// Starts a waiter and returns once it is blocked (there are then `now_blocked` waiters on the word).
static void start(struct waiter *w, uint32_t *addr, int op, uint32_t bitset, long now_blocked)
{
    memset(w, 0, sizeof *w);
    w->addr = addr;
    w->op = op;
    w->val = *addr;
    w->bitset = bitset;
    pthread_create(&w->thread, NULL, wait_body, w);
    await_blocked(addr, now_blocked);
}

static void finish(struct waiter *w, const char *name)
{
    pthread_join(w->thread, NULL);
    char b[64];
    snprintf(b, sizeof b, "%s returned", name);
    show(b, w->ret, w->err);
}

static int64_t ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct timespec at(clockid_t c, int64_t ahead)
{
    int64_t t = ns(c) + ahead;
    return (struct timespec){ t / 1000000000, t % 1000000000 };
}

static uint32_t f1, f2, f3;

static void timeouts(void)
{
    printf(" wait\n");
    f1 = 1;
    SHOW("WAIT value differs", fx(&f1, FUTEX_WAIT, 0, NULL, NULL, 0));
    struct timespec rel = { 0, 10000000 };
    int64_t t0 = ns(CLOCK_MONOTONIC);
    SHOW("WAIT 10 ms", fx(&f1, FUTEX_WAIT, 1, &rel, NULL, 0));
    printf("  waited 10 ms: %d\n", ns(CLOCK_MONOTONIC) - t0 >= 10000000);
    struct timespec bad = { 0, 1000000000 }, neg = { -1, 0 };
    SHOW("WAIT tv_nsec 1e9", fx(&f1, FUTEX_WAIT, 1, &bad, NULL, 0));
    SHOW("WAIT tv_sec -1", fx(&f1, FUTEX_WAIT, 1, &neg, NULL, 0));
    SHOW("WAIT bad timeout, value differs", fx(&f1, FUTEX_WAIT, 0, &bad, NULL, 0));
    SHOW("WAIT misaligned", fx((uint32_t *)((char *)&f1 + 1), FUTEX_WAIT, 1, &rel, NULL, 0));

    struct timespec mono = at(CLOCK_MONOTONIC, 10000000);
    SHOW("WAIT_BITSET monotonic +10 ms", fx(&f1, FUTEX_WAIT_BITSET, 1, &mono, NULL, FUTEX_BITSET_MATCH_ANY));
    printf("  deadline passed: %d\n", ns(CLOCK_MONOTONIC) >= mono.tv_sec * 1000000000LL + mono.tv_nsec);
    struct timespec real = at(CLOCK_REALTIME, 10000000);
    SHOW("WAIT_BITSET realtime +10 ms", fx(&f1, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &real, NULL, FUTEX_BITSET_MATCH_ANY));
    printf("  deadline passed: %d\n", ns(CLOCK_REALTIME) >= real.tv_sec * 1000000000LL + real.tv_nsec);
    struct timespec past = { 1, 0 };
    SHOW("WAIT_BITSET monotonic in the past", fx(&f1, FUTEX_WAIT_BITSET, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY));
    SHOW("WAIT_BITSET realtime in the past", fx(&f1, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY));
    SHOW("WAIT_BITSET bitset 0", fx(&f1, FUTEX_WAIT_BITSET, 1, &past, NULL, 0));
    SHOW("WAIT_BITSET value differs", fx(&f1, FUTEX_WAIT_BITSET, 0, &past, NULL, FUTEX_BITSET_MATCH_ANY));
    SHOW("WAIT | CLOCK_REALTIME", fx(&f1, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1, &rel, NULL, 0));
    SHOW("WAKE | CLOCK_REALTIME", fx(&f1, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    SHOW("REQUEUE | CLOCK_REALTIME", fx(&f1, FUTEX_REQUEUE | FUTEX_CLOCK_REALTIME, 1, NULL, &f2, 0));
}

static void bitsets(void)
{
    printf(" wake_bitset\n");
    struct waiter a, b, c;
    f1 = 5;
    start(&a, &f1, FUTEX_WAIT_BITSET, 1, 1);
    start(&b, &f1, FUTEX_WAIT_BITSET, 2, 2);
    start(&c, &f1, FUTEX_WAIT_BITSET, 6, 3);
    SHOW("WAKE_BITSET 0", fx(&f1, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 0));
    SHOW("WAKE_BITSET 8", fx(&f1, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 8));
    SHOW("WAKE_BITSET 2", fx(&f1, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 2));
    finish(&b, "waiter bits 2");
    finish(&c, "waiter bits 6");
    printf("  still blocked: %ld\n", blocked(&f1));
    SHOW("WAKE_BITSET 4", fx(&f1, FUTEX_WAKE_BITSET, INT_MAX, NULL, NULL, 4));
    SHOW("WAKE (any bits)", fx(&f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
    finish(&a, "waiter bits 1");
    SHOW("WAKE nobody", fx(&f1, FUTEX_WAKE, 1, NULL, NULL, 0));

    // A plain WAIT is a WAIT_BITSET with every bit; a count of 0 still wakes one (Linux checks it after waking).
    start(&a, &f1, FUTEX_WAIT, 0, 1);
    start(&b, &f1, FUTEX_WAIT, 0, 2);
    SHOW("WAKE_BITSET 0x80000000 count 0", fx(&f1, FUTEX_WAKE_BITSET, 0, NULL, NULL, 0x80000000u));
    await_blocked(&f1, 1);
    SHOW("WAKE count 0", fx(&f1, FUTEX_WAKE, 0, NULL, NULL, 0));
    finish(&a, "first waiter");
    finish(&b, "second waiter");
}

static void requeues(void)
{
    printf(" requeue\n");
    struct waiter w[4];
    f1 = 7; f2 = 9; f3 = 0;
    for (int i = 0; i < 4; i++) start(&w[i], &f1, FUTEX_WAIT, 0, i + 1);
    SHOW("CMP_REQUEUE value differs", fx(&f1, FUTEX_CMP_REQUEUE, 1, (void *)1, &f2, 8));
    SHOW("CMP_REQUEUE wake -1", fx(&f1, FUTEX_CMP_REQUEUE, UINT32_MAX, (void *)1, &f2, 7));
    SHOW("CMP_REQUEUE requeue -1", fx(&f1, FUTEX_CMP_REQUEUE, 1, (void *)(uintptr_t)UINT32_MAX, &f2, 7));
    SHOW("REQUEUE misaligned target", fx(&f1, FUTEX_REQUEUE, 0, (void *)1, (uint32_t *)((char *)&f2 + 2), 0));
    SHOW("REQUEUE wake 0 requeue 0", fx(&f1, FUTEX_REQUEUE, 0, (void *)0, &f2, 0));
    printf("  blocked on f1: %ld\n", blocked(&f1));
    SHOW("CMP_REQUEUE wake 1 requeue 2", fx(&f1, FUTEX_CMP_REQUEUE, 1, (void *)2, &f2, 7));
    finish(&w[0], "first waiter");
    printf("  blocked on f1: %ld, f2: %ld\n", blocked(&f1), blocked(&f2));
    SHOW("REQUEUE f2 wake 0 requeue 1", fx(&f2, FUTEX_REQUEUE, 0, (void *)1, &f3, 0));
    printf("  blocked on f1: %ld, f2: %ld, f3: %ld\n", blocked(&f1), blocked(&f2), blocked(&f3));
    // The word's value does not matter to REQUEUE, or to the waiters once they sleep.
    f2 = 100;
    SHOW("REQUEUE f1 to f3, wake 5", fx(&f1, FUTEX_REQUEUE, 5, (void *)5, &f3, 0));
    finish(&w[3], "fourth waiter");
    SHOW("WAKE f3", fx(&f3, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
    finish(&w[1], "second waiter");
    SHOW("WAKE f2", fx(&f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
    finish(&w[2], "third waiter");
}

static uint32_t encode(int op, int shift, int cmp, int oparg, int cmparg)
{
    return (uint32_t)((shift ? 8 : 0) | op) << 28 | (uint32_t)cmp << 24 | ((uint32_t)oparg & 0xfff) << 12 | ((uint32_t)cmparg & 0xfff);
}

// One FUTEX_WAKE_OP on f2 (old value `old`) with a waiter on f2 and, if `on_f1`, one on f1; prints what it returned,
// the word afterwards and the waiters still blocked (which are then woken).
static void wake_op(const char *what, uint32_t old, uint32_t encoded, int on_f1, int nr_wake, int nr_wake2)
{
    struct waiter a, b;
    f1 = 0;
    f2 = old;
    if (on_f1) start(&a, &f1, FUTEX_WAIT, 0, 1);
    start(&b, &f2, FUTEX_WAIT, 0, 1);
    errno = 0;
    long r = fx(&f1, FUTEX_WAKE_OP, nr_wake, (void *)(uintptr_t)nr_wake2, &f2, encoded);
    int e = errno;
    char line[96];
    snprintf(line, sizeof line, "%s (old %#x)", what, old);
    show(line, r, e);
    // A woken waiter has left the queue when the call returns, so what is still blocked is exact.
    long left1 = on_f1 ? blocked(&f1) : 0, left2 = blocked(&f2);
    printf("    word %#x, still blocked f1 %ld f2 %ld\n", f2, left1, left2);
    if (on_f1) { fx(&f1, FUTEX_WAKE, INT_MAX, NULL, NULL, 0); pthread_join(a.thread, NULL); }
    fx(&f2, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    pthread_join(b.thread, NULL);
}

static void wake_ops(void)
{
    printf(" wake_op\n");
    static const char *ops[] = { "SET", "ADD", "OR", "ANDN", "XOR" };
    static const char *cmps[] = { "EQ", "NE", "LT", "LE", "GT", "GE" };
    char b[64];
    for (int op = 0; op < 5; op++)
    {
        snprintf(b, sizeof b, "%s 0x5a0 EQ 0x30", ops[op]);
        wake_op(b, 0x30, encode(op, 0, FUTEX_OP_CMP_EQ, 0x5a0, 0x30), 0, 1, 1);
        snprintf(b, sizeof b, "%s -3 NE 0x30", ops[op]);
        wake_op(b, 0x30, encode(op, 0, FUTEX_OP_CMP_NE, -3, 0x30), 0, 1, 1);
        snprintf(b, sizeof b, "%s 1<<31 (OPARG_SHIFT) GE -1", ops[op]);
        wake_op(b, 0xf0f0f0f0, encode(op, 1, FUTEX_OP_CMP_GE, 31, -1), 0, 1, 1);
        snprintf(b, sizeof b, "%s 1<<4 (OPARG_SHIFT) LT 0x11", ops[op]);
        wake_op(b, 0x11, encode(op, 1, FUTEX_OP_CMP_LT, 4, 0x11), 0, 1, 1);
    }
    for (int cmp = 0; cmp < 6; cmp++)
        for (int d = -1; d <= 1; d++)
        {
            snprintf(b, sizeof b, "ADD 1 %s %d", cmps[cmp], 20 + d);
            wake_op(b, 20, encode(FUTEX_OP_ADD, 0, cmp, 1, 20 + d), 0, 1, 1);
        }
    // The comparison is signed, of the old value against a sign-extended 12-bit argument.
    wake_op("SET 0 LT -1", 0xfffffffe, encode(FUTEX_OP_SET, 0, FUTEX_OP_CMP_LT, 0, -1), 0, 1, 1);
    wake_op("SET 0 GT 0x7ff", 0x80000000, encode(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 0, 0x7ff), 0, 1, 1);
    wake_op("waiters on both, EQ holds", 3, encode(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 1, 3), 1, 1, 1);
    wake_op("waiters on both, EQ fails", 3, encode(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 1, 4), 1, 1, 1);
    wake_op("waiters on both, counts 0 and 0", 3, encode(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 1, 3), 1, 0, 0);
    wake_op("unknown operation 5", 3, encode(5, 0, FUTEX_OP_CMP_EQ, 1, 3), 1, 1, 1);
    wake_op("unknown comparison 6", 3, encode(FUTEX_OP_ADD, 0, 6, 1, 3), 1, 1, 1);
    static uint32_t misaligned[2];
    SHOW("WAKE_OP misaligned second word", fx(&f1, FUTEX_WAKE_OP, 1, (void *)1, (uint32_t *)((char *)misaligned + 1), 0));
}

static void unknown(void)
{
    printf(" unknown\n");
    SHOW("op 14", fx(&f1, 14, 0, NULL, NULL, 0));
    SHOW("op 127", fx(&f1, 127, 0, NULL, NULL, 0));
    SHOW("op 2 (FUTEX_FD, gone)", fx(&f1, 2, 0, NULL, NULL, 0));
}

int main(void)
{
    for (int pass = 0; pass < 2; pass++)
    {
        priv = pass == 0 ? FUTEX_PRIVATE_FLAG : 0;
        printf("%s\n", pass == 0 ? "private" : "shared");
        timeouts();
        bitsets();
        requeues();
        wake_ops();
        unknown();
    }
    printf("failures: %d\n", failures);
    return failures != 0;
}
