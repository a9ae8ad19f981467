using System.Runtime.CompilerServices;

namespace Ferry.Cpu;

/// <summary>MXCSR fields: the sticky exception flags, their masks (flags shifted left by 7), DAZ,
/// FTZ and the rounding control.</summary>
public static class MxcsrBits
{
    public const uint IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20;
    /// <summary>All six exception flags.</summary>
    public const uint AllFlags = 0x3F;
    public const uint DAZ = 0x40;
    /// <summary>The exception masks; bit n+7 masks flag n.</summary>
    public const uint Masks = 0x1F80;
    public const int MaskShift = 7;
    public const int RcShift = 13;
    public const uint RcMask = 3u << RcShift;
    public const uint FTZ = 0x8000;
    /// <summary>Bits LDMXCSR/FXRSTOR accept (the MXCSR_MASK Ferry reports); any other set bit is #GP.</summary>
    public const uint Writable = 0xFFFF;
    public const uint Reset = 0x1F80;

    /// <summary>Rounding-control values.</summary>
    public const int RoundNearest = 0, RoundDown = 1, RoundUp = 2, RoundZero = 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rounding(uint mxcsr) => (int)(mxcsr >> RcShift) & 3;

    /// <summary>The flags in <paramref name="flags"/> whose exceptions are not masked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Unmasked(uint mxcsr, uint flags) => flags & ~(mxcsr >> MaskShift) & AllFlags;
}
