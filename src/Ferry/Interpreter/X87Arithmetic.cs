using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>x87 basic arithmetic: FADD, FSUB(R), FMUL, FDIV(R) in their register, memory, integer
/// and popping forms, and the one-operand FSQRT, FABS, FCHS, FRNDINT, FSCALE, FXTRACT, FPREM(1).</summary>
public static unsafe class X87Arithmetic
{
    [Handles(Mnemonic.Fadd, Mnemonic.Fiadd)]
    public static void Fadd(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Add, false, false);

    [Handles(Mnemonic.Faddp)]
    public static void Faddp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Add, false, true);

    [Handles(Mnemonic.Fsub, Mnemonic.Fisub)]
    public static void Fsub(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Sub, false, false);

    [Handles(Mnemonic.Fsubp)]
    public static void Fsubp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Sub, false, true);

    [Handles(Mnemonic.Fsubr, Mnemonic.Fisubr)]
    public static void Fsubr(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Sub, true, false);

    [Handles(Mnemonic.Fsubrp)]
    public static void Fsubrp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Sub, true, true);

    [Handles(Mnemonic.Fmul, Mnemonic.Fimul)]
    public static void Fmul(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Mul, false, false);

    [Handles(Mnemonic.Fmulp)]
    public static void Fmulp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Mul, false, true);

    [Handles(Mnemonic.Fdiv, Mnemonic.Fidiv)]
    public static void Fdiv(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Div, false, false);

    [Handles(Mnemonic.Fdivp)]
    public static void Fdivp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Div, false, true);

    [Handles(Mnemonic.Fdivr, Mnemonic.Fidivr)]
    public static void Fdivr(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Div, true, false);

    [Handles(Mnemonic.Fdivrp)]
    public static void Fdivrp(Processor p, in Instruction i) => Binary(p, i, &Float80Math.Div, true, true);

    /// <summary>dest ← dest op src (or src op dest when <paramref name="reverse"/>), then an optional
    /// pop. Memory forms have ST(0) as destination; register forms name both registers.</summary>
    private static void Binary(Processor p, in Instruction i, delegate*<Float80, Float80, ushort, ref ushort, Float80> op, bool reverse, bool pop)
    {
        X87.Begin(p, i);
        ushort flags = 0;
        int dst, src = -1;
        Float80 other = default;
        if (Operands.Kind(i, 0) == OpKind.Memory)
        {
            other = X87.ReadMemory(p, i, ref flags);
            dst = 0;
        }
        else
        {
            dst = X87.StIndex(i, 0);
            src = X87.StIndex(i, 1);
        }
        ref var s = ref p.State;
        Float80 r;
        if (X87.IsEmpty(ref s, dst) || (src >= 0 && X87.IsEmpty(ref s, src)))
        {
            flags = X87.Underflow;
            r = Float80.Indefinite;
        }
        else
        {
            Float80 a = X87.St(ref s, dst), b = src >= 0 ? X87.St(ref s, src) : other;
            // A denormal float32/float64 operand is normal once widened: its DE (already in flags)
            // stands only where an extended denormal would have raised it.
            ushort memFlags = flags;
            flags = 0;
            r = reverse ? op(b, a, s.Fcw, ref flags) : op(a, b, s.Fcw, ref flags);
            if (a.IsNaN || a.IsUnsupported || (flags & X87Status.ZE) != 0) memFlags = 0;
            flags |= memFlags;
        }
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, dst, r);
        if (pop) X87.Pop(ref s);
    }

    [Handles(Mnemonic.Fsqrt)]
    public static void Fsqrt(Processor p, in Instruction i) => Unary(p, i, &Float80Math.Sqrt);

    [Handles(Mnemonic.Frndint)]
    public static void Frndint(Processor p, in Instruction i) => Unary(p, i, &Float80Math.RoundToIntegral);

    private static void Unary(Processor p, in Instruction i, delegate*<Float80, ushort, ref ushort, Float80> op)
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
        else r = op(X87.St(ref s, 0), s.Fcw, ref flags);
        if (X87.Report(ref s, flags)) X87.Set(ref s, 0, r);
    }

    /// <summary>FABS and FCHS only touch the sign bit, even of NaNs, and raise nothing but stack underflow.</summary>
    [Handles(Mnemonic.Fabs)]
    public static void Fabs(Processor p, in Instruction i) => SignOp(p, i, 0x7FFF, 0);

    [Handles(Mnemonic.Fchs)]
    public static void Fchs(Processor p, in Instruction i) => SignOp(p, i, 0xFFFF, 0x8000);

    private static void SignOp(Processor p, in Instruction i, ushort and, ushort xor)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        if (X87.IsEmpty(ref s, 0))
        {
            if (X87.Report(ref s, X87.Underflow)) X87.Set(ref s, 0, Float80.Indefinite);
            return;
        }
        ref var st0 = ref X87.St(ref s, 0);
        st0.SignExp = (ushort)((st0.SignExp & and) ^ xor);
        X87.Report(ref s, 0);
    }

    [Handles(Mnemonic.Fscale)]
    public static void Fscale(Processor p, in Instruction i)
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
        else r = Float80Math.Scale(X87.St(ref s, 0), X87.St(ref s, 1), s.Fcw, ref flags);
        if (X87.Report(ref s, flags)) X87.Set(ref s, 0, r);
    }

    /// <summary>FXTRACT: ST(0) becomes the exponent and the significand is pushed above it.</summary>
    [Handles(Mnemonic.Fxtract)]
    public static void Fxtract(Processor p, in Instruction i)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 e, m;
        if (X87.IsEmpty(ref s, 0))
        {
            flags = X87.Underflow;
            e = m = Float80.Indefinite;
        }
        else if (!X87.IsEmpty(ref s, 7))
        {
            flags = X87.Overflow;
            e = m = Float80.Indefinite;
        }
        else (e, m) = Float80Math.Extract(X87.St(ref s, 0), ref flags);
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 0, e);
        s.FpTop = (byte)((s.FpTop - 1) & 7);
        X87.Set(ref s, 0, m);
    }

    [Handles(Mnemonic.Fprem)]
    public static void Fprem(Processor p, in Instruction i) => Remainder(p, i, false);

    [Handles(Mnemonic.Fprem1)]
    public static void Fprem1(Processor p, in Instruction i) => Remainder(p, i, true);

    /// <summary>C2 set means "not done, run again"; when done, C0, C3, C1 are quotient bits 2, 1 and 0.</summary>
    private static void Remainder(Processor p, in Instruction i, bool ieee)
    {
        X87.Begin(p, i);
        ref var s = ref p.State;
        ushort flags = 0;
        Float80 r;
        int q = Float80Math.NoQuotient;
        if (X87.IsEmpty(ref s, 0) || X87.IsEmpty(ref s, 1))
        {
            flags = X87.Underflow;
            r = Float80.Indefinite;
        }
        else r = Float80Math.Remainder(X87.St(ref s, 0), X87.St(ref s, 1), ieee, s.Fcw, ref flags, out q);
        if (!X87.Report(ref s, flags)) return;
        X87.Set(ref s, 0, r);
        if (q == Float80Math.NoQuotient)
        {
            s.Fsw &= unchecked((ushort)~X87Status.C2);
            return;
        }
        ushort c = q == Float80Math.Partial ? X87Status.C2
            : (ushort)(((q & 4) != 0 ? X87Status.C0 : 0) | ((q & 2) != 0 ? X87Status.C3 : 0) | ((q & 1) != 0 ? X87Status.C1 : 0));
        s.Fsw = (ushort)((s.Fsw & ~X87Status.ConditionCodes) | c);
    }
}
