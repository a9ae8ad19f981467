namespace Ferry.Cpu;

/// <summary>The global descriptor table a Linux x86-64 kernel runs user code with, as far as user mode
/// can see it (LAR, LSL, VERR/VERW, segment loads, far returns). Probed on the host: entries 4–6 are the
/// 32-bit code, data and 64-bit code segments of ring 3, entry 15 is the read-only per-CPU segment whose
/// limit encodes the CPU and node number (vgetcpu reads it with LSL); the rest belong to ring 0 or are
/// system descriptors (the TSS at 0x40) or empty, and there is no LDT unless modify_ldt made one.</summary>
public static class UserGdt
{
    public const ushort User32Code = 0x23, UserData = 0x2b, UserCode = 0x33, CpuNode = 0x7b;

    /// <summary>GDT_ENTRIES (16) descriptors of 8 bytes.</summary>
    public const int TableLimit = 16 * 8 - 1;

    /// <summary>The selector SLDT reports (no LDT) and STR reports (GDT_ENTRY_TSS * 8), as the kernel's
    /// UMIP emulation gives them to user mode.</summary>
    public const ushort Ldt = 0, TaskRegister = 0x40;

    /// <summary>What the kernel's UMIP emulation returns for SMSW: PG, AM, WP, NE, ET, MP, PE.</summary>
    public const uint MachineStatusWord = 0x80050033;

    /// <summary>The dummy GDT and IDT bases SGDT and SIDT give a 64-bit process (limit 0).</summary>
    public const ulong DummyGdtBase = 0xFFFF_FFFF_FFFE_0000, DummyIdtBase = 0xFFFF_FFFF_FFFF_0000;

    /// <summary>The descriptor <paramref name="selector"/> names, or null when it is the null selector, lies
    /// in the (absent) LDT or past the table, or is not a code or data segment.</summary>
    public static SegmentDescriptor? Lookup(ushort selector)
    {
        if ((selector & 0xFFFC) == 0 || (selector & 4) != 0 || (selector | 7) > TableLimit) return null;
        return (selector >> 3) switch
        {
            1 => new SegmentDescriptor(0xCF9B00, 0xFFFF_FFFF),   // kernel 32-bit code
            2 => new SegmentDescriptor(0xAF9B00, 0xFFFF_FFFF),   // kernel code
            3 => new SegmentDescriptor(0xCF9300, 0xFFFF_FFFF),   // kernel data
            4 => new SegmentDescriptor(0xCFFB00, 0xFFFF_FFFF),   // user 32-bit code
            5 => new SegmentDescriptor(0xCFF300, 0xFFFF_FFFF),   // user data
            6 => new SegmentDescriptor(0xAFFB00, 0xFFFF_FFFF),   // user code
            15 => new SegmentDescriptor(0x40F500, CpuNodeLimit()),
            _ => null,
        };
    }

    // The kernel writes (node << 12) | cpu into the segment limit of each CPU's GDT.
    internal static uint CpuNodeLimit() => Ferry.Host.LibC.CpuNode();

    /// <summary>The error code a #GP names a selector with (the RPL bits cleared).</summary>
    public static int ErrorCode(ushort selector) => selector & 0xFFFC;
}
