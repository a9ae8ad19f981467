// A bounded lock-free multi-producer multi-consumer queue (Vyukov's: a sequence number per cell, CAS on the
// enqueue and dequeue positions). Two producers and two consumers pass 40000 values; every value must arrive
// exactly once.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define CELLS 256
#define PER_PRODUCER 20000
typedef struct { _Atomic uint64_t seq; uint64_t value; } cell;
static cell q[CELLS];
static _Alignas(64) _Atomic uint64_t head;
static _Alignas(64) _Atomic uint64_t tail;
static _Atomic int consumed;
static unsigned char seen[2 * PER_PRODUCER];
static uint64_t sums[2];

static void push(uint64_t v) {
  uint64_t pos = atomic_load_explicit(&tail, memory_order_relaxed);
  for (;;) {
    cell *c = &q[pos % CELLS];
    uint64_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
    int64_t dif = (int64_t)seq - (int64_t)pos;
    if (dif == 0) {
      if (atomic_compare_exchange_weak_explicit(&tail, &pos, pos + 1, memory_order_relaxed, memory_order_relaxed)) {
        c->value = v;
        atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
        return;
      }
    } else if (dif < 0) __asm__ volatile("pause");
    else pos = atomic_load_explicit(&tail, memory_order_relaxed);
  }
}

static int pop(uint64_t *v) {
  uint64_t pos = atomic_load_explicit(&head, memory_order_relaxed);
  for (;;) {
    cell *c = &q[pos % CELLS];
    uint64_t seq = atomic_load_explicit(&c->seq, memory_order_acquire);
    int64_t dif = (int64_t)seq - (int64_t)(pos + 1);
    if (dif == 0) {
      if (atomic_compare_exchange_weak_explicit(&head, &pos, pos + 1, memory_order_relaxed, memory_order_relaxed)) {
        *v = c->value;
        atomic_store_explicit(&c->seq, pos + CELLS, memory_order_release);
        return 1;
      }
    } else if (dif < 0) return 0;
    else pos = atomic_load_explicit(&head, memory_order_relaxed);
  }
}

static void *producer(void *arg) {
  uint64_t base = (uint64_t)(intptr_t)arg * PER_PRODUCER;
  for (uint64_t i = 0; i < PER_PRODUCER; i++) push(base + i);
  return 0;
}

static void *consumer(void *arg) {
  int k = (int)(intptr_t)arg;
  uint64_t v;
  while (atomic_load(&consumed) < 2 * PER_PRODUCER)
    if (pop(&v)) {
      if (v >= 2 * PER_PRODUCER || __atomic_exchange_n(&seen[v], 1, __ATOMIC_RELAXED)) { printf("bad or repeated value %llu\n", (unsigned long long)v); return (void *)1; }
      sums[k] += v;
      atomic_fetch_add(&consumed, 1);
    }
  return 0;
}

int main(void) {
  for (uint64_t i = 0; i < CELLS; i++) atomic_init(&q[i].seq, i);
  pthread_t p[2], c[2];
  for (int k = 0; k < 2; k++) pthread_create(&c[k], 0, consumer, (void *)(intptr_t)k);
  for (int k = 0; k < 2; k++) pthread_create(&p[k], 0, producer, (void *)(intptr_t)k);
  void *bad = 0, *r;
  for (int k = 0; k < 2; k++) { pthread_join(p[k], 0); pthread_join(c[k], &r); bad = bad ? bad : r; }
  uint64_t n = 2 * PER_PRODUCER, want = n * (n - 1) / 2;
  int missing = 0;
  for (uint64_t i = 0; i < n; i++) missing += !seen[i];
  printf("consumed %d values, missing %d, sum %llu (expected %llu)\n", atomic_load(&consumed), missing, (unsigned long long)(sums[0] + sums[1]), (unsigned long long)want);
  return bad || missing || sums[0] + sums[1] != want;
}
