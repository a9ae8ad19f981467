// Calling-convention stress: many integer/double arguments spilled to the stack, mixed
// structs passed and returned by value (in registers and in memory), long double and
// __int128 arguments, variadic functions with va_copy and mixed types, function pointers,
// alloca and VLAs with varying sizes, deep and mutual recursion, and a computed goto.
#include <stdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <alloca.h>

struct small { int a; int b; };                   /* rax */
struct pair { long a; long b; };                  /* rax:rdx */
struct mixed { double d; long l; };               /* xmm0:rax */
struct twod { double x, y; };                     /* xmm0:xmm1 */
struct fl3 { float a, b, c; };                    /* xmm0 (a,b) + xmm1 (c) */
struct big { long v[5]; char tag[9]; };           /* memory */
struct packed_chars { char c[3]; };               /* rax (3 bytes) */

__attribute__((noinline)) static long many_ints(long a, long b, long c, long d, long e, long f, long g, long h, long i, long j, int k, short l, char m)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j + 11 * k + 12 * l + 13 * m;
}
__attribute__((noinline)) static double many_doubles(double a, double b, double c, double d, double e, double f, double g, double h, double i, double j,
                                                     float k, double l, int m, double n)
{
    return a - b + c * d - e / f + g * h - i + j * k + l * m - n;
}
__attribute__((noinline)) static struct small mk_small(int a, int b) { struct small s = {a * 3, b - a}; return s; }
__attribute__((noinline)) static struct pair mk_pair(struct pair p, long k) { struct pair r = {p.b * k, p.a + k}; return r; }
__attribute__((noinline)) static struct mixed mk_mixed(struct mixed m) { struct mixed r = {m.d * 2 + (double)m.l, m.l - (long)m.d}; return r; }
__attribute__((noinline)) static struct twod rot(struct twod p) { struct twod r = {-p.y, p.x * 1.5}; return r; }
__attribute__((noinline)) static struct fl3 fl3_op(struct fl3 a, struct fl3 b) { struct fl3 r = {a.a + b.c, a.b * b.b, a.c - b.a}; return r; }
__attribute__((noinline)) static struct big mk_big(struct big in, int k)
{
    struct big r = in;
    for (int i = 0; i < 5; i++) r.v[i] = in.v[4 - i] * k + i;
    memcpy(r.tag, "returned", 9);
    return r;
}
__attribute__((noinline)) static struct packed_chars pc(struct packed_chars p) { struct packed_chars r = {{p.c[2], p.c[1], (char)(p.c[0] + 1)}}; return r; }
__attribute__((noinline)) static long double ld_args(long double a, int i, long double b, double d, long double c) { return a * i + b / d - c; }
__attribute__((noinline)) static __int128 i128_args(__int128 a, int pad, __int128 b, long c) { return a * b + pad - c; }
__attribute__((noinline)) static long stack_structs(struct big a, struct pair p, struct big b, struct mixed m, int last)
{
    long s = 0;
    for (int i = 0; i < 5; i++) s += a.v[i] * (i + 1) - b.v[i];
    return s + p.a * 3 + p.b + (long)m.d + m.l + last + a.tag[0] + b.tag[1];
}

static double vsum(int n, const char *types, ...)
{
    va_list ap, ap2;
    va_start(ap, types);
    va_copy(ap2, ap);
    double s = 0;
    for (int i = 0; i < n; i++) {
        switch (types[i]) {
        case 'i': s += va_arg(ap, int); break;
        case 'l': s += (double)va_arg(ap, long); break;
        case 'd': s += va_arg(ap, double); break;
        case 'p': s += (double)(va_arg(ap, const char *)[0]); break;
        case 'L': s += (double)va_arg(ap, long double); break;
        case 'S': { struct pair p = va_arg(ap, struct pair); s += (double)(p.a - p.b); break; }
        case 'T': { struct twod t = va_arg(ap, struct twod); s += t.x * t.y; break; }
        }
    }
    /* second pass over the copy: count doubles */
    double firstd = -1;
    for (int i = 0; i < n; i++) {
        switch (types[i]) {
        case 'i': (void)va_arg(ap2, int); break;
        case 'l': (void)va_arg(ap2, long); break;
        case 'd': { double d = va_arg(ap2, double); if (firstd < 0) firstd = d; break; }
        case 'p': (void)va_arg(ap2, const char *); break;
        case 'L': (void)va_arg(ap2, long double); break;
        case 'S': (void)va_arg(ap2, struct pair); break;
        case 'T': (void)va_arg(ap2, struct twod); break;
        }
    }
    va_end(ap2);
    va_end(ap);
    return s + firstd / 1000;
}

static int vfmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

static int is_even(unsigned n);
__attribute__((noinline)) static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
__attribute__((noinline)) static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }

