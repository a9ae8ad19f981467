// Starts a second thread, joins it, then (with the argument "exec") execs itself with no argument, leaving a
// process of one thread. MemoryModel/ExecOrderingTests checks which memory ordering Ferry uses at the end:
// under auto the exec'd image is unshared again and runs unordered, as a freshly started process would.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(int argc, char **argv) {
  if (argc < 2) { puts("exec'd"); return 0; }
  pthread_t t;
  if (pthread_create(&t, 0, worker, 0) != 0 || pthread_join(t, 0) != 0) return 2;
  puts("joined");
  fflush(stdout);
  if (strcmp(argv[1], "exec") == 0) {
    execl("/proc/self/exe", argv[0], (char *)0);
    return 3;
  }
  return 0;
}
