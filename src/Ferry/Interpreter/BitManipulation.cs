using System.Numerics;
using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR), BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX)
/// and ADX (ADCX, ADOX). Operands follow Iced's order for each form.</summary>
internal static class BitManipulation
{
    private static void SetFlags(Processor p, ulong flags, ulong mask) =>
        p.State.Rflags = Flags.Merge(p.State.Rflags, flags, mask);

    // ---- The semantics, as pure functions that both tiers run: the handlers below, and the IL that
    // BlockTranslator.Bmi.cs emits (RyuJIT inlines them there). Operands come zero-extended from their size in
    // bytes; results are zero-extended. A flags function returns RFLAGS with the instruction's status flags
    // merged in, and leaves the flags it leaves undefined (AF and PF, SF for BEXTR) as they were, so the tiers
    // agree on those too.

    // SF and ZF from the result, CF as given, OF cleared; AF and PF are undefined and left as they were.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ResultFlags(ulong rflags, ulong r, int size, bool cf, bool zfFromResult = true)
    {
        ulong f = Flags.Logic(r, size) & (Flags.SF | Flags.ZF);
        if (!zfFromResult) f &= ~Flags.ZF;
        if (cf) f |= Flags.CF;
        return Flags.Merge(rflags, f, Flags.SF | Flags.ZF | Flags.CF | Flags.OF);
    }

    /// <summary>The status flags ANDN, BLSI, BLSMSK, BLSR and BZHI certainly replace (the others they leave
    /// undefined keep their values here); BEXTR's are in <see cref="BextrKills"/>.</summary>
    internal const ulong ResultKills = Flags.SF | Flags.ZF | Flags.CF | Flags.OF;

    /// <summary>The status flags BEXTR replaces: ZF, and CF and OF cleared.</summary>
    internal const ulong BextrKills = Flags.ZF | Flags.CF | Flags.OF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AndnValue(ulong a, ulong b) => ~a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AndnFlags(ulong rflags, ulong r, int size) => ResultFlags(rflags, r, size, false);

    /// <summary>Bits [start, start + length) of <paramref name="src"/>, start and length in the control's bytes 0
    /// and 1; a start at or past the width gives zero, a length past the top takes what there is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BextrValue(ulong src, ulong control, int size)
    {
        int start = (int)(control & 0xFF), len = (int)((control >> 8) & 0xFF);
        ulong r = start >= size * 8 ? 0 : src >> start;
        return len < 64 ? r & ((1UL << len) - 1) : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BextrFlags(ulong rflags, ulong r) => Flags.Merge(rflags, r == 0 ? Flags.ZF : 0, BextrKills);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsiValue(ulong s) => (0 - s) & s;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsiFlags(ulong rflags, ulong s, ulong r, int size) => ResultFlags(rflags, r, size, s != 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsmskValue(ulong s, int size) => ((s - 1) ^ s) & Flags.Mask(size);

    // ZF is cleared (the mask is never zero), not computed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsmskFlags(ulong rflags, ulong s, ulong r, int size) => ResultFlags(rflags, r, size, s == 0, zfFromResult: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsrValue(ulong s) => (s - 1) & s;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BlsrFlags(ulong rflags, ulong s, ulong r, int size) => ResultFlags(rflags, r, size, s == 0);

    /// <summary><paramref name="src"/> with the bits from the index (the low byte of <paramref name="index"/>) up
    /// cleared; an index at or past the width leaves it whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BzhiValue(ulong src, ulong index, int size)
    {
        int n = (int)(index & 0xFF);
        return n < size * 8 ? src & ((1UL << n) - 1) : src;
    }

    // CF: the index was past the top bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong BzhiFlags(ulong rflags, ulong index, ulong r, int size) => ResultFlags(rflags, r, size, (int)(index & 0xFF) > size * 8 - 1);

    /// <summary>The high half of the unsigned double-width product; the low half in <paramref name="low"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulxValue(ulong a, ulong b, int size, out ulong low)
    {
        if (size == 8) return Math.BigMul(a, b, out low);
        ulong prod = a * b;
        low = prod & 0xFFFF_FFFF;
        return prod >> 32;
    }

    // Loops: RyuJIT calls these rather than inlining them, which is fine for instructions this rare.
    internal static ulong PdepValue(ulong src, ulong mask)
    {
        ulong r = 0;
        for (ulong m = mask, k = 1; m != 0; m &= m - 1, k <<= 1)
            if ((src & k) != 0) r |= m & (0 - m);
        return r;
    }

    internal static ulong PextValue(ulong src, ulong mask)
    {
        ulong r = 0, k = 1;
        for (ulong m = mask; m != 0; m &= m - 1, k <<= 1)
            if ((src & m & (0 - m)) != 0) r |= k;
        return r;
    }

    /// <summary>The rotation right by the count modulo the width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong RorxValue(ulong src, int count, int size) => size == 8
        ? BitOperations.RotateRight(src, count & 63)
        : BitOperations.RotateRight((uint)src, count & 31);

    // SHLX, SHRX and SARX mask the count to 5 or 6 bits, as the legacy shifts do, but change no flag.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShiftCount(ulong count, int size) => (int)(count & (size == 8 ? 63UL : 31UL));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ShlxValue(ulong src, ulong count, int size) => (src << ShiftCount(count, size)) & Flags.Mask(size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong ShrxValue(ulong src, ulong count, int size) => src >> ShiftCount(count, size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SarxValue(ulong src, ulong count, int size) =>
        (ulong)((long)Operands.SignExtend(src, size) >> ShiftCount(count, size)) & Flags.Mask(size);

    // ---- The interpreter's handlers ----

    [Handles(Mnemonic.Andn)]
    private static void Andn(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong r = AndnValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size));
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = AndnFlags(p.State.Rflags, r, size);
    }

