using System.Runtime.Intrinsics;

namespace Ferry.Tests.Sse;

/// <summary>What the lanes of a register or memory operand hold, so the generator can pick the
/// edge cases that matter for it.</summary>
public enum Lane
{
    /// <summary>Random bytes with a bias to 0x00/0xFF/0x80/0x7F.</summary>
    Bytes,
    I8, I16, I32, I64,
    F32, F64,
    /// <summary>Floats near integer boundaries (halves, ±2^31, ±2^63, large and tiny) for float→int conversions.</summary>
    F32Int, F64Int,
    /// <summary>Integers of random bit length (rounding when converted to float).</summary>
    I32Cvt, I64Cvt,
    /// <summary>Shift counts: mostly small, sometimes at or past the element width.</summary>
    Count,
    /// <summary>Floats at the edges of the normal range and simple scale factors, so that products,
    /// quotients and sums land exactly around the smallest normal and the largest finite value.</summary>
    F32Edge, F64Edge,
    /// <summary>Valid MXCSR images with every exception masked (LDMXCSR sources).</summary>
    Mxcsr,
    /// <summary>Only the special values (NaNs of both kinds and signs, infinities, zeros, denormals,
    /// range ends), so that operations meet two NaNs at once and NaN propagation order shows.</summary>
    F32Special, F64Special,
    /// <summary>String bytes for PCMPxSTRx: a small alphabet (so sets, ranges and substrings match),
    /// sign-boundary bytes and embedded zeros.</summary>
    Str8,
    /// <summary>String words for PCMPxSTRx: the same, with words that differ only in their high byte.</summary>
    Str16,
    /// <summary>Explicit string lengths for EAX/EDX and RAX/RDX: small, negative, just past 8 and 16,
    /// and values whose low 32 bits and full 64 bits disagree in sign or size.</summary>
    StrLen,
    /// <summary>binary32 values around the binary16 limits: 65504 and 65520 (overflow), 2^-14 (smallest
    /// normal), 2^-24 (smallest denormal) and halfway points between binary16 values.</summary>
    F32Half,
    /// <summary>Bytes from a tiny alphabet with zeros (string compares: matches, ranges and terminators).</summary>
    Text,
    /// <summary>Whole vectors that are zero, all ones, one bit, sign bits only, or random (VPTEST, masks).</summary>
    Sparse,
}

/// <summary>Edge-case-heavy random operand values.</summary>
public static class SseValues
{
    public static readonly uint[] SpecialF32 =
    [
        0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000, 0x7FC12345, 0xFFD00001,
        0x7F800001, 0xFF800001, 0x7FA5A5A5, 0xFFBFFFFF, 0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF,
        0x00400000, 0x00800000, 0x80800000, 0x00800001, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F7FFFFE, 0x3F800000,
        0xBF800000, 0x3F000000, 0xBF000000, 0x3FC00000, 0xBFC00000, 0x40200000, 0xC0200000, 0x4F000000,
        0x4EFFFFFF, 0xCF000000, 0xCF000001, 0xCEFFFFFF, 0x5F000000, 0x5EFFFFFF, 0xDF000000, 0xDF000001,
        0x4B800000, 0x4B800001, 0x3F7FFFFF, 0x3F800001, 0x00FFFFFF, 0x01000000, 0x0C000000, 0x33800000,
        0x40000000, 0x40400000, 0x3EAAAAAB, 0x7E800000, 0x00000003, 0x4F800000, 0x5F800000,
    ];

