// A freestanding x86-64 Linux program (no libc) that Ferry ships prebuilt, so the README's first
// command works on hosts without an x86-64 compiler. Rebuild with `make -C samples`.
typedef unsigned long u64;

static long sys3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static u64 len(const char *s) { u64 n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { sys3(1, 1, (long)s, (long)len(s)); }

static void putnum(long v)
{
    char buf[24];
    int i = 23;
    int neg = v < 0;
    u64 u = neg ? -(u64)v : (u64)v;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + u % 10); u /= 10; } while (u);
    if (neg) buf[--i] = '-';
    put(buf + i);
}

// A small Mandelbrot set in 16.16 fixed point: integer multiply, shifts, compares and branches.
static void mandelbrot(void)
{
    static const char shades[] = " .:-=+*#%@";
    char line[64];
    for (int y = 0; y < 16; y++)
    {
        for (int x = 0; x < 56; x++)
        {
            long cr = -2 * 65536 + x * (3 * 65536 / 56), ci = -65536 + y * (2 * 65536 / 16);
            long zr = 0, zi = 0;
            int n = 0;
            while (n < 36 && zr * zr + zi * zi < 4L * 65536 * 65536)
            {
                long t = ((zr * zr - zi * zi) >> 16) + cr;
                zi = ((2 * zr * zi) >> 16) + ci;
                zr = t;
                n++;
            }
            line[x] = shades[n * 9 / 36];
        }
        line[56] = '\n';
        line[57] = 0;
        put(line);
    }
}

__attribute__((used)) static void start_c(long *sp)
{
    long argc = sp[0];
    char **argv = (char **)(sp + 1);
    put("Hello from x86-64! Ferry is running this program.\n");
    put("argc = ");
    putnum(argc);
    put("\n");
    for (long i = 1; i < argc; i++) { put("  arg: "); put(argv[i]); put("\n"); }
    mandelbrot();
    sys3(231, 0, 0, 0);
}

__asm__(".globl _start\n_start:\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call start_c\n  hlt\n");
