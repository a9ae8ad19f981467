// Split locks: locked read-modify-writes of a quadword that crosses a 16-byte boundary (and, in the second
// round, a page), racing with aligned locked accesses to the bytes they share: LOCK ADD and XADD on the aligned
// quadword below and the one above, and LOCK CMPXCHG16B on the aligned pair below. No host atomic instruction
// covers such an operand on an ARM64 host, so an emulator has to stop everything else the way x86's bus lock
// does; one that makes it atomic some other way (a lock of its own) loses updates and the totals printed change.
// The split thread starts once every aligned thread has done one access, and they go on until it is done, so the
// races really happen.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef SPLIT_OPS
#define SPLIT_OPS 200000
#endif

static _Alignas(4096) volatile unsigned char pages[8192];
static volatile unsigned char *base; // the crossing quadword is at base+12; aligned quadwords at base+8, base+16
static volatile int started, done;
static uint64_t aligned_ops[3];

static uint64_t xadd(volatile uint64_t *p, uint64_t v) {
  __asm__ volatile("lock xaddq %0, %1" : "+r"(v), "+m"(*p) : : "memory", "cc");
  return v;
}

static void *split(void *arg) {
  (void)arg;
  while (started < 3) __asm__ volatile("pause");
  volatile uint64_t *q = (volatile uint64_t *)(base + 12);
  const uint64_t one = 1 | (uint64_t)1 << 32; // +1 to the dword at base+12 and to the one at base+16
  for (int i = 0; i < SPLIT_OPS; i++) {
    switch (i % 3) {
    case 0: __asm__ volatile("lock addq %1, %0" : "+m"(*q) : "r"(one) : "memory", "cc"); break;
    case 1: xadd(q, one); break;
    default: {
      uint64_t old = *q, seen;
      for (;;) {
        __asm__ volatile("lock cmpxchgq %2, %1" : "=a"(seen), "+m"(*q) : "r"(old + one), "0"(old) : "memory", "cc");
        if (seen == old) break;
        old = seen;
      }
    }
    }
  }
  done = 1;
  return 0;
}

// The dword at base+12 is the high half of this quadword.
static void *below(void *arg) {
  (void)arg;
  volatile uint64_t *q = (volatile uint64_t *)(base + 8);
  uint64_t n = 0;
  do {
    if (n == 1) __sync_fetch_and_add(&started, 1);
    if (n & 1) xadd(q, (uint64_t)1 << 32);
    else __asm__ volatile("lock addq %1, %0" : "+m"(*q) : "r"((uint64_t)1 << 32) : "memory", "cc");
    n++;
  } while (!done);
  aligned_ops[0] = n;
  return 0;
}

// The dword at base+16 is the low half of this quadword.
static void *above(void *arg) {
  (void)arg;
  volatile uint64_t *q = (volatile uint64_t *)(base + 16);
  uint64_t n = 0;
  do {
    if (n == 1) __sync_fetch_and_add(&started, 1);
    __asm__ volatile("lock incq %0" : "+m"(*q) : : "memory", "cc");
    n++;
  } while (!done);
  aligned_ops[1] = n;
  return 0;
}

// The pair at base+0 holds the dword at base+12 in the top of its high quadword.
static void *pair(void *arg) {
  (void)arg;
  volatile unsigned __int128 *p = (volatile unsigned __int128 *)base;
  uint64_t n = 0;
  do {
    if (n == 1) __sync_fetch_and_add(&started, 1);
    uint64_t lo = ((volatile uint64_t *)p)[0], hi = ((volatile uint64_t *)p)[1];
    unsigned char ok;
    do {
      __asm__ volatile("lock cmpxchg16b %0; sete %1"
                       : "+m"(*p), "=q"(ok), "+a"(lo), "+d"(hi)
                       : "b"(lo), "c"(hi + ((uint64_t)1 << 32))
                       : "memory", "cc");
    } while (!ok);
    n++;
  } while (!done);
  aligned_ops[2] = n;
  return 0;
}

static void round_at(const char *name, volatile unsigned char *b) {
  base = b;
  memset((void *)b, 0, 32);
  started = done = 0;
  void *(*bodies[])(void *) = {below, above, pair, split};
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, bodies[i], 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  uint32_t at12, at16;
  memcpy(&at12, (const void *)(b + 12), 4);
  memcpy(&at16, (const void *)(b + 16), 4);
  uint64_t want12 = SPLIT_OPS + aligned_ops[0] + aligned_ops[2], want16 = SPLIT_OPS + aligned_ops[1];
  printf("%s: dword at +12 %s, dword at +16 %s, aligned threads ran: %d\n", name,
         at12 == (uint32_t)want12 ? "ok" : "LOST UPDATES", at16 == (uint32_t)want16 ? "ok" : "LOST UPDATES",
         aligned_ops[0] > 0 && aligned_ops[1] > 0 && aligned_ops[2] > 0);
  if (at12 != (uint32_t)want12 || at16 != (uint32_t)want16)
    fprintf(stderr, "%s: +12 %u want %u, +16 %u want %u\n", name, at12, (uint32_t)want12, at16, (uint32_t)want16);
}

int main(void) {
  round_at("across 16 bytes", pages + 64);
  round_at("across a page", pages + 4096 - 16);
  return 0;
}
