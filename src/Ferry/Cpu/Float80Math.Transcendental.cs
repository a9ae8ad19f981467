namespace Ferry.Cpu;

/// <summary>The x87 transcendental instructions. Each is evaluated in <see cref="WideFloat"/> (about
/// 125 good bits) and rounded once to 64 bits with RC, which reproduces the hardware's (nearly
/// correctly rounded) results in the vast majority of cases. Like the hardware, FSIN/FCOS/FSINCOS/FPTAN
/// reduce their argument exactly against a 66-bit approximation of π, not against π itself.</summary>
public static partial class Float80Math
{
    private static readonly WideFloat Ln2 = new(false, -1, new UInt128(0xB17217F7D1CF79AB, 0xC9E3B39803F2F6AF));
    private static readonly WideFloat Log2E = new(false, 0, new UInt128(0xB8AA3B295C17F0BB, 0xBE87FED0691D3E89));
    private static readonly WideFloat Pi = new(false, 1, new UInt128(0xC90FDAA22168C234, 0xC4C6628B80DC1CD1));
    private static readonly WideFloat HalfPi = new(false, 0, new UInt128(0xC90FDAA22168C234, 0xC4C6628B80DC1CD1));
    private static readonly WideFloat QuarterPi = new(false, -1, new UInt128(0xC90FDAA22168C234, 0xC4C6628B80DC1CD1));
    private static readonly WideFloat ThreeQuarterPi = new(false, 1, new UInt128(0x96CBE3F9990E91A7, 0x9394C9E8A0A5159D));
    private static readonly WideFloat Sqrt2 = new(false, 0, new UInt128(0xB504F333F9DE6484, 0x597D89B3754ABE9F));
    private static readonly WideFloat Atan1Eighths = new(false, -4, new UInt128(0xFEADD4D5617B6E32, 0xC897989F3E888EF8));
    private static readonly WideFloat Atan2Eighths = new(false, -3, new UInt128(0xFADBAFC96406EB15, 0x6DC79EF5F7A217E6));
    private static readonly WideFloat Atan3Eighths = new(false, -2, new UInt128(0xB7B0CA0F26F78473, 0x8AA32122DCFE4483));
    private static readonly WideFloat Atan4Eighths = new(false, -2, new UInt128(0xED63382B0DDA7B45, 0x6FE445ECBC3A8D03));
    private static readonly WideFloat Atan5Eighths = new(false, -1, new UInt128(0x8F005D5EF7F59F9B, 0x5C835E1665C43748));
    private static readonly WideFloat Atan6Eighths = new(false, -1, new UInt128(0xA4BC7D1934F70924, 0x19A87F2A457DAC9F));
    private static readonly WideFloat Atan7Eighths = new(false, -1, new UInt128(0xB8053E2BC2319E73, 0xCB2DA55210A4443D));
    private static readonly WideFloat Atan8Eighths = new(false, -1, new UInt128(0xC90FDAA22168C234, 0xC4C6628B80DC1CD1));
    /// <summary>π/2 as the x87 knows it: π·2^64 truncated to an integer (66 bits), scaled by 2^−65.</summary>
    private static readonly UInt128 HalfPi66 = new(0x3, 0x243F_6A88_85A3_08D3);

    private static readonly WideFloat[] AtanEighths =
        [WideFloat.Zero, Atan1Eighths, Atan2Eighths, Atan3Eighths, Atan4Eighths, Atan5Eighths, Atan6Eighths, Atan7Eighths, Atan8Eighths];

    /// <summary>1/n for the series' coefficients.</summary>
    private static readonly WideFloat[] InverseOf = BuildInverses(80);

    private static WideFloat[] BuildInverses(int n)
    {
        var t = new WideFloat[n];
        for (int k = 1; k < n; k++) t[k] = WideFloat.Reciprocal(WideFloat.FromInt(k));
        return t;
    }

    /// <summary>True once <paramref name="term"/> no longer affects a sum of magnitude 2^<paramref name="sumExp"/>.</summary>
    private static bool Negligible(WideFloat term, int sumExp) => term.IsZero || term.Exp < sumExp - 130;

    /// <summary>e^t − 1 by its Taylor series (|t| ≲ 0.7).</summary>
    private static WideFloat Expm1(WideFloat t)
    {
        var sum = t;
        var term = t;
        for (int n = 2; n < InverseOf.Length; n++)
        {
            term = term * t * InverseOf[n];
            if (Negligible(term, sum.Exp)) break;
            sum += term;
        }
        return sum;
    }

