using System.Numerics;
using System.Runtime.CompilerServices;
using Ferry.Cpu;
using static Ferry.Cpu.MxcsrBits;

namespace Ferry.Interpreter;

/// <summary>IEEE binary32/binary64 lane arithmetic with x86 SSE semantics: rounding per MXCSR.RC,
/// DAZ/FTZ, the x86 NaN rules and the MXCSR exception flags, computed in integer arithmetic so the
/// result never depends on the host's floating-point unit. Values travel as raw bits (binary32 in the
/// low 32 bits of a ulong). Each operation ORs the exceptions it detects into <c>flags</c> and returns
/// the masked response; the caller decides whether an unmasked exception suppresses the write.</summary>
public static partial class SseFloat
{
    public const uint DefaultNaN32 = 0xFFC0_0000;
    public const ulong DefaultNaN64 = 0xFFF8_0000_0000_0000;

    // ---- public lane operations (also the JIT's helpers) ----
    // The binary operations inline their fast paths into the JIT's code (and the handlers'); the exact paths stay calls.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddF32(uint a, uint b, uint mxcsr, ref uint flags) =>
        FastF32(a, b, mxcsr) && Fast.AddF32(a, b, ref flags, out uint r) ? r : (uint)Add<F32>(a, b, false, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SubF32(uint a, uint b, uint mxcsr, ref uint flags) =>
        FastF32(a, b, mxcsr) && Fast.AddF32(a, b ^ 0x8000_0000, ref flags, out uint r) ? r : (uint)Add<F32>(a, b, true, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint MulF32(uint a, uint b, uint mxcsr, ref uint flags) =>
        FastF32(a, b, mxcsr) && Fast.MulF32(a, b, ref flags, out uint r) ? r : (uint)Mul<F32>(a, b, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint DivF32(uint a, uint b, uint mxcsr, ref uint flags) =>
        FastF32(a, b, mxcsr) && (b << 1) != 0 && Fast.DivF32(a, b, ref flags, out uint r) ? r : (uint)Div<F32>(a, b, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SqrtF32(uint a, uint mxcsr, ref uint flags) =>
        FastF32(a, 0, mxcsr) && Fast.SqrtF32(a, ref flags, out uint r) ? r : (uint)Sqrt<F32>(a, mxcsr, ref flags);
    public static uint MinF32(uint a, uint b, uint mxcsr, ref uint flags) => (uint)MinMax<F32>(a, b, false, mxcsr, ref flags);
    public static uint MaxF32(uint a, uint b, uint mxcsr, ref uint flags) => (uint)MinMax<F32>(a, b, true, mxcsr, ref flags);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddF64(ulong a, ulong b, uint mxcsr, ref uint flags) =>
        FastF64(a, b, mxcsr) && Fast.AddF64(a, b, ref flags, out ulong r) ? r : Add<F64>(a, b, false, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubF64(ulong a, ulong b, uint mxcsr, ref uint flags) =>
        FastF64(a, b, mxcsr) && Fast.AddF64(a, b ^ 0x8000_0000_0000_0000, ref flags, out ulong r) ? r : Add<F64>(a, b, true, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulF64(ulong a, ulong b, uint mxcsr, ref uint flags) =>
        FastF64(a, b, mxcsr) && Fast.MulF64(a, b, ref flags, out ulong r) ? r : Mul<F64>(a, b, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong DivF64(ulong a, ulong b, uint mxcsr, ref uint flags) =>
        FastF64(a, b, mxcsr) && (b << 1) != 0 && Fast.DivF64(a, b, ref flags, out ulong r) ? r : Div<F64>(a, b, mxcsr, ref flags);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SqrtF64(ulong a, uint mxcsr, ref uint flags) =>
        FastF64(a, 0, mxcsr) && Fast.SqrtF64(a, ref flags, out ulong r) ? r : Sqrt<F64>(a, mxcsr, ref flags);
    public static ulong MinF64(ulong a, ulong b, uint mxcsr, ref uint flags) => MinMax<F64>(a, b, false, mxcsr, ref flags);
    public static ulong MaxF64(ulong a, ulong b, uint mxcsr, ref uint flags) => MinMax<F64>(a, b, true, mxcsr, ref flags);

    // The host's IEEE arithmetic gives the x86 result directly when rounding to nearest with operands
    // that are normal or zero (no NaN, infinity or denormal); Fast checks the result's range and
    // derives the inexact flag from the exact error term.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastF32(uint a, uint b, uint mxcsr) =>
        (mxcsr & MxcsrBits.RcMask) == 0 && NormalOrZero32(a) && NormalOrZero32(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastF64(ulong a, ulong b, uint mxcsr) =>
        (mxcsr & MxcsrBits.RcMask) == 0 && NormalOrZero64(a) && NormalOrZero64(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NormalOrZero32(uint a)
    {
        uint e = a & 0x7F80_0000;
        return e != 0x7F80_0000 && (e != 0 || (a << 1) == 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NormalOrZero64(ulong a)
    {
        ulong e = a & 0x7FF0_0000_0000_0000;
        return e != 0x7FF0_0000_0000_0000 && (e != 0 || (a << 1) == 0);
    }

    /// <summary>CMPPS/CMPSS predicate 0–7: all ones when true.</summary>
    public static uint CmpF32(uint a, uint b, int predicate, uint mxcsr, ref uint flags) =>
        Predicate(Compare<F32>(a, b, IsSignaling(predicate), mxcsr, ref flags), predicate) ? uint.MaxValue : 0;

    /// <summary>CMPPD/CMPSD predicate 0–7: all ones when true.</summary>
    public static ulong CmpF64(ulong a, ulong b, int predicate, uint mxcsr, ref uint flags) =>
        Predicate(Compare<F64>(a, b, IsSignaling(predicate), mxcsr, ref flags), predicate) ? ulong.MaxValue : 0;

    /// <summary>The ordering of <paramref name="a"/> and <paramref name="b"/> as COMISS (signaling) or UCOMISS sees it.</summary>
    public static Ordering ComiF32(uint a, uint b, bool signaling, uint mxcsr, ref uint flags) => Compare<F32>(a, b, signaling, mxcsr, ref flags);
    public static Ordering ComiF64(ulong a, ulong b, bool signaling, uint mxcsr, ref uint flags) => Compare<F64>(a, b, signaling, mxcsr, ref flags);

    /// <summary>RFLAGS status bits COMIS*/UCOMIS* produce for an ordering (OF, SF, AF cleared).</summary>
    public static ulong ComiFlags(Ordering o) => o switch
    {
        Ordering.Unordered => Flags.ZF | Flags.PF | Flags.CF,
        Ordering.Less => Flags.CF,
        Ordering.Equal => Flags.ZF,
        _ => 0,
    };

    public static ulong F32ToF64(uint a, uint mxcsr, ref uint flags)
    {
        if (NormalOrZero32(a)) return BitConverter.DoubleToUInt64Bits(BitConverter.UInt32BitsToSingle(a));
        var x = Unpack<F32>(a, mxcsr);
        switch (x.Kind)
        {
            case Kind.QNaN or Kind.SNaN:
                if (x.Kind == Kind.SNaN) flags |= IE;
                return ((ulong)(a >> 31) << 63) | 0x7FF8_0000_0000_0000UL | ((ulong)(a & 0x3F_FFFF) << 29);
            case Kind.Inf: return F64.Inf(x.Sign);
            case Kind.Zero: return F64.Zero(x.Sign);
        }
        if (x.Denormal) flags |= DE;
        return RoundPack<F64>(x.Sign, x.Exp + 10, x.Sig, mxcsr, ref flags);
    }

    public static uint F64ToF32(ulong a, uint mxcsr, ref uint flags)
    {
        if (FastF64(a, 0, mxcsr))
        {
            double d = BitConverter.UInt64BitsToDouble(a);
            float f = (float)d;
            float m = Math.Abs(f);
            if ((m > 1.17549435E-38f || d == 0) && !float.IsInfinity(m))
            {
                if (f != d) flags |= PE;
                return BitConverter.SingleToUInt32Bits(f);
            }
        }
        var x = Unpack<F64>(a, mxcsr);
        switch (x.Kind)
        {
            case Kind.QNaN or Kind.SNaN:
                if (x.Kind == Kind.SNaN) flags |= IE;
                return (uint)(a >> 63 << 31) | 0x7FC0_0000u | (uint)((a >> 29) & 0x3F_FFFF);
            case Kind.Inf: return (uint)F32.Inf(x.Sign);
            case Kind.Zero: return (uint)F32.Zero(x.Sign);
        }
        if (x.Denormal) flags |= DE;
        return (uint)RoundPack<F32>(x.Sign, x.Exp + 10, x.Sig, mxcsr, ref flags);
    }

    /// <summary>CVTSI2SS/CVTDQ2PS: a signed integer to binary32, rounded per MXCSR.</summary>
    public static uint IntToF32(long v, uint mxcsr, ref uint flags) => (uint)IntToFloat<F32>(v, mxcsr, ref flags);
    /// <summary>CVTSI2SD/CVTDQ2PD: a signed integer to binary64, rounded per MXCSR.</summary>
    public static ulong IntToF64(long v, uint mxcsr, ref uint flags) => IntToFloat<F64>(v, mxcsr, ref flags);

    /// <summary>CVT(T)SS2SI and friends: the result is the integer indefinite (only the sign bit set)
    /// on NaN, infinity or overflow.</summary>
    public static int F32ToInt32(uint a, bool truncate, uint mxcsr, ref uint flags) =>
        NormalOrZero32(a) && FastToInt(BitConverter.UInt32BitsToSingle(a), 2147483648.0, truncate, mxcsr, ref flags, out long r)
            ? (int)r : (int)FloatToInt<F32>(a, 32, truncate, mxcsr, ref flags);
    public static long F32ToInt64(uint a, bool truncate, uint mxcsr, ref uint flags) =>
        NormalOrZero32(a) && FastToInt(BitConverter.UInt32BitsToSingle(a), 9223372036854775808.0, truncate, mxcsr, ref flags, out long r)
            ? r : (long)FloatToInt<F32>(a, 64, truncate, mxcsr, ref flags);
    public static int F64ToInt32(ulong a, bool truncate, uint mxcsr, ref uint flags) =>
        NormalOrZero64(a) && FastToInt(BitConverter.UInt64BitsToDouble(a), 2147483648.0, truncate, mxcsr, ref flags, out long r)
            ? (int)r : (int)FloatToInt<F64>(a, 32, truncate, mxcsr, ref flags);
    public static long F64ToInt64(ulong a, bool truncate, uint mxcsr, ref uint flags) =>
        NormalOrZero64(a) && FastToInt(BitConverter.UInt64BitsToDouble(a), 9223372036854775808.0, truncate, mxcsr, ref flags, out long r)
            ? r : (long)FloatToInt<F64>(a, 64, truncate, mxcsr, ref flags);

    // In-range values under truncation or round-to-nearest-even: the host's conversions agree.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FastToInt(double d, double limit, bool truncate, uint mxcsr, ref uint flags, out long r)
    {
        r = 0;
        if (!truncate && (mxcsr & MxcsrBits.RcMask) != 0) return false;
        double t = truncate ? Math.Truncate(d) : Math.Round(d, MidpointRounding.ToEven);
        if (!(Math.Abs(t) < limit)) return false;
        r = (long)t;
        if (t != d) flags |= PE;
        return true;
    }

    // ---- formats ----

    private interface IFormat
    {
        static abstract int MantBits { get; }
        static abstract int Bias { get; }
        static abstract int SignShift { get; }
    }

    private struct F32 : IFormat
    {
        public static int MantBits => 23;
        public static int Bias => 127;
        public static int SignShift => 31;
        public static ulong Inf(bool sign) => Pack<F32>(sign, 0xFF, 0);
        public static ulong Zero(bool sign) => Pack<F32>(sign, 0, 0);
    }

    private struct F64 : IFormat
    {
        public static int MantBits => 52;
        public static int Bias => 1023;
        public static int SignShift => 63;
        public static ulong Inf(bool sign) => Pack<F64>(sign, 0x7FF, 0);
        public static ulong Zero(bool sign) => Pack<F64>(sign, 0, 0);
    }

    private enum Kind : byte { Zero, Finite, Inf, QNaN, SNaN }

    /// <summary>A decoded operand. Finite values are Sig × 2^(Exp − 52) with Sig in [2^52, 2^53).</summary>
    private struct Unpacked
    {
        public bool Sign;
        public Kind Kind;
        /// <summary>A denormal that DAZ did not flush: raises DE when the operation reads it.</summary>
        public bool Denormal;
        public int Exp;
        public ulong Sig;
        public readonly bool IsNaN => Kind >= Kind.QNaN;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pack<F>(bool sign, int biasedExp, ulong mant) where F : IFormat =>
        ((sign ? 1UL : 0) << F.SignShift) | ((ulong)biasedExp << F.MantBits) | mant;

    private static ulong ExpMax<F>() where F : IFormat => (ulong)(2 * F.Bias + 1);
    private static ulong MantMask<F>() where F : IFormat => (1UL << F.MantBits) - 1;
    private static ulong Quiet<F>(ulong bits) where F : IFormat => bits | (1UL << (F.MantBits - 1));
    private static ulong DefaultNaN<F>() where F : IFormat => Pack<F>(true, (int)ExpMax<F>(), 1UL << (F.MantBits - 1));
    private static ulong InfOf<F>(bool sign) where F : IFormat => Pack<F>(sign, (int)ExpMax<F>(), 0);
    private static ulong ZeroOf<F>(bool sign) where F : IFormat => Pack<F>(sign, 0, 0);

    private static Unpacked Unpack<F>(ulong bits, uint mxcsr) where F : IFormat
    {
        var u = new Unpacked { Sign = ((bits >> F.SignShift) & 1) != 0 };
        int e = (int)((bits >> F.MantBits) & ExpMax<F>());
        ulong m = bits & MantMask<F>();
        if (e == (int)ExpMax<F>())
        {
            u.Kind = m == 0 ? Kind.Inf : ((m >> (F.MantBits - 1)) & 1) != 0 ? Kind.QNaN : Kind.SNaN;
            return u;
        }
        if (e == 0)
        {
            if (m == 0 || (mxcsr & DAZ) != 0) { u.Kind = Kind.Zero; return u; }
            int shift = BitOperations.LeadingZeroCount(m) - 11;
            u.Kind = Kind.Finite;
            u.Denormal = true;
            u.Sig = m << shift;
            u.Exp = 53 - F.Bias - F.MantBits - shift;
            return u;
        }
        u.Kind = Kind.Finite;
        u.Sig = (m | (1UL << F.MantBits)) << (52 - F.MantBits);
        u.Exp = e - F.Bias;
        return u;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftRightJam(ulong x, int n) =>
        n == 0 ? x : n >= 64 ? (x != 0 ? 1UL : 0) : (x >> n) | ((x & ((1UL << n) - 1)) != 0 ? 1UL : 0);

    /// <summary>Rounds Sig × 2^(exp − 62) (sig non-zero; bit 0 may be a sticky bit) to format F per
    /// MXCSR: tininess is detected after rounding, FTZ flushes tiny results when underflow is masked.</summary>
    private static ulong RoundPack<F>(bool sign, int exp, ulong sig, uint mxcsr, ref uint flags) where F : IFormat
    {
        if ((long)sig < 0) { sig = (sig >> 1) | (sig & 1); exp++; }
        else { int lz = BitOperations.LeadingZeroCount(sig) - 1; sig <<= lz; exp -= lz; }
        int roundBits = 62 - F.MantBits;
        ulong roundMask = (1UL << roundBits) - 1, half = 1UL << (roundBits - 1);
        int rc = Rounding(mxcsr);
        ulong inc = rc switch
        {
            RoundNearest => half,
            RoundZero => 0,
            RoundDown => sign ? roundMask : 0,
            _ => sign ? 0 : roundMask,
        };
        bool underflowMasked = (mxcsr & (UE << MaskShift)) != 0;
        int emin = 1 - F.Bias;
        bool tiny = false;
        if (exp < emin)
        {
            tiny = exp < emin - 1 || sig + inc < 1UL << 63;
            if (tiny && (mxcsr & FTZ) != 0 && underflowMasked)
            {
                flags |= UE | PE;
                return ZeroOf<F>(sign);
            }
            sig = ShiftRightJam(sig, emin - exp);
            exp = emin;
        }
        ulong rbits = sig & roundMask;
        ulong s = (sig + inc) >> roundBits;
        if (rc == RoundNearest && rbits == half) s &= ~1UL;
        if ((s >> (F.MantBits + 1)) != 0) { s >>= 1; exp++; }
        bool inexact = rbits != 0;
        if (tiny && (inexact || !underflowMasked)) flags |= UE;
        if (exp > F.Bias)
        {
            flags |= OE | PE;
            bool toInf = rc switch { RoundNearest => true, RoundZero => false, RoundDown => sign, _ => !sign };
            return toInf ? InfOf<F>(sign) : Pack<F>(sign, (int)ExpMax<F>() - 1, MantMask<F>());
        }
        if (inexact) flags |= PE;
        int biased = (s >> F.MantBits) != 0 ? exp + F.Bias : 0;
        return Pack<F>(sign, biased, s & MantMask<F>());
    }

    /// <summary>Re-rounds a finite operand (identity unless FTZ flushes it).</summary>
    private static ulong Repack<F>(in Unpacked x, uint mxcsr, ref uint flags) where F : IFormat =>
        RoundPack<F>(x.Sign, x.Exp + 10, x.Sig, mxcsr, ref flags);

    // The first source's NaN wins (quieted), else the second's; an SNaN anywhere is invalid.
    private static ulong PropagateNaN<F>(ulong a, ulong b, in Unpacked x, in Unpacked y, ref uint flags) where F : IFormat
    {
        if (x.Kind == Kind.SNaN || y.Kind == Kind.SNaN) flags |= IE;
        return Quiet<F>(x.IsNaN ? a : b);
    }

    private static ulong Add<F>(ulong a, ulong b, bool subtract, uint mxcsr, ref uint flags) where F : IFormat
    {
        var x = Unpack<F>(a, mxcsr);
        var y = Unpack<F>(b, mxcsr);
        if (x.IsNaN || y.IsNaN) return PropagateNaN<F>(a, b, x, y, ref flags);
        if (x.Denormal || y.Denormal) flags |= DE;
        y.Sign ^= subtract;
        if (x.Kind == Kind.Inf)
        {
            if (y.Kind == Kind.Inf && y.Sign != x.Sign) { flags |= IE; return DefaultNaN<F>(); }
            return InfOf<F>(x.Sign);
        }
        if (y.Kind == Kind.Inf) return InfOf<F>(y.Sign);
        if (x.Kind == Kind.Zero)
        {
            if (y.Kind == Kind.Zero) return ZeroOf<F>(x.Sign == y.Sign ? x.Sign : Rounding(mxcsr) == RoundDown);
            return Repack<F>(y, mxcsr, ref flags);
        }
        if (y.Kind == Kind.Zero) return Repack<F>(x, mxcsr, ref flags);
        if (y.Exp > x.Exp || (y.Exp == x.Exp && y.Sig > x.Sig)) (x, y) = (y, x);
        ulong sa = x.Sig << 9, sb = ShiftRightJam(y.Sig << 9, x.Exp - y.Exp);
        ulong sig;
        if (x.Sign == y.Sign) sig = sa + sb;
        else
        {
            sig = sa - sb;
            if (sig == 0) return ZeroOf<F>(Rounding(mxcsr) == RoundDown);
        }
        return RoundPack<F>(x.Sign, x.Exp + 1, sig, mxcsr, ref flags);
    }

    private static ulong Mul<F>(ulong a, ulong b, uint mxcsr, ref uint flags) where F : IFormat
    {
        var x = Unpack<F>(a, mxcsr);
        var y = Unpack<F>(b, mxcsr);
        if (x.IsNaN || y.IsNaN) return PropagateNaN<F>(a, b, x, y, ref flags);
        if (x.Denormal || y.Denormal) flags |= DE;
        bool sign = x.Sign ^ y.Sign;
        if (x.Kind == Kind.Inf || y.Kind == Kind.Inf)
        {
            if (x.Kind == Kind.Zero || y.Kind == Kind.Zero) { flags |= IE; return DefaultNaN<F>(); }
            return InfOf<F>(sign);
        }
        if (x.Kind == Kind.Zero || y.Kind == Kind.Zero) return ZeroOf<F>(sign);
        ulong hi = Math.BigMul(x.Sig, y.Sig, out ulong lo);
        ulong sig = (hi << 20) | (lo >> 44) | ((lo & ((1UL << 44) - 1)) != 0 ? 1UL : 0);
        return RoundPack<F>(sign, x.Exp + y.Exp + 2, sig, mxcsr, ref flags);
    }

    private static ulong Div<F>(ulong a, ulong b, uint mxcsr, ref uint flags) where F : IFormat
    {
        var x = Unpack<F>(a, mxcsr);
        var y = Unpack<F>(b, mxcsr);
        if (x.IsNaN || y.IsNaN) return PropagateNaN<F>(a, b, x, y, ref flags);
        bool sign = x.Sign ^ y.Sign;
        // Division by zero outranks a denormal dividend.
        if (y.Kind == Kind.Zero && x.Kind == Kind.Finite) { flags |= ZE; return InfOf<F>(sign); }
        if (x.Denormal || y.Denormal) flags |= DE;
        if (x.Kind == Kind.Inf)
        {
            if (y.Kind == Kind.Inf) { flags |= IE; return DefaultNaN<F>(); }
            return InfOf<F>(sign);
        }
        if (y.Kind == Kind.Inf) return ZeroOf<F>(sign);
        if (y.Kind == Kind.Zero)
        {
            if (x.Kind == Kind.Zero) { flags |= IE; return DefaultNaN<F>(); }
            flags |= ZE;
            return InfOf<F>(sign);
        }
        if (x.Kind == Kind.Zero) return ZeroOf<F>(sign);
        UInt128 n = (UInt128)x.Sig << 62;
        UInt128 q = n / y.Sig;
        ulong sig = (ulong)q | (n != q * y.Sig ? 1UL : 0);
        return RoundPack<F>(sign, x.Exp - y.Exp, sig, mxcsr, ref flags);
    }

    private static ulong Sqrt<F>(ulong a, uint mxcsr, ref uint flags) where F : IFormat
    {
        var x = Unpack<F>(a, mxcsr);
        if (x.IsNaN)
        {
            if (x.Kind == Kind.SNaN) flags |= IE;
            return Quiet<F>(a);
        }
        if (x.Kind == Kind.Zero) return ZeroOf<F>(x.Sign);
        if (x.Sign) { flags |= IE; return DefaultNaN<F>(); }
        if (x.Denormal) flags |= DE;
        if (x.Kind == Kind.Inf) return a;
        int k = (x.Exp & 1) == 0 ? 70 : 71;
        UInt128 n = (UInt128)x.Sig << k;
        ulong r = ISqrt(n);
        ulong sig = r | ((UInt128)r * r != n ? 1UL : 0);
        return RoundPack<F>(false, ((x.Exp - 52 - k) >> 1) + 62, sig, mxcsr, ref flags);
    }

    // floor(sqrt(n)) for n < 2^124: a double estimate, one Newton step, then exact correction.
    private static ulong ISqrt(UInt128 n)
    {
        ulong r = (ulong)Math.Sqrt((double)n);
        if (r == 0) r = 1;
        r = (ulong)(((UInt128)r + n / r) >> 1);
        while ((UInt128)r * r > n) r--;
        while ((UInt128)(r + 1) * (r + 1) <= n) r++;
        return r;
    }

    private static ulong MinMax<F>(ulong a, ulong b, bool max, uint mxcsr, ref uint flags) where F : IFormat
    {
        // Under DAZ the flushed operand (a signed zero) is what can be returned.
        if ((mxcsr & DAZ) != 0) { a = Flush<F>(a); b = Flush<F>(b); }
        // Any NaN (even quiet) is invalid, and the second operand is returned as is.
        var o = Compare<F>(a, b, true, mxcsr, ref flags);
        if (o == Ordering.Unordered) return b;
        return (max ? o == Ordering.Greater : o == Ordering.Less) ? a : b;
    }

    private static ulong Flush<F>(ulong v) where F : IFormat =>
        (v & (ExpMax<F>() << F.MantBits)) == 0 ? v & (1UL << F.SignShift) : v;

    private static Ordering Compare<F>(ulong a, ulong b, bool signaling, uint mxcsr, ref uint flags) where F : IFormat
    {
        // Without NaNs and denormals the sign-magnitude encodings order like the values.
        if (NotNaNOrDenormal<F>(a) && NotNaNOrDenormal<F>(b))
        {
            long ka = OrderKey<F>(a), kb = OrderKey<F>(b);
            return ka < kb ? Ordering.Less : ka > kb ? Ordering.Greater : Ordering.Equal;
        }
        var x = Unpack<F>(a, mxcsr);
        var y = Unpack<F>(b, mxcsr);
        if (x.IsNaN || y.IsNaN)
        {
            if (signaling || x.Kind == Kind.SNaN || y.Kind == Kind.SNaN) flags |= IE;
            return Ordering.Unordered;
        }
        if (x.Denormal || y.Denormal) flags |= DE;
        int c = Magnitude(x).CompareTo(Magnitude(y));
        int sx = x.Kind == Kind.Zero ? 0 : x.Sign ? -1 : 1;
        int sy = y.Kind == Kind.Zero ? 0 : y.Sign ? -1 : 1;
        int r = sx != sy ? sx.CompareTo(sy) : sx < 0 ? -c : c;
        return r < 0 ? Ordering.Less : r > 0 ? Ordering.Greater : Ordering.Equal;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NotNaNOrDenormal<F>(ulong v) where F : IFormat
    {
        ulong expMask = ExpMax<F>() << F.MantBits, e = v & expMask;
        return e == 0 ? (v & MantMask<F>()) == 0 : e != expMask || (v & MantMask<F>()) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long OrderKey<F>(ulong v) where F : IFormat
    {
        long mag = (long)(v & ((1UL << F.SignShift) - 1));
        return ((v >> F.SignShift) & 1) != 0 ? -mag : mag;
    }

    // A key that orders non-negative magnitudes: infinities above every finite value.
    private static UInt128 Magnitude(in Unpacked x) => x.Kind switch
    {
        Kind.Zero => 0,
        Kind.Inf => UInt128.MaxValue,
        _ => ((UInt128)(ulong)(x.Exp + 2000) << 64) | x.Sig,
    };

    private static bool IsSignaling(int predicate) => (predicate & 3) is 1 or 2;

    private static bool Predicate(Ordering o, int predicate) => (predicate & 7) switch
    {
        0 => o == Ordering.Equal,
        1 => o == Ordering.Less,
        2 => o is Ordering.Less or Ordering.Equal,
        3 => o == Ordering.Unordered,
        4 => o != Ordering.Equal,
        5 => o != Ordering.Less,
        6 => o is not (Ordering.Less or Ordering.Equal),
        _ => o != Ordering.Unordered,
    };

    private static ulong IntToFloat<F>(long v, uint mxcsr, ref uint flags) where F : IFormat
    {
        if (v == 0) return 0;
        bool sign = v < 0;
        ulong mag = sign ? 0UL - (ulong)v : (ulong)v;
        return RoundPack<F>(sign, 62, mag, mxcsr, ref flags);
    }

    private static ulong FloatToInt<F>(ulong a, int intBits, bool truncate, uint mxcsr, ref uint flags) where F : IFormat
    {
        ulong indefinite = 1UL << (intBits - 1);
        var x = Unpack<F>(a, mxcsr);
        if (x.IsNaN || x.Kind == Kind.Inf) { flags |= IE; return indefinite; }
        if (x.Kind == Kind.Zero) return 0;
        if (x.Exp > 63) { flags |= IE; return indefinite; }
        int shift = 52 - x.Exp;
        ulong mag;
        bool round = false, sticky = false;
        if (shift <= 0) mag = x.Sig << -shift;
        else if (shift >= 64) { mag = 0; sticky = true; }
        else
        {
            mag = x.Sig >> shift;
            round = ((x.Sig >> (shift - 1)) & 1) != 0;
            sticky = (x.Sig & ((1UL << (shift - 1)) - 1)) != 0;
        }
        int rc = truncate ? RoundZero : Rounding(mxcsr);
        bool inc = rc switch
        {
            RoundNearest => round && (sticky || (mag & 1) != 0),
            RoundDown => x.Sign && (round || sticky),
            RoundUp => !x.Sign && (round || sticky),
            _ => false,
        };
        if (inc) mag++;
        if (mag > (x.Sign ? indefinite : indefinite - 1)) { flags |= IE; return indefinite; }
        if (round || sticky) flags |= PE;
        ulong r = x.Sign ? 0UL - mag : mag;
        return intBits == 32 ? r & 0xFFFF_FFFF : r;
    }
}