__attribute__((noinline)) static uint64_t ackermann(uint64_t m, uint64_t n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

__attribute__((noinline)) static long use_alloca(int n)
{
    long *a = alloca(sizeof(long) * (size_t)n);
    char vla[n * 3 + 1];
    for (int i = 0; i < n; i++) a[i] = (long)i * i;
    memset(vla, 'x', sizeof vla);
    long s = 0;
    for (int i = 0; i < n; i++) s += a[i] ^ vla[i * 3];
    return s + (long)sizeof vla;
}

static int interp(const unsigned char *prog)
{
    static void *labels[] = {&&op_halt, &&op_inc, &&op_dbl, &&op_dec, &&op_jnz};
    int acc = 0, pc = 0, steps = 0;
#define NEXT goto *labels[prog[pc++]]
    NEXT;
op_inc: acc++; steps++; NEXT;
op_dbl: acc *= 2; steps++; NEXT;
op_dec: acc--; steps++; NEXT;
op_jnz: steps++; if (acc & 0x100) { pc++; NEXT; } pc = prog[pc]; NEXT;
op_halt: return acc * 1000 + steps;
#undef NEXT
}

typedef long (*binop)(long, long);
static long op_add(long a, long b) { return a + b; }
static long op_sub(long a, long b) { return a - b; }
static long op_mul(long a, long b) { return a * b; }
static long op_xor(long a, long b) { return a ^ b; }

int main(void)
{
    printf("many_ints=%ld\n", many_ints(1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12, 13));
    printf("many_doubles=%.17g\n", many_doubles(1.5, 2.25, 3.125, 4.0625, 5.5, 6.75, 7.875, 8.5, 9.25, 10.125, 11.5f, 12.75, -13, 14.0625));
    struct small s = mk_small(7, 20);
    struct pair p = mk_pair((struct pair){100, -200}, 3);
    struct mixed m = mk_mixed((struct mixed){2.5, 40});
    struct twod t = rot((struct twod){3.0, 4.0});
    struct fl3 f = fl3_op((struct fl3){1.5f, 2.5f, 3.5f}, (struct fl3){0.25f, 4.0f, 8.0f});
    struct big bi = {{1, 2, 3, 4, 5}, "input"};
    struct big bo = mk_big(bi, 10);
    struct packed_chars c3 = pc((struct packed_chars){{'a', 'b', 'c'}});
    printf("small={%d,%d} pair={%ld,%ld} mixed={%.17g,%ld} twod={%g,%g} fl3={%g,%g,%g}\n", s.a, s.b, p.a, p.b, m.d, m.l, t.x, t.y, (double)f.a, (double)f.b,
           (double)f.c);
    printf("big={%ld,%ld,%ld,%ld,%ld,%s} in.tag=%s chars=%c%c%c\n", bo.v[0], bo.v[1], bo.v[2], bo.v[3], bo.v[4], bo.tag, bi.tag, c3.c[0], c3.c[1], c3.c[2]);
    printf("ld_args=%.21Lg\n", ld_args(1.5L, 3, 10.0L, 4.0, 0.125L));
    __int128 r128 = i128_args(((__int128)1 << 40) + 3, 5, ((__int128)3 << 64) + 7, 9);
    printf("i128_args=%016llx%016llx\n", (unsigned long long)((unsigned __int128)r128 >> 64), (unsigned long long)r128);
    printf("stack_structs=%ld\n", stack_structs(bi, p, bo, m, 77));
    char str[] = "Z";
    printf("vsum=%.17g\n", vsum(11, "idlpdLSTidi", 1, 2.5, 3L, str, 4.25, 5.5L, (struct pair){10, 3}, (struct twod){2.0, 3.5}, 6, 7.125, 8));
    printf("vsum many doubles=%.17g\n", vsum(12, "dddddddddddd", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0));
    printf("vsum many ints=%.17g\n", vsum(10, "iiiiiiiiil", 1, 2, 3, 4, 5, 6, 7, 8, 9, 1L << 40));
    char buf[128];
    int n = vfmt(buf, sizeof buf, "%d %s %.3f %c %lld %Lg %x", 42, "str", 2.0 / 3, 'q', -5LL, 1.25L, 0xabcu);
    printf("vfmt(%d)=%s\n", n, buf);
    printf("mutual recursion: is_even(10001)=%d is_odd(7777)=%d\n", is_even(10001), is_odd(7777));
    printf("ackermann(2,300)=%llu ackermann(3,5)=%llu\n", (unsigned long long)ackermann(2, 300), (unsigned long long)ackermann(3, 5));
    long as = 0;
    for (int k = 1; k < 200; k += 13) as += use_alloca(k);
    printf("alloca/vla sum=%ld\n", as);
    const unsigned char prog[] = {1, 2, 2, 1, 4, 0, 3, 0};
    const unsigned char prog2[] = {1, 1, 2, 4, 2, 0};
    printf("computed goto interp=%d %d\n", interp(prog), interp(prog2));
    binop ops[4] = {op_add, op_sub, op_mul, op_xor};
    long acc = 1;
    for (int i = 0; i < 40; i++) acc = ops[i % 4](acc, i * 7 + 3) % 1000003;
    printf("function pointer chain=%ld\n", acc);
    return 0;
}
