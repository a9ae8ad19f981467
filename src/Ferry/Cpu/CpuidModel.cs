namespace Ferry.Cpu;

/// <summary>The CPU the guest sees through CPUID. It reports only features whose instructions are
/// implemented, so run-time dispatch (glibc's ifuncs) never picks code Ferry cannot run.</summary>
public sealed class CpuidModel
{
    // Leaf 1 EDX: FPU, TSC, CX8, CMOV, CLFSH, FXSR, SSE, SSE2.
    private const uint Leaf1Edx = (1u << 0) | (1u << 4) | (1u << 8) | (1u << 15) | (1u << 19) | (1u << 24) | (1u << 25) | (1u << 26);
    // Leaf 0x80000001 EDX: SYSCALL, NX, LM. ECX: LAHF/SAHF in 64-bit mode.
    private const uint Ext1Edx = (1u << 11) | (1u << 20) | (1u << 29);
    private const uint Ext1Ecx = 1u << 0;

    /// <summary>Baseline x86-64 (SSE2).</summary>
    public static CpuidModel Default { get; } = new();

    /// <summary>Leaf 1 ECX feature bits.</summary>
    public uint FeaturesEcx { get; init; }
    /// <summary>Leaf 1 EDX feature bits.</summary>
    public uint FeaturesEdx { get; init; } = Leaf1Edx;
    /// <summary>Leaf 7 subleaf 0 EBX feature bits.</summary>
    public uint Features7Ebx { get; init; }

    /// <summary>Leaf 0x80000001 ECX feature bits.</summary>
    public uint ExtFeaturesEcx { get; init; } = Ext1Ecx;

    /// <summary>BMI1 (TZCNT, ANDN...) is reported.</summary>
    public bool HasBmi1 => (Features7Ebx & (1u << 3)) != 0;
    /// <summary>LZCNT (ABM) is reported.</summary>
    public bool HasLzcnt => (ExtFeaturesEcx & (1u << 5)) != 0;

    public const string Brand = "Ferry emulated x86-64 CPU";

    /// <summary>Evaluates CPUID for <paramref name="leaf"/> and <paramref name="subleaf"/>.</summary>
    public (uint Eax, uint Ebx, uint Ecx, uint Edx) Query(uint leaf, uint subleaf)
    {
        switch (leaf)
        {
            case 0: return (7, 0x756E6547, 0x6C65746E, 0x49656E69); // "GenuineIntel"
            case 1: return (0x000306A9, (1u << 16) | (8u << 8), FeaturesEcx, FeaturesEdx);
            case 2: return (0x0000FF01, 0, 0, 0); // descriptor 0xFF: see leaf 4
            case 4: return CacheLeaf(subleaf);
            case 7: return subleaf == 0 ? (0u, Features7Ebx, 0u, 0u) : (0u, 0u, 0u, 0u);
            case 0x80000000: return (0x80000008, 0, 0, 0);
            case 0x80000001: return (0, 0, ExtFeaturesEcx, Ext1Edx);
            case 0x80000002: case 0x80000003: case 0x80000004: return BrandLeaf((int)(leaf - 0x80000002));
            case 0x80000006: return (0, 0, (256u << 16) | (6u << 12) | 64u, 0);
            case 0x80000008: return (0x00003028, 0, 0, 0);
            default: return (0, 0, 0, 0);
        }
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
