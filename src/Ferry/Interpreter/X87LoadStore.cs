using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>x87 data movement: FLD/FILD/FBLD and the constants, FST/FSTP/FIST/FISTP/FISTTP/FBSTP,
/// FXCH, FCMOVcc, FFREE(P), FINCSTP/FDECSTP.</summary>
public static class X87LoadStore
{
    [Handles(Mnemonic.Fld, Mnemonic.Fild, Mnemonic.Fbld)]
    public static void Fld(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ushort flags = 0;
        Float80 v;
        ref var s = ref p.State;
        if (Operands.Kind(i, 0) == OpKind.Register)
        {
            int src = X87.StIndex(i, 0);
            if (X87.IsEmpty(ref s, src))
            {
                flags = X87.Underflow;
                v = Float80.Indefinite;
            }
            else v = X87.St(ref s, src);
        }
        else if (i.MemorySize == MemorySize.Bcd)
        {
            Span<byte> b = stackalloc byte[10];
            p.Memory.ReadBytes(X87.Address(p, i), b);
            v = Float80Math.FromBcd(b);
        }
        else
        {
            v = X87.ReadMemory(p, i, ref flags);
            // Widening a float32/float64 signaling NaN is an invalid operation; 80-bit loads are raw moves.
            if (v.IsSignalingNaN && i.MemorySize is MemorySize.Float32 or MemorySize.Float64)
            {
                flags |= X87Status.IE;
                v = v.Quieted();
            }
        }
        X87.Push(ref s, v, flags);
    }

    [Handles(Mnemonic.Fld1)]
    public static void Fld1(Processor p, in Instruction i) => LoadConstant(p, i, 0x8000_0000_0000_0000, 0, 0x3FFF);

    [Handles(Mnemonic.Fldz)]
    public static void Fldz(Processor p, in Instruction i) => LoadConstant(p, i, 0, 0, 0);

    // The constants carry more bits than the register holds; RC decides how they are rounded.
    [Handles(Mnemonic.Fldpi)]
    public static void Fldpi(Processor p, in Instruction i) => LoadConstant(p, i, 0xC90F_DAA2_2168_C234, 0xC4C6_628B_80DC_1CD1, 0x4000);

    [Handles(Mnemonic.Fldl2e)]
    public static void Fldl2e(Processor p, in Instruction i) => LoadConstant(p, i, 0xB8AA_3B29_5C17_F0BB, 0xBE87_FED0_691D_3E88, 0x3FFF);

    [Handles(Mnemonic.Fldl2t)]
    public static void Fldl2t(Processor p, in Instruction i) => LoadConstant(p, i, 0xD49A_784B_CD1B_8AFE, 0x492B_F6FF_4DAF_DB4C, 0x4000);

    [Handles(Mnemonic.Fldlg2)]
    public static void Fldlg2(Processor p, in Instruction i) => LoadConstant(p, i, 0x9A20_9A84_FBCF_F798, 0x8F89_59AC_0B7C_9178, 0x3FFD);

    [Handles(Mnemonic.Fldln2)]
    public static void Fldln2(Processor p, in Instruction i) => LoadConstant(p, i, 0xB172_17F7_D1CF_79AB, 0xC9E3_B398_03F2_F6AF, 0x3FFE);

