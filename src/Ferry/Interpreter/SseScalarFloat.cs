using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Scalar single and double arithmetic, compares and COMIS/UCOMIS. The low lane is computed;
/// the rest of the destination is kept. Memory operands are read at the scalar's width only.</summary>
public static unsafe class SseScalarFloat
{
    [Handles(Mnemonic.Addss)] public static void Addss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.AddF32);
    [Handles(Mnemonic.Subss)] public static void Subss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.SubF32);
    [Handles(Mnemonic.Mulss)] public static void Mulss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MulF32);
    [Handles(Mnemonic.Divss)] public static void Divss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.DivF32);
    [Handles(Mnemonic.Minss)] public static void Minss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MinF32);
    [Handles(Mnemonic.Maxss)] public static void Maxss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MaxF32);
    [Handles(Mnemonic.Addsd)] public static void Addsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.AddF64);
    [Handles(Mnemonic.Subsd)] public static void Subsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.SubF64);
    [Handles(Mnemonic.Mulsd)] public static void Mulsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MulF64);
    [Handles(Mnemonic.Divsd)] public static void Divsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.DivF64);
    [Handles(Mnemonic.Minsd)] public static void Minsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MinF64);
    [Handles(Mnemonic.Maxsd)] public static void Maxsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MaxF64);

    [Handles(Mnemonic.Sqrtss)]
    public static void Sqrtss(Processor p, in Instruction i)
    {
        uint b = SseOperands.Read32(p, i, 1), f = 0;
        uint r = SseFloat.SqrtF32(b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Sqrtsd)]
    public static void Sqrtsd(Processor p, in Instruction i)
    {
        ulong b = SseOperands.Read64(p, i, 1);
        uint f = 0;
        ulong r = SseFloat.SqrtF64(b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Rcpss)]
    public static void Rcpss(Processor p, in Instruction i)
    {
        uint r = SseApprox.RcpF32(SseOperands.Read32(p, i, 1));
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Rsqrtss)]
    public static void Rsqrtss(Processor p, in Instruction i)
    {
        uint r = SseApprox.RsqrtF32(SseOperands.Read32(p, i, 1));
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Cmpss)]
    public static void Cmpss(Processor p, in Instruction i)
    {
        uint b = SseOperands.Read32(p, i, 1), f = 0;
        ref var d = ref SseOperands.Xmm(p, i, 0);
        uint r = SseFloat.CmpF32(d.AsUInt32().ToScalar(), b, i.Immediate8 & 7, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    // Mnemonic.Cmpsd also names the string compare, so the SSE2 form is claimed by code.
    [HandlesCode(Code.Cmpsd_xmm_xmmm64_imm8)]
    public static void Cmpsd(Processor p, in Instruction i)
    {
        ulong b = SseOperands.Read64(p, i, 1);
        uint f = 0;
        ref var d = ref SseOperands.Xmm(p, i, 0);
        ulong r = SseFloat.CmpF64(d.AsUInt64().ToScalar(), b, i.Immediate8 & 7, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Comiss, Mnemonic.Ucomiss)]
    public static void Comiss(Processor p, in Instruction i)
    {
        uint b = SseOperands.Read32(p, i, 1), f = 0;
        uint a = SseOperands.Xmm(p, i, 0).AsUInt32().ToScalar();
        var o = SseFloat.ComiF32(a, b, i.Mnemonic == Mnemonic.Comiss, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        p.State.Rflags = (p.State.Rflags & ~Flags.Status) | SseFloat.ComiFlags(o);
    }

    [Handles(Mnemonic.Comisd, Mnemonic.Ucomisd)]
    public static void Comisd(Processor p, in Instruction i)
    {
        ulong b = SseOperands.Read64(p, i, 1);
        uint f = 0;
        ulong a = SseOperands.Xmm(p, i, 0).AsUInt64().ToScalar();
        var o = SseFloat.ComiF64(a, b, i.Mnemonic == Mnemonic.Comisd, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        p.State.Rflags = (p.State.Rflags & ~Flags.Status) | SseFloat.ComiFlags(o);
    }

    private static void Ss(Processor p, in Instruction i, delegate*<uint, uint, uint, ref uint, uint> op)
    {
        uint b = SseOperands.Read32(p, i, 1), f = 0;
        ref var d = ref SseOperands.Xmm(p, i, 0);
        uint r = op(d.AsUInt32().ToScalar(), b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    private static void Sd(Processor p, in Instruction i, delegate*<ulong, ulong, uint, ref uint, ulong> op)
    {
        ulong b = SseOperands.Read64(p, i, 1);
        uint f = 0;
        ref var d = ref SseOperands.Xmm(p, i, 0);
        ulong r = op(d.AsUInt64().ToScalar(), b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }
}
