namespace Ferry.Cpu;

/// <summary>The x86-64 microarchitecture levels a user can ask for with --cpu.</summary>
public enum CpuLevel
{
    /// <summary>Baseline x86-64: SSE2.</summary>
    X86_64,
    /// <summary>x86-64-v2: SSE4.2, POPCNT, CMPXCHG16B.</summary>
    V2,
    /// <summary>x86-64-v3: AVX2, BMI1/2, FMA, MOVBE.</summary>
    V3,
}
