namespace Ferry.Cpu;

/// <summary>The CPU the guest sees through CPUID. It reports only features whose instructions are
/// implemented and verified, so run-time dispatch (glibc's ifuncs) never picks code Ferry cannot run.</summary>
public sealed class CpuidModel
{
    /// <summary>Features whose instructions are all implemented and pass the differential tester. The
    /// default CPU reports these; --cpu can only lower it.</summary>
    public const CpuFeature Proven = CpuFeature.V3 | CpuFeature.Adx | CpuFeature.Aes | CpuFeature.Pclmulqdq | CpuFeature.Sha | CpuFeature.Rdtscp | CpuFeature.Fsgsbase;

    /// <summary>The CPU a guest gets unless told otherwise.</summary>
    public static CpuidModel Default { get; } = new(Proven);

    /// <summary>The CPU of a level, limited to what is proven.</summary>
    public static CpuidModel ForLevel(CpuLevel level) => new(Proven & level switch
    {
        CpuLevel.X86_64 => CpuFeature.Baseline | CpuFeature.LahfLm,
        CpuLevel.V2 => CpuFeature.V2,
        _ => CpuFeature.V3 | CpuFeature.Adx | CpuFeature.Aes | CpuFeature.Pclmulqdq | CpuFeature.Sha | CpuFeature.Rdtscp | CpuFeature.Fsgsbase,
    });

    /// <summary>The highest level whose features are all reported.</summary>
    public static CpuLevel HighestProvenLevel =>
        (Proven & CpuFeature.V3) == CpuFeature.V3 ? CpuLevel.V3 : (Proven & CpuFeature.V2) == CpuFeature.V2 ? CpuLevel.V2 : CpuLevel.X86_64;

    public CpuFeature Features { get; }

    public CpuidModel(CpuFeature features) => Features = features;

    public bool Has(CpuFeature f) => (Features & f) == f;

    /// <summary>BMI1 is reported (TZCNT is then not BSF).</summary>
    public bool HasBmi1 => Has(CpuFeature.Bmi1);
    /// <summary>LZCNT is reported (LZCNT is then not BSR).</summary>
    public bool HasLzcnt => Has(CpuFeature.Lzcnt);

    private uint Bit(CpuFeature f, int bit) => Has(f) ? 1u << bit : 0;

    /// <summary>Leaf 1 EDX, also the AT_HWCAP value on x86-64.</summary>
    public uint FeaturesEdx =>
        Bit(CpuFeature.Fpu, 0) | Bit(CpuFeature.Tsc, 4) | Bit(CpuFeature.Cx8, 8) | Bit(CpuFeature.Cmov, 15) |
        Bit(CpuFeature.Clflush, 19) | Bit(CpuFeature.Mmx, 23) | Bit(CpuFeature.Fxsr, 24) | Bit(CpuFeature.Sse, 25) |
        Bit(CpuFeature.Sse2, 26);

    /// <summary>AT_HWCAP2: HWCAP2_FSGSBASE (bit 1), which the kernel sets when it lets user mode run
    /// RDFSBASE and its kin.</summary>
    public uint Hwcap2 => Bit(CpuFeature.Fsgsbase, 1);

    /// <summary>Leaf 1 ECX.</summary>
    public uint FeaturesEcx =>
        Bit(CpuFeature.Sse3, 0) | Bit(CpuFeature.Pclmulqdq, 1) | Bit(CpuFeature.Ssse3, 9) | Bit(CpuFeature.Fma, 12) |
        Bit(CpuFeature.Cx16, 13) | Bit(CpuFeature.Sse41, 19) | Bit(CpuFeature.Sse42, 20) | Bit(CpuFeature.Movbe, 22) |
        Bit(CpuFeature.Popcnt, 23) | Bit(CpuFeature.Aes, 25) | Bit(CpuFeature.Xsave, 26) | Bit(CpuFeature.Xsave, 27) |
        Bit(CpuFeature.Avx, 28) | Bit(CpuFeature.F16c, 29);

