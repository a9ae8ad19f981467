namespace Ferry.Cpu;

public static partial class Float80Math
{
    /// <summary>FSCALE: a·2^trunc(b), rounded to 64 bits (precision control does not apply).</summary>
    public static Float80 Scale(Float80 a, Float80 b, ushort fcw, ref ushort flags)
    {
        var ca = a.Class;
        var cb = b.Class;
        if (SpecialOperands(a, b, ca, cb, ref flags, out var special)) return special;
        if (cb == Float80Class.Infinity)
        {
            // ±∞ scale: a 0·2^+∞ or ∞·2^−∞ has no value.
            if ((ca == Float80Class.Zero && !b.Sign) || (ca == Float80Class.Infinity && b.Sign)) return Invalid(ref flags);
            if (ca == Float80Class.Denormal) flags |= X87Status.DE;
            if (ca is Float80Class.Zero or Float80Class.Infinity) return a;
            return b.Sign ? Float80.Zero(a.Sign) : Float80.Infinity(a.Sign);
        }
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        if (ca is Float80Class.Zero or Float80Class.Infinity) return a;
        int n = TruncatedExponentScale(b);
        Unpack(a, out int ea, out ulong ma);
        return RoundPack(a.Sign, ea + n, (UInt128)ma << 64, 64, fcw, ref flags);
    }

    /// <summary>trunc(b) as an int, clamped far outside the exponent range (the result then
    /// over/underflows the same way).</summary>
    private static int TruncatedExponentScale(Float80 b)
    {
        if (b.Class is Float80Class.Zero or Float80Class.Denormal) return 0;
        int e = b.Exponent - Bias;
        if (e < 0) return 0;
        int n = e >= 20 ? 1 << 20 : (int)(b.Mantissa >> (63 - e));
        return b.Sign ? -n : n;
    }

    /// <summary>FXTRACT: splits x into its unbiased exponent (as a value) and its significand
    /// (exponent 0, sign kept). Zero gives −∞ and raises divide-by-zero.</summary>
    public static (Float80 Exponent, Float80 Significand) Extract(Float80 x, ref ushort flags)
    {
        switch (x.Class)
        {
            case Float80Class.Unsupported:
                flags |= X87Status.IE;
                return (Float80.Indefinite, Float80.Indefinite);
            case Float80Class.QNaN:
            case Float80Class.SNaN:
                var n = PropagateNaN(x, ref flags);
                return (n, n);
            case Float80Class.Zero:
                flags |= X87Status.ZE;
                return (Float80.Infinity(true), x);
            case Float80Class.Infinity:
                return (Float80.Infinity(false), x);
            case Float80Class.Denormal:
                flags |= X87Status.DE;
                break;
        }
        Unpack(x, out int e, out ulong m);
        return (FromInt64(e - Bias), new Float80(x.Sign, Bias, m));
    }

    /// <summary>FPREM (truncating quotient) and FPREM1 (<paramref name="ieee"/>: round-to-nearest
    /// quotient). The remainder is exact. <paramref name="quotient"/> gets the low three quotient
    /// bits, <see cref="Partial"/> when the reduction is partial (C2: exponents 64 or more apart
    /// are reduced in steps), or <see cref="NoQuotient"/> for invalid and NaN operands.</summary>
    public static Float80 Remainder(Float80 a, Float80 b, bool ieee, ushort fcw, ref ushort flags, out int quotient)
    {
        quotient = NoQuotient;
        var ca = a.Class;
        var cb = b.Class;
        if (SpecialOperands(a, b, ca, cb, ref flags, out var special)) return special;
        if (ca == Float80Class.Infinity || cb == Float80Class.Zero) return Invalid(ref flags);
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        quotient = 0;
        if (ca == Float80Class.Zero) return a;
        Unpack(a, out int ea, out ulong ma);
        if (cb == Float80Class.Infinity) return RoundPack(a.Sign, ea + 64, ma, 64, fcw, ref flags);
        Unpack(b, out int eb, out ulong mb);
        int d = ea - eb;
        // The dividend comes back unchanged, but normalized (pseudo-denormals lose their odd encoding).
        if (d < -1 || (d == -1 && !ieee)) return RoundPack(a.Sign, ea + 64, ma, 64, fcw, ref flags);
        bool sign = a.Sign;
        UInt128 r;
        int rexp; // the remainder is r·2^(rexp−Bias−63)
        if (d >= 64)
        {
            // A partial step retires enough quotient bits to leave an exponent difference that is a
            // multiple of 32 (between 32 and 63 bits per step), truncating even for FPREM1.
            int n = 32 + (d & 31);
            r = ((UInt128)ma << n) % mb;
            rexp = ea - n;
            quotient = Partial;
        }
        else
        {
            // a = x·2^(rexp−Bias−63) and b = y·2^(rexp−Bias−63), both exactly.
            UInt128 x = d >= 0 ? (UInt128)ma << d : ma;
            UInt128 y = d >= 0 ? mb : (UInt128)mb << 1;
            rexp = d >= 0 ? eb : eb - 1;
            UInt128 q = x / y;
            r = x % y;
            if (ieee)
            {
                UInt128 twice = r << 1;
                if (twice > y || (twice == y && (q & 1) != 0))
                {
                    q++;
                    r = y - r;
                    sign = !sign;
                }
            }
            quotient = (int)(q & 7);
        }
        if (r == 0) return Float80.Zero(a.Sign);
        return RoundPack(sign, rexp + 64, r, 64, fcw, ref flags);
    }

    /// <summary><see cref="Remainder"/>'s quotient when the reduction is incomplete (C2 = 1).</summary>
    public const int Partial = -1;
    /// <summary><see cref="Remainder"/>'s quotient when the result is a NaN: C0 and C3 are left alone.</summary>
    public const int NoQuotient = -2;
}
