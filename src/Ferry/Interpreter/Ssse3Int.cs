using System.Runtime.Intrinsics;

namespace Ferry.Interpreter;

/// <summary>SSSE3 integer lane operations on 128-bit values. <c>width</c> is 16 for the XMM forms and
/// 8 for the MMX forms (only the low 8 bytes of the result matter then); operations whose lanes are
/// independent of the width take none. The VEX forms apply them to each 128-bit half.</summary>
public static class Ssse3Int
{
    /// <summary>PSHUFB: each byte of <paramref name="b"/> selects a byte of <paramref name="a"/>
    /// (index modulo the width), or zero when its top bit is set.</summary>
    public static Vector128<byte> Pshufb(Vector128<byte> a, Vector128<byte> b, int width)
    {
        Span<byte> r = stackalloc byte[16];
        int mask = width - 1;
        for (int k = 0; k < width; k++) r[k] = (b[k] & 0x80) != 0 ? (byte)0 : a[b[k] & mask];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> HaddW(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal16(a, b, width, static (x, y) => (short)(x + y));
    public static Vector128<byte> HsubW(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal16(a, b, width, static (x, y) => (short)(x - y));
    public static Vector128<byte> HaddSW(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal16(a, b, width, static (x, y) => SseInt.SatS16(x + y));
    public static Vector128<byte> HsubSW(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal16(a, b, width, static (x, y) => SseInt.SatS16(x - y));

    public static Vector128<byte> HaddD(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal32(a, b, width, false);
    public static Vector128<byte> HsubD(Vector128<byte> a, Vector128<byte> b, int width) => Horizontal32(a, b, width, true);

    // PHADD/PHSUB: adjacent pairs of a fill the low half of the result, pairs of b the high half.
    private static Vector128<byte> Horizontal16(Vector128<byte> a, Vector128<byte> b, int width, Func<short, short, short> op)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        int half = width / 4;
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < half; k++)
        {
            r[k] = op(x[2 * k], x[2 * k + 1]);
            r[half + k] = op(y[2 * k], y[2 * k + 1]);
        }
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    private static Vector128<byte> Horizontal32(Vector128<byte> a, Vector128<byte> b, int width, bool sub)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        int half = width / 8;
        Span<uint> r = stackalloc uint[4];
        for (int k = 0; k < half; k++)
        {
            r[k] = sub ? x[2 * k] - x[2 * k + 1] : x[2 * k] + x[2 * k + 1];
            r[half + k] = sub ? y[2 * k] - y[2 * k + 1] : y[2 * k] + y[2 * k + 1];
        }
        return Vector128.Create((ReadOnlySpan<uint>)r).AsByte();
    }

    /// <summary>PMADDUBSW: unsigned bytes of <paramref name="a"/> times signed bytes of <paramref name="b"/>,
    /// adjacent products summed with signed saturation into words.</summary>
    public static Vector128<byte> MaddUbsW(Vector128<byte> a, Vector128<byte> b)
    {
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++)
            r[k] = SseInt.SatS16(a[2 * k] * (sbyte)b[2 * k] + a[2 * k + 1] * (sbyte)b[2 * k + 1]);
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    /// <summary>PMULHRSW: the signed product scaled by 2^-15 and rounded (bits 30:15 of product + 2^14).</summary>
    public static Vector128<byte> MulHrsW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++) r[k] = (short)((((x[k] * y[k]) >> 14) + 1) >> 1);
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    /// <summary>PSIGNB/W/D: a lane of <paramref name="a"/> negated, zeroed or kept as the matching lane
    /// of <paramref name="b"/> is negative, zero or positive.</summary>
    public static Vector128<byte> SignB(Vector128<byte> a, Vector128<byte> b) => Sign(a.AsSByte(), b.AsSByte()).AsByte();
    public static Vector128<byte> SignW(Vector128<byte> a, Vector128<byte> b) => Sign(a.AsInt16(), b.AsInt16()).AsByte();
    public static Vector128<byte> SignD(Vector128<byte> a, Vector128<byte> b) => Sign(a.AsInt32(), b.AsInt32()).AsByte();

    private static Vector128<T> Sign<T>(Vector128<T> a, Vector128<T> b) where T : unmanaged =>
        Vector128.ConditionalSelect(Vector128.LessThan(b, Vector128<T>.Zero), Vector128<T>.Zero - a,
            Vector128.AndNot(a, Vector128.Equals(b, Vector128<T>.Zero)));

    /// <summary>PABSB/W/D: the unsigned absolute value of each signed lane (the most negative value stays as is).</summary>
    public static Vector128<byte> AbsB(Vector128<byte> a) => Vector128.Abs(a.AsSByte()).AsByte();
    public static Vector128<byte> AbsW(Vector128<byte> a) => Vector128.Abs(a.AsInt16()).AsByte();
    public static Vector128<byte> AbsD(Vector128<byte> a) => Vector128.Abs(a.AsInt32()).AsByte();

    /// <summary>PALIGNR: the concatenation <paramref name="a"/>:<paramref name="b"/> (a high) shifted right
    /// by <paramref name="imm"/> bytes; the low <paramref name="width"/> bytes are the result.</summary>
    public static Vector128<byte> Alignr(Vector128<byte> a, Vector128<byte> b, int imm, int width)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < width; k++)
        {
            int s = imm + k;
            r[k] = s < width ? b[s] : s < 2 * width ? a[s - width] : (byte)0;
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }
}
