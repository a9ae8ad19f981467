using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ferry.Cpu;

/// <summary>RFLAGS bits and the arithmetic flag rules shared by every tier.</summary>
public static class Flags
{
    public const ulong CF = 1, Reserved1 = 2, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100,
        IF = 0x200, DF = 0x400, OF = 0x800, NT = 0x4000, AC = 0x40000, ID = 0x200000;
    /// <summary>The six status flags arithmetic writes.</summary>
    public const ulong Status = CF | PF | AF | ZF | SF | OF;
    /// <summary>Bits a guest POPF (or IRET) may change in user mode with IOPL 0: not IF, IOPL, RF, VIF, VIP.</summary>
    public const ulong UserWritable = Status | TF | DF | OF | NT | AC | ID;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mask(int size) => size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignBit(int size) => 1UL << (size * 8 - 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Parity(ulong r) => (BitOperations.PopCount(r & 0xFF) & 1) == 0 ? PF : 0;

    /// <summary>ZF, SF and PF of a result of <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Logic(ulong r, int size)
    {
        r &= Mask(size);
        ulong f = Parity(r);
        if (r == 0) f |= ZF;
        if ((r & SignBit(size)) != 0) f |= SF;
        return f;
    }

    /// <summary>Flags of r = a + b + carryIn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong a, ulong b, ulong r, ulong carryIn, int size)
    {
        ulong m = Mask(size);
        a &= m; b &= m; r &= m;
        ulong f = Logic(r, size);
        if (r < a || (carryIn != 0 && r == a)) f |= CF;
        if (((a ^ r) & (b ^ r) & SignBit(size)) != 0) f |= OF;
        if (((a ^ b ^ r) & 0x10) != 0) f |= AF;
        return f;
    }

    /// <summary>Flags of r = a - b - borrowIn.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Sub(ulong a, ulong b, ulong r, ulong borrowIn, int size)
    {
        ulong m = Mask(size);
        a &= m; b &= m; r &= m;
        ulong f = Logic(r, size);
        if (a < b || (borrowIn != 0 && a == b)) f |= CF;
        if (((a ^ b) & (a ^ r) & SignBit(size)) != 0) f |= OF;
        if (((a ^ b ^ r) & 0x10) != 0) f |= AF;
        return f;
    }

    /// <summary>Replaces the status flags of <paramref name="rflags"/> selected by <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Merge(ulong rflags, ulong value, ulong mask) => (rflags & ~mask) | (value & mask);

    /// <summary>Evaluates a condition code (the low 4 bits of Jcc/SETcc/CMOVcc opcodes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Condition(ulong f, int cc)
    {
        bool r = (cc >> 1) switch
        {
            0 => (f & OF) != 0,
            1 => (f & CF) != 0,
            2 => (f & ZF) != 0,
            3 => (f & (CF | ZF)) != 0,
            4 => (f & SF) != 0,
            5 => (f & PF) != 0,
            6 => ((f & SF) != 0) != ((f & OF) != 0),
            _ => (f & ZF) != 0 || (((f & SF) != 0) != ((f & OF) != 0)),
        };
        return (cc & 1) != 0 ? !r : r;
    }
}
