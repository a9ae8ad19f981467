namespace Ferry.Cpu;

/// <summary>CPU features Ferry can report through CPUID, each backed by implemented instructions.</summary>
[Flags]
public enum CpuFeature : long
{
    None = 0,
    // Baseline x86-64.
    Fpu = 1L << 0, Tsc = 1L << 1, Cx8 = 1L << 2, Cmov = 1L << 3, Clflush = 1L << 4, Mmx = 1L << 5,
    Fxsr = 1L << 6, Sse = 1L << 7, Sse2 = 1L << 8, Syscall = 1L << 9, Nx = 1L << 10, LongMode = 1L << 11,
    // x86-64-v2.
    LahfLm = 1L << 12, Sse3 = 1L << 13, Ssse3 = 1L << 14, Cx16 = 1L << 15, Sse41 = 1L << 16, Sse42 = 1L << 17,
    Popcnt = 1L << 18,
    // x86-64-v3.
    Avx = 1L << 19, Avx2 = 1L << 20, Bmi1 = 1L << 21, Bmi2 = 1L << 22, Fma = 1L << 23, F16c = 1L << 24,
    Lzcnt = 1L << 25, Movbe = 1L << 26, Xsave = 1L << 27,
    // Outside the levels.
    Adx = 1L << 28, Aes = 1L << 29, Pclmulqdq = 1L << 30, Sha = 1L << 31, Rdtscp = 1L << 32,
    Fsgsbase = 1L << 33,

    Baseline = Fpu | Tsc | Cx8 | Cmov | Clflush | Mmx | Fxsr | Sse | Sse2 | Syscall | Nx | LongMode,
    V2 = Baseline | LahfLm | Sse3 | Ssse3 | Cx16 | Sse41 | Sse42 | Popcnt,
    V3 = V2 | Avx | Avx2 | Bmi1 | Bmi2 | Fma | F16c | Lzcnt | Movbe | Xsave,
}
