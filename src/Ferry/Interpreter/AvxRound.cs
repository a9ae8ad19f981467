using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VROUNDPS/PD/SS/SD (round to integral under imm8 or MXCSR.RC, bit 3 suppressing the precision
/// exception), VDPPS/VDPPD dot products, and VLDMXCSR/VSTMXCSR.</summary>
public static class AvxRound
{
    /// <summary>Rounds a binary32 to an integral value. Only SNaN (IE) and inexact (PE, unless suppressed)
    /// are reported; DAZ turns a denormal into a signed zero first.</summary>
    public static uint RoundF32(uint a, int imm, uint mxcsr, ref uint flags)
    {
        uint e = (a >> 23) & 0xFF;
        if (e == 0xFF)
        {
            if ((a & 0x7F_FFFF) == 0) return a;
            if ((a & 0x40_0000) == 0) flags |= MxcsrBits.IE;
            return a | 0x40_0000;
        }
        if (e == 0 && (mxcsr & MxcsrBits.DAZ) != 0) a &= 0x8000_0000;
        if (e >= 150) return a;
        double x = BitConverter.UInt32BitsToSingle(a);
        double r = Integral(x, imm, mxcsr);
        if (r != x && (imm & 8) == 0) flags |= MxcsrBits.PE;
        return BitConverter.SingleToUInt32Bits((float)r) | (a & 0x8000_0000);
    }

    /// <summary>Rounds a binary64 to an integral value (see <see cref="RoundF32"/>).</summary>
    public static ulong RoundF64(ulong a, int imm, uint mxcsr, ref uint flags)
    {
        ulong e = (a >> 52) & 0x7FF;
        if (e == 0x7FF)
        {
            if ((a & 0xF_FFFF_FFFF_FFFF) == 0) return a;
            if ((a & 0x8_0000_0000_0000) == 0) flags |= MxcsrBits.IE;
            return a | 0x8_0000_0000_0000;
        }
        if (e == 0 && (mxcsr & MxcsrBits.DAZ) != 0) a &= 0x8000_0000_0000_0000;
        if (e >= 1075) return a;
        double x = BitConverter.UInt64BitsToDouble(a);
        double r = Integral(x, imm, mxcsr);
        if (r != x && (imm & 8) == 0) flags |= MxcsrBits.PE;
        return BitConverter.DoubleToUInt64Bits(r) | (a & 0x8000_0000_0000_0000);
    }

    // The host's rounding to integral is exact; the sign of a zero result is restored by the caller.
    private static double Integral(double x, int imm, uint mxcsr)
    {
        int rc = (imm & 4) != 0 ? MxcsrBits.Rounding(mxcsr) : imm & 3;
        return rc switch
        {
            MxcsrBits.RoundNearest => Math.Round(x, MidpointRounding.ToEven),
            MxcsrBits.RoundDown => Math.Floor(x),
            MxcsrBits.RoundUp => Math.Ceiling(x),
            _ => Math.Truncate(x),
        };
    }

    [Handles(Mnemonic.Vroundps)]
    public static void Vroundps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 1, w).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        int imm = i.Immediate8;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = RoundF32(b[k], imm, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vroundpd)]
    public static void Vroundpd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 1, w).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        int imm = i.Immediate8;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = RoundF64(b[k], imm, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vroundss)]
    public static void Vroundss(Processor p, in Instruction i)
    {
        uint f = 0;
        uint r = RoundF32(AvxFloat.ReadS32(p, i, 2), i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS32(p, i, r);
    }

    [Handles(Mnemonic.Vroundsd)]
    public static void Vroundsd(Processor p, in Instruction i)
    {
        uint f = 0;
        ulong r = RoundF64(AvxFloat.ReadS64(p, i, 2), i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        AvxFloat.MergeS64(p, i, r);
    }

    /// <summary>VDPPS: per 128-bit lane, the products selected by imm[7:4] summed as (p0+p1)+(p2+p3),
    /// each step rounded, and written to the dwords selected by imm[3:0].</summary>
    [Handles(Mnemonic.Vdpps)]
    public static void Vdpps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w).AsUInt32();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        int imm = i.Immediate8;
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        Span<uint> t = stackalloc uint[4];
        for (int l = 0; l < (w ? 8 : 4); l += 4)
        {
            for (int k = 0; k < 4; k++) t[k] = (imm >> (4 + k) & 1) != 0 ? SseFloat.MulF32(a[l + k], b[l + k], mx, ref f) : 0;
            uint s01 = SseFloat.AddF32(t[0], t[1], mx, ref f), s23 = SseFloat.AddF32(t[2], t[3], mx, ref f);
            uint s = SseFloat.AddF32(s01, s23, mx, ref f);
            for (int k = 0; k < 4; k++) r[l + k] = (imm >> k & 1) != 0 ? s : 0;
        }
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    /// <summary>VDPPD (128-bit only): the products selected by imm[5:4], summed and rounded, to the qwords selected by imm[1:0].</summary>
    [Handles(Mnemonic.Vdppd)]
    public static void Vdppd(Processor p, in Instruction i)
    {
        var b = VexOperands.Read(p, i, 2, false).AsUInt64();
        var a = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64();
        int imm = i.Immediate8;
        uint mx = p.State.Mxcsr, f = 0;
        ulong t0 = (imm & 0x10) != 0 ? SseFloat.MulF64(a[0], b[0], mx, ref f) : 0;
        ulong t1 = (imm & 0x20) != 0 ? SseFloat.MulF64(a[1], b[1], mx, ref f) : 0;
        ulong s = SseFloat.AddF64(t0, t1, mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create((imm & 1) != 0 ? s : 0, (imm & 2) != 0 ? s : 0).AsByte());
    }

    [Handles(Mnemonic.Vldmxcsr)]
    public static void Vldmxcsr(Processor p, in Instruction i) => SseState.Ldmxcsr(p, i);

    [Handles(Mnemonic.Vstmxcsr)]
    public static void Vstmxcsr(Processor p, in Instruction i) => SseState.Stmxcsr(p, i);
}