    public static readonly ulong[] SpecialF64 =
    [
        0x0000000000000000, 0x8000000000000000, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
        0xFFF8000000000000, 0x7FF8123456789ABC, 0xFFFC000000000001, 0x7FF0000000000001, 0xFFF0000000000001,
        0x7FF5A5A5A5A5A5A5, 0xFFF7FFFFFFFFFFFF, 0x0000000000000001, 0x8000000000000001, 0x000FFFFFFFFFFFFF,
        0x800FFFFFFFFFFFFF, 0x0008000000000000, 0x0010000000000000, 0x8010000000000000, 0x0010000000000001,
        0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF, 0x3FF0000000000000, 0xBFF0000000000000, 0x3FE0000000000000,
        0xBFE0000000000000, 0x3FF8000000000000, 0xBFF8000000000000, 0x4004000000000000, 0xC004000000000000,
        0x41E0000000000000, 0x41DFFFFFFFC00000, 0x41DFFFFFFFE00000, 0x41DFFFFFFFFFFFFF, 0xC1E0000000000000,
        0xC1E0000000100000, 0xC1E00000001FFFFF, 0xC1E0000000200000, 0x43E0000000000000, 0x43DFFFFFFFFFFFFF,
        0xC3E0000000000000, 0xC3E0000000000001, 0x4340000000000000, 0x4340000000000001, 0x3FEFFFFFFFFFFFFF,
        0x3FF0000000000001, 0x36A0000000000000, 0x3690000000000000, 0x380FFFFFFFFFFFFF, 0x3810000000000000,
        0x47EFFFFFE0000000, 0x47EFFFFFF0000000, 0x47F0000000000000, 0x3CA0000000000000, 0x41F0000000000000,
        0x43F0000000000000, 0x3FD5555555555555, 0x36A0000000000001, 0x369FFFFFFFFFFFFF,
    ];

    public static ulong Element(Random r, Lane k, int size) => k switch
    {
        Lane.F32 => F32(r),
        Lane.F64 => F64(r),
        Lane.F32Int => F32Int(r),
        Lane.F64Int => F64Int(r),
        Lane.I32Cvt => IntOfLength(r, 32),
        Lane.I64Cvt => IntOfLength(r, 64),
        Lane.Count => Count(r),
        Lane.F32Edge => F32Edge(r),
        Lane.F32Half => F32Half(r),
        Lane.F64Edge => F64Edge(r),
        Lane.Mxcsr => 0x1F80u | ((uint)r.Next(0x10000) & 0xE07Fu),
        Lane.F32Special => SpecialF32[r.Next(SpecialF32.Length)],
        Lane.F64Special => SpecialF64[r.Next(SpecialF64.Length)],
        Lane.Str8 => Str8(r),
        Lane.Str16 => Str16(r),
        Lane.StrLen => StrLen(r),
        _ => Int(r, size),
    };

    public static int ElementSize(Lane k) => k switch
    {
        Lane.I8 or Lane.Bytes or Lane.Str8 => 1,
        Lane.I16 or Lane.Str16 => 2,
        Lane.I32 or Lane.F32 or Lane.F32Int or Lane.I32Cvt or Lane.Mxcsr or Lane.F32Edge or Lane.F32Special or Lane.F32Half => 4,
        _ => 8,
    };

    /// <summary>A 16-byte operand whose lanes are of kind <paramref name="k"/>.</summary>
    public static Vector128<byte> Vec(Random r, Lane k)
    {
        if (k == Lane.Text)
        {
            Span<byte> t = stackalloc byte[16];
            ReadOnlySpan<byte> alphabet = [0, (byte)'a', (byte)'b', (byte)'c', (byte)'z', 0x80, 0xFF, 0x7F, 1];
            for (int j = 0; j < 16; j++) t[j] = r.Next(3) == 0 ? (byte)r.Next(256) : alphabet[r.Next(j == 0 ? 1 : 0, alphabet.Length)];
            return Vector128.Create((ReadOnlySpan<byte>)t);
        }
        if (k == Lane.Sparse)
            return r.Next(6) switch
            {
                0 => Vector128<byte>.Zero,
                1 => Vector128<byte>.AllBitsSet,
                2 => Vector128<byte>.Zero.WithElement(r.Next(16), (byte)(1 << r.Next(8))),
                3 => (r.Next(2) == 0 ? Vector128.Create(0x8000_0000u).AsByte() : Vector128.Create(0x8000_0000_0000_0000UL).AsByte()) & Vec(r, Lane.Bytes),
                4 => Vector128.Create((byte)0x80) & Vec(r, Lane.Bytes),
                _ => Vec(r, Lane.Bytes),
            };
        Span<byte> b = stackalloc byte[16];
        int size = ElementSize(k);
        for (int o = 0; o < 16; o += size) Write(b[o..], Element(r, k, size), size);
        return Vector128.Create((ReadOnlySpan<byte>)b);
    }

