// A seqlock: one writer updates a four-word record under a sequence counter (odd while writing); two readers
// retry until they read an even, unchanged sequence, and must never see a torn record.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define WRITES 30000
static _Atomic unsigned seq;
static volatile uint64_t rec[4];
static _Atomic int done;
static long torn[2];

static void *writer(void *arg) {
  for (uint64_t i = 1; i <= WRITES; i++) {
    unsigned s = atomic_load_explicit(&seq, memory_order_relaxed);
    atomic_store_explicit(&seq, s + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    rec[0] = i; rec[1] = i * 3; rec[2] = ~i; rec[3] = i ^ 0x5555;
    atomic_store_explicit(&seq, s + 2, memory_order_release);
  }
  atomic_store(&done, 1);
  return arg;
}

static void *reader(void *arg) {
  int k = (int)(intptr_t)arg;
  uint64_t last = 0;
  while (!atomic_load(&done)) {
    uint64_t a, b, c, d;
    unsigned s0, s1;
    do {
      s0 = atomic_load_explicit(&seq, memory_order_acquire);
      a = rec[0]; b = rec[1]; c = rec[2]; d = rec[3];
      atomic_thread_fence(memory_order_acquire);
      s1 = atomic_load_explicit(&seq, memory_order_relaxed);
    } while ((s0 & 1) || s0 != s1);
    if (s0 == 0) continue;
    if (b != a * 3 || c != ~a || d != (a ^ 0x5555) || a < last) torn[k]++;
    last = a;
  }
  return 0;
}

int main(void) {
  pthread_t w, r[2];
  for (int k = 0; k < 2; k++) pthread_create(&r[k], 0, reader, (void *)(intptr_t)k);
  pthread_create(&w, 0, writer, 0);
  pthread_join(w, 0);
  for (int k = 0; k < 2; k++) pthread_join(r[k], 0);
  printf("writes %d, final record %llu, torn or backward reads %ld\n", WRITES, (unsigned long long)rec[0], torn[0] + torn[1]);
  return torn[0] + torn[1] != 0;
}
