using System.Numerics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR), BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX)
/// and ADX (ADCX, ADOX). Operands follow Iced's order for each form.</summary>
internal static class BitManipulation
{
    private static void SetFlags(Processor p, ulong flags, ulong mask) =>
        p.State.Rflags = Flags.Merge(p.State.Rflags, flags, mask);

    // SF and ZF from the result, CF as given, OF cleared; AF and PF are undefined and left as they were.
    private static void ResultFlags(Processor p, ulong r, int size, bool cf, bool zfFromResult = true)
    {
        ulong f = Flags.Logic(r, size) & (Flags.SF | Flags.ZF);
        if (!zfFromResult) f &= ~Flags.ZF;
        if (cf) f |= Flags.CF;
        SetFlags(p, f, Flags.SF | Flags.ZF | Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Andn)]
    private static void Andn(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong r = ~Operands.Read(p, i, 1, size) & Operands.Read(p, i, 2, size) & Flags.Mask(size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ResultFlags(p, r, size, false);
    }

    [Handles(Mnemonic.Bextr)]
    private static void Bextr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong src = Operands.Read(p, i, 1, size), ctl = Operands.Read(p, i, 2, size);
        int start = (int)(ctl & 0xFF), len = (int)((ctl >> 8) & 0xFF);
        ulong r = start >= bits ? 0 : src >> start;
        if (len < 64) r &= (1UL << len) - 1;
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ulong f = r == 0 ? Flags.ZF : 0;
        SetFlags(p, f, Flags.ZF | Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Blsi)]
    private static void Blsi(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size);
        ulong r = (0 - s) & s & Flags.Mask(size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ResultFlags(p, r, size, s != 0);
    }

    [Handles(Mnemonic.Blsmsk)]
    private static void Blsmsk(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size);
        ulong r = ((s - 1) ^ s) & Flags.Mask(size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ResultFlags(p, r, size, s == 0, zfFromResult: false);
    }

    [Handles(Mnemonic.Blsr)]
    private static void Blsr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong s = Operands.Read(p, i, 1, size);
        ulong r = (s - 1) & s & Flags.Mask(size);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ResultFlags(p, r, size, s == 0);
    }

    [Handles(Mnemonic.Bzhi)]
    private static void Bzhi(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong src = Operands.Read(p, i, 1, size);
        int n = (int)(Operands.Read(p, i, 2, size) & 0xFF);
        ulong r = n < bits ? src & ((1UL << n) - 1) : src;
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ResultFlags(p, r, size, n > bits - 1);
    }

    [Handles(Mnemonic.Mulx)]
    private static void Mulx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong src = Operands.Read(p, i, 2, size);
        ulong rdx = p.State.Gpr[CpuState.Rdx] & Flags.Mask(size);
        ulong hi, lo;
        if (size == 8) hi = Math.BigMul(rdx, src, out lo);
        else { ulong prod = rdx * src; lo = prod & 0xFFFF_FFFF; hi = prod >> 32; }
        // The low half goes to the second operand first, so equal destinations keep the high half.
        Operands.SetReg(ref p.State, i.Op1Register, lo);
        Operands.SetReg(ref p.State, i.Op0Register, hi);
    }

    [Handles(Mnemonic.Pdep)]
    private static void Pdep(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong src = Operands.Read(p, i, 1, size), mask = Operands.Read(p, i, 2, size), r = 0;
        for (ulong m = mask, k = 1; m != 0; m &= m - 1, k <<= 1)
            if ((src & k) != 0) r |= m & (0 - m);
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    [Handles(Mnemonic.Pext)]
    private static void Pext(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong src = Operands.Read(p, i, 1, size), mask = Operands.Read(p, i, 2, size), r = 0, k = 1;
        for (ulong m = mask; m != 0; m &= m - 1, k <<= 1)
            if ((src & m & (0 - m)) != 0) r |= k;
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    [Handles(Mnemonic.Rorx)]
    private static void Rorx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong src = Operands.Read(p, i, 1, size);
        int n = (int)(Operands.Immediate(i, 2) & (ulong)(bits - 1));
        ulong r = size == 8 ? BitOperations.RotateRight(src, n) : BitOperations.RotateRight((uint)src, n);
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    private static int ShiftCount(Processor p, in Instruction i, int size) =>
        (int)(Operands.Read(p, i, 2, size) & (size == 8 ? 63UL : 31UL));

    [Handles(Mnemonic.Shlx)]
    private static void Shlx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, Operands.Read(p, i, 1, size) << ShiftCount(p, i, size));
    }

    [Handles(Mnemonic.Shrx)]
    private static void Shrx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.SetReg(ref p.State, i.Op0Register, Operands.Read(p, i, 1, size) >> ShiftCount(p, i, size));
    }

    [Handles(Mnemonic.Sarx)]
    private static void Sarx(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, 1, size), size);
        Operands.SetReg(ref p.State, i.Op0Register, (ulong)(v >> ShiftCount(p, i, size)));
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
