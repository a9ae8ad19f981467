// Scalar SSE arithmetic whose last bit or inexact flag depends on how the host rounds and flushes: run by
// Interpreter/HostFpControlTests with the ferry command's host floating-point control register left rounding up or
// flushing subnormals to zero (FERRY_TEST_HOST_FP), as an embedding program might leave it. The guest's own MXCSR is
// the default throughout, so the output must be the native run's. Each line repeats often enough for the JIT.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static double dbl(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

static unsigned flags(void) { unsigned m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m & 0x3F; }
static void clear(void) { unsigned m = 0x1F80; __asm__ volatile("ldmxcsr %0" :: "m"(m)); }

#define OP(insn, a, b) ({ __typeof__(a) a_ = (a); __asm__ volatile(insn " %1, %0" : "+x"(a_) : "x"(b)); a_; })

int main(void) {
  uint64_t acc = 0;
  for (int round = 0; round < 64; round++) {
    char line[512];
    int n = 0;
    clear();
    n += sprintf(line + n, "add %016llx", (unsigned long long)bits(OP("addsd", 1.0, 0x1p-60)));
    n += sprintf(line + n, " add %016llx", (unsigned long long)bits(OP("addsd", 1.0, 0x3p-54)));
    n += sprintf(line + n, " mul %016llx", (unsigned long long)bits(OP("mulsd", 1.0 / 3.0, 3.0 + 0x1p-51)));
    n += sprintf(line + n, " div %016llx", (unsigned long long)bits(OP("divsd", 1.0, 3.0)));
    n += sprintf(line + n, " sqrt %016llx", (unsigned long long)bits(OP("sqrtsd", 0.0, 2.0)));
    n += sprintf(line + n, " divss %08x", (unsigned)fbits(OP("divss", 1.0f, 3.0f)));
    n += sprintf(line + n, " addss %08x", (unsigned)fbits(OP("addss", 1.0f, 0x1p-30f)));
    n += sprintf(line + n, " cvt %08x", (unsigned)fbits(OP("cvtsd2ss", 0.0f, 1.0 / 3.0)));
    n += sprintf(line + n, " flags %02x", flags());
    // Normal operands and result, but the exact error term (2^-1074) is subnormal: a host that flushes it to zero
    // misses the inexact flag.
    clear();
    double small = OP("addsd", 0x1p-1000, dbl(0x0010000000000001ull));
    n += sprintf(line + n, " tiny-err %016llx flags %02x", (unsigned long long)bits(small), flags());
    // An exact product, to check no flag appears from nowhere.
    clear();
    n += sprintf(line + n, " exact %016llx flags %02x", (unsigned long long)bits(OP("mulsd", 1.5, 0x1p-1000)), flags());
    if (round == 0) puts(line);
    for (int k = 0; line[k]; k++) acc = acc * 31 + (unsigned char)line[k];
  }
  printf("checksum %016llx\n", (unsigned long long)acc);
  return 0;
}
