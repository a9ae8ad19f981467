using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Packed single and double arithmetic (ADDPS … MAXPD, SQRT, the bitwise logic ops). Every
/// lane is computed before MXCSR is updated, so an unmasked exception leaves the destination intact.</summary>
public static unsafe class SsePackedFloat
{
    [Handles(Mnemonic.Addps)] public static void Addps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.AddF32);
    [Handles(Mnemonic.Subps)] public static void Subps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.SubF32);
    [Handles(Mnemonic.Mulps)] public static void Mulps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MulF32);
    [Handles(Mnemonic.Divps)] public static void Divps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.DivF32);
    [Handles(Mnemonic.Minps)] public static void Minps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MinF32);
    [Handles(Mnemonic.Maxps)] public static void Maxps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MaxF32);
    [Handles(Mnemonic.Addpd)] public static void Addpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.AddF64);
    [Handles(Mnemonic.Subpd)] public static void Subpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.SubF64);
    [Handles(Mnemonic.Mulpd)] public static void Mulpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MulF64);
    [Handles(Mnemonic.Divpd)] public static void Divpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.DivF64);
    [Handles(Mnemonic.Minpd)] public static void Minpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MinF64);
    [Handles(Mnemonic.Maxpd)] public static void Maxpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MaxF64);

    [Handles(Mnemonic.Sqrtps)]
    public static void Sqrtps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.SqrtF32(b[0], mx, ref f), SseFloat.SqrtF32(b[1], mx, ref f),
            SseFloat.SqrtF32(b[2], mx, ref f), SseFloat.SqrtF32(b[3], mx, ref f));
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Sqrtpd)]
    public static void Sqrtpd(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.SqrtF64(b[0], mx, ref f), SseFloat.SqrtF64(b[1], mx, ref f));
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Rcpps)]
    public static void Rcpps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        SseOperands.Xmm(p, i, 0) = Vector128.Create(SseApprox.RcpF32(b[0]), SseApprox.RcpF32(b[1]), SseApprox.RcpF32(b[2]), SseApprox.RcpF32(b[3])).AsByte();
    }

    [Handles(Mnemonic.Rsqrtps)]
    public static void Rsqrtps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        SseOperands.Xmm(p, i, 0) = Vector128.Create(SseApprox.RsqrtF32(b[0]), SseApprox.RsqrtF32(b[1]), SseApprox.RsqrtF32(b[2]), SseApprox.RsqrtF32(b[3])).AsByte();
    }

    [Handles(Mnemonic.Andps, Mnemonic.Andpd)]
    public static void And(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d &= b;
    }

    [Handles(Mnemonic.Andnps, Mnemonic.Andnpd)]
    public static void Andn(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = Vector128.AndNot(b, d);
    }

    [Handles(Mnemonic.Orps, Mnemonic.Orpd)]
    public static void Or(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d |= b;
    }

    [Handles(Mnemonic.Xorps, Mnemonic.Xorpd)]
    public static void Xor(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d ^= b;
    }

    [Handles(Mnemonic.Cmpps)]
    public static void Cmpps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        ref var d = ref SseOperands.Xmm(p, i, 0);
        var a = d.AsUInt32();
        int pr = i.Immediate8 & 7;
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.CmpF32(a[0], b[0], pr, mx, ref f), SseFloat.CmpF32(a[1], b[1], pr, mx, ref f),
            SseFloat.CmpF32(a[2], b[2], pr, mx, ref f), SseFloat.CmpF32(a[3], b[3], pr, mx, ref f));
        SseOperands.Commit(ref p.State, f);
        d = r.AsByte();
    }

    [Handles(Mnemonic.Cmppd)]
    public static void Cmppd(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        ref var d = ref SseOperands.Xmm(p, i, 0);
        var a = d.AsUInt64();
        int pr = i.Immediate8 & 7;
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.CmpF64(a[0], b[0], pr, mx, ref f), SseFloat.CmpF64(a[1], b[1], pr, mx, ref f));
        SseOperands.Commit(ref p.State, f);
        d = r.AsByte();
    }

    private static void Ps(Processor p, in Instruction i, delegate*<uint, uint, uint, ref uint, uint> op)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        ref var d = ref SseOperands.Xmm(p, i, 0);
        var a = d.AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(op(a[0], b[0], mx, ref f), op(a[1], b[1], mx, ref f), op(a[2], b[2], mx, ref f), op(a[3], b[3], mx, ref f));
        SseOperands.Commit(ref p.State, f);
        d = r.AsByte();
    }

    private static void Pd(Processor p, in Instruction i, delegate*<ulong, ulong, uint, ref uint, ulong> op)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        ref var d = ref SseOperands.Xmm(p, i, 0);
        var a = d.AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(op(a[0], b[0], mx, ref f), op(a[1], b[1], mx, ref f));
        SseOperands.Commit(ref p.State, f);
        d = r.AsByte();
    }
}
