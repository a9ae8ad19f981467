// Two threads incrementing shared counters with atomic read-modify-writes and a CAS loop.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static long n;
static long counter, cas_counter;
static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < n; i++) {
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
        long v = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(&cas_counter, &v, v + 2, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {}
    }
    return NULL;
}
int main(int argc, char **argv)
{
    n = argc > 1 ? atol(argv[1]) : 1000000;
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    printf("%ld %ld\n", counter, cas_counter);
    return 0;
}
