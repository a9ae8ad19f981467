// x86-TSO litmus tests (DESIGN.md, memory ordering; Intel SDM vol. 3A §8.2.3), litmus7-style: each test starts
// its two to four threads once, and every iteration races them over its own zeroed, cache-line-padded slots of an
// array, so no location is reset between iterations and nothing but a light synchronisation runs between them.
// Prints how often each outcome appeared: "TEST outcome count". Usage: litmus ITERATIONS [TEST...].
// Not compared with a native run byte for byte (the counts vary): MemoryModel/LitmusTests checks that forbidden
// outcomes never appear and that the relaxed outcomes x86 allows (store buffering) do appear.
//
// Synchronisation. Before iteration i each thread publishes i and waits until every other thread has published i
// too, so threads that are on a core together start each iteration within a cache miss of each other. That wait is
// bounded (SOFT_WAIT, and MISSES per chunk): with four threads on two cores, or on a loaded machine, a thread that is not running would
// otherwise cost a scheduler turn per iteration (the old harness, a full barrier per iteration, took 40 s for 500
// IRIW iterations). An iteration whose partner does not come in time runs anyway; it just does not race, and
// every outcome it gives is still one x86 allows, so the checks hold for every iteration. Every CHUNK iterations
// a real barrier (spin, then sched_yield) regroups the threads, so a thread that ran alone waits there for the
// others rather than running all its iterations alone. Thread t is pinned to the t-th allowed CPU (modulo their
// number), as litmus7 does: on a loaded machine the kernel otherwise left both threads of a test on one CPU, where
// they only ever took turns.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXT 4
#define CHUNK 128
// In TSC ticks (about 0.3-0.5 ns natively, 1 ns under Ferry, whose RDTSC counts nanoseconds).
#define SOFT_WAIT 40000
#define BARRIER_SPIN 2000000
#define MISSES 4
typedef struct { volatile int v; char pad[60]; } line;

static int iters, nthreads;
static line *X, *Y;           // the shared locations of each iteration, one cache line each
static int *R[MAXT][2];        // what each thread read, per iteration
static void (*body)(int t, int i);

static int cpus[CPU_SETSIZE], ncpus;  // the CPUs this process may run on
static line progress[MAXT];    // the iteration each thread has reached
static int met[MAXT];          // how many iterations each thread started together with all the others
static volatile int bar_count, bar_sense;

static void barrier(int *local) {
  int s = !*local;
  *local = s;
  if (__atomic_add_fetch(&bar_count, 1, __ATOMIC_SEQ_CST) == nthreads) {
    bar_count = 0;
    __atomic_store_n(&bar_sense, s, __ATOMIC_SEQ_CST);
  } else {
    // Spin for a while (a waiting thread that yields at once misses the release), then yield so that on a
    // loaded machine with few cores the last thread gets to arrive.
    uint64_t t0 = __builtin_ia32_rdtsc();
    while (__atomic_load_n(&bar_sense, __ATOMIC_ACQUIRE) != s)
      if (__builtin_ia32_rdtsc() - t0 > BARRIER_SPIN) sched_yield(); else __asm__ volatile("pause");
  }
}

// Waits, for at most SOFT_WAIT ticks, until every other thread has reached iteration i. A thread whose partner is
// off its core would spin that long at every iteration up to the next barrier: after MISSES waits in vain it stops
// waiting until then (*misses counts them; the barrier resets it).
static int meet(int t, int i, int *misses) {
  __atomic_store_n(&progress[t].v, i, __ATOMIC_RELEASE);
  if (*misses >= MISSES) return 0;
  uint64_t t0 = __builtin_ia32_rdtsc();
  for (int u = 0; u < nthreads; u++)
    while (__atomic_load_n(&progress[u].v, __ATOMIC_ACQUIRE) < i) {
      if (__builtin_ia32_rdtsc() - t0 > SOFT_WAIT) { ++*misses; return 0; }
      __asm__ volatile("pause");
    }
  return 1;
}

#define x (X[i].v)
#define y (Y[i].v)
#define MFENCE __asm__ volatile("mfence" ::: "memory")
#define XCHG(loc, val) do { int v_ = (val); __asm__ volatile("xchg %0, %1" : "+r"(v_), "+m"(loc) :: "memory"); } while (0)
#define LOCKADD_STACK __asm__ volatile("lock addl $0, (%%rsp)" ::: "memory", "cc")
#define BARRIER __asm__ volatile("" ::: "memory")

