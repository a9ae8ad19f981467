using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX conversions between integers, binary32 and binary64. Scalar forms merge into the first
/// source; the narrowing packed forms (PD→PS, PD→DQ) always write an XMM result and zero the rest.</summary>
public static class AvxConvert
{
    [Handles(Mnemonic.Vcvtsi2ss)]
    public static void Vcvtsi2ss(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 2);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, 2, size), size);
        uint f = 0;
        uint r = SseFloat.IntToF32(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS32(p, i, r);
    }

    [Handles(Mnemonic.Vcvtsi2sd)]
    public static void Vcvtsi2sd(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 2);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, 2, size), size);
        uint f = 0;
        ulong r = SseFloat.IntToF64(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS64(p, i, r);
    }

    [Handles(Mnemonic.Vcvtss2sd)]
    public static void Vcvtss2sd(Processor p, in Instruction i)
    {
        uint a = AvxFloat.ReadS32(p, i, 2), f = 0;
        ulong r = SseFloat.F32ToF64(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS64(p, i, r);
    }

    [Handles(Mnemonic.Vcvtsd2ss)]
    public static void Vcvtsd2ss(Processor p, in Instruction i)
    {
        ulong a = AvxFloat.ReadS64(p, i, 2);
        uint f = 0;
        uint r = SseFloat.F64ToF32(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS32(p, i, r);
    }

    /// <summary>VCVTPS2PD: 2 (or 4) binary32 from xmm/m64 (or xmm/m128).</summary>
    [Handles(Mnemonic.Vcvtps2pd)]
    public static void Vcvtps2pd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = ReadHalf(p, i, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F32ToF64(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcvtdq2pd)]
    public static void Vcvtdq2pd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = ReadHalf(p, i, w).AsInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.IntToF64(a[k], mx, ref f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcvtpd2ps)]
    public static void Vcvtpd2ps(Processor p, in Instruction i)
    {
        bool w = i.Op1Kind == OpKind.Register ? i.Op1Register.IsYMM() : i.MemorySize.GetSize() == 32;
        var a = VexOperands.Read(p, i, 1, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F64ToF32(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create((ReadOnlySpan<uint>)r).AsByte());
    }

    [Handles(Mnemonic.Vcvtpd2dq, Mnemonic.Vcvttpd2dq)]
    public static void Vcvtpd2dq(Processor p, in Instruction i)
    {
        bool w = i.Op1Kind == OpKind.Register ? i.Op1Register.IsYMM() : i.MemorySize.GetSize() == 32;
        bool t = i.Mnemonic == Mnemonic.Vcvttpd2dq;
        var a = VexOperands.Read(p, i, 1, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<int> r = stackalloc int[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F64ToInt32(a[k], t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create((ReadOnlySpan<int>)r).AsByte());
    }

    [Handles(Mnemonic.Vcvtdq2ps)]
    public static void Vcvtdq2ps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = VexOperands.Read(p, i, 1, w).AsInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.IntToF32(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcvtps2dq, Mnemonic.Vcvttps2dq)]
    public static void Vcvtps2dq(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        bool t = i.Mnemonic == Mnemonic.Vcvttps2dq;
        var a = VexOperands.Read(p, i, 1, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<int> r = stackalloc int[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.F32ToInt32(a[k], t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<int>)r).AsByte(), w);
    }

    // The widening forms read half as many bytes as they write: xmm/m64 for 128, xmm/m128 for 256.
    private static Vector128<byte> ReadHalf(Processor p, in Instruction i, bool wide)
    {
        if (i.Op1Kind == OpKind.Register) return p.State.Xmm(VexOperands.Reg(i, 1));
        ulong a = Operands.Address(p, i);
        return wide ? p.Memory.Read128(a) : Vector128.CreateScalar(p.Memory.Read64(a)).AsByte();
    }
}
