using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Conversions between integers, binary32 and binary64 (CVT*), including the MMX forms.
/// Float→integer conversions that are invalid or overflow give the integer indefinite.</summary>
public static class SseConvert
{
    [Handles(Mnemonic.Cvtsi2ss)]
    public static void Cvtsi2ss(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 1);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, 1, size), size);
        uint f = 0;
        uint r = SseFloat.IntToF32(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Cvtsi2sd)]
    public static void Cvtsi2sd(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 1);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, 1, size), size);
        uint f = 0;
        ulong r = SseFloat.IntToF64(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    // The VEX forms (VCVTSS2SI...) write a general register just as the legacy ones do.
    [Handles(Mnemonic.Cvtss2si, Mnemonic.Cvttss2si, Mnemonic.Vcvtss2si, Mnemonic.Vcvttss2si)]
    public static void Cvtss2si(Processor p, in Instruction i)
    {
        uint a = SseOperands.Read32(p, i, 1), f = 0;
        bool t = i.Mnemonic is Mnemonic.Cvttss2si or Mnemonic.Vcvttss2si;
        ulong r = i.Op0Register.GetSize() == 8
            ? (ulong)SseFloat.F32ToInt64(a, t, p.State.Mxcsr, ref f)
            : (uint)SseFloat.F32ToInt32(a, t, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    [Handles(Mnemonic.Cvtsd2si, Mnemonic.Cvttsd2si, Mnemonic.Vcvtsd2si, Mnemonic.Vcvttsd2si)]
    public static void Cvtsd2si(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, 1);
        uint f = 0;
        bool t = i.Mnemonic is Mnemonic.Cvttsd2si or Mnemonic.Vcvttsd2si;
        ulong r = i.Op0Register.GetSize() == 8
            ? (ulong)SseFloat.F64ToInt64(a, t, p.State.Mxcsr, ref f)
            : (uint)SseFloat.F64ToInt32(a, t, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    [Handles(Mnemonic.Cvtss2sd)]
    public static void Cvtss2sd(Processor p, in Instruction i)
    {
        uint a = SseOperands.Read32(p, i, 1), f = 0;
        ulong r = SseFloat.F32ToF64(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Cvtsd2ss)]
    public static void Cvtsd2ss(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, 1);
        uint f = 0;
        uint r = SseFloat.F64ToF32(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Cvtps2pd)]
    public static void Cvtps2pd(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, 1);
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.F32ToF64((uint)a, mx, ref f), SseFloat.F32ToF64((uint)(a >> 32), mx, ref f));
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtpd2ps)]
    public static void Cvtpd2ps(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.F64ToF32(a[0], mx, ref f), SseFloat.F64ToF32(a[1], mx, ref f), 0, 0);
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtdq2ps)]
    public static void Cvtdq2ps(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadAligned(p, i, 1).AsInt32();
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.IntToF32(a[0], mx, ref f), SseFloat.IntToF32(a[1], mx, ref f),
            SseFloat.IntToF32(a[2], mx, ref f), SseFloat.IntToF32(a[3], mx, ref f));
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtps2dq, Mnemonic.Cvttps2dq)]
    public static void Cvtps2dq(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        bool t = i.Mnemonic == Mnemonic.Cvttps2dq;
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.F32ToInt32(a[0], t, mx, ref f), SseFloat.F32ToInt32(a[1], t, mx, ref f),
            SseFloat.F32ToInt32(a[2], t, mx, ref f), SseFloat.F32ToInt32(a[3], t, mx, ref f));
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtdq2pd)]
    public static void Cvtdq2pd(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, 1);
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.IntToF64((int)a, mx, ref f), SseFloat.IntToF64((int)(a >> 32), mx, ref f));
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtpd2dq, Mnemonic.Cvttpd2dq)]
    public static void Cvtpd2dq(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        bool t = i.Mnemonic == Mnemonic.Cvttpd2dq;
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.F64ToInt32(a[0], t, mx, ref f), SseFloat.F64ToInt32(a[1], t, mx, ref f), 0, 0);
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtpi2ps)]
    public static void Cvtpi2ps(Processor p, in Instruction i)
    {
        ulong a = SseOperands.ReadMm(p, i, 1);
        uint mx = p.State.Mxcsr, f = 0;
        uint lo = SseFloat.IntToF32((int)a, mx, ref f), hi = SseFloat.IntToF32((int)(a >> 32), mx, ref f);
        SseOperands.Commit(ref p.State, f);
        MmxSourceTransition(p, i);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, lo | ((ulong)hi << 32)).AsByte();
    }

    [Handles(Mnemonic.Cvtpi2pd)]
    public static void Cvtpi2pd(Processor p, in Instruction i)
    {
        ulong a = SseOperands.ReadMm(p, i, 1);
        uint mx = p.State.Mxcsr, f = 0;
        var r = Vector128.Create(SseFloat.IntToF64((int)a, mx, ref f), SseFloat.IntToF64((int)(a >> 32), mx, ref f));
        MmxSourceTransition(p, i);
        SseOperands.Xmm(p, i, 0) = r.AsByte();
    }

    [Handles(Mnemonic.Cvtps2pi, Mnemonic.Cvttps2pi)]
    public static void Cvtps2pi(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, 1);
        bool t = i.Mnemonic == Mnemonic.Cvttps2pi;
        uint mx = p.State.Mxcsr, f = 0;
        uint lo = (uint)SseFloat.F32ToInt32((uint)a, t, mx, ref f), hi = (uint)SseFloat.F32ToInt32((uint)(a >> 32), t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        SseOperands.EnterMmx(ref p.State);
        SseOperands.WriteMm(ref p.State, i.Op0Register, lo | ((ulong)hi << 32));
    }

    [Handles(Mnemonic.Cvtpd2pi, Mnemonic.Cvttpd2pi)]
    public static void Cvtpd2pi(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        bool t = i.Mnemonic == Mnemonic.Cvttpd2pi;
        uint mx = p.State.Mxcsr, f = 0;
        uint lo = (uint)SseFloat.F64ToInt32(a[0], t, mx, ref f), hi = (uint)SseFloat.F64ToInt32(a[1], t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        SseOperands.EnterMmx(ref p.State);
        SseOperands.WriteMm(ref p.State, i.Op0Register, lo | ((ulong)hi << 32));
    }

    private static void MmxSourceTransition(Processor p, in Instruction i)
    {
        if (i.Op1Kind == OpKind.Register) SseOperands.EnterMmx(ref p.State);
    }
}