    /// <summary>atanh(s) = s + s³/3 + s⁵/5 + … (|s| ≲ 0.18), i.e. ½·ln((1+s)/(1−s)).</summary>
    private static WideFloat Atanh(WideFloat s)
    {
        var s2 = s * s;
        var sum = s;
        var power = s;
        for (int n = 3; n < InverseOf.Length; n += 2)
        {
            power *= s2;
            var term = power * InverseOf[n];
            if (Negligible(term, sum.Exp)) break;
            sum += term;
        }
        return sum;
    }

    /// <summary>atan(t) = t − t³/3 + t⁵/5 − … (|t| ≤ 1/16).</summary>
    private static WideFloat AtanSeries(WideFloat t)
    {
        var t2 = t * t;
        var sum = t;
        var power = t;
        for (int n = 3; n < InverseOf.Length; n += 2)
        {
            power = -(power * t2);
            var term = power * InverseOf[n];
            if (Negligible(term, sum.Exp)) break;
            sum += term;
        }
        return sum;
    }

    /// <summary>atan(z) for 0 ≤ z ≤ 1: atan(k/8) from a table plus the series of the remainder
    /// t = (z − k/8)/(1 + z·k/8).</summary>
    private static WideFloat Atan(WideFloat z)
    {
        int k = (int)Math.Round(z.ToDouble() * 8);
        if (k == 0) return AtanSeries(z);
        var c = WideFloat.FromInt(k).Scale(-3);
        var t = (z - c) / (WideFloat.One + z * c);
        return AtanEighths[k] + AtanSeries(t);
    }

    /// <summary>sin and cos of |r| ≤ π/4 by their Taylor series.</summary>
    private static void SinCosSeries(WideFloat r, out WideFloat sin, out WideFloat cos)
    {
        var r2 = r * r;
        sin = r;
        var term = r;
        for (int n = 2; n + 1 < InverseOf.Length; n += 2)
        {
            term = -(term * r2 * InverseOf[n] * InverseOf[n + 1]);
            if (Negligible(term, sin.Exp)) break;
            sin += term;
        }
        cos = WideFloat.One;
        term = WideFloat.One;
        for (int n = 1; n + 1 < InverseOf.Length; n += 2)
        {
            term = -(term * r2 * InverseOf[n] * InverseOf[n + 1]);
            if (Negligible(term, 0)) break;
            cos += term;
        }
    }

    /// <summary>Reduces finite |x| &lt; 2^63 to r = |x| − q·π₆₆/2 with |r| ≤ π₆₆/4, exactly.</summary>
    private static WideFloat ReduceTrig(Float80 x, out int quadrant)
    {
        quadrant = 0;
        Unpack(x, out int ex, out ulong m);
        int e = ex - Bias;
        if (e < -1) return new WideFloat(false, e, (UInt128)m << 64);
        // |x|·2^65 as an integer (e ≤ 62, so it fits in 128 bits), divided by π₆₆/2·2^65.
        UInt128 big = (UInt128)m << (e + 2);
        UInt128 q = big / HalfPi66;
        UInt128 rem = big - q * HalfPi66;
        bool negative = false;
        if (rem << 1 > HalfPi66)
        {
            q++;
            rem = HalfPi66 - rem;
            negative = true;
        }
        quadrant = (int)(q & 3);
        return new WideFloat(negative, 127 - 65, rem);
    }

    /// <summary>The shared front end of FSIN, FCOS, FSINCOS and FPTAN. Returns false with C2 semantics
    /// (operand out of range, nothing changes) when |x| ≥ 2^63.</summary>
    private static bool TrigOperand(Float80 x, ref ushort flags, out Float80 special, out bool isSpecial)
    {
        isSpecial = true;
        special = default;
        switch (x.Class)
        {
            case Float80Class.Unsupported:
            case Float80Class.Infinity:
                special = Invalid(ref flags);
                return true;
            case Float80Class.QNaN:
            case Float80Class.SNaN:
                special = PropagateNaN(x, ref flags);
                return true;
            case Float80Class.Zero:
                special = x;
                return true;
            case Float80Class.Denormal:
                flags |= X87Status.DE;
                break;
        }
        isSpecial = false;
        return x.Exponent - Bias < 63;
    }

    /// <summary>FSIN. Returns false (C2 = 1, ST(0) unchanged) when |x| ≥ 2^63.</summary>
    public static bool Sin(Float80 x, ushort fcw, ref ushort flags, out Float80 result)
    {
        if (!TrigOperand(x, ref flags, out result, out bool done)) return false;
        if (done) return true;
        SinCosOf(x, out var s, out _);
        result = s.ToFloat80(fcw, ref flags);
        return true;
    }

    /// <summary>FCOS. Returns false (C2 = 1) when |x| ≥ 2^63.</summary>
    public static bool Cos(Float80 x, ushort fcw, ref ushort flags, out Float80 result)
    {
        if (!TrigOperand(x, ref flags, out result, out bool done)) return false;
        if (done)
        {
            if (x.IsZero) result = Float80.One;
            return true;
        }
        SinCosOf(x, out _, out var c);
        result = c.ToFloat80(fcw, ref flags);
        return true;
    }

