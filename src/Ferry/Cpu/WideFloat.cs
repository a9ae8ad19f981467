using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ferry.Cpu;

/// <summary>A binary floating-point value with a 128-bit significand and an unbounded exponent, for
/// evaluating the x87 transcendentals with about 125 good bits before the single final rounding to
/// 64 bits. Value = (−1)^Sign · Mant · 2^(Exp − 127); Mant has bit 127 set unless the value is 0.
/// Operations truncate; callers keep cancellation away from the bits that matter.</summary>
internal readonly struct WideFloat
{
    public readonly UInt128 Mant;
    public readonly int Exp;
    public readonly bool Sign;

    public WideFloat(bool sign, int exp, UInt128 mant)
    {
        if (mant == 0) { Sign = sign; Exp = 0; Mant = 0; return; }
        int lz = Float80Math.LeadingZeros(mant);
        Mant = mant << lz;
        Exp = exp - lz;
        Sign = sign;
    }

    public static WideFloat Zero => default;
    public static readonly WideFloat One = new(false, 0, UInt128.One << 127);
    public static readonly WideFloat Two = new(false, 1, UInt128.One << 127);

    public bool IsZero => Mant == 0;

    public static WideFloat FromFloat80(Float80 x)
    {
        if (x.IsZero) return new WideFloat(x.Sign, 0, 0);
        Float80Math.Unpack(x, out int e, out ulong m);
        return new WideFloat(x.Sign, e - Float80.Bias, (UInt128)m << 64);
    }

    public static WideFloat FromInt(long v) =>
        v == 0 ? Zero : new WideFloat(v < 0, 127, (UInt128)(v < 0 ? (ulong)-v : (ulong)v));

    /// <summary>A 53-bit approximation, for seeding iterations.</summary>
    public double ToDouble() => IsZero ? 0 : Math.ScaleB((double)(ulong)(Mant >> 64), Exp - 63) * (Sign ? -1 : 1);

    public static WideFloat FromDouble(double d)
    {
        if (d == 0) return Zero;
        long bits = BitConverter.DoubleToInt64Bits(d);
        int e = (int)((bits >> 52) & 0x7FF);
        ulong frac = (ulong)bits & ((1UL << 52) - 1);
        return new WideFloat(d < 0, e - 1023, (UInt128)((1UL << 52) | frac) << 75);
    }

    /// <summary>Rounds to an extended value with the control word's rounding (64 bits: precision
    /// control does not apply to the transcendentals), raising PE/UE/OE and C1 as arithmetic does.</summary>
    public Float80 ToFloat80(ushort fcw, ref ushort flags)
    {
        if (IsZero) return Float80.Zero(Sign);
        // Nothing computed here is exact: keep the inexact flag even if the low 64 bits are 0.
        return Float80Math.RoundPack(Sign, Exp + Float80.Bias, Mant | 1, 64, fcw, ref flags);
    }

    /// <summary>Rounds a value known to be exact (no sticky bit added).</summary>
    public Float80 ToFloat80Exact(ushort fcw, ref ushort flags) =>
        IsZero ? Float80.Zero(Sign) : Float80Math.RoundPack(Sign, Exp + Float80.Bias, Mant, 64, fcw, ref flags);

    public WideFloat Negate() => new(!Sign, Exp, Mant);
    public WideFloat Abs() => new(false, Exp, Mant);
    public WideFloat Scale(int n) => IsZero ? this : new(Sign, Exp + n, Mant);

    public static WideFloat operator -(WideFloat a) => a.Negate();

    public static WideFloat operator *(WideFloat a, WideFloat b)
    {
        if (a.IsZero || b.IsZero) return new WideFloat(a.Sign ^ b.Sign, 0, 0);
        UInt128 hi = MulHigh(a.Mant, b.Mant, out UInt128 lo);
        int e = a.Exp + b.Exp;
        if ((hi >> 127) != 0) e++;
        else hi = (hi << 1) | (lo >> 127);
        return new WideFloat(a.Sign ^ b.Sign, e, hi);
    }

    /// <summary>The 256-bit product's high and low halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 MulHigh(UInt128 a, UInt128 b, out UInt128 lo)
    {
        ulong a1 = (ulong)(a >> 64), a0 = (ulong)a, b1 = (ulong)(b >> 64), b0 = (ulong)b;
        UInt128 p00 = (UInt128)a0 * b0, p01 = (UInt128)a0 * b1, p10 = (UInt128)a1 * b0, p11 = (UInt128)a1 * b1;
        UInt128 mid = (p00 >> 64) + (ulong)p01 + (ulong)p10;
        lo = (mid << 64) | (ulong)p00;
        return p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    }

    public static WideFloat operator +(WideFloat a, WideFloat b)
    {
        if (a.IsZero) return b;
        if (b.IsZero) return a;
        if (b.Exp > a.Exp || (b.Exp == a.Exp && b.Mant > a.Mant)) (a, b) = (b, a);
        int d = a.Exp - b.Exp;
        // One guard bit below the significand: shift both right by one first.
        UInt128 x = a.Mant >> 1;
        UInt128 y = d >= 127 ? 0 : b.Mant >> (d + 1);
        if (a.Sign == b.Sign)
            return new WideFloat(a.Sign, a.Exp + 1, x + y);
        return new WideFloat(a.Sign, a.Exp + 1, x - y);
    }

    public static WideFloat operator -(WideFloat a, WideFloat b) => a + b.Negate();

    /// <summary>1/b by Newton–Raphson from a double seed (53 → 106 → ~126 bits).</summary>
    public static WideFloat Reciprocal(WideFloat b)
    {
        var m = new WideFloat(false, 0, b.Mant);
        var r = FromDouble(1.0 / m.ToDouble());
        for (int k = 0; k < 2; k++) r += r * (One - m * r);
        return new WideFloat(b.Sign, r.Exp - b.Exp, r.Mant);
    }

    public static WideFloat operator /(WideFloat a, WideFloat b) => a * Reciprocal(b);

    public static bool operator >(WideFloat a, WideFloat b) => Compare(a, b) > 0;
    public static bool operator <(WideFloat a, WideFloat b) => Compare(a, b) < 0;

    private static int Compare(WideFloat a, WideFloat b)
    {
        if (a.IsZero && b.IsZero) return 0;
        if (a.IsZero) return b.Sign ? 1 : -1;
        if (b.IsZero) return a.Sign ? -1 : 1;
        if (a.Sign != b.Sign) return a.Sign ? -1 : 1;
        int m = a.Exp != b.Exp ? a.Exp.CompareTo(b.Exp) : a.Mant.CompareTo(b.Mant);
        return a.Sign ? -m : m;
    }

    public override string ToString() => $"{(Sign ? "-" : "")}{(ulong)(Mant >> 64):X16}{(ulong)Mant:X16}p{Exp}";
}