    private uint Leaf7Ebx =>
        Bit(CpuFeature.Fsgsbase, 0) | Bit(CpuFeature.Bmi1, 3) | Bit(CpuFeature.Avx2, 5) | Bit(CpuFeature.Bmi2, 8) | Bit(CpuFeature.Adx, 19) | Bit(CpuFeature.Sha, 29);

    private uint ExtEcx => Bit(CpuFeature.LahfLm, 0) | Bit(CpuFeature.Lzcnt, 5);
    private uint ExtEdx => Bit(CpuFeature.Syscall, 11) | Bit(CpuFeature.Nx, 20) | Bit(CpuFeature.Rdtscp, 27) | Bit(CpuFeature.LongMode, 29);

    /// <summary>XCR0 as XGETBV reports it: x87 and SSE state, plus AVX state when AVX is reported.</summary>
    public ulong Xcr0 => Has(CpuFeature.Avx) ? 7UL : 3UL;

    public const string Brand = "Ferry emulated x86-64 CPU";

    /// <summary>Evaluates CPUID for <paramref name="leaf"/> and <paramref name="subleaf"/>.</summary>
    public (uint Eax, uint Ebx, uint Ecx, uint Edx) Query(uint leaf, uint subleaf)
    {
        switch (leaf)
        {
            case 0: return (0xD, 0x756E6547, 0x6C65746E, 0x49656E69); // "GenuineIntel"
            case 1: return (0x000306A9, (1u << 16) | (8u << 8), FeaturesEcx, FeaturesEdx);
            case 2: return (0x0000FF01, 0, 0, 0); // descriptor 0xFF: see leaf 4
            case 4: return CacheLeaf(subleaf);
            case 7: return subleaf == 0 ? (0u, Leaf7Ebx, 0u, 0u) : (0u, 0u, 0u, 0u);
            case 0xD: return XsaveLeaf(subleaf);
            case 0x80000000: return (0x80000008, 0, 0, 0);
            case 0x80000001: return (0, 0, ExtEcx, ExtEdx);
            case 0x80000002: case 0x80000003: case 0x80000004: return BrandLeaf((int)(leaf - 0x80000002));
            case 0x80000006: return (0, 0, (256u << 16) | (6u << 12) | 64u, 0);
            case 0x80000008: return (0x00003028, 0, 0, 0);
            default: return (0, 0, 0, 0);
        }
    }

    // XSAVE layout: legacy area 512 bytes, header 64, AVX state (YMM upper halves) 256 bytes at 576.
    private (uint, uint, uint, uint) XsaveLeaf(uint sub)
    {
        if (!Has(CpuFeature.Xsave)) return (0, 0, 0, 0);
        uint size = Has(CpuFeature.Avx) ? 832u : 576u;
        return sub switch
        {
            0 => ((uint)Xcr0, size, size, 0),
            // XSAVEOPT, XSAVEC and XGETBV with ECX=1 (no XSAVES); EBX: the compacted size for XCR0.
            1 => (0x7, size, 0, 0),
            2 when Has(CpuFeature.Avx) => (256, 576, 0, 0),
            _ => (0, 0, 0, 0),
        };
    }

    // Deterministic cache parameters: 32 KiB L1d and L1i, 256 KiB L2, 8 MiB L3, 64-byte lines.
    private static (uint, uint, uint, uint) CacheLeaf(uint sub)
    {
        static (uint, uint, uint, uint) Cache(uint type, uint level, uint ways, uint sets) =>
            (type | (level << 5) | (1u << 8), 63u | ((ways - 1) << 22), sets - 1, 0);
        return sub switch
        {
            0 => Cache(1, 1, 8, 64),
            1 => Cache(2, 1, 8, 64),
            2 => Cache(3, 2, 4, 1024),
            3 => Cache(3, 3, 16, 8192),
            _ => (0, 0, 0, 0),
        };
    }

    private static (uint, uint, uint, uint) BrandLeaf(int part)
    {
        var bytes = new byte[48];
        System.Text.Encoding.ASCII.GetBytes(Brand).CopyTo(bytes, 0);
        int o = part * 16;
        return (BitConverter.ToUInt32(bytes, o), BitConverter.ToUInt32(bytes, o + 4), BitConverter.ToUInt32(bytes, o + 8), BitConverter.ToUInt32(bytes, o + 12));
    }
}
