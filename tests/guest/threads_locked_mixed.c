// Locked accesses of different widths and alignments to the same bytes, racing: an aligned LOCK ADD on a
// quadword against a LOCK ADD on a doubleword that crosses into the next quadword (both add to the 16-bit
// counter at bytes 6-7), and LOCK CMPXCHG16B on a pair against aligned LOCK ADD/XADD on each of its halves. An
// emulator that makes the wide or misaligned one atomic some other way than the aligned one (a lock of its own)
// loses updates, and the totals printed change.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define N 30000 // 2N < 65536: the 16-bit counter at bytes 6-7 never carries out of either operand

static _Alignas(64) volatile unsigned char block[64];
static volatile int go;

static void wait_go(void) { while (!go) __asm__ volatile("pause"); }

static void *aligned_quad(void *arg) {
  (void)arg; wait_go();
  for (int i = 0; i < N; i++) __asm__ volatile("lock addq %1, %0" : "+m"(*(volatile uint64_t *)block) : "r"((uint64_t)1 << 48) : "memory", "cc");
  return 0;
}

static void *crossing_dword(void *arg) {
  (void)arg; wait_go();
  for (int i = 0; i < N; i++) __asm__ volatile("lock addl $1, %0" : "+m"(*(volatile uint32_t *)(block + 6)) : : "memory", "cc");
  return 0;
}

static void *pair_cas(void *arg) {
  (void)arg; wait_go();
  volatile unsigned __int128 *p = (volatile unsigned __int128 *)(block + 16);
  for (int i = 0; i < N; i++) {
    uint64_t lo = ((volatile uint64_t *)p)[0], hi = ((volatile uint64_t *)p)[1];
    unsigned char ok;
    do {
      __asm__ volatile("lock cmpxchg16b %0; sete %1" : "+m"(*p), "=q"(ok), "+a"(lo), "+d"(hi) : "b"(lo + 1), "c"(hi + 1) : "memory", "cc");
    } while (!ok);
  }
  return 0;
}

static void *halves(void *arg) {
  (void)arg; wait_go();
  volatile uint64_t *q = (volatile uint64_t *)(block + 16);
  for (int i = 0; i < N; i++) {
    __asm__ volatile("lock addq $2, %0" : "+m"(q[1]) : : "memory", "cc");
    uint64_t v = 3;
    __asm__ volatile("lock xaddq %0, %1" : "+r"(v), "+m"(q[0]) : : "memory", "cc");
  }
  return 0;
}

int main(void) {
  void *(*bodies[])(void *) = {aligned_quad, crossing_dword, pair_cas, halves};
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, bodies[i], 0);
  go = 1;
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  const volatile uint16_t *counter = (const volatile uint16_t *)(block + 6);
  const volatile uint64_t *q = (const volatile uint64_t *)(block + 16);
  printf("bytes 6-7: %u (expected %u)\n", *counter, 2 * N);
  printf("bytes 8-9: %u\n", *(const volatile uint16_t *)(block + 8));
  printf("pair: lo %llu (expected %llu) hi %llu (expected %llu)\n", (unsigned long long)q[0], 4ULL * N,
         (unsigned long long)q[1], 3ULL * N);
  return 0;
}
