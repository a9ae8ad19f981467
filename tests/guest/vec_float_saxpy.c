// cflags: -O3 -lm
// Vectorised floating-point loops (SSE2 at -O3, no fast-math so results are exact IEEE):
// saxpy/daxpy, element-wise mul/div/sqrt, fmin-like selects, int<->float conversions,
// float<->double widening/narrowing, polynomial evaluation, over unaligned sub-arrays.
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

#define N 1100
static float xf[N + 64], yf[N + 64], zf[N + 64];
static double xd[N + 64], yd[N + 64], zd[N + 64];
static int32_t iv[N + 64];

__attribute__((noinline)) static void saxpy(float *restrict y, const float *restrict x, float a, int n) { for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i]; }
__attribute__((noinline)) static void daxpy(double *restrict y, const double *restrict x, double a, int n) { for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i]; }
__attribute__((noinline)) static void fops(float *restrict d, const float *restrict x, const float *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = (x[i] - y[i]) / (y[i] * y[i] + 1.0f) + sqrtf(x[i] * x[i]);
}
__attribute__((noinline)) static void dops(double *restrict d, const double *restrict x, const double *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = sqrt(fabs(x[i])) * y[i] - x[i] / 3.0;
}
__attribute__((noinline)) static void fsel(float *restrict d, const float *restrict x, const float *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = x[i] < y[i] ? x[i] : y[i];
}
__attribute__((noinline)) static void dsel(double *restrict d, const double *restrict x, const double *restrict y, int n)
{
    for (int i = 0; i < n; i++) d[i] = x[i] > y[i] ? x[i] : y[i];
}
__attribute__((noinline)) static void i2f(float *restrict d, const int32_t *restrict s, int n) { for (int i = 0; i < n; i++) d[i] = (float)s[i] * 0.5f; }
__attribute__((noinline)) static void f2i(int32_t *restrict d, const float *restrict s, int n) { for (int i = 0; i < n; i++) d[i] = (int32_t)(s[i] * 100.0f); }
__attribute__((noinline)) static void f2d(double *restrict d, const float *restrict s, int n) { for (int i = 0; i < n; i++) d[i] = (double)s[i] * 1.0000001; }
__attribute__((noinline)) static void d2f(float *restrict d, const double *restrict s, int n) { for (int i = 0; i < n; i++) d[i] = (float)s[i]; }
__attribute__((noinline)) static void poly(double *restrict d, const double *restrict x, int n)
{
    for (int i = 0; i < n; i++) { double t = x[i] * 1e-3; d[i] = ((((t * 0.125 + 0.25) * t - 0.5) * t + 1.0) * t - 2.0) * t + 3.0; }
}
__attribute__((noinline)) static float fsum_ordered(const float *x, int n) { float s = 0; for (int i = 0; i < n; i++) s += x[i]; return s; }
__attribute__((noinline)) static double ddot_ordered(const double *x, const double *y, int n) { double s = 0; for (int i = 0; i < n; i++) s += x[i] * y[i]; return s; }

static uint64_t hf(const float *p, int n) { uint64_t h = 1469598103934665603ULL; for (int i = 0; i < n; i++) { uint32_t u; memcpy(&u, &p[i], 4); h = (h ^ u) * 1099511628211ULL; } return h; }
static uint64_t hd(const double *p, int n) { uint64_t h = 1469598103934665603ULL; for (int i = 0; i < n; i++) { uint64_t u; memcpy(&u, &p[i], 8); h = (h ^ u) * 1099511628211ULL; } return h; }

static void init(void)
{
    uint32_t s = 0x12345678;
    for (int i = 0; i < N + 64; i++) {
        s = s * 1664525u + 1013904223u;
        xf[i] = (float)((int32_t)s >> 8) / 65536.0f;
        yf[i] = (float)((s >> 4) & 0xffff) / 1000.0f - 30.0f;
        xd[i] = (double)(int32_t)s / 3.0e4;
        yd[i] = (double)(s >> 3) * 1e-7 - 100.0;
        iv[i] = (int32_t)s >> (i % 13);
    }
    xf[7] = -0.0f; xf[11] = 1e-40f; yf[13] = 1e30f; xd[17] = -0.0; xd[19] = 4e-320; yd[23] = 1e300;
}

int main(void)
{
    static const int lens[] = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 64, 65, 127, 500, 1000};
    uint64_t total = 0;
    for (int off = 0; off < 16; off++) {
        uint64_t h = 0;
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            int n = lens[li];
            init();
            saxpy(yf + off, xf + (off * 3 % 16), 1.5f, n);
            daxpy(yd + off, xd + (off * 5 % 16), -0.75, n);
            h = h * 31 + hf(yf + off, n) + hd(yd + off, n);
            fops(zf + (off & 3), xf + off, yf + 1, n);
            dops(zd + (off & 1), xd + off, yd + 2, n);
            h = h * 31 + hf(zf + (off & 3), n) + hd(zd + (off & 1), n);
            fsel(zf + 1, xf + off, yf + off, n);
            dsel(zd + 3, xd + off, yd + off, n);
            h = h * 31 + hf(zf + 1, n) + hd(zd + 3, n);
            i2f(zf + off, iv + 2, n);
            static int32_t ri[N + 64];
            f2i(ri + off, xf + 5, n);
            uint64_t hi = 0;
            for (int i = 0; i < n; i++) hi = hi * 7 + (uint32_t)ri[off + i];
            f2d(zd + off, yf + 3, n);
            h = h * 31 + hf(zf + off, n) + hi + hd(zd + off, n);
            d2f(zf + 2, xd + off, n);
            poly(zd + 1, yd + off, n);
            h = h * 31 + hf(zf + 2, n) + hd(zd + 1, n);
            float fs = fsum_ordered(xf + off, n);
            double dd = ddot_ordered(xd + off, yd + off, n);
            if (off % 5 == 0 && (n == 17 || n == 1000)) printf("off=%2d n=%4d fsum=%.9g ddot=%.17g y0=%.9g yd0=%.17g z=%.17g\n", off, n, (double)fs, dd,
                                                             (double)yf[off], yd[off], zd[1]);
            uint32_t fb; memcpy(&fb, &fs, 4);
            uint64_t db; memcpy(&db, &dd, 8);
            h = h * 31 + fb + db;
        }
        printf("offset %2d hash %016llx\n", off, (unsigned long long)h);
        total = total * 1000003 + h;
    }
    printf("total %016llx\n", (unsigned long long)total);
    return 0;
}
