// Four threads hammer every locked read-modify-write instruction (LOCK ADD/ADC/SUB/SBB/AND/OR/XOR/NOT/NEG/
// INC/DEC/BTS/BTR/BTC, XCHG, CMPXCHG, CMPXCHG8B, CMPXCHG16B, XADD) on aligned, misaligned, 8-byte-crossing
// and page-crossing operands, and print the final values: any lost update changes them.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define THREADS 4
#define N 3000

static _Alignas(4096) unsigned char area[16 * 4096];
// Operand offsets in a region's page: aligned, misaligned inside an 8-byte word, across an 8-byte word (inside a
// cache line), across the page's end (a split lock on x86: slow, so it runs every 8th iteration only).
static const int offs[4] = {64, 129, 134, 4096 - 2};
static volatile int go;

static void *at(int region, int k) { return area + region * 4096 + offs[k]; }

#define REGIONS 14
static uint32_t *u32(int r, int k) { return (uint32_t *)at(r, k); }

static void spin_lock_xchg(uint32_t *l) {
  for (;;) {
    uint32_t v = 1;
    __asm__ volatile("xchg %0, %1" : "+r"(v), "+m"(*l) : : "memory");
    if (v == 0) return;
    while (__atomic_load_n(l, __ATOMIC_RELAXED)) __asm__ volatile("pause");
  }
}
static void spin_unlock(uint32_t *l) { __asm__ volatile("movl $0, %0" : "=m"(*l) : : "memory"); }

static int bts_lock(uint32_t *l) { unsigned char cf; __asm__ volatile("lock btsl $0, %0; setc %1" : "+m"(*l), "=q"(cf) : : "memory", "cc"); return cf; }
static void btr_unlock(uint32_t *l) { __asm__ volatile("lock btrl $0, %0" : "+m"(*l) : : "memory", "cc"); }

static uint64_t xadd_sums[THREADS];
static _Alignas(16) unsigned __int128 wide;
static uint64_t counters[4][2];

static void *worker(void *arg) {
  int t = (int)(intptr_t)arg;
  while (!go) ;
  for (int i = 0; i < N; i++) {
    for (int k = 0; k < ((i & 7) ? 3 : 4); k++) {
      __asm__ volatile("lock addl $1, %0" : "+m"(*u32(0, k)) : : "cc");
      __asm__ volatile("stc; lock adcl $1, %0" : "+m"(*u32(1, k)) : : "cc");
      __asm__ volatile("lock subl $3, %0" : "+m"(*u32(2, k)) : : "cc");
      __asm__ volatile("stc; lock sbbl $1, %0" : "+m"(*u32(3, k)) : : "cc");
      __asm__ volatile("lock xorl %1, %0" : "+m"(*u32(4, k)) : "r"(1u << (t * 8 + (i & 7))) : "cc");
      __asm__ volatile("lock orl %1, %0; lock andl %2, %0" : "+m"(*u32(5, k)) : "r"(1u << t), "r"(~(1u << (t + 8))) : "cc");
      __asm__ volatile("lock notl %0" : "+m"(*u32(6, k)));
      __asm__ volatile("lock negl %0" : "+m"(*u32(7, k)) : : "cc");
      if (t & 1) __asm__ volatile("lock decl %0" : "+m"(*u32(8, k)) : : "cc");
      else { __asm__ volatile("lock incl %0" : "+m"(*u32(8, k)) : : "cc"); __asm__ volatile("lock incl %0" : "+m"(*u32(8, k)) : : "cc"); }
      __asm__ volatile("lock btcl %1, %0" : "+m"(*u32(9, k)) : "r"((uint32_t)(t * 8 + (i & 7))) : "cc");
      while (bts_lock(u32(10, k))) ;
      counters[k][0]++;
      btr_unlock(u32(10, k));
      spin_lock_xchg(u32(11, k));
      counters[k][1]++;
      spin_unlock(u32(11, k));
      uint32_t old = __atomic_load_n(u32(12, k), __ATOMIC_RELAXED), want;
      do { want = old + 5; } while (!__atomic_compare_exchange_n(u32(12, k), &old, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
      uint32_t add = 1;
      __asm__ volatile("lock xaddl %0, %1" : "+r"(add), "+m"(*u32(13, k)) : : "cc");
      xadd_sums[t] += add;
    }
    // CMPXCHG8B on a misaligned quadword; CMPXCHG16B on the aligned pair.
    uint64_t *q = (uint64_t *)(area + 15 * 4096 + 1003);
    uint64_t o = *(volatile uint64_t *)q, n;
    unsigned char ok;
    do {
      n = o + 0x200000001ull;
      uint32_t lo = (uint32_t)o, hi = (uint32_t)(o >> 32);
      __asm__ volatile("lock cmpxchg8b %0; sete %1" : "+m"(*q), "=q"(ok), "+a"(lo), "+d"(hi) : "b"((uint32_t)n), "c"((uint32_t)(n >> 32)) : "memory", "cc");
      o = ((uint64_t)hi << 32) | lo;
    } while (!ok);
    uint64_t lo = (uint64_t)wide, hi = (uint64_t)(wide >> 64);
    do {
      __asm__ volatile("lock cmpxchg16b %0; sete %1" : "+m"(wide), "=q"(ok), "+a"(lo), "+d"(hi) : "b"(lo + 1), "c"(hi + 3) : "memory", "cc");
    } while (!ok);
  }
  return 0;
}

int main(void) {
  memset(area, 0, sizeof area);
  for (int k = 0; k < 4; k++) { *u32(6, k) = 0x0f0f1234u; *u32(7, k) = 0x12345u; }
  pthread_t th[THREADS];
  for (int t = 0; t < THREADS; t++) pthread_create(&th[t], 0, worker, (void *)(intptr_t)t);
  go = 1;
  for (int t = 0; t < THREADS; t++) pthread_join(th[t], 0);
  static const char *names[REGIONS] = {"add", "adc", "sub", "sbb", "xor", "or+and", "not", "neg", "inc/dec", "btc", "bts/btr", "xchg", "cmpxchg", "xadd"};
  static const char *where[4] = {"aligned", "in-word", "cross-8", "cross-page"};
  for (int r = 0; r < REGIONS; r++)
    for (int k = 0; k < 4; k++)
      printf("%-8s %-10s %08x\n", names[r], where[k], *u32(r, k));
  for (int k = 0; k < 4; k++) printf("critical sections %s: bts %llu xchg %llu\n", where[k], (unsigned long long)counters[k][0], (unsigned long long)counters[k][1]);
  uint64_t total = 0;
  for (int t = 0; t < THREADS; t++) total += xadd_sums[t];
  printf("xadd returned sum %llu\n", (unsigned long long)total);
  printf("cmpxchg8b %016llx\n", (unsigned long long)*(uint64_t *)(area + 15 * 4096 + 1003));
  printf("cmpxchg16b %016llx %016llx\n", (unsigned long long)(wide >> 64), (unsigned long long)wide);
  return 0;
}
