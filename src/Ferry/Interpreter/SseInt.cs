using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ferry.Interpreter;

/// <summary>Integer SIMD lane arithmetic on 128-bit values. The MMX forms use the same helpers on the
/// low 64 bits (every operation here keeps lanes independent within each 64-bit half). Only
/// Vector128 operations whose results are identical on every host are used directly; saturation,
/// high multiplies and shift counts past the element width are spelled out.</summary>
public static class SseInt
{
    public static Vector128<byte> AddB(Vector128<byte> a, Vector128<byte> b) => a + b;
    public static Vector128<byte> AddW(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() + b.AsUInt16()).AsByte();
    public static Vector128<byte> AddD(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() + b.AsUInt32()).AsByte();
    public static Vector128<byte> AddQ(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() + b.AsUInt64()).AsByte();
    public static Vector128<byte> SubB(Vector128<byte> a, Vector128<byte> b) => a - b;
    public static Vector128<byte> SubW(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt16() - b.AsUInt16()).AsByte();
    public static Vector128<byte> SubD(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() - b.AsUInt32()).AsByte();
    public static Vector128<byte> SubQ(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt64() - b.AsUInt64()).AsByte();

    public static Vector128<byte> And(Vector128<byte> a, Vector128<byte> b) => a & b;
    /// <summary>PANDN: the destination (first operand) is inverted.</summary>
    public static Vector128<byte> AndNot(Vector128<byte> a, Vector128<byte> b) => Vector128.AndNot(b, a);
    public static Vector128<byte> Or(Vector128<byte> a, Vector128<byte> b) => a | b;
    public static Vector128<byte> Xor(Vector128<byte> a, Vector128<byte> b) => a ^ b;

    public static Vector128<byte> CmpEqB(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a, b);
    public static Vector128<byte> CmpEqW(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsUInt16(), b.AsUInt16()).AsByte();
    public static Vector128<byte> CmpEqD(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsUInt32(), b.AsUInt32()).AsByte();
    public static Vector128<byte> CmpGtB(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsSByte(), b.AsSByte()).AsByte();
    public static Vector128<byte> CmpGtW(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt16(), b.AsInt16()).AsByte();
    public static Vector128<byte> CmpGtD(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt32(), b.AsInt32()).AsByte();

    public static Vector128<byte> MinUB(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a, b);
    public static Vector128<byte> MaxUB(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a, b);
    public static Vector128<byte> MinSW(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt16(), b.AsInt16()).AsByte();
    public static Vector128<byte> MaxSW(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt16(), b.AsInt16()).AsByte();

    public static Vector128<byte> MulLoW(Vector128<byte> a, Vector128<byte> b) => (a.AsInt16() * b.AsInt16()).AsByte();

