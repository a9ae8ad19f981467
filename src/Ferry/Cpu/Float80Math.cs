using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ferry.Cpu;

/// <summary>x87 arithmetic in software, bit-exact with the hardware: every operation takes the
/// control word (rounding and precision control, exception masks) and ORs the exception flags it
/// raises, plus C1 when the result was rounded up in magnitude, into <c>flags</c>.</summary>
public static partial class Float80Math
{
    private const int Bias = Float80.Bias;

    /// <summary>Extended-precision exponent range, in extended bias.</summary>
    internal const int ExtMinExp = 1, ExtMaxExp = 0x7FFE;

    /// <summary>Tininess is detected after rounding (to the precision-control width, with unbounded
    /// exponent), as the host CPU does: a result that rounds up to the smallest normal is not tiny.</summary>
    private const bool TininessAfterRounding = true;

    /// <summary>The exponent adjustment the x87 applies to a result that over/underflows with the
    /// exception unmasked, so the trap handler sees a representable value.</summary>
    private const int WrapBias = 0x6000;

    /// <summary>An unpacked rounded result: the significand's integer bit is clear for subnormal
    /// results, whose exponent is then the format's minimum.</summary>
    internal readonly record struct Rounded(bool Sign, int Exp, ulong Mant);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Masked(ushort fcw, ushort exception) => (fcw & exception) != 0;