    private static void LoadConstant(Processor p, in Instruction i, ulong hi, ulong lo, int exp)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        var v = Float80.Zero(false);
        if (hi != 0)
        {
            ushort ignored = 0; // constants never raise PE; only the rounding direction matters
            v = Float80Math.RoundPack(false, exp, ((UInt128)hi << 64) | lo, 64, s.Fcw, ref ignored);
        }
        X87.Push(ref s, v);
    }

    [Handles(Mnemonic.Fst)]
    public static void Fst(Processor p, in Instruction i) => Store(p, i, false);

    [Handles(Mnemonic.Fstp)]
    public static void Fstp(Processor p, in Instruction i) => Store(p, i, true);

    // D9 D8+i, the alias FSTP that checks nothing: with ST(0) empty the host raises no stack underflow and
    // leaves ST(i) as it was (register and tag); otherwise it is FSTP ST(i). C1 is cleared, then it pops.
    [Handles(Mnemonic.Fstpnce)]
    public static void Fstpnce(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        if (!X87.IsEmpty(ref s, 0)) X87.Set(ref s, X87.StIndex(i, 0), X87.St(ref s, 0));
        s.Fsw = (ushort)(s.Fsw & ~X87Status.C1);
        X87.Pop(ref s);
    }

    private static void Store(Processor p, in Instruction i, bool pop)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        bool empty = X87.IsEmpty(ref s, 0);
        ushort flags = empty ? X87.Underflow : (ushort)0;
        var v = empty ? Float80.Indefinite : X87.St(ref s, 0);
        if (Operands.Kind(i, 0) == OpKind.Register)
        {
            if (!X87.Report(ref s, flags)) return;
            X87.Set(ref s, X87.StIndex(i, 0), v);
        }
        else
        {
            ulong a = X87.Address(p, i);
            switch (i.MemorySize)
            {
                case MemorySize.Float32:
                    uint f = Float80Math.ToSingle(v, s.Fcw, ref flags);
                    if (X87.StoreAllowed(s.Fcw, flags)) p.Memory.Write32(a, f);
                    break;
                case MemorySize.Float64:
                    ulong d = Float80Math.ToDouble(v, s.Fcw, ref flags);
                    if (X87.StoreAllowed(s.Fcw, flags)) p.Memory.Write64(a, d);
                    break;
                default:
                    if (X87.StoreAllowed(s.Fcw, flags)) X87.WriteFloat80(p, a, v);
                    break;
            }
            if (!X87.Report(ref s, flags)) return;
        }
        if (pop) X87.Pop(ref s);
    }

    [Handles(Mnemonic.Fist)]
    public static void Fist(Processor p, in Instruction i) => StoreInteger(p, i, false, false);

    [Handles(Mnemonic.Fistp)]
    public static void Fistp(Processor p, in Instruction i) => StoreInteger(p, i, true, false);

    [Handles(Mnemonic.Fisttp)]
    public static void Fisttp(Processor p, in Instruction i) => StoreInteger(p, i, true, true);

    private static void StoreInteger(Processor p, in Instruction i, bool pop, bool truncate)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        int size = i.MemorySize.GetSize();
        ushort flags = 0;
        long r;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            r = long.MinValue >> (64 - size * 8);
        }
        else r = Float80Math.ToInt(X87.St(ref s, 0), size * 8, truncate, s.Fcw, ref flags);
        if (X87.StoreAllowed(s.Fcw, flags)) p.Memory.Write(X87.Address(p, i), size, (ulong)r);
        if (!X87.Report(ref s, flags)) return;
        if (pop) X87.Pop(ref s);
    }

    [Handles(Mnemonic.Fbstp)]
    public static void Fbstp(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Span<byte> b = stackalloc byte[10];
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            Float80Math.ToBcd(Float80.Indefinite, b, s.Fcw, ref flags);
        }
        else Float80Math.ToBcd(X87.St(ref s, 0), b, s.Fcw, ref flags);
        if (X87.StoreAllowed(s.Fcw, flags)) p.Memory.WriteBytes(X87.Address(p, i), b);
        if (!X87.Report(ref s, flags)) return;
        X87.Pop(ref s);
    }

    [Handles(Mnemonic.Fxch)]
    public static void Fxch(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        int k = X87.StIndex(i, i.OpCount - 1);
        ushort flags = 0;
        Float80 a = X87.St(ref s, 0), b = X87.St(ref s, k);
        if (X87.IsEmpty(ref s, 0)) { flags = X87.Underflow; a = Float80.Indefinite; }
        if (X87.IsEmpty(ref s, k)) { flags = X87.Underflow; b = Float80.Indefinite; }
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 0, b);
        X87.Set(ref s, k, a);
    }

    [Handles(Mnemonic.Fcmovb, Mnemonic.Fcmove, Mnemonic.Fcmovbe, Mnemonic.Fcmovu,
        Mnemonic.Fcmovnb, Mnemonic.Fcmovne, Mnemonic.Fcmovnbe, Mnemonic.Fcmovnu)]
    public static void Fcmov(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        bool move = i.Mnemonic switch
        {
            Mnemonic.Fcmovb => Flags.Condition(s.Rflags, 2),
            Mnemonic.Fcmovnb => Flags.Condition(s.Rflags, 3),
            Mnemonic.Fcmove => Flags.Condition(s.Rflags, 4),
            Mnemonic.Fcmovne => Flags.Condition(s.Rflags, 5),
            Mnemonic.Fcmovbe => Flags.Condition(s.Rflags, 6),
            Mnemonic.Fcmovnbe => Flags.Condition(s.Rflags, 7),
            Mnemonic.Fcmovu => Flags.Condition(s.Rflags, 10),
            _ => Flags.Condition(s.Rflags, 11),
        };
        int k = X87.StIndex(i, 1);
        if (X87.IsEmpty(ref s, 0) || X87.IsEmpty(ref s, k))
        {
            if (X87.Report(ref s, X87.Underflow)) X87.Set(ref s, 0, Float80.Indefinite);
            return;
        }
        // C1 is left alone unless the stack underflows.
        if (move) X87.St(ref s, 0) = X87.St(ref s, k);
    }

    /// <summary>FFREE: the manual leaves the condition codes undefined; the hardware clears C1.</summary>
    [Handles(Mnemonic.Ffree)]
    public static void Ffree(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        X87.SetEmpty(ref p.State, X87.StIndex(i, 0));
        p.State.Fsw &= unchecked((ushort)~X87Status.C1);
    }

    [Handles(Mnemonic.Ffreep)]
    public static void Ffreep(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        X87.SetEmpty(ref p.State, X87.StIndex(i, 0));
        X87.Pop(ref p.State);
        p.State.Fsw &= unchecked((ushort)~X87Status.C1);
    }

    [Handles(Mnemonic.Fincstp)]
    public static void Fincstp(Processor p, in Instruction i) => Rotate(p, i, 1);

    [Handles(Mnemonic.Fdecstp)]
    public static void Fdecstp(Processor p, in Instruction i) => Rotate(p, i, 7);

    /// <summary>FINCSTP/FDECSTP move TOP without touching the tags or the registers.</summary>
    private static void Rotate(Processor p, in Instruction i, int by)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        s.FpTop = (byte)((s.FpTop + by) & 7);
        s.Fsw &= unchecked((ushort)~X87Status.C1);
    }
}