    public static Vector128<byte> MulHiSW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++) r[k] = (short)((x[k] * y[k]) >> 16);
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    public static Vector128<byte> MulHiUW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsUInt16(); var y = b.AsUInt16();
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 8; k++) r[k] = (ushort)(((uint)x[k] * y[k]) >> 16);
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PMULUDQ: the low dword of each qword, multiplied to 64 bits.</summary>
    public static Vector128<byte> MulUDQ(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        return Vector128.Create((x[0] & 0xFFFF_FFFF) * (y[0] & 0xFFFF_FFFF), (x[1] & 0xFFFF_FFFF) * (y[1] & 0xFFFF_FFFF)).AsByte();
    }

    /// <summary>PMADDWD: pairs of signed word products summed into dwords (0x8000² × 2 wraps to 0x80000000).</summary>
    public static Vector128<byte> MaddWD(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<int> r = stackalloc int[4];
        for (int k = 0; k < 4; k++) r[k] = unchecked(x[2 * k] * y[2 * k] + x[2 * k + 1] * y[2 * k + 1]);
        return Vector128.Create((ReadOnlySpan<int>)r).AsByte();
    }

    public static Vector128<byte> AvgB(Vector128<byte> a, Vector128<byte> b)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16; k++) r[k] = (byte)((a[k] + b[k] + 1) >> 1);
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> AvgW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsUInt16(); var y = b.AsUInt16();
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 8; k++) r[k] = (ushort)((x[k] + y[k] + 1) >> 1);
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PSADBW: per 64-bit half, the sum of absolute byte differences in the low word.</summary>
    public static Vector128<byte> Sadbw(Vector128<byte> a, Vector128<byte> b)
    {
        ulong lo = 0, hi = 0;
        for (int k = 0; k < 8; k++) lo += (ulong)Math.Abs(a[k] - b[k]);
        for (int k = 8; k < 16; k++) hi += (ulong)Math.Abs(a[k] - b[k]);
        return Vector128.Create(lo, hi).AsByte();
    }

    public static Vector128<byte> AddSatSB(Vector128<byte> a, Vector128<byte> b) => SatB(a, b, false, true);
    public static Vector128<byte> AddSatUB(Vector128<byte> a, Vector128<byte> b) => SatB(a, b, false, false);
    public static Vector128<byte> SubSatSB(Vector128<byte> a, Vector128<byte> b) => SatB(a, b, true, true);
    public static Vector128<byte> SubSatUB(Vector128<byte> a, Vector128<byte> b) => SatB(a, b, true, false);
    public static Vector128<byte> AddSatSW(Vector128<byte> a, Vector128<byte> b) => SatW(a, b, false, true);
    public static Vector128<byte> AddSatUW(Vector128<byte> a, Vector128<byte> b) => SatW(a, b, false, false);
    public static Vector128<byte> SubSatSW(Vector128<byte> a, Vector128<byte> b) => SatW(a, b, true, true);
    public static Vector128<byte> SubSatUW(Vector128<byte> a, Vector128<byte> b) => SatW(a, b, true, false);

    private static Vector128<byte> SatB(Vector128<byte> a, Vector128<byte> b, bool sub, bool signed)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16; k++)
        {
            int x = signed ? (sbyte)a[k] : a[k], y = signed ? (sbyte)b[k] : b[k];
            int v = sub ? x - y : x + y;
            r[k] = signed ? (byte)SatS8(v) : SatU8(v);
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    private static Vector128<byte> SatW(Vector128<byte> a, Vector128<byte> b, bool sub, bool signed)
    {
        var x = a.AsUInt16(); var y = b.AsUInt16();
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 8; k++)
        {
            int p = signed ? (short)x[k] : x[k], q = signed ? (short)y[k] : y[k];
            int v = sub ? p - q : p + q;
            r[k] = signed ? (ushort)SatS16(v) : SatU16(v);
        }
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static sbyte SatS8(int v) => (sbyte)Math.Clamp(v, sbyte.MinValue, sbyte.MaxValue);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static byte SatU8(int v) => (byte)Math.Clamp(v, 0, byte.MaxValue);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static short SatS16(int v) => (short)Math.Clamp(v, short.MinValue, short.MaxValue);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ushort SatU16(int v) => (ushort)Math.Clamp(v, 0, ushort.MaxValue);

    // ---- shifts: counts are unsigned 64-bit; past the element width logical shifts give zero and
    // arithmetic shifts fill with the sign ----

    public static Vector128<byte> Sll(Vector128<byte> a, ulong count, int elemBits) => elemBits switch
    {
        16 => count > 15 ? default : Vector128.ShiftLeft(a.AsUInt16(), (int)count).AsByte(),
        32 => count > 31 ? default : Vector128.ShiftLeft(a.AsUInt32(), (int)count).AsByte(),
        _ => count > 63 ? default : Vector128.ShiftLeft(a.AsUInt64(), (int)count).AsByte(),
    };

    public static Vector128<byte> Srl(Vector128<byte> a, ulong count, int elemBits) => elemBits switch
    {
        16 => count > 15 ? default : Vector128.ShiftRightLogical(a.AsUInt16(), (int)count).AsByte(),
        32 => count > 31 ? default : Vector128.ShiftRightLogical(a.AsUInt32(), (int)count).AsByte(),
        _ => count > 63 ? default : Vector128.ShiftRightLogical(a.AsUInt64(), (int)count).AsByte(),
    };

    public static Vector128<byte> Sra(Vector128<byte> a, ulong count, int elemBits) => elemBits switch
    {
        16 => Vector128.ShiftRightArithmetic(a.AsInt16(), (int)Math.Min(count, 15)).AsByte(),
        _ => Vector128.ShiftRightArithmetic(a.AsInt32(), (int)Math.Min(count, 31)).AsByte(),
    };

    /// <summary>PSLLDQ: whole-register byte shift left (counts past 15 give zero).</summary>
    public static Vector128<byte> ByteShiftLeft(Vector128<byte> a, int n)
    {
        if (n > 15) return default;
        Span<byte> r = stackalloc byte[16];
        for (int k = n; k < 16; k++) r[k] = a[k - n];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> ByteShiftRight(Vector128<byte> a, int n)
    {
        if (n > 15) return default;
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k + n < 16; k++) r[k] = a[k + n];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    // ---- packs, unpacks, shuffles: the element layout depends on the register width (8 or 16 bytes) ----

    /// <summary>PUNPCKL*/PUNPCKH*: interleaves elements of the low (or high) halves of a and b.</summary>
    public static Vector128<byte> Interleave(Vector128<byte> a, Vector128<byte> b, int elemSize, int width, bool high)
    {
        Span<byte> r = stackalloc byte[16];
        int half = width / 2, start = high ? half : 0;
        for (int k = 0; k < half / elemSize; k++)
            for (int j = 0; j < elemSize; j++)
            {
                r[2 * k * elemSize + j] = a[start + k * elemSize + j];
                r[(2 * k + 1) * elemSize + j] = b[start + k * elemSize + j];
            }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>PACKSSWB/PACKUSWB: words of a then words of b, saturated to bytes.</summary>
    public static Vector128<byte> PackWB(Vector128<byte> a, Vector128<byte> b, int width, bool unsigned)
    {
        Span<byte> r = stackalloc byte[16];
        int n = width / 2;
        var x = a.AsInt16(); var y = b.AsInt16();
        for (int k = 0; k < n; k++)
        {
            r[k] = unsigned ? SatU8(x[k]) : (byte)SatS8(x[k]);
            r[n + k] = unsigned ? SatU8(y[k]) : (byte)SatS8(y[k]);
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>PACKSSDW: dwords of a then dwords of b, saturated to signed words.</summary>
    public static Vector128<byte> PackDW(Vector128<byte> a, Vector128<byte> b, int width)
    {
        Span<short> r = stackalloc short[8];
        int n = width / 4;
        var x = a.AsInt32(); var y = b.AsInt32();
        for (int k = 0; k < n; k++)
        {
            r[k] = SatS16(x[k]);
            r[n + k] = SatS16(y[k]);
        }
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    /// <summary>PSHUFD.</summary>
    public static Vector128<byte> ShuffleD(Vector128<byte> a, int imm)
    {
        var x = a.AsUInt32();
        return Vector128.Create(x[imm & 3], x[(imm >> 2) & 3], x[(imm >> 4) & 3], x[(imm >> 6) & 3]).AsByte();
    }

    /// <summary>PSHUFLW (offset 0), PSHUFHW (offset 4) and PSHUFW (offset 0 on an MMX value): four words
    /// starting at <paramref name="offset"/> are permuted, the others kept.</summary>
    public static Vector128<byte> ShuffleW(Vector128<byte> a, int imm, int offset)
    {
        var x = a.AsUInt16();
        var r = x;
        for (int k = 0; k < 4; k++) r = r.WithElement(offset + k, x[offset + ((imm >> (2 * k)) & 3)]);
        return r.AsByte();
    }

    /// <summary>SHUFPS: two lanes from a, two from b.</summary>
    public static Vector128<byte> ShufPs(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        return Vector128.Create(x[imm & 3], x[(imm >> 2) & 3], y[(imm >> 4) & 3], y[(imm >> 6) & 3]).AsByte();
    }

    public static Vector128<byte> ShufPd(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        return Vector128.Create(x[imm & 1], y[(imm >> 1) & 1]).AsByte();
    }
}