    /// <summary>Splits a finite non-zero value into a normalized 64-bit significand and an unbounded
    /// biased exponent; denormals and pseudo-denormals use the minimum exponent, as the hardware does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Unpack(Float80 x, out int exp, out ulong sig)
    {
        exp = x.Exponent == 0 ? 1 : x.Exponent;
        sig = x.Mantissa;
        int lz = BitOperations.LeadingZeroCount(sig);
        sig <<= lz;
        exp -= lz;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int LeadingZeros(UInt128 v)
    {
        ulong hi = (ulong)(v >> 64);
        return hi != 0 ? BitOperations.LeadingZeroCount(hi) : 64 + BitOperations.LeadingZeroCount((ulong)v);
    }

    /// <summary>Shifts right, ORing every bit shifted out into bit 0 so rounding still sees it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static UInt128 ShiftRightJam(UInt128 v, int n)
    {
        if (n <= 0) return v;
        if (n >= 128) return v != 0 ? UInt128.One : UInt128.Zero;
        UInt128 r = v >> n;
        if ((v << (128 - n)) != 0) r |= 1;
        return r;
    }

    /// <summary>Rounds the significand (integer bit at 127) to <paramref name="precision"/> bits.
    /// Returns the rounded value (which may have carried to 2^128, reported by <paramref name="carry"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt128 RoundBits(UInt128 sig, int precision, int rc, bool sign, out bool inexact, out bool up, out bool carry)
    {
        int drop = 128 - precision;
        UInt128 one = UInt128.One << drop;
        UInt128 mask = one - 1;
        UInt128 rest = sig & mask;
        UInt128 kept = sig & ~mask;
        inexact = rest != 0;
        bool inc = rc switch
        {
            X87Status.RoundNearest => rest > (one >> 1) || (rest == (one >> 1) && (kept & one) != 0),
            X87Status.RoundDown => sign && inexact,
            X87Status.RoundUp => !sign && inexact,
            _ => false,
        };
        up = inc;
        carry = false;
        if (inc)
        {
            kept += one;
            carry = kept == 0;
        }
        return kept;
    }

    /// <summary>Rounds an exact value sig·2^(exp−Bias−127) to <paramref name="precision"/> significand
    /// bits within the exponent range [eMin, eMax] (extended bias), producing the masked or unmasked
    /// overflow/underflow response. <paramref name="wrap"/> selects the unmasked register response
    /// (exponent re-biased); without it an unmasked over/underflow only raises the flag.</summary>
    internal static Rounded Round(bool sign, int exp, UInt128 sig, int precision, int eMin, int eMax,
        ushort fcw, ref ushort flags, bool wrap = true)
    {
        if (sig == 0) return new Rounded(sign, eMin, 0);
        int lz = LeadingZeros(sig);
        sig <<= lz;
        exp -= lz;
        int rc = X87Status.RoundingControl(fcw);
        UInt128 r;
        bool inexact, up, carry;
        if (exp < eMin)
        {
            bool tiny = true;
            if (TininessAfterRounding)
            {
                RoundBits(sig, precision, rc, sign, out _, out _, out bool c);
                tiny = exp + (c ? 1 : 0) < eMin;
            }
            if (!Masked(fcw, X87Status.UE) && wrap)
            {
                flags |= X87Status.UE;
                return Round(sign, exp + WrapBias, sig, precision, eMin, eMax, fcw, ref flags);
            }
            r = RoundBits(ShiftRightJam(sig, eMin - exp), precision, rc, sign, out inexact, out up, out carry);
            if (tiny && (inexact || !Masked(fcw, X87Status.UE))) flags |= X87Status.UE;
            if (inexact) flags |= X87Status.PE;
            if (up) flags |= X87Status.C1;
            // A carry into the integer bit makes the result the smallest normal: same exponent field.
            return new Rounded(sign, eMin, (ulong)(r >> 64));
        }
        r = RoundBits(sig, precision, rc, sign, out inexact, out up, out carry);
        int rexp = carry ? exp + 1 : exp;
        if (carry) r = UInt128.One << 127;
        if (rexp > eMax)
        {
            if (!Masked(fcw, X87Status.OE) && wrap)
            {
                flags |= X87Status.OE;
                return Round(sign, exp - WrapBias, sig, precision, eMin, eMax, fcw, ref flags);
            }
            flags |= X87Status.OE | X87Status.PE;
            bool toInfinity = rc switch
            {
                X87Status.RoundNearest => true,
                X87Status.RoundDown => sign,
                X87Status.RoundUp => !sign,
                _ => false,
            };
            if (toInfinity)
            {
                flags |= X87Status.C1;
                return new Rounded(sign, eMax + 1, Float80.IntegerBit);
            }
            return new Rounded(sign, eMax, ulong.MaxValue << (64 - precision));
        }
        if (inexact) flags |= X87Status.PE;
        if (up) flags |= X87Status.C1;
        return new Rounded(sign, rexp, (ulong)(r >> 64));
    }

    /// <summary>Rounds to an extended-precision register value.</summary>
    internal static Float80 RoundPack(bool sign, int exp, UInt128 sig, int precision, ushort fcw, ref ushort flags)
    {
        var r = Round(sign, exp, sig, precision, ExtMinExp, ExtMaxExp, fcw, ref flags);
        return Pack(r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Float80 Pack(Rounded r)
    {
        int e = (r.Mant & Float80.IntegerBit) == 0 ? 0 : r.Exp;
        return new Float80(r.Sign, e, r.Mant);
    }

    /// <summary>The x87 NaN rules for one operand: a signaling NaN is invalid and becomes quiet.</summary>
    internal static Float80 PropagateNaN(Float80 a, ref ushort flags)
    {
        if (a.IsSignalingNaN) flags |= X87Status.IE;
        return a.Quieted();
    }

    /// <summary>The x87 NaN rules for two operands (at least one a NaN): a signaling NaN is invalid;
    /// two NaNs give the one with the larger significand (quieted), a NaN and a number give the NaN.</summary>
    internal static Float80 PropagateNaN(Float80 a, Float80 b, ref ushort flags)
    {
        bool aNaN = a.IsNaN, bNaN = b.IsNaN;
        bool aSignaling = a.IsSignalingNaN, bSignaling = b.IsSignalingNaN;
        if (aSignaling || bSignaling) flags |= X87Status.IE;
        if (aNaN && bNaN)
        {
            // A quiet NaN wins over a signaling one; otherwise the larger significand (then the positive one).
            if (aSignaling != bSignaling) return (aSignaling ? b : a).Quieted();
            ulong ma = a.Mantissa | Float80.QuietBit, mb = b.Mantissa | Float80.QuietBit;
            if (ma != mb) return (ma > mb ? a : b).Quieted();
            return (a.SignExp < b.SignExp ? a : b).Quieted();
        }
        return (aNaN ? a : b).Quieted();
    }

    /// <summary>Handles the operand classes that decide a two-operand result before any arithmetic:
    /// unsupported encodings and NaNs. Returns true with the result when decided.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SpecialOperands(Float80 a, Float80 b, Float80Class ca, Float80Class cb, ref ushort flags, out Float80 result)
    {
        if (ca == Float80Class.Unsupported || cb == Float80Class.Unsupported)
        {
            flags |= X87Status.IE;
            result = Float80.Indefinite;
            return true;
        }
        if (ca is Float80Class.QNaN or Float80Class.SNaN || cb is Float80Class.QNaN or Float80Class.SNaN)
        {
            result = PropagateNaN(a, b, ref flags);
            return true;
        }
        result = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Float80 Invalid(ref ushort flags)
    {
        flags |= X87Status.IE;
        return Float80.Indefinite;
    }
}
