using System.Runtime.CompilerServices;
using static Ferry.Cpu.MxcsrBits;

namespace Ferry.Interpreter;

/// <summary>Host-arithmetic fast paths for <see cref="SseFloat"/>, valid only under round-to-nearest
/// with normal or zero operands (the caller checks). Each returns false when the result might be
/// tiny, overflow or otherwise need the exact path; on success it has set PE if the result is inexact.
/// binary32 goes through binary64: with 53 ≥ 2·24+2 bits the double rounding of +, −, ×, ÷ and √
/// is innocuous, and the binary64 error term tells whether the binary32 result is exact.</summary>
internal static class Fast
{
    private const double MinNormal64 = 2.2250738585072014E-308;
    // Below this the error term of a product, quotient or square root may itself underflow.
    private const double SafeLow64 = 4.008336720017946e-292; // 2^-967
    private const float MinNormal32 = 1.17549435E-38f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D(ulong v) => BitConverter.UInt64BitsToDouble(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double D(uint v) => BitConverter.UInt32BitsToSingle(v);

    // A result that rounded to exactly the smallest normal may still be tiny (x86 detects tininess
    // with an unbounded exponent), so only results strictly above it are taken.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Finish64(double s, bool inexact, ref uint flags, out ulong r)
    {
        r = BitConverter.DoubleToUInt64Bits(s);
        double m = Math.Abs(s);
        if (!(m > MinNormal64 || m == 0) || double.IsInfinity(m)) return false;
        if (inexact) flags |= PE;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Finish32(double d, bool inexactInDouble, ref uint flags, out uint r)
    {
        float f = (float)d;
        r = BitConverter.SingleToUInt32Bits(f);
        float m = Math.Abs(f);
        if (!(m > MinNormal32 || d == 0) || float.IsInfinity(m)) return false;
        if (inexactInDouble || f != d) flags |= PE;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddF64(ulong a, ulong b, ref uint flags, out ulong r)
    {
        double x = D(a), y = D(b), s = x + y;
        double bb = s - x;
        double err = (x - (s - bb)) + (y - bb);
        return Finish64(s, err != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool MulF64(ulong a, ulong b, ref uint flags, out ulong r)
    {
        double x = D(a), y = D(b), s = x * y;
        if (Math.Abs(s) < SafeLow64 && x != 0 && y != 0) { r = 0; return false; }
        return Finish64(s, s != 0 && Math.FusedMultiplyAdd(x, y, -s) != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool DivF64(ulong a, ulong b, ref uint flags, out ulong r)
    {
        double x = D(a), y = D(b), s = x / y;
        if (x != 0 && (Math.Abs(s) < SafeLow64 || Math.Abs(x) < SafeLow64)) { r = 0; return false; }
        return Finish64(s, x != 0 && Math.FusedMultiplyAdd(-s, y, x) != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SqrtF64(ulong a, ref uint flags, out ulong r)
    {
        double x = D(a);
        if (x < 0 || (x != 0 && x < SafeLow64)) { r = 0; return false; }
        double s = Math.Sqrt(x);
        return Finish64(s, x != 0 && Math.FusedMultiplyAdd(-s, s, x) != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddF32(uint a, uint b, ref uint flags, out uint r)
    {
        double x = D(a), y = D(b), s = x + y;
        double bb = s - x;
        double err = (x - (s - bb)) + (y - bb);
        return Finish32(s, err != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool MulF32(uint a, uint b, ref uint flags, out uint r) =>
        Finish32(D(a) * D(b), false, ref flags, out r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool DivF32(uint a, uint b, ref uint flags, out uint r)
    {
        double x = D(a), y = D(b), s = x / y;
        return Finish32(s, Math.FusedMultiplyAdd(-s, y, x) != 0, ref flags, out r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SqrtF32(uint a, ref uint flags, out uint r)
    {
        double x = D(a);
        if (x < 0) { r = 0; return false; }
        double s = Math.Sqrt(x);
        return Finish32(s, Math.FusedMultiplyAdd(-s, s, x) != 0, ref flags, out r);
    }
}