static void mp(int t, int i) { if (t == 0) { x = 1; BARRIER; y = 1; } else { R[1][0][i] = y; BARRIER; R[1][1][i] = x; } }
static void sb(int t, int i) { if (t == 0) { x = 1; BARRIER; R[0][0][i] = y; } else { y = 1; BARRIER; R[1][0][i] = x; } }
static void sb_mfence(int t, int i) { if (t == 0) { x = 1; MFENCE; R[0][0][i] = y; } else { y = 1; MFENCE; R[1][0][i] = x; } }
static void sb_xchg(int t, int i) { if (t == 0) { XCHG(x, 1); R[0][0][i] = y; } else { XCHG(y, 1); R[1][0][i] = x; } }
static void sb_lockadd(int t, int i) { if (t == 0) { x = 1; LOCKADD_STACK; R[0][0][i] = y; } else { y = 1; LOCKADD_STACK; R[1][0][i] = x; } }
static void lb(int t, int i) { if (t == 0) { R[0][0][i] = x; BARRIER; y = 1; } else { R[1][0][i] = y; BARRIER; x = 1; } }
static void w22(int t, int i) { if (t == 0) { x = 1; BARRIER; y = 2; } else { y = 1; BARRIER; x = 2; } }
static void s(int t, int i) { if (t == 0) { x = 2; BARRIER; y = 1; } else { R[1][0][i] = y; BARRIER; x = 1; } }
static void wrc(int t, int i) {
  if (t == 0) x = 1;
  else if (t == 1) { R[1][0][i] = x; BARRIER; y = 1; }
  else { R[2][0][i] = y; BARRIER; R[2][1][i] = x; }
}
static void iriw(int t, int i) {
  if (t == 0) x = 1;
  else if (t == 1) y = 1;
  else if (t == 2) { R[2][0][i] = x; BARRIER; R[2][1][i] = y; }
  else { R[3][0][i] = y; BARRIER; R[3][1][i] = x; }
}
// SDM 8.2.3.5: intra-processor forwarding is allowed; each sees its own store early: r2=0, r4=0 is allowed.
static void sdm_forward(int t, int i) {
  if (t == 0) { x = 1; BARRIER; R[0][0][i] = x; BARRIER; R[0][1][i] = y; }
  else { y = 1; BARRIER; R[1][0][i] = y; BARRIER; R[1][1][i] = x; }
}
// SDM 8.2.3.8: locked instructions have a total order (IRIW with XCHG stores).
static void sdm_iriw_xchg(int t, int i) {
  if (t == 0) XCHG(x, 1);
  else if (t == 1) XCHG(y, 1);
  else if (t == 2) { R[2][0][i] = x; BARRIER; R[2][1][i] = y; }
  else { R[3][0][i] = y; BARRIER; R[3][1][i] = x; }
}
// SDM 8.2.3.9: loads and stores are not reordered with locked instructions (MP with an XCHG store).
static void sdm_mp_xchg(int t, int i) { if (t == 0) { XCHG(x, 1); BARRIER; y = 1; } else { R[1][0][i] = y; BARRIER; R[1][1][i] = x; } }

struct test { const char *name; int threads; void (*body)(int, int); };
static const struct test tests[] = {
  {"MP", 2, mp}, {"SB", 2, sb}, {"SB+mfence", 2, sb_mfence}, {"SB+xchg", 2, sb_xchg}, {"SB+lockadd", 2, sb_lockadd},
  {"LB", 2, lb}, {"2+2W", 2, w22}, {"S", 2, s}, {"WRC", 3, wrc}, {"IRIW", 4, iriw},
  {"SDM-8.2.3.5", 2, sdm_forward}, {"SDM-8.2.3.8", 4, sdm_iriw_xchg}, {"SDM-8.2.3.9", 2, sdm_mp_xchg},
};