    /// <summary>FSINCOS. Returns false (C2 = 1) when |x| ≥ 2^63.</summary>
    public static bool SinCos(Float80 x, ushort fcw, ref ushort flags, out Float80 sin, out Float80 cos)
    {
        cos = default;
        if (!TrigOperand(x, ref flags, out sin, out bool done)) return false;
        if (done)
        {
            cos = x.IsZero ? Float80.One : sin;
            return true;
        }
        SinCosOf(x, out var s, out var c);
        ushort cosFlags = 0;
        cos = c.ToFloat80(fcw, ref cosFlags);
        sin = s.ToFloat80(fcw, ref flags);
        flags |= (ushort)(cosFlags & ~X87Status.C1);
        return true;
    }

    /// <summary>FPTAN's tangent (the instruction then pushes 1.0). Returns false (C2 = 1) when |x| ≥ 2^63.</summary>
    public static bool Tan(Float80 x, ushort fcw, ref ushort flags, out Float80 result)
    {
        if (!TrigOperand(x, ref flags, out result, out bool done)) return false;
        if (done) return true;
        var r = ReduceTrig(x, out int q);
        SinCosSeries(r, out var s, out var c);
        var t = (q & 1) == 0 ? s / c : -(c / s);
        if (x.Sign) t = -t;
        result = t.ToFloat80(fcw, ref flags);
        return true;
    }

