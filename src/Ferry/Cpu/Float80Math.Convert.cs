using System.Numerics;

namespace Ferry.Cpu;

public static partial class Float80Math
{
    private const int Single = 0, Double = 1;
    private static readonly (int Precision, int Bias, int ExpBits)[] Formats = [(24, 127, 8), (53, 1023, 11)];

    /// <summary>Widens a float32 exactly. Signaling NaNs stay signaling (the consumer raises IE);
    /// <paramref name="denormal"/> reports a denormal source, which raises DE.</summary>
    public static Float80 FromSingle(uint bits, out bool denormal) => FromBinary(bits, Single, out denormal);

    /// <summary>Widens a float64 exactly; see <see cref="FromSingle"/>.</summary>
    public static Float80 FromDouble(ulong bits, out bool denormal) => FromBinary(bits, Double, out denormal);

    private static Float80 FromBinary(ulong bits, int format, out bool denormal)
    {
        var (precision, bias, expBits) = Formats[format];
        int fracBits = precision - 1;
        bool sign = (bits >> (fracBits + expBits)) != 0;
        int e = (int)((bits >> fracBits) & ((1UL << expBits) - 1));
        ulong frac = bits & ((1UL << fracBits) - 1);
        denormal = false;
        if (e == (1 << expBits) - 1)
            return new Float80(sign, Float80.MaxExponent, Float80.IntegerBit | (frac << (64 - precision)));
        if (e == 0)
        {
            if (frac == 0) return Float80.Zero(sign);
            denormal = true;
            int lz = BitOperations.LeadingZeroCount(frac);
            // frac·2^(1−bias−fracBits), renormalized so its leading 1 is the integer bit.
            return new Float80(sign, Bias + 1 - bias - fracBits + 63 - lz, frac << lz);
        }
        return new Float80(sign, e - bias + Bias, Float80.IntegerBit | (frac << (64 - precision)));
    }

    /// <summary>FST m32fp: rounds with RC (precision control does not apply).</summary>
    public static uint ToSingle(Float80 x, ushort fcw, ref ushort flags) => (uint)ToBinary(x, Single, fcw, ref flags);

    /// <summary>FST m64fp: rounds with RC (precision control does not apply).</summary>
    public static ulong ToDouble(Float80 x, ushort fcw, ref ushort flags) => ToBinary(x, Double, fcw, ref flags);

    private static ulong ToBinary(Float80 x, int format, ushort fcw, ref ushort flags)
    {
        var (precision, bias, expBits) = Formats[format];
        int fracBits = precision - 1;
        ulong signBit = x.Sign ? 1UL << (fracBits + expBits) : 0;
        ulong expAll = ((1UL << expBits) - 1) << fracBits;
        switch (x.Class)
        {
            case Float80Class.Zero: return signBit;
            case Float80Class.Infinity: return signBit | expAll;
            case Float80Class.Unsupported:
                flags |= X87Status.IE;
                return (1UL << (fracBits + expBits)) | expAll | (1UL << (fracBits - 1));
            case Float80Class.QNaN:
            case Float80Class.SNaN:
                if (x.IsSignalingNaN) flags |= X87Status.IE;
                return signBit | expAll | (1UL << (fracBits - 1)) | ((x.Mantissa << 1) >> (65 - precision));
        }
        // Stores do not report denormal operands: the value just underflows.
        Unpack(x, out int e, out ulong m);
        var r = Round(x.Sign, e, (UInt128)m << 64, precision, Bias + 1 - bias, Bias + bias, fcw, ref flags, wrap: false);
        ulong mant = r.Mant >> (64 - precision);
        if (r.Exp > Bias + bias) return signBit | expAll;
        ulong be = (r.Mant & Float80.IntegerBit) == 0 ? 0UL : (ulong)(r.Exp - Bias + bias);
        return signBit | (be << fracBits) | (mant & ((1UL << fracBits) - 1));
    }

    /// <summary>FILD: every 64-bit integer is exact in extended precision.</summary>
    public static Float80 FromInt64(long v)
    {
        if (v == 0) return Float80.Zero(false);
        ulong mag = v < 0 ? (ulong)-v : (ulong)v;
        int lz = BitOperations.LeadingZeroCount(mag);
        return new Float80(v < 0, Bias + 63 - lz, mag << lz);
    }

