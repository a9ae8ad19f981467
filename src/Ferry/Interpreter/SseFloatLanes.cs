using System.Runtime.Intrinsics;

namespace Ferry.Interpreter;

/// <summary>Packed float lane operations of SSE3 and SSE4.1 (ADDSUB, horizontal add/subtract, dot
/// products, blends, rounding) on 128-bit values, each step rounded per MXCSR through
/// <see cref="SseFloat"/>. Exceptions are ORed into <c>flags</c>; the caller commits them.</summary>
public static class SseFloatLanes
{
    /// <summary>ADDSUBPS: even lanes a − b, odd lanes a + b.</summary>
    public static Vector128<byte> AddSubPs(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        return Vector128.Create(SseFloat.SubF32(x[0], y[0], mx, ref f), SseFloat.AddF32(x[1], y[1], mx, ref f),
            SseFloat.SubF32(x[2], y[2], mx, ref f), SseFloat.AddF32(x[3], y[3], mx, ref f)).AsByte();
    }

    public static Vector128<byte> AddSubPd(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        return Vector128.Create(SseFloat.SubF64(x[0], y[0], mx, ref f), SseFloat.AddF64(x[1], y[1], mx, ref f)).AsByte();
    }

    /// <summary>HADDPS: pair sums of a in the low half, of b in the high half.</summary>
    public static Vector128<byte> HaddPs(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        return Vector128.Create(SseFloat.AddF32(x[0], x[1], mx, ref f), SseFloat.AddF32(x[2], x[3], mx, ref f),
            SseFloat.AddF32(y[0], y[1], mx, ref f), SseFloat.AddF32(y[2], y[3], mx, ref f)).AsByte();
    }

    /// <summary>HSUBPS: even lane minus odd lane, pairs of a then pairs of b.</summary>
    public static Vector128<byte> HsubPs(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        return Vector128.Create(SseFloat.SubF32(x[0], x[1], mx, ref f), SseFloat.SubF32(x[2], x[3], mx, ref f),
            SseFloat.SubF32(y[0], y[1], mx, ref f), SseFloat.SubF32(y[2], y[3], mx, ref f)).AsByte();
    }

    public static Vector128<byte> HaddPd(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        return Vector128.Create(SseFloat.AddF64(x[0], x[1], mx, ref f), SseFloat.AddF64(y[0], y[1], mx, ref f)).AsByte();
    }

    public static Vector128<byte> HsubPd(Vector128<byte> a, Vector128<byte> b, uint mx, ref uint f)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        return Vector128.Create(SseFloat.SubF64(x[0], x[1], mx, ref f), SseFloat.SubF64(y[0], y[1], mx, ref f)).AsByte();
    }

    /// <summary>DPPS: the lanes selected by imm8[7:4] are multiplied, the products (+0 where not
    /// selected) summed as (p0 + p1) + (p2 + p3), and the sum written to the lanes selected by imm8[3:0].</summary>
    public static Vector128<byte> DpPs(Vector128<byte> a, Vector128<byte> b, int imm, uint mx, ref uint f)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        Span<uint> t = stackalloc uint[4];
        for (int k = 0; k < 4; k++) t[k] = (imm & (0x10 << k)) != 0 ? SseFloat.MulF32(x[k], y[k], mx, ref f) : 0;
        uint lo = SseFloat.AddF32(t[0], t[1], mx, ref f);
        uint hi = SseFloat.AddF32(t[2], t[3], mx, ref f);
        uint s = SseFloat.AddF32(lo, hi, mx, ref f);
        return Vector128.Create((imm & 1) != 0 ? s : 0, (imm & 2) != 0 ? s : 0, (imm & 4) != 0 ? s : 0, (imm & 8) != 0 ? s : 0).AsByte();
    }

    /// <summary>DPPD: imm8[5:4] select the products, imm8[1:0] the destination lanes of their sum.</summary>
    public static Vector128<byte> DpPd(Vector128<byte> a, Vector128<byte> b, int imm, uint mx, ref uint f)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        ulong t0 = (imm & 0x10) != 0 ? SseFloat.MulF64(x[0], y[0], mx, ref f) : 0;
        ulong t1 = (imm & 0x20) != 0 ? SseFloat.MulF64(x[1], y[1], mx, ref f) : 0;
        ulong s = SseFloat.AddF64(t0, t1, mx, ref f);
        return Vector128.Create((imm & 1) != 0 ? s : 0, (imm & 2) != 0 ? s : 0).AsByte();
    }

    public static Vector128<byte> RoundPs(Vector128<byte> b, int imm, uint mx, ref uint f)
    {
        var y = b.AsUInt32();
        return Vector128.Create(SseRound.RoundF32(y[0], imm, mx, ref f), SseRound.RoundF32(y[1], imm, mx, ref f),
            SseRound.RoundF32(y[2], imm, mx, ref f), SseRound.RoundF32(y[3], imm, mx, ref f)).AsByte();
    }

    public static Vector128<byte> RoundPd(Vector128<byte> b, int imm, uint mx, ref uint f)
    {
        var y = b.AsUInt64();
        return Vector128.Create(SseRound.RoundF64(y[0], imm, mx, ref f), SseRound.RoundF64(y[1], imm, mx, ref f)).AsByte();
    }

    /// <summary>INSERTPS: <paramref name="value"/> goes to lane imm8[5:4], then the lanes set in imm8[3:0] are zeroed.</summary>
    public static Vector128<byte> InsertPs(Vector128<byte> a, uint value, int imm)
    {
        var r = a.AsUInt32().WithElement((imm >> 4) & 3, value);
        for (int k = 0; k < 4; k++) if ((imm & (1 << k)) != 0) r = r.WithElement(k, 0u);
        return r.AsByte();
    }
}
