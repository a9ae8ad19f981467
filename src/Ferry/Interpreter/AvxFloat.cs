using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX float arithmetic: packed (128/256-bit) and scalar forms of ADD … MAX, SQRT, RCP, RSQRT,
/// ADDSUB, horizontal add/subtract, the 32-predicate compares and COMIS. Scalar forms take bits
/// 127:32 (or 127:64) from the first source, not the destination. Every lane is computed before MXCSR
/// is updated, so an unmasked exception leaves the destination intact.</summary>
public static unsafe class AvxFloat
{
    [Handles(Mnemonic.Vaddps)] public static void Vaddps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.AddF32);
    [Handles(Mnemonic.Vsubps)] public static void Vsubps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.SubF32);
    [Handles(Mnemonic.Vmulps)] public static void Vmulps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MulF32);
    [Handles(Mnemonic.Vdivps)] public static void Vdivps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.DivF32);
    [Handles(Mnemonic.Vminps)] public static void Vminps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MinF32);
    [Handles(Mnemonic.Vmaxps)] public static void Vmaxps(Processor p, in Instruction i) => Ps(p, i, &SseFloat.MaxF32);
    [Handles(Mnemonic.Vaddpd)] public static void Vaddpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.AddF64);
    [Handles(Mnemonic.Vsubpd)] public static void Vsubpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.SubF64);
    [Handles(Mnemonic.Vmulpd)] public static void Vmulpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MulF64);
    [Handles(Mnemonic.Vdivpd)] public static void Vdivpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.DivF64);
    [Handles(Mnemonic.Vminpd)] public static void Vminpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MinF64);
    [Handles(Mnemonic.Vmaxpd)] public static void Vmaxpd(Processor p, in Instruction i) => Pd(p, i, &SseFloat.MaxF64);

    [Handles(Mnemonic.Vaddss)] public static void Vaddss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.AddF32);
    [Handles(Mnemonic.Vsubss)] public static void Vsubss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.SubF32);
    [Handles(Mnemonic.Vmulss)] public static void Vmulss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MulF32);
    [Handles(Mnemonic.Vdivss)] public static void Vdivss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.DivF32);
    [Handles(Mnemonic.Vminss)] public static void Vminss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MinF32);
    [Handles(Mnemonic.Vmaxss)] public static void Vmaxss(Processor p, in Instruction i) => Ss(p, i, &SseFloat.MaxF32);
    [Handles(Mnemonic.Vaddsd)] public static void Vaddsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.AddF64);
    [Handles(Mnemonic.Vsubsd)] public static void Vsubsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.SubF64);
    [Handles(Mnemonic.Vmulsd)] public static void Vmulsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MulF64);
    [Handles(Mnemonic.Vdivsd)] public static void Vdivsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.DivF64);
    [Handles(Mnemonic.Vminsd)] public static void Vminsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MinF64);
    [Handles(Mnemonic.Vmaxsd)] public static void Vmaxsd(Processor p, in Instruction i) => Sd(p, i, &SseFloat.MaxF64);

    [Handles(Mnemonic.Vsqrtps)]
    public static void Vsqrtps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 1, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.SqrtF32(b[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vsqrtpd)]
    public static void Vsqrtpd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 1, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.SqrtF64(b[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vrcpps)] public static void Vrcpps(Processor p, in Instruction i) => Approx(p, i, &SseApprox.RcpF32);
    [Handles(Mnemonic.Vrsqrtps)] public static void Vrsqrtps(Processor p, in Instruction i) => Approx(p, i, &SseApprox.RsqrtF32);

    private static void Approx(Processor p, in Instruction i, delegate*<uint, uint> op)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 1, w).AsUInt32();
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = op(b[k]);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vsqrtss)]
    public static void Vsqrtss(Processor p, in Instruction i)
    {
        uint b = ReadS32(p, i, 2), f = 0;
        uint r = SseFloat.SqrtF32(b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS32(p, i, r);
    }

    [Handles(Mnemonic.Vsqrtsd)]
    public static void Vsqrtsd(Processor p, in Instruction i)
    {
        ulong b = ReadS64(p, i, 2);
        uint f = 0;
        ulong r = SseFloat.SqrtF64(b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS64(p, i, r);
    }

    [Handles(Mnemonic.Vrcpss)] public static void Vrcpss(Processor p, in Instruction i) => MergeS32(p, i, SseApprox.RcpF32(ReadS32(p, i, 2)));
    [Handles(Mnemonic.Vrsqrtss)] public static void Vrsqrtss(Processor p, in Instruction i) => MergeS32(p, i, SseApprox.RsqrtF32(ReadS32(p, i, 2)));

    // ---- SSE3 shapes: ADDSUB subtracts in even lanes; horizontal ops pair adjacent lanes of src1, then src2, per 128-bit lane ----

    [Handles(Mnemonic.Vaddsubps)]
    public static void Vaddsubps(Processor p, in Instruction i) => Ps(p, i, null, 1);
    [Handles(Mnemonic.Vaddsubpd)]
    public static void Vaddsubpd(Processor p, in Instruction i) => Pd(p, i, null, 1);
    [Handles(Mnemonic.Vhaddps)]
    public static void Vhaddps(Processor p, in Instruction i) => Ps(p, i, null, 2);
    [Handles(Mnemonic.Vhsubps)]
    public static void Vhsubps(Processor p, in Instruction i) => Ps(p, i, null, 3);
    [Handles(Mnemonic.Vhaddpd)]
    public static void Vhaddpd(Processor p, in Instruction i) => Pd(p, i, null, 2);
    [Handles(Mnemonic.Vhsubpd)]
    public static void Vhsubpd(Processor p, in Instruction i) => Pd(p, i, null, 3);

    // ---- compares ----

    [Handles(Mnemonic.Vcmpps)]
    public static void Vcmpps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w).AsUInt32();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        int pr = i.Immediate8 & 31;
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = AvxCompare.F32(a[k], b[k], pr, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcmppd)]
    public static void Vcmppd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w).AsUInt64();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt64();
        int pr = i.Immediate8 & 31;
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = AvxCompare.F64(a[k], b[k], pr, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcmpss)]
    public static void Vcmpss(Processor p, in Instruction i)
    {
        uint b = ReadS32(p, i, 2), f = 0;
        uint r = AvxCompare.F32(p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().ToScalar(), b, i.Immediate8 & 31, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS32(p, i, r);
    }

    [Handles(Mnemonic.Vcmpsd)]
    public static void Vcmpsd(Processor p, in Instruction i)
    {
        ulong b = ReadS64(p, i, 2);
        uint f = 0;
        ulong r = AvxCompare.F64(p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().ToScalar(), b, i.Immediate8 & 31, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS64(p, i, r);
    }

    [Handles(Mnemonic.Vcomiss, Mnemonic.Vucomiss)]
    public static void Vcomiss(Processor p, in Instruction i)
    {
        uint b = ReadS32(p, i, 1), f = 0;
        uint a = p.State.Xmm(VexOperands.Reg(i, 0)).AsUInt32().ToScalar();
        var o = SseFloat.ComiF32(a, b, i.Mnemonic == Mnemonic.Vcomiss, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        p.State.Rflags = (p.State.Rflags & ~Flags.Status) | SseFloat.ComiFlags(o);
    }

    [Handles(Mnemonic.Vcomisd, Mnemonic.Vucomisd)]
    public static void Vcomisd(Processor p, in Instruction i)
    {
        ulong b = ReadS64(p, i, 1);
        uint f = 0;
        ulong a = p.State.Xmm(VexOperands.Reg(i, 0)).AsUInt64().ToScalar();
        var o = SseFloat.ComiF64(a, b, i.Mnemonic == Mnemonic.Vcomisd, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        p.State.Rflags = (p.State.Rflags & ~Flags.Status) | SseFloat.ComiFlags(o);
    }

    // ---- shared shapes ----

    /// <summary>The low dword of an XMM register or an m32.</summary>
    public static uint ReadS32(Processor p, in Instruction i, int op) => SseOperands.Read32(p, i, op);

    /// <summary>The low qword of an XMM register or an m64.</summary>
    public static ulong ReadS64(Processor p, in Instruction i, int op) => SseOperands.Read64(p, i, op);

    /// <summary>dest = {src1[127:32], r}, bits 255:128 zeroed.</summary>
    public static void MergeS32(Processor p, in Instruction i, uint r) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().WithElement(0, r).AsByte());

    /// <summary>dest = {src1[127:64], r}, bits 255:128 zeroed.</summary>
    public static void MergeS64(Processor p, in Instruction i, ulong r) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().WithElement(0, r).AsByte());

    private static void Ss(Processor p, in Instruction i, delegate*<uint, uint, uint, ref uint, uint> op)
    {
        uint b = ReadS32(p, i, 2), f = 0;
        uint r = op(p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().ToScalar(), b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS32(p, i, r);
    }

    private static void Sd(Processor p, in Instruction i, delegate*<ulong, ulong, uint, ref uint, ulong> op)
    {
        ulong b = ReadS64(p, i, 2);
        uint f = 0;
        ulong r = op(p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().ToScalar(), b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        MergeS64(p, i, r);
    }

    // shape 0: lane-wise op; 1: ADDSUB; 2: HADD; 3: HSUB.
    private static void Ps(Processor p, in Instruction i, delegate*<uint, uint, uint, ref uint, uint> op, int shape = 0)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w).AsUInt32();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++)
        {
            int l = k & ~3, e = k & 3;
            r[k] = shape switch
            {
                0 => op(a[k], b[k], mx, ref f),
                1 => (k & 1) == 0 ? SseFloat.SubF32(a[k], b[k], mx, ref f) : SseFloat.AddF32(a[k], b[k], mx, ref f),
                _ => Horizontal32(e < 2 ? a[l + 2 * e] : b[l + 2 * (e - 2)], e < 2 ? a[l + 2 * e + 1] : b[l + 2 * (e - 2) + 1], shape == 3, mx, ref f),
            };
        }
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    private static uint Horizontal32(uint x, uint y, bool sub, uint mx, ref uint f) =>
        sub ? SseFloat.SubF32(x, y, mx, ref f) : SseFloat.AddF32(x, y, mx, ref f);

    private static void Pd(Processor p, in Instruction i, delegate*<ulong, ulong, uint, ref uint, ulong> op, int shape = 0)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w).AsUInt64();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++)
        {
            int l = k & ~1;
            r[k] = shape switch
            {
                0 => op(a[k], b[k], mx, ref f),
                1 => (k & 1) == 0 ? SseFloat.SubF64(a[k], b[k], mx, ref f) : SseFloat.AddF64(a[k], b[k], mx, ref f),
                2 => (k & 1) == 0 ? SseFloat.AddF64(a[l], a[l + 1], mx, ref f) : SseFloat.AddF64(b[l], b[l + 1], mx, ref f),
                _ => (k & 1) == 0 ? SseFloat.SubF64(a[l], a[l + 1], mx, ref f) : SseFloat.SubF64(b[l], b[l + 1], mx, ref f),
            };
        }
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }
}
