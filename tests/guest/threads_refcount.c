// Atomic reference counting as in shared_ptr/weak_ptr: four threads take and drop strong references to shared
// objects (fetch-add/fetch-sub), upgrade weak ones with an increment-if-not-zero CAS loop, and hand objects to
// each other through exchanged slots. No object may die while referenced, or twice.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define OBJECTS 32
#define ROUNDS 20000
typedef struct { _Atomic long strong; _Atomic int freed; long payload; } obj;
static obj objs[OBJECTS];
static obj *_Atomic slots[8];
static _Atomic long errors;

static void retain(obj *o) { atomic_fetch_add_explicit(&o->strong, 1, memory_order_relaxed); }
static void release(obj *o) {
  if (atomic_fetch_sub_explicit(&o->strong, 1, memory_order_release) == 1) {
    atomic_thread_fence(memory_order_acquire);
    if (atomic_exchange(&o->freed, 1)) atomic_fetch_add(&errors, 1);
  }
}
static int upgrade(obj *o) {
  long n = atomic_load_explicit(&o->strong, memory_order_relaxed);
  while (n != 0)
    if (atomic_compare_exchange_weak_explicit(&o->strong, &n, n + 1, memory_order_acquire, memory_order_relaxed)) return 1;
  return 0;
}

static void *worker(void *arg) {
  unsigned t = (unsigned)(intptr_t)arg, r = t * 2654435761u + 1;
  for (int i = 0; i < ROUNDS; i++) {
    r = r * 1103515245u + 12345u;
    obj *o = &objs[(r >> 8) % OBJECTS];
    if (upgrade(o)) {
      if (atomic_load(&o->freed) || o->payload != (o - objs) * 7) atomic_fetch_add(&errors, 1);
      retain(o);
      obj *old = atomic_exchange(&slots[(r >> 16) % 8], o); // the slot owns one reference
      if (old) release(old);
      release(o);
    }
  }
  return 0;
}

int main(void) {
  for (int i = 0; i < OBJECTS; i++) { atomic_init(&objs[i].strong, 1); objs[i].payload = i * 7; }
  pthread_t th[4];
  for (int t = 0; t < 4; t++) pthread_create(&th[t], 0, worker, (void *)(intptr_t)t);
  for (int t = 0; t < 4; t++) pthread_join(th[t], 0);
  for (int s = 0; s < 8; s++) if (slots[s]) release(slots[s]);
  long alive = 0;
  for (int i = 0; i < OBJECTS; i++) alive += atomic_load(&objs[i].strong) == 1 && !objs[i].freed;
  for (int i = 0; i < OBJECTS; i++) release(&objs[i]);
  long freed = 0;
  for (int i = 0; i < OBJECTS; i++) freed += objs[i].freed;
  printf("objects back to one reference %ld/%d, freed %ld, errors %ld\n", alive, OBJECTS, freed, (long)atomic_load(&errors));
  return alive != OBJECTS || freed != OBJECTS || atomic_load(&errors) != 0;
}
