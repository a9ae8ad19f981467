using static Ferry.Cpu.MxcsrBits;

namespace Ferry.Interpreter;

public static partial class SseFloat
{
    /// <summary>Fused multiply-add with one rounding: ±(a × b) ± c, per MXCSR (rounding, DAZ, FTZ,
    /// flags). A NaN operand is returned quieted and never negated, the first of a, b, c winning.</summary>
    public static uint FmaF32(uint a, uint b, uint c, bool negateProduct, bool negateAddend, uint mxcsr, ref uint flags) =>
        (uint)Fma<F32>(a, b, c, negateProduct, negateAddend, mxcsr, ref flags);

    /// <inheritdoc cref="FmaF32"/>
    public static ulong FmaF64(ulong a, ulong b, ulong c, bool negateProduct, bool negateAddend, uint mxcsr, ref uint flags) =>
        Fma<F64>(a, b, c, negateProduct, negateAddend, mxcsr, ref flags);

    private static ulong Fma<F>(ulong a, ulong b, ulong c, bool negP, bool negC, uint mxcsr, ref uint flags) where F : IFormat
    {
        var x = Unpack<F>(a, mxcsr);
        var y = Unpack<F>(b, mxcsr);
        var z = Unpack<F>(c, mxcsr);
        if (x.IsNaN || y.IsNaN || z.IsNaN)
        {
            if (x.Kind == Kind.SNaN || y.Kind == Kind.SNaN || z.Kind == Kind.SNaN) flags |= IE;
            return Quiet<F>(x.IsNaN ? a : y.IsNaN ? b : c);
        }
        bool ps = x.Sign ^ y.Sign ^ negP;
        z.Sign ^= negC;
        bool pInf = x.Kind == Kind.Inf || y.Kind == Kind.Inf, pZero = x.Kind == Kind.Zero || y.Kind == Kind.Zero;
        // An invalid operation (∞×0, ∞−∞) reports only IE; otherwise a denormal operand reports DE,
        // even when an infinity decides the result (measured on the reference host).
        if (pInf && pZero) { flags |= IE; return DefaultNaN<F>(); }
        if (pInf && z.Kind == Kind.Inf && z.Sign != ps) { flags |= IE; return DefaultNaN<F>(); }
        if (x.Denormal || y.Denormal || z.Denormal) flags |= DE;
        if (pInf) return InfOf<F>(ps);
        if (z.Kind == Kind.Inf) return InfOf<F>(z.Sign);
        if (pZero)
        {
            if (z.Kind == Kind.Zero) return ZeroOf<F>(ps == z.Sign ? ps : Rounding(mxcsr) == RoundDown);
            return Repack<F>(z, mxcsr, ref flags);
        }
        // The exact product P·2^ep, normalized so that its top bit is bit 126.
        UInt128 pm = (UInt128)x.Sig * y.Sig;
        int ep = x.Exp + y.Exp - 104;
        int lz = (int)UInt128.LeadingZeroCount(pm) - 1;
        pm <<= lz;
        ep -= lz;
        UInt128 r;
        int e;
        bool sign;
        if (z.Kind == Kind.Zero) { r = pm; e = ep; sign = ps; }
        else
        {
            UInt128 zm = (UInt128)z.Sig << 74;
            int ez = z.Exp - 52 - 74;
            // Order by magnitude: both are normalized at bit 126.
            bool pBig = ep > ez || (ep == ez && pm >= zm);
            UInt128 big = pBig ? pm : zm, small = pBig ? zm : pm;
            int eb = pBig ? ep : ez, d = eb - (pBig ? ez : ep);
            small = Jam(small, d);
            sign = pBig ? ps : z.Sign;
            if (ps == z.Sign) r = big + small;
            else
            {
                r = big - small;
                if (r == 0) return ZeroOf<F>(Rounding(mxcsr) == RoundDown);
            }
            e = eb;
        }
        // To RoundPack's form: a 64-bit significand with a sticky bit, value sig·2^(exp−62).
        int shift = (int)UInt128.LeadingZeroCount(r) - 1;
        if (shift > 0) r <<= shift; else if (shift < 0) r = Jam(r, -shift);
        e -= shift;
        ulong sig = (ulong)(r >> 64) | ((ulong)r != 0 ? 1UL : 0);
        return RoundPack<F>(sign, e + 126, sig, mxcsr, ref flags);
    }

    private static UInt128 Jam(UInt128 v, int n) =>
        n <= 0 ? v : n >= 128 ? (v != 0 ? UInt128.One : UInt128.Zero) : (v >> n) | ((v & ((UInt128.One << n) - 1)) != 0 ? UInt128.One : UInt128.Zero);
}
