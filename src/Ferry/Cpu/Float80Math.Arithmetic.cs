namespace Ferry.Cpu;

public static partial class Float80Math
{
    public static Float80 Add(Float80 a, Float80 b, ushort fcw, ref ushort flags) => AddSub(a, b, false, fcw, ref flags);

    public static Float80 Sub(Float80 a, Float80 b, ushort fcw, ref ushort flags) => AddSub(a, b, true, fcw, ref flags);

    private static Float80 AddSub(Float80 a, Float80 b, bool subtract, ushort fcw, ref ushort flags)
    {
        var ca = a.Class;
        var cb = b.Class;
        if (SpecialOperands(a, b, ca, cb, ref flags, out var special)) return special;
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        bool sa = a.Sign, sb = b.Sign ^ subtract;
        if (ca == Float80Class.Infinity || cb == Float80Class.Infinity)
        {
            if (ca == Float80Class.Infinity && cb == Float80Class.Infinity && sa != sb) return Invalid(ref flags);
            return Float80.Infinity(ca == Float80Class.Infinity ? sa : sb);
        }
        int precision = X87Status.Precision(fcw);
        if (ca == Float80Class.Zero && cb == Float80Class.Zero)
            return Float80.Zero(sa == sb ? sa : X87Status.RoundingControl(fcw) == X87Status.RoundDown);
        if (cb == Float80Class.Zero) return Reround(a, precision, fcw, ref flags);
        if (ca == Float80Class.Zero) return Reround(b.WithSign(sb), precision, fcw, ref flags);

        Unpack(a, out int ea, out ulong ma);
        Unpack(b, out int eb, out ulong mb);
        // Order by magnitude so the difference of significands is never negative.
        if (eb > ea || (eb == ea && mb > ma))
        {
            (ea, eb) = (eb, ea);
            (ma, mb) = (mb, ma);
            (sa, sb) = (sb, sa);
        }
        // Significands sit at bits 126..63, leaving a carry bit above and 63 guard bits below.
        UInt128 x = (UInt128)ma << 63;
        UInt128 y = ShiftRightJam((UInt128)mb << 63, ea - eb);
        UInt128 z;
        if (sa == sb) z = x + y;
        else
        {
            z = x - y;
            if (z == 0) return Float80.Zero(X87Status.RoundingControl(fcw) == X87Status.RoundDown);
        }
        return RoundPack(sa, ea + 1, z, precision, fcw, ref flags);
    }

    /// <summary>A finite non-zero operand passed through an operation unchanged still gets rounded
    /// to the precision-control width (and may underflow).</summary>
    private static Float80 Reround(Float80 x, int precision, ushort fcw, ref ushort flags)
    {
        Unpack(x, out int e, out ulong m);
        return RoundPack(x.Sign, e, (UInt128)m << 64, precision, fcw, ref flags);
    }

    public static Float80 Mul(Float80 a, Float80 b, ushort fcw, ref ushort flags)
    {
        var ca = a.Class;
        var cb = b.Class;
        if (SpecialOperands(a, b, ca, cb, ref flags, out var special)) return special;
        bool sign = a.Sign ^ b.Sign;
        if ((ca == Float80Class.Infinity && cb == Float80Class.Zero) || (ca == Float80Class.Zero && cb == Float80Class.Infinity))
            return Invalid(ref flags);
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        if (ca == Float80Class.Infinity || cb == Float80Class.Infinity) return Float80.Infinity(sign);
        if (ca == Float80Class.Zero || cb == Float80Class.Zero) return Float80.Zero(sign);
        Unpack(a, out int ea, out ulong ma);
        Unpack(b, out int eb, out ulong mb);
        UInt128 p = (UInt128)ma * mb;
        return RoundPack(sign, ea + eb - Bias + 1, p, X87Status.Precision(fcw), fcw, ref flags);
    }

