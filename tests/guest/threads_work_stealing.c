// A work-stealing pool: each of four workers owns a Chase-Lev deque (push and pop at the bottom, a sequentially
// consistent fence between pop's store and load; thieves CAS the top). Tasks split a range in two until it is
// small, then sum f(i) over it; the total must match the sequential sum.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define WORKERS 4
#define SIZE 4096
#define N 200000
typedef struct { int lo, hi; } task;
typedef struct { _Alignas(64) _Atomic long top; _Alignas(64) _Atomic long bottom; task buf[SIZE]; } deque;
static deque dq[WORKERS];
static _Atomic long pending = 1; // tasks not yet finished
static uint64_t sums[WORKERS];

static void push(deque *d, task t) {
  long b = atomic_load_explicit(&d->bottom, memory_order_relaxed);
  d->buf[b % SIZE] = t;
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
}

static int pop(deque *d, task *out) {
  long b = atomic_load_explicit(&d->bottom, memory_order_relaxed) - 1;
  atomic_store_explicit(&d->bottom, b, memory_order_relaxed);
  atomic_thread_fence(memory_order_seq_cst);
  long t = atomic_load_explicit(&d->top, memory_order_relaxed);
  if (t > b) { atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed); return 0; }
  *out = d->buf[b % SIZE];
  if (t == b) {
    int won = atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst, memory_order_relaxed);
    atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
    return won;
  }
  return 1;
}

static int steal(deque *d, task *out) {
  long t = atomic_load_explicit(&d->top, memory_order_acquire);
  atomic_thread_fence(memory_order_seq_cst);
  long b = atomic_load_explicit(&d->bottom, memory_order_acquire);
  if (t >= b) return 0;
  *out = d->buf[t % SIZE];
  return atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst, memory_order_relaxed);
}

static uint64_t f(uint64_t i) { return i * i % 1000003 + (i ^ (i >> 3)); }

static void *worker(void *arg) {
  int w = (int)(intptr_t)arg;
  unsigned r = (unsigned)w + 1;
  task t;
  while (atomic_load(&pending) > 0) {
    int got = pop(&dq[w], &t);
    if (!got) {
      r = r * 1103515245u + 12345u;
      got = steal(&dq[(r >> 16) % WORKERS], &t);
    }
    if (!got) { __asm__ volatile("pause"); continue; }
    while (t.hi - t.lo > 64) {
      int mid = t.lo + (t.hi - t.lo) / 2;
      atomic_fetch_add(&pending, 1);
      push(&dq[w], (task){mid, t.hi});
      t.hi = mid;
    }
    for (int i = t.lo; i < t.hi; i++) sums[w] += f((uint64_t)i);
    atomic_fetch_sub(&pending, 1);
  }
  return 0;
}

int main(void) {
  push(&dq[0], (task){0, N});
  pthread_t th[WORKERS];
  for (int w = 1; w < WORKERS; w++) pthread_create(&th[w], 0, worker, (void *)(intptr_t)w);
  worker(0);
  for (int w = 1; w < WORKERS; w++) pthread_join(th[w], 0);
  uint64_t total = 0, want = 0;
  for (int w = 0; w < WORKERS; w++) total += sums[w];
  for (uint64_t i = 0; i < N; i++) want += f(i);
  printf("sum %llu, expected %llu\n", (unsigned long long)total, (unsigned long long)want);
  return total != want;
}
