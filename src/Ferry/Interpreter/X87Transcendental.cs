using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>x87 transcendentals: FSIN, FCOS, FSINCOS, FPTAN (C2 reports an operand beyond ±2^63,
/// which is left unchanged), F2XM1, FYL2X, FYL2XP1, FPATAN.</summary>
public static unsafe class X87Transcendental
{
    [Handles(Mnemonic.Fsin)]
    public static void Fsin(Processor p, in Instruction i) => Trig(p, i, &Float80Math.Sin);

    [Handles(Mnemonic.Fcos)]
    public static void Fcos(Processor p, in Instruction i) => Trig(p, i, &Float80Math.Cos);

    private static void Trig(Processor p, in Instruction i, delegate*<Float80, ushort, ref ushort, out Float80, bool> op)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 r;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            r = Float80.Indefinite;
        }
        else if (!op(X87.St(ref s, 0), s.Fcw, ref flags, out r))
        {
            OutOfRange(ref s);
            return;
        }
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 0, r);
        s.Fsw &= unchecked((ushort)~X87Status.C2);
    }

    /// <summary>|x| ≥ 2^63: C2 asks software to reduce the argument itself; the operand stays.</summary>
    private static void OutOfRange(ref CpuState s) => s.Fsw = (ushort)((s.Fsw & ~X87Status.C1) | X87Status.C2);

    [Handles(Mnemonic.Fsincos)]
    public static void Fsincos(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 sin, cos;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            sin = cos = Float80.Indefinite;
        }
        else if (!X87.IsEmpty(ref s, 7))
        {
            flags = X87.Overflow;
            sin = cos = Float80.Indefinite;
        }
        else if (!Float80Math.SinCos(X87.St(ref s, 0), s.Fcw, ref flags, out sin, out cos))
        {
            OutOfRange(ref s);
            return;
        }
        PushPair(ref s, flags, sin, cos);
    }

    /// <summary>FPTAN leaves tan(x) in ST(1) and pushes 1.0, so that FDIVR yields cot.</summary>
    [Handles(Mnemonic.Fptan)]
    public static void Fptan(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 tan, one = Float80.One;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            tan = one = Float80.Indefinite;
        }
        else if (!X87.IsEmpty(ref s, 7))
        {
            flags = X87.Overflow;
            tan = one = Float80.Indefinite;
        }
        else if (!Float80Math.Tan(X87.St(ref s, 0), s.Fcw, ref flags, out tan))
        {
            OutOfRange(ref s);
            return;
        }
        else if (tan.IsNaN) one = tan;
        PushPair(ref s, flags, tan, one);
    }

    /// <summary>Replaces ST(0) with <paramref name="below"/> and pushes <paramref name="top"/>.</summary>
    private static void PushPair(ref CpuState s, ushort flags, Float80 below, Float80 top)
    {
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 0, below);
        s.FpTop = (byte)((s.FpTop - 1) & 7);
        X87.Set(ref s, 0, top);
        s.Fsw &= unchecked((ushort)~X87Status.C2);
    }

    [Handles(Mnemonic.F2xm1)]
    public static void F2xm1(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 r;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            r = Float80.Indefinite;
        }
        else r = Float80Math.TwoToXMinus1(X87.St(ref s, 0), s.Fcw, ref flags);
        if (X87.Report(ref s, flags)) X87.Set(ref s, 0, r);
    }

    [Handles(Mnemonic.Fyl2x)]
    public static void Fyl2x(Processor p, in Instruction i) => BinaryPop(p, i, &Float80Math.YLog2X);

    [Handles(Mnemonic.Fyl2xp1)]
    public static void Fyl2xp1(Processor p, in Instruction i) => BinaryPop(p, i, &Float80Math.YLog2XPlus1);

    [Handles(Mnemonic.Fpatan)]
    public static void Fpatan(Processor p, in Instruction i) => BinaryPop(p, i, &AtanOf);

    private static Float80 AtanOf(Float80 x, Float80 y, ushort fcw, ref ushort flags) => Float80Math.Atan2(y, x, fcw, ref flags);

    /// <summary>ST(1) ← f(ST(0), ST(1)), then pop.</summary>
    private static void BinaryPop(Processor p, in Instruction i, delegate*<Float80, Float80, ushort, ref ushort, Float80> op)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 r;
        if (X87.IsEmpty(ref s, 0) || X87.IsEmpty(ref s, 1))
        {
            flags = X87.Underflow;
            r = Float80.Indefinite;
        }
        else r = op(X87.St(ref s, 0), X87.St(ref s, 1), s.Fcw, ref flags);
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 1, r);
        X87.Pop(ref s);
    }
}
