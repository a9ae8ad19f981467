using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Conversions between integers, binary32 and binary64 (CVT*), legacy and VEX, including the MMX
/// forms. Float→integer conversions that are invalid or overflow give the integer indefinite.</summary>
public static class SseConvert
{
    // One handler serves the legacy form and its VEX form. Scalar forms read the last operand and merge
    // into the destination (legacy) or the first source, zeroing bits 255:128 (VEX). Packed forms read an
    // aligned m128 (legacy) or 128/256 unaligned bits (VEX); the narrowing ones (PD→PS, PD→DQ) always
    // write an XMM result, and VEX zeroes the rest.

    private static bool IsVex(in Instruction i) => i.Code.Encoding() == EncodingKind.VEX;

    private static int Source(in Instruction i) => i.OpCount - 1;

    private static void ScalarResult32(Processor p, in Instruction i, uint r)
    {
        if (IsVex(i)) { AvxFloat.MergeS32(p, i, r); return; }
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    private static void ScalarResult64(Processor p, in Instruction i, ulong r)
    {
        if (IsVex(i)) { AvxFloat.MergeS64(p, i, r); return; }
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    private static bool Wide(in Instruction i) => IsVex(i) && VexOperands.Wide(i);

    // The narrowing forms take their width from the source (the destination is always an XMM register).
    private static bool NarrowingWide(in Instruction i) =>
        IsVex(i) && (i.Op1Kind == OpKind.Register ? i.Op1Register.IsYMM() : i.MemorySize.GetSize() == 32);

    private static Vector256<byte> ReadPacked(Processor p, in Instruction i, bool wide) =>
        IsVex(i) ? VexOperands.Read(p, i, 1, wide) : Vector256.Create(SseOperands.ReadAligned(p, i, 1), Vector128<byte>.Zero);

    // The widening forms read half as many bytes as they write: xmm/m64, or xmm/m128 for 256 bits.
    private static Vector128<byte> ReadHalf(Processor p, in Instruction i, bool wide)
    {
        if (i.Op1Kind == OpKind.Register) return SseOperands.Xmm(p, i, 1);
        ulong a = Operands.Address(p, i);
        return wide ? p.Memory.Read128(a) : Vector128.CreateScalar(p.Memory.Read64(a)).AsByte();
    }

    private static void WritePacked(Processor p, in Instruction i, Vector256<byte> v, bool wide)
    {
        if (IsVex(i)) VexOperands.WriteDest(p, i, v, wide);
        else SseOperands.Xmm(p, i, 0) = v.GetLower();
    }

    private static void WriteNarrowed(Processor p, in Instruction i, Vector128<byte> v)
    {
        if (IsVex(i)) VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), v);
        else SseOperands.Xmm(p, i, 0) = v;
    }

    [Handles(Mnemonic.Cvtsi2ss, Mnemonic.Vcvtsi2ss)]
    public static void Cvtsi2ss(Processor p, in Instruction i)
    {
        int src = Source(i), size = Operands.Size(i, src);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, src, size), size);
        uint f = 0;
        uint r = SseFloat.IntToF32(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ScalarResult32(p, i, r);
    }

    [Handles(Mnemonic.Cvtsi2sd, Mnemonic.Vcvtsi2sd)]
    public static void Cvtsi2sd(Processor p, in Instruction i)
    {
        int src = Source(i), size = Operands.Size(i, src);
        long v = (long)Operands.SignExtend(Operands.Read(p, i, src, size), size);
        uint f = 0;
        ulong r = SseFloat.IntToF64(v, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ScalarResult64(p, i, r);
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

    [Handles(Mnemonic.Cvtss2sd, Mnemonic.Vcvtss2sd)]
    public static void Cvtss2sd(Processor p, in Instruction i)
    {
        uint a = SseOperands.Read32(p, i, Source(i)), f = 0;
        ulong r = SseFloat.F32ToF64(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ScalarResult64(p, i, r);
    }

    [Handles(Mnemonic.Cvtsd2ss, Mnemonic.Vcvtsd2ss)]
    public static void Cvtsd2ss(Processor p, in Instruction i)
    {
        ulong a = SseOperands.Read64(p, i, Source(i));
        uint f = 0;
        uint r = SseFloat.F64ToF32(a, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ScalarResult32(p, i, r);
    }

    [Handles(Mnemonic.Cvtps2pd, Mnemonic.Vcvtps2pd)]
    public static void Cvtps2pd(Processor p, in Instruction i)
    {
        bool w = Wide(i);
        var a = ReadHalf(p, i, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F32ToF64(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        WritePacked(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Cvtdq2pd, Mnemonic.Vcvtdq2pd)]
    public static void Cvtdq2pd(Processor p, in Instruction i)
    {
        bool w = Wide(i);
        var a = ReadHalf(p, i, w).AsInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.IntToF64(a[k], mx, ref f);
        WritePacked(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Cvtpd2ps, Mnemonic.Vcvtpd2ps)]
    public static void Cvtpd2ps(Processor p, in Instruction i)
    {
        bool w = NarrowingWide(i);
        var a = ReadPacked(p, i, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F64ToF32(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        WriteNarrowed(p, i, Vector128.Create((ReadOnlySpan<uint>)r).AsByte());
    }

    [Handles(Mnemonic.Cvtpd2dq, Mnemonic.Cvttpd2dq, Mnemonic.Vcvtpd2dq, Mnemonic.Vcvttpd2dq)]
    public static void Cvtpd2dq(Processor p, in Instruction i)
    {
        bool w = NarrowingWide(i);
        bool t = i.Mnemonic is Mnemonic.Cvttpd2dq or Mnemonic.Vcvttpd2dq;
        var a = ReadPacked(p, i, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<int> r = stackalloc int[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.F64ToInt32(a[k], t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        WriteNarrowed(p, i, Vector128.Create((ReadOnlySpan<int>)r).AsByte());
    }

    [Handles(Mnemonic.Cvtdq2ps, Mnemonic.Vcvtdq2ps)]
    public static void Cvtdq2ps(Processor p, in Instruction i)
    {
        bool w = Wide(i);
        var a = ReadPacked(p, i, w).AsInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.IntToF32(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        WritePacked(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Cvtps2dq, Mnemonic.Cvttps2dq, Mnemonic.Vcvtps2dq, Mnemonic.Vcvttps2dq)]
    public static void Cvtps2dq(Processor p, in Instruction i)
    {
        bool w = Wide(i);
        bool t = i.Mnemonic is Mnemonic.Cvttps2dq or Mnemonic.Vcvttps2dq;
        var a = ReadPacked(p, i, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<int> r = stackalloc int[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.F32ToInt32(a[k], t, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        WritePacked(p, i, Vector256.Create((ReadOnlySpan<int>)r).AsByte(), w);
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