    [Handles(Mnemonic.Bextr)]
    private static void Bextr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong r = BextrValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size), size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = BextrFlags(p.State.Rflags, r);
    }

    [Handles(Mnemonic.Blsi)]
    private static void Blsi(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size), r = BlsiValue(s);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = BlsiFlags(p.State.Rflags, s, r, size);
    }

    [Handles(Mnemonic.Blsmsk)]
    private static void Blsmsk(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size), r = BlsmskValue(s, size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = BlsmskFlags(p.State.Rflags, s, r, size);
    }

    [Handles(Mnemonic.Blsr)]
    private static void Blsr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size), r = BlsrValue(s);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = BlsrFlags(p.State.Rflags, s, r, size);
    }

    [Handles(Mnemonic.Bzhi)]
    private static void Bzhi(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong index = Operands.Read(p, i, 2, size), r = BzhiValue(Operands.Read(p, i, 1, size), index, size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        p.State.Rflags = BzhiFlags(p.State.Rflags, index, r, size);
    }

    [Handles(Mnemonic.Mulx)]
    private static void Mulx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong src = Operands.Read(p, i, 2, size);
        ulong hi = MulxValue(p.State.Gpr[CpuState.Rdx] & Flags.Mask(size), src, size, out ulong lo);
        // The low half goes to the second operand first, so equal destinations keep the high half.
        Operands.SetReg(ref p.State, i.Op1Register, lo);
        Operands.SetReg(ref p.State, i.Op0Register, hi);
    }

    [Handles(Mnemonic.Pdep)]
    private static void Pdep(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, PdepValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size)));
    }

    [Handles(Mnemonic.Pext)]
    private static void Pext(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, PextValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size)));
    }

    [Handles(Mnemonic.Rorx)]
    private static void Rorx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, RorxValue(Operands.Read(p, i, 1, size), (int)Operands.Immediate(i, 2), size));
    }

    [Handles(Mnemonic.Shlx)]
    private static void Shlx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, ShlxValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size), size));
    }

    [Handles(Mnemonic.Shrx)]
    private static void Shrx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, ShrxValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size), size));
    }

    [Handles(Mnemonic.Sarx)]
    private static void Sarx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, SarxValue(Operands.Read(p, i, 1, size), Operands.Read(p, i, 2, size), size));
    }

    // ADCX and ADOX are ADC restricted to one carry flag each, so two carry chains can interleave.
    private static void AddWithCarry(Processor p, in Instruction i, ulong carryFlag)
    {
        int size = Operands.Size(i, 0);
        ulong a = Operands.Read(p, i, 0, size), b = Operands.Read(p, i, 1, size);
        ulong cin = (p.State.Rflags & carryFlag) != 0 ? 1UL : 0;
        ulong r = (a + b + cin) & Flags.Mask(size);
        bool carry = size == 8 ? (r < a || (cin != 0 && r == a)) : ((a + b + cin) >> (size * 8)) != 0;
        Operands.SetReg(ref p.State, i.Op0Register, r);
        SetFlags(p, carry ? carryFlag : 0, carryFlag);
    }

    [Handles(Mnemonic.Adcx)]
    private static void Adcx(Processor p, in Instruction i) => AddWithCarry(p, i, Flags.CF);

    [Handles(Mnemonic.Adox)]
    private static void Adox(Processor p, in Instruction i) => AddWithCarry(p, i, Flags.OF);
}