    /// <summary>Rounds a finite value to an integer magnitude with <paramref name="rc"/>; the
    /// magnitude can reach 2^64 + (one rounding step), so it is returned as 128 bits.</summary>
    private static UInt128 RoundMagnitude(Float80 x, int rc, out bool inexact, out bool up)
    {
        inexact = up = false;
        if (x.Class == Float80Class.Zero) return 0;
        Unpack(x, out int exp, out ulong m);
        int e = exp - Bias;
        if (e >= 63)
            return e >= 127 ? UInt128.MaxValue : (UInt128)m << (e - 63);
        UInt128 intPart = e < 0 ? 0 : (UInt128)(m >> (63 - e));
        // The discarded fraction, left-aligned in 64 bits plus a sticky flag for bits beyond.
        ulong frac;
        bool sticky;
        if (e >= 0) { frac = m << (e + 1); sticky = false; }
        else if (e == -1) { frac = m; sticky = false; }
        else { frac = e < -64 ? 0 : m >> (-e - 1); sticky = e < -64 || (m << (64 + e + 1)) != 0; }
        if (e < -64) frac = 0;
        inexact = frac != 0 || sticky;
        bool inc = rc switch
        {
            X87Status.RoundNearest => frac > 1UL << 63 || (frac == 1UL << 63 && (sticky || (intPart & 1) != 0)),
            X87Status.RoundDown => x.Sign && inexact,
            X87Status.RoundUp => !x.Sign && inexact,
            _ => false,
        };
        up = inc;
        return inc ? intPart + 1 : intPart;
    }

    /// <summary>FIST/FISTP (RC) and FISTTP (<paramref name="truncate"/>) to a signed integer of
    /// <paramref name="bits"/> bits; out-of-range, NaN and infinity give the integer indefinite.</summary>
    public static long ToInt(Float80 x, int bits, bool truncate, ushort fcw, ref ushort flags)
    {
        long indefinite = bits == 64 ? long.MinValue : -(1L << (bits - 1));
        var c = x.Class;
        if (c is Float80Class.QNaN or Float80Class.SNaN or Float80Class.Infinity or Float80Class.Unsupported)
        {
            flags |= X87Status.IE;
            return indefinite;
        }
        var mag = RoundMagnitude(x, truncate ? X87Status.RoundChop : X87Status.RoundingControl(fcw), out bool inexact, out bool up);
        UInt128 limit = x.Sign ? UInt128.One << (bits - 1) : (UInt128.One << (bits - 1)) - 1;
        if (mag > limit)
        {
            flags |= X87Status.IE;
            return indefinite;
        }
        if (inexact) flags |= X87Status.PE;
        if (up) flags |= X87Status.C1;
        return x.Sign ? -(long)(ulong)mag : (long)(ulong)mag;
    }

    /// <summary>FRNDINT: rounds to an integral value with RC; precision control does not apply.</summary>
    public static Float80 RoundToIntegral(Float80 x, ushort fcw, ref ushort flags)
    {
        switch (x.Class)
        {
            case Float80Class.Unsupported: return Invalid(ref flags);
            case Float80Class.QNaN:
            case Float80Class.SNaN: return PropagateNaN(x, ref flags);
            case Float80Class.Zero:
            case Float80Class.Infinity: return x;
            case Float80Class.Denormal: flags |= X87Status.DE; break;
        }
        if (x.Exponent - Bias >= 63) return x;
        var mag = RoundMagnitude(x, X87Status.RoundingControl(fcw), out bool inexact, out bool up);
        if (inexact) flags |= X87Status.PE;
        if (up) flags |= X87Status.C1;
        if (mag == 0) return Float80.Zero(x.Sign);
        if (mag >> 64 != 0) return new Float80(x.Sign, Bias + 64, Float80.IntegerBit);
        ulong v = (ulong)mag;
        int lz = BitOperations.LeadingZeroCount(v);
        return new Float80(x.Sign, Bias + 63 - lz, v << lz);
    }

    /// <summary>FBLD: 18 packed BCD digits and a sign byte; invalid digits are taken at face value.</summary>
    public static Float80 FromBcd(ReadOnlySpan<byte> b)
    {
        ulong v = 0;
        for (int k = 8; k >= 0; k--)
            v = v * 100 + (ulong)(b[k] >> 4) * 10 + (ulong)(b[k] & 15);
        bool sign = (b[9] & 0x80) != 0;
        if (v == 0) return Float80.Zero(sign);
        int lz = BitOperations.LeadingZeroCount(v);
        return new Float80(sign, Bias + 63 - lz, v << lz);
    }

    /// <summary>FBSTP: rounds with RC; values of 18 digits or more, NaNs and infinities store the BCD indefinite.</summary>
    public static void ToBcd(Float80 x, Span<byte> b, ushort fcw, ref ushort flags)
    {
        var c = x.Class;
        UInt128 mag = 0;
        bool ok = c is not (Float80Class.QNaN or Float80Class.SNaN or Float80Class.Infinity or Float80Class.Unsupported);
        if (ok)
        {
            mag = RoundMagnitude(x, X87Status.RoundingControl(fcw), out bool inexact, out bool up);
            ok = mag <= 999_999_999_999_999_999UL;
            if (ok)
            {
                if (inexact) flags |= X87Status.PE;
                if (up) flags |= X87Status.C1;
            }
        }
        if (!ok)
        {
            flags |= X87Status.IE;
            b.Clear();
            b[7] = 0xC0; b[8] = 0xFF; b[9] = 0xFF;
            return;
        }
        ulong v = (ulong)mag;
        for (int k = 0; k < 9; k++)
        {
            ulong two = v % 100;
            v /= 100;
            b[k] = (byte)(((two / 10) << 4) | (two % 10));
        }
        b[9] = (byte)(x.Sign ? 0x80 : 0);
    }
}