    public static void Write(Span<byte> b, ulong v, int size)
    {
        for (int i = 0; i < size; i++) b[i] = (byte)(v >> (8 * i));
    }

    public static ulong Int(Random r, int size)
    {
        ulong mask = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        ulong sign = 1UL << (size * 8 - 1);
        ulong v = r.Next(8) switch
        {
            0 => 0,
            1 => mask,
            2 => sign,
            3 => sign - 1,
            4 => (ulong)r.Next(-3, 4),
            5 => sign + (ulong)r.Next(-2, 3),
            _ => (ulong)r.NextInt64() ^ ((ulong)r.Next() << 40),
        };
        return v & mask;
    }

    /// <summary>A signed integer of random magnitude, so conversions to float round at every bit position.</summary>
    public static ulong IntOfLength(Random r, int bits)
    {
        if (r.Next(6) == 0) return Int(r, bits / 8);
        int len = r.Next(0, bits);
        ulong v = len == 0 ? 0 : ((ulong)r.NextInt64() | ((ulong)r.Next() << 63)) >> (64 - len);
        if (len > 0) v |= 1UL << (len - 1);
        if (r.Next(3) == 0) v &= ~((1UL << Math.Min(len / 2, 63)) - 1) | 1; // few bits set: ties and exact cases
        if (r.Next(2) == 0) v = 0 - v;
        return bits == 32 ? v & 0xFFFF_FFFF : v;
    }

    public static ulong Str8(Random r) => r.Next(14) switch
    {
        0 => 0,
        1 => (ulong)r.Next(0x7E, 0x82),
        2 => (ulong)r.Next(0xFE, 0x100),
        3 => (ulong)r.Next(256),
        _ => (ulong)('a' + r.Next(4)),
    };

    public static ulong Str16(Random r) => r.Next(14) switch
    {
        0 => 0,
        1 => (ulong)r.Next(0x7FFE, 0x8002),
        2 => (ulong)r.Next(0xFFFE, 0x10000),
        3 => (ulong)r.Next(0x10000),
        4 => 0x100UL * (ulong)r.Next(1, 3) + (ulong)('a' + r.Next(4)),
        _ => (ulong)('a' + r.Next(4)),
    };

    public static ulong StrLen(Random r) => r.Next(10) switch
    {
        0 or 1 or 2 => (ulong)r.Next(0, 18),
        3 => (ulong)(long)r.Next(-18, 0),
        4 => 0x8000_0000UL + (ulong)r.Next(0, 18),
        5 => 0xFFFF_FFFF_0000_0000UL + (ulong)r.Next(0, 18),
        6 => 0x0000_0001_0000_0000UL - (ulong)r.Next(1, 18),
        7 => r.Next(2) == 0 ? 0x8000_0000_0000_0000UL : 0x7FFF_FFFFUL,
        8 => (ulong)r.NextInt64(),
        _ => (ulong)r.Next(5, 10),
    };

    public static ulong Count(Random r) => r.Next(6) switch
    {
        0 => (ulong)r.Next(0, 80),
        1 => (ulong)r.NextInt64(),
        2 => 1UL << r.Next(6, 64),
        _ => (ulong)r.Next(0, 17),
    };

    public static uint F32(Random r)
    {
        uint sign = (uint)r.Next(2) << 31;
        return r.Next(12) switch
        {
            0 or 1 => SpecialF32[r.Next(SpecialF32.Length)],
            2 => (uint)r.Next() ^ ((uint)r.Next(2) << 31),
            3 => sign | ((uint)r.Next() & 0x7FFFFF),
            4 => sign | ((uint)r.Next(1, 40) << 23) | ((uint)r.Next() & 0x7FFFFF),
            5 => sign | ((uint)r.Next(215, 255) << 23) | ((uint)r.Next() & 0x7FFFFF),
            6 => BitConverter.SingleToUInt32Bits(r.Next(-2000, 2000) / (float)(1 << r.Next(0, 4))),
            7 => sign | ((uint)r.Next(120, 135) << 23) | ((uint)r.Next() & 0x7FFFFF & ~((1u << r.Next(0, 23)) - 1)),
            _ => sign | ((uint)r.Next(107, 148) << 23) | ((uint)r.Next() & 0x7FFFFF),
        };
    }

