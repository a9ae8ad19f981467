using System.Runtime.InteropServices;

namespace Ferry.Cpu;

/// <summary>An x87 double-extended value: 64-bit significand with explicit integer bit, 15-bit
/// exponent and sign, stored as in memory (10 bytes) and padded to 16.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct Float80
{
    /// <summary>The significand, integer bit included (bit 63).</summary>
    public ulong Mantissa;
    /// <summary>Sign (bit 15) and biased exponent (bits 0–14).</summary>
    public ushort SignExp;

    public Float80(ulong mantissa, ushort signExp) { Mantissa = mantissa; SignExp = signExp; }
}
