namespace Ferry.Cpu;

/// <summary>A code or data segment descriptor, as LAR and LSL see it.</summary>
/// <param name="Rights">The access rights LAR returns: bits 8–23 of the descriptor's upper dword
/// (type, S, DPL, P, AVL, L, D/B, G), masked as LAR masks them (0x00F0FF00).</param>
/// <param name="Limit">The byte-granular limit LSL returns.</param>
public readonly record struct SegmentDescriptor(uint Rights, uint Limit)
{
    /// <summary>A code or data segment (S = 1), not a system descriptor.</summary>
    public bool IsCodeOrData => (Rights & 0x1000) != 0;
    public bool IsCode => IsCodeOrData && (Rights & 0x800) != 0;
    public bool IsConforming => IsCode && (Rights & 0x400) != 0;
    public bool IsReadable => IsCodeOrData && (!IsCode || (Rights & 0x200) != 0);
    public bool IsWritable => IsCodeOrData && !IsCode && (Rights & 0x200) != 0;
    public int Dpl => (int)(Rights >> 13) & 3;
    /// <summary>A 64-bit code segment (L = 1).</summary>
    public bool IsLongCode => IsCode && (Rights & 0x200000) != 0;
}