    public static ulong F64(Random r)
    {
        ulong sign = (ulong)r.Next(2) << 63;
        ulong mant = (ulong)r.NextInt64() & 0xF_FFFF_FFFF_FFFF;
        return r.Next(12) switch
        {
            0 or 1 => SpecialF64[r.Next(SpecialF64.Length)],
            2 => (ulong)r.NextInt64() ^ ((ulong)r.Next(2) << 63),
            3 => sign | mant,
            4 => sign | ((ulong)r.Next(1, 120) << 52) | mant,
            5 => sign | ((ulong)r.Next(1930, 2047) << 52) | mant,
            6 => BitConverter.DoubleToUInt64Bits(r.Next(-2000, 2000) / (double)(1 << r.Next(0, 4))),
            7 => sign | ((ulong)r.Next(1015, 1035) << 52) | (mant & ~((1UL << r.Next(0, 52)) - 1)),
            8 => F32ToF64Exact(F32(r)),
            _ => sign | ((ulong)r.Next(960, 1090) << 52) | mant,
        };
    }

    private static ulong F32ToF64Exact(uint f) =>
        float.IsNaN(BitConverter.UInt32BitsToSingle(f)) ? SpecialF64[4] : BitConverter.DoubleToUInt64Bits(BitConverter.UInt32BitsToSingle(f));

    public static uint F32Half(Random r)
    {
        uint[] anchors = [0x477FE000, 0x477FF000, 0x47800000, 0x38800000, 0x33800000, 0x33000000, 0x387FC000, 0x3F800000, 0x34000000];
        uint a = anchors[r.Next(anchors.Length)];
        uint v = r.Next(3) switch
        {
            0 => a,
            1 => (uint)(a + r.Next(-3, 4)),
            _ => (uint)(a + (r.Next(-8, 9) << 12)) + (uint)(r.Next(2) == 0 ? 0 : r.Next(0, 0x2000)),
        };
        return v | (r.Next(2) == 0 ? 0 : 0x8000_0000u);
    }

    public static uint F32Edge(Random r)
    {
        uint sign = (uint)r.Next(2) << 31;
        uint mant = r.Next(3) switch { 0 => 0x7FFFFF - (uint)r.Next(4), 1 => (uint)r.Next(4), _ => (uint)r.Next() & 0x7FFFFF };
        return sign | r.Next(4) switch
        {
            0 => ((uint)r.Next(0, 4) << 23) | mant,
            1 => ((uint)r.Next(251, 255) << 23) | mant,
            2 => ((uint)r.Next(124, 131) << 23) | mant,
            _ => ((uint)r.Next(125, 130) << 23) | (uint)r.Next(3) << 21,
        };
    }

    public static ulong F64Edge(Random r)
    {
        ulong sign = (ulong)r.Next(2) << 63;
        ulong mant = r.Next(3) switch { 0 => 0xF_FFFF_FFFF_FFFF - (ulong)r.Next(4), 1 => (ulong)r.Next(4), _ => (ulong)r.NextInt64() & 0xF_FFFF_FFFF_FFFF };
        return sign | r.Next(4) switch
        {
            0 => ((ulong)r.Next(0, 4) << 52) | mant,
            1 => ((ulong)r.Next(2043, 2047) << 52) | mant,
            2 => ((ulong)r.Next(1020, 1027) << 52) | mant,
            _ => ((ulong)r.Next(1021, 1026) << 52) | (ulong)r.Next(3) << 50,
        };
    }

    /// <summary>Binary32 values around the interesting points of a conversion to int32/int64.</summary>
    public static uint F32Int(Random r)
    {
        uint sign = (uint)r.Next(2) << 31;
        switch (r.Next(6))
        {
            case 0: return F32(r);
            case 1: return SpecialF32[r.Next(SpecialF32.Length)];
            case 2: // around 2^31 and 2^63
                {
                    uint b = r.Next(2) == 0 ? 0x4F000000u : 0x5F000000u;
                    return sign | (uint)(b + r.Next(-3, 4));
                }
            case 3: return BitConverter.SingleToUInt32Bits((r.Next(-100, 100) + r.Next(0, 5) * 0.25f));
            default: return sign | ((uint)r.Next(110, 192) << 23) | ((uint)r.Next() & 0x7FFFFF);
        }
    }