    public static Float80 Div(Float80 a, Float80 b, ushort fcw, ref ushort flags)
    {
        var ca = a.Class;
        var cb = b.Class;
        if (SpecialOperands(a, b, ca, cb, ref flags, out var special)) return special;
        bool sign = a.Sign ^ b.Sign;
        if ((ca == Float80Class.Infinity && cb == Float80Class.Infinity) || (ca == Float80Class.Zero && cb == Float80Class.Zero))
            return Invalid(ref flags);
        if (cb == Float80Class.Zero && ca != Float80Class.Infinity)
        {
            // Division by zero is detected before a denormal dividend is.
            flags |= X87Status.ZE;
            return Float80.Infinity(sign);
        }
        if (ca == Float80Class.Denormal || cb == Float80Class.Denormal) flags |= X87Status.DE;
        if (ca == Float80Class.Infinity) return Float80.Infinity(sign);
        if (cb == Float80Class.Infinity) return Float80.Zero(sign);
        if (ca == Float80Class.Zero) return Float80.Zero(sign);
        Unpack(a, out int ea, out ulong ma);
        Unpack(b, out int eb, out ulong mb);
        var q = Quotient(ma, mb, out int adjust);
        return RoundPack(sign, ea - eb + Bias + adjust, q, X87Status.Precision(fcw), fcw, ref flags);
    }

    /// <summary>ma/mb (both normalized) as a 128-bit fixed-point value with its leading 1 at bit
    /// 127 and the last bit sticky; <paramref name="adjust"/> is the power of two to apply (0 or −1)
    /// so that the value reads as [1, 2).</summary>
    internal static UInt128 Quotient(ulong ma, ulong mb, out int adjust)
    {
        // Long division in 64-bit digits: the leading digit is 0 or 1 since both are normalized.
        bool one = ma >= mb;
        UInt128 r = one ? ma - mb : ma;
        UInt128 n = r << 64;
        ulong q1 = (ulong)(n / mb);
        n = (n % mb) << 64;
        ulong q2 = (ulong)(n / mb);
        bool sticky = n % mb != 0;
        UInt128 q = ((UInt128)q1 << 64) | q2;
        if (one)
        {
            sticky |= (q & 1) != 0;
            q = (UInt128.One << 127) | (q >> 1);
            adjust = 0;
        }
        else adjust = -1; // ma/mb ≥ 1/2, so q1 already has its top bit set
        return sticky ? q | 1 : q;
    }

    public static Float80 Sqrt(Float80 a, ushort fcw, ref ushort flags)
    {
        switch (a.Class)
        {
            case Float80Class.Unsupported: return Invalid(ref flags);
            case Float80Class.QNaN:
            case Float80Class.SNaN: return PropagateNaN(a, ref flags);
            case Float80Class.Zero: return a;
            case Float80Class.Infinity: return a.Sign ? Invalid(ref flags) : a;
        }
        if (a.Sign) return Invalid(ref flags); // before the denormal check: −denormal raises IE alone
        if (a.Class == Float80Class.Denormal) flags |= X87Status.DE;
        Unpack(a, out int ea, out ulong ma);
        int e = ea - Bias;
        // Radicand with two integer bits (bits 127..126): m in [1, 4) with an even exponent left over.
        UInt128 x = (e & 1) != 0 ? (UInt128)ma << 64 : (UInt128)ma << 63;
        if ((e & 1) != 0) e--;
        UInt128 root = 0, rem = 0;
        for (int k = 0; k < 68; k++)
        {
            ulong pair = k < 64 ? (ulong)(x >> 126) : 0;
            x <<= 2;
            rem = (rem << 2) | pair;
            UInt128 trial = (root << 2) | 1;
            root <<= 1;
            if (rem >= trial) { rem -= trial; root |= 1; }
        }
        // root = sqrt(m)·2^67 with its top bit at 67.
        UInt128 sig = root << 60;
        if (rem != 0) sig |= 1;
        return RoundPack(false, e / 2 + Bias, sig, X87Status.Precision(fcw), fcw, ref flags);
    }
}
