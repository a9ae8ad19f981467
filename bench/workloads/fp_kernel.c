// Floating-point kernel: an n-body step loop and a dot-product sweep in double precision.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#define N 5
int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 200000;
    double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];
    for (int i = 0; i < N; i++) { x[i] = i; y[i] = i * 0.5; z[i] = -i * 0.25; vx[i] = vy[i] = vz[i] = 0.01 * i; m[i] = 1.0 + i; }
    for (long s = 0; s < steps; s++)
        for (int i = 0; i < N; i++)
            for (int j = i + 1; j < N; j++) {
                double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
                double d2 = dx * dx + dy * dy + dz * dz + 0.01, mag = 0.001 / (d2 * sqrt(d2));
                vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
                vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
            }
    for (int i = 0; i < N; i++) { x[i] += vx[i]; y[i] += vy[i]; z[i] += vz[i]; }
    double e = 0;
    for (int i = 0; i < N; i++) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    printf("%.9f %.9f\n", e, x[0] + y[1] + z[2]);
    return 0;
}