static void *worker(void *arg) {
  int t = (int)(intptr_t)arg, local = 0, misses = 0;
  if (ncpus > 1) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpus[t % ncpus], &one);
    sched_setaffinity(0, sizeof one, &one);
  }
  for (int i = 0; i < iters; i++) {
    if (i % CHUNK == 0) { barrier(&local); misses = 0; }
    met[t] += meet(t, i, &misses);
    // The last thread to arrive leaves first: a delay that differs per thread and iteration sweeps the threads'
    // relative start over a range, so that some iterations really overlap. How wide a range overlaps best depends
    // on how fast the loop runs (natively, under Ferry's JIT, under qemu), so the width changes from chunk to
    // chunk, from 0 to 127 turns of the delay loop.
    unsigned width = (1u << (i / CHUNK % 8)) - 1;
    for (volatile unsigned d = ((unsigned)i * 2654435761u >> (t * 6 + 4)) & width; d; d--) ;
    body(t, i);
  }
  return 0;
}

// The outcome of iteration i, in the test's own terms.
static void outcome(const struct test *T, int i, char *o) {
  const char *n = T->name;
  if (!strcmp(n, "MP") || !strcmp(n, "SDM-8.2.3.9")) sprintf(o, "r0=%d,r1=%d", R[1][0][i], R[1][1][i]);
  else if (!strncmp(n, "SB", 2)) sprintf(o, "r0=%d,r1=%d", R[0][0][i], R[1][0][i]);
  else if (!strcmp(n, "LB")) sprintf(o, "r0=%d,r1=%d", R[0][0][i], R[1][0][i]);
  else if (!strcmp(n, "2+2W")) sprintf(o, "x=%d,y=%d", X[i].v, Y[i].v);
  else if (!strcmp(n, "S")) sprintf(o, "r0=%d,x=%d", R[1][0][i], X[i].v);
  else if (!strcmp(n, "WRC")) sprintf(o, "r0=%d,r1=%d,r2=%d", R[1][0][i], R[2][0][i], R[2][1][i]);
  else if (!strcmp(n, "IRIW") || !strcmp(n, "SDM-8.2.3.8")) sprintf(o, "r0=%d,r1=%d,r2=%d,r3=%d", R[2][0][i], R[2][1][i], R[3][0][i], R[3][1][i]);
  else sprintf(o, "r1=%d,r2=%d,r3=%d,r4=%d", R[0][0][i], R[0][1][i], R[1][0][i], R[1][1][i]);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  iters = argc > 1 ? atoi(argv[1]) : 10000;
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
    for (int c = 0; c < CPU_SETSIZE; c++)
      if (CPU_ISSET(c, &allowed)) cpus[ncpus++] = c;
  X = aligned_alloc(64, sizeof(line) * iters);
  Y = aligned_alloc(64, sizeof(line) * iters);
  for (int t = 0; t < MAXT; t++) for (int k = 0; k < 2; k++) R[t][k] = malloc(sizeof(int) * iters);
  char **outs = malloc(sizeof(char *) * iters);
  for (int i = 0; i < iters; i++) outs[i] = malloc(40);
  for (size_t n = 0; n < sizeof tests / sizeof tests[0]; n++) {
    const struct test *T = &tests[n];
    int wanted = argc <= 2;
    for (int a = 2; a < argc; a++) wanted |= !strcmp(argv[a], T->name);
    if (!wanted) continue;
    memset(X, 0, sizeof(line) * iters);
    memset(Y, 0, sizeof(line) * iters);
    for (int t = 0; t < MAXT; t++) for (int k = 0; k < 2; k++) memset(R[t][k], 0, sizeof(int) * iters);
    // Each test's threads start with a fresh barrier (their local sense is 0).
    bar_count = bar_sense = 0;
    for (int t = 0; t < MAXT; t++) progress[t].v = -1, met[t] = 0;
    nthreads = T->threads;
    body = T->body;
    pthread_t th[MAXT];
    for (int t = 1; t < nthreads; t++) pthread_create(&th[t], 0, worker, (void *)(intptr_t)t);
    worker(0);
    for (int t = 1; t < nthreads; t++) pthread_join(th[t], 0);
    // How many iterations really raced (a diagnostic: it depends on the machine's load).
    fprintf(stderr, "litmus: %s: %d of %d iterations met\n", T->name, met[0], iters);
    for (int i = 0; i < iters; i++) outcome(T, i, outs[i]);
    qsort(outs, iters, sizeof(char *), cmp);
    for (int i = 0; i < iters;) {
      int j = i;
      while (j < iters && !strcmp(outs[j], outs[i])) j++;
      printf("%s %s %d\n", T->name, outs[i], j - i);
      i = j;
    }
  }
  return 0;
}
