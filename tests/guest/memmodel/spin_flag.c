// Two threads hand a counter back and forth through plain (volatile, unlocked) flags, each waiting in the
// tightest spin loop there is: a load, a compare and a branch back. Under every memory model, with the JIT
// compiling those loops, each store must reach the other thread's loop: a load the .NET JIT hoisted out of the
// loop or merged with an earlier one would spin forever (MemoryModel/SpinLoopTests puts a time limit on it).
#include <pthread.h>
#include <stdio.h>

#define ROUNDS 2000

static volatile int flag, ack;

static void *echo(void *arg) {
  (void)arg;
  for (int i = 1; i <= ROUNDS; i++) {
    while (flag != i) {}
    ack = i;
  }
  return 0;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, echo, 0);
  for (int i = 1; i <= ROUNDS; i++) {
    flag = i;
    while (ack != i) {}
  }
  pthread_join(t, 0);
  printf("rounds: %d\n", ack);
  return 0;
}
