using Ferry.Cpu;
using static Ferry.Cpu.MxcsrBits;

namespace Ferry.Interpreter;

/// <summary>ROUNDPS/PD/SS/SD lane semantics: a binary32/binary64 rounded to an integral value in the
/// same format. imm8[1:0] is the rounding mode unless imm8[2] selects MXCSR.RC; imm8[3] suppresses
/// the precision exception. Only SNaN sources (invalid) and inexact results raise flags; DAZ applies
/// to the source, FTZ never matters (an integral result is never tiny).</summary>
public static class SseRound
{
    public static uint RoundF32(uint a, int imm, uint mxcsr, ref uint flags) =>
        (uint)Round(a, 23, 8, imm, mxcsr, ref flags);

    public static ulong RoundF64(ulong a, int imm, uint mxcsr, ref uint flags) =>
        Round(a, 52, 11, imm, mxcsr, ref flags);

    private static ulong Round(ulong bits, int mantBits, int expBits, int imm, uint mxcsr, ref uint flags)
    {
        int rc = (imm & 4) != 0 ? Rounding(mxcsr) : imm & 3;
        bool quietPrecision = (imm & 8) != 0;
        int signShift = mantBits + expBits;
        int expMax = (1 << expBits) - 1, bias = expMax >> 1;
        ulong mantMask = (1UL << mantBits) - 1;
        ulong signBit = 1UL << signShift;
        bool sign = (bits & signBit) != 0;
        int e = (int)((bits >> mantBits) & (ulong)expMax);
        ulong m = bits & mantMask;
        if (e == expMax)
        {
            if (m == 0) return bits;
            ulong quiet = 1UL << (mantBits - 1);
            if ((m & quiet) == 0) flags |= IE;
            return bits | quiet;
        }
        if (e == 0)
        {
            if (m == 0) return bits;
            if ((mxcsr & DAZ) != 0) return bits & signBit;
        }
        int unbiased = e - bias;
        if (unbiased >= mantBits) return bits;
        if (unbiased < 0)
        {
            // |a| < 1: the result is ±0 or ±1.
            bool one = rc switch
            {
                RoundNearest => unbiased == -1 && m != 0,
                RoundDown => sign,
                RoundUp => !sign,
                _ => false,
            };
            if (!quietPrecision) flags |= PE;
            return (bits & signBit) | (one ? (ulong)bias << mantBits : 0);
        }
        int fracBits = mantBits - unbiased;
        ulong fracMask = (1UL << fracBits) - 1, frac = bits & fracMask;
        if (frac == 0) return bits;
        if (!quietPrecision) flags |= PE;
        ulong trunc = bits & ~fracMask, half = 1UL << (fracBits - 1);
        bool up = rc switch
        {
            RoundNearest => frac > half || (frac == half && ((trunc >> fracBits) & 1) != 0),
            RoundDown => sign,
            RoundUp => !sign,
            _ => false,
        };
        // A carry out of the mantissa moves into the exponent, which is the right result.
        return up ? trunc + (1UL << fracBits) : trunc;
    }
}