    public static ulong F64Int(Random r)
    {
        ulong sign = (ulong)r.Next(2) << 63;
        switch (r.Next(6))
        {
            case 0: return F64(r);
            case 1: return SpecialF64[r.Next(SpecialF64.Length)];
            case 2:
                {
                    ulong b = r.Next(2) == 0 ? 0x41E0000000000000UL : 0x43E0000000000000UL;
                    return sign | (ulong)((long)b + r.Next(-0x300000, 0x300000) * (r.Next(2) == 0 ? 1 : 0) + r.Next(-3, 4));
                }
            case 3: return BitConverter.DoubleToUInt64Bits(r.Next(-100, 100) + r.Next(0, 5) * 0.25);
            default: return sign | ((ulong)r.Next(1000, 1090) << 52) | ((ulong)r.NextInt64() & 0xF_FFFF_FFFF_FFFF);
        }
    }

    /// <summary>Makes <paramref name="src"/>'s lanes related to <paramref name="dst"/>'s (negated, a few
    /// ulps away, same exponent, equal), so that cancellation, ties and equal compares happen often.</summary>
    public static Vector128<byte> Correlate(Random r, Lane k, Vector128<byte> src, Vector128<byte> dst)
    {
        if (k is Lane.F32 or Lane.F32Int)
        {
            var s = src.AsUInt32(); var d = dst.AsUInt32();
            for (int e = 0; e < 4; e++)
                if (r.Next(2) == 0) s = s.WithElement(e, Relate32(r, d[e]));
            return s.AsByte();
        }
        if (k is Lane.F64 or Lane.F64Int)
        {
            var s = src.AsUInt64(); var d = dst.AsUInt64();
            for (int e = 0; e < 2; e++)
                if (r.Next(2) == 0) s = s.WithElement(e, Relate64(r, d[e]));
            return s.AsByte();
        }
        return src;
    }

    /// <summary>Makes odd lanes related to the even lane below them, so horizontal sums cancel and tie.</summary>
    public static Vector128<byte> PairUp(Random r, Lane k, Vector128<byte> v)
    {
        if (k is Lane.F32 or Lane.F32Int or Lane.F32Edge)
        {
            var s = v.AsUInt32();
            for (int e = 1; e < 4; e += 2)
                if (r.Next(2) == 0) s = s.WithElement(e, Relate32(r, s[e - 1]));
            return s.AsByte();
        }
        if (k is Lane.F64 or Lane.F64Int or Lane.F64Edge)
        {
            var s = v.AsUInt64();
            if (r.Next(2) == 0) s = s.WithElement(1, Relate64(r, s[0]));
            return s.AsByte();
        }
        return v;
    }

    public static uint Relate32(Random r, uint d) => r.Next(6) switch
    {
        0 => d ^ 0x80000000,
        1 => d,
        2 => (uint)(d + r.Next(-3, 4)) ^ ((uint)r.Next(2) << 31),
        3 => (d & 0xFF800000) | ((uint)r.Next() & 0x7FFFFF),
        4 => (uint)(d + (r.Next(-30, 30) << 23)),
        _ => (d ^ 0x80000000) & ~((1u << r.Next(0, 24)) - 1),
    };

    public static ulong Relate64(Random r, ulong d) => r.Next(6) switch
    {
        0 => d ^ 0x8000000000000000,
        1 => d,
        2 => (ulong)((long)d + r.Next(-3, 4)) ^ ((ulong)r.Next(2) << 63),
        3 => (d & 0xFFF0000000000000) | ((ulong)r.NextInt64() & 0xF_FFFF_FFFF_FFFF),
        4 => (ulong)((long)d + ((long)r.Next(-60, 60) << 52)),
        _ => (d ^ 0x8000000000000000) & ~((1UL << r.Next(0, 53)) - 1),
    };
}