    private static void SinCosOf(Float80 x, out WideFloat sin, out WideFloat cos)
    {
        var r = ReduceTrig(x, out int q);
        SinCosSeries(r, out var s, out var c);
        (sin, cos) = q switch
        {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
        if (x.Sign) sin = -sin;
    }

    /// <summary>F2XM1: 2^x − 1, defined for −1 ≤ x ≤ 1.</summary>
    public static Float80 TwoToXMinus1(Float80 x, ushort fcw, ref ushort flags)
    {
        switch (x.Class)
        {
            case Float80Class.Unsupported: return Invalid(ref flags);
            case Float80Class.QNaN:
            case Float80Class.SNaN: return PropagateNaN(x, ref flags);
            case Float80Class.Zero: return x;
            case Float80Class.Infinity: return x.Sign ? new Float80(true, Bias, Float80.IntegerBit) : x;
            case Float80Class.Denormal: flags |= X87Status.DE; break;
        }
        if (x.Exponent >= Bias)
        {
            // Outside the defined range the hardware leaves the operand alone (but reports PE). At ±1
            // it computes as usual and its approximations land just inside: 1 − ε and −(½ + ε).
            if (x.Mantissa != Float80.IntegerBit || x.Exponent != Bias)
            {
                flags |= X87Status.PE;
                return x;
            }
            var nearly = x.Sign ? new WideFloat(true, -1, (UInt128.One << 127) | 1) : new WideFloat(false, -1, UInt128.MaxValue);
            return nearly.ToFloat80(fcw, ref flags);
        }
        var t = WideFloat.FromFloat80(x) * Ln2;
        return Expm1(t).ToFloat80(fcw, ref flags);
    }

    /// <summary>log2 of a finite positive value: e + ln(m)/ln 2 with m folded into [√½, √2).
    /// <paramref name="exact"/> reports a power of two, whose logarithm is the exact integer e.</summary>
    private static WideFloat Log2(WideFloat u, out bool exact)
    {
        int e = u.Exp;
        exact = u.Mant == UInt128.One << 127;
        if (exact) return WideFloat.FromInt(e);
        var m = new WideFloat(false, 0, u.Mant);
        if (m > Sqrt2)
        {
            m = m.Scale(-1);
            e++;
        }
        var s = (m - WideFloat.One) / (m + WideFloat.One);
        var ln = Atanh(s).Scale(1);
        return WideFloat.FromInt(e) + ln * Log2E;
    }

    /// <summary>y·l rounded; an exact product (l an integer) is still reported inexact, as the hardware does.</summary>
    private static Float80 RoundProduct(Float80 y, WideFloat l, bool exact, ushort fcw, ref ushort flags)
    {
        var r = WideFloat.FromFloat80(y) * l;
        if (!exact) return r.ToFloat80(fcw, ref flags);
        var v = r.ToFloat80Exact(fcw, ref flags);
        flags |= X87Status.PE;
        return v;
    }

    /// <summary>FYL2X: y·log2(x) (x = ST(0), y = ST(1)).</summary>
    public static Float80 YLog2X(Float80 x, Float80 y, ushort fcw, ref ushort flags)
    {
        var cx = x.Class;
        var cy = y.Class;
        if (SpecialOperands(x, y, cx, cy, ref flags, out var special)) return special;
        if (x.Sign && cx != Float80Class.Zero) return Invalid(ref flags);
        bool yZero = cy == Float80Class.Zero, yInf = cy == Float80Class.Infinity;
        if (cx == Float80Class.Zero)
        {
            if (yZero) return Invalid(ref flags);
            if (cy == Float80Class.Denormal) flags |= X87Status.DE;
            if (!yInf) flags |= X87Status.ZE;
            return Float80.Infinity(!y.Sign);
        }
        if (cx == Float80Class.Infinity)
        {
            if (yZero) return Invalid(ref flags);
            if (cy == Float80Class.Denormal) flags |= X87Status.DE;
            return Float80.Infinity(y.Sign);
        }
        if (cx == Float80Class.Denormal || cy == Float80Class.Denormal) flags |= X87Status.DE;
        bool one = x.Exponent == Bias && x.Mantissa == Float80.IntegerBit;
        if (one)
        {
            if (yInf) return Invalid(ref flags);
            return Float80.Zero(y.Sign);
        }
        bool below1 = x.Exponent < Bias;
        if (yInf) return Float80.Infinity(y.Sign ^ below1);
        if (yZero) return Float80.Zero(y.Sign ^ below1);
        var l = Log2(WideFloat.FromFloat80(x), out bool exact);
        return RoundProduct(y, l, exact, fcw, ref flags);
    }

    /// <summary>FYL2XP1: y·log2(1 + x), accurate for small x (x = ST(0), y = ST(1)). Defined for
    /// |x| &lt; 1 − √½; beyond, the hardware still computes it for x &gt; −1 and returns x itself for x ≤ −1.</summary>
    public static Float80 YLog2XPlus1(Float80 x, Float80 y, ushort fcw, ref ushort flags)
    {
        var cx = x.Class;
        var cy = y.Class;
        if (SpecialOperands(x, y, cx, cy, ref flags, out var special)) return special;
        bool xZero = cx == Float80Class.Zero, yZero = cy == Float80Class.Zero;
        bool yInf = cy == Float80Class.Infinity;
        if (cx == Float80Class.Infinity)
        {
            if (x.Sign || yZero) return Invalid(ref flags);
            return Float80.Infinity(y.Sign);
        }
        if (xZero && yInf) return Invalid(ref flags);
        if (cx == Float80Class.Denormal || cy == Float80Class.Denormal) flags |= X87Status.DE;
        if (xZero || yZero) return Float80.Zero(x.Sign ^ y.Sign);
        if (x.Sign && x.Exponent >= Bias)
        {
            flags |= X87Status.PE;
            return x;
        }
        if (yInf) return Float80.Infinity(x.Sign ^ y.Sign);
        var wx = WideFloat.FromFloat80(x);
        if (x.Exponent < Bias - 2)
        {
            // |x| < ¼: ln(1+x) = 2·atanh(x/(2+x)) keeps full relative precision for tiny x.
            var s = wx / (WideFloat.Two + wx);
            var l = Atanh(s).Scale(1) * Log2E;
            return (WideFloat.FromFloat80(y) * l).ToFloat80(fcw, ref flags);
        }
        var lg = Log2(WideFloat.One + wx, out bool exact);
        return RoundProduct(y, lg, exact, fcw, ref flags);
    }

    /// <summary>FPATAN: the angle of (x, y) = (ST(0), ST(1)), in (−π, π].</summary>
    public static Float80 Atan2(Float80 y, Float80 x, ushort fcw, ref ushort flags)
    {
        var cx = x.Class;
        var cy = y.Class;
        if (SpecialOperands(y, x, cy, cx, ref flags, out var special)) return special;
        if (cx == Float80Class.Denormal || cy == Float80Class.Denormal) flags |= X87Status.DE;
        WideFloat angle;
        if (cy == Float80Class.Zero)
        {
            if (!x.Sign) return y;
            angle = Pi;
        }
        else if (cx == Float80Class.Zero) angle = HalfPi;
        else if (cy == Float80Class.Infinity)
            angle = cx != Float80Class.Infinity ? HalfPi : x.Sign ? ThreeQuarterPi : QuarterPi;
        else if (cx == Float80Class.Infinity)
        {
            if (!x.Sign) return Float80.Zero(y.Sign);
            angle = Pi;
        }
        else
        {
            var wx = WideFloat.FromFloat80(x).Abs();
            var wy = WideFloat.FromFloat80(y).Abs();
            bool steep = wy > wx;
            var a = Atan(steep ? wx / wy : wy / wx);
            if (steep) a = HalfPi - a;
            if (x.Sign) a = Pi - a;
            angle = a;
        }
        if (y.Sign) angle = -angle;
        return angle.ToFloat80(fcw, ref flags);
    }
}
