using System.Runtime.Intrinsics;

namespace Ferry.Interpreter;

/// <summary>Lane semantics of the SSSE3, SSE4.1 and SSE4.2 integer operations on one 128-bit lane,
/// written once so that the legacy forms and the VEX forms (which apply them per 128-bit lane) share them.</summary>
public static class SimdLanes
{
    // ---- SSSE3 ----

    /// <summary>PSHUFB: each byte selects a byte of <paramref name="a"/> by its low 4 bits, or zero when bit 7 is set.</summary>
    public static Vector128<byte> ShuffleBytes(Vector128<byte> a, Vector128<byte> b)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16; k++) r[k] = (b[k] & 0x80) != 0 ? (byte)0 : a[b[k] & 15];
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>PALIGNR: the 32-byte concatenation a:b shifted right by imm bytes, low 16 bytes kept.</summary>
    public static Vector128<byte> AlignRight(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16; k++)
        {
            int s = k + imm;
            r[k] = s < 16 ? b[s] : s < 32 ? a[s - 16] : (byte)0;
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    public static Vector128<byte> AbsB(Vector128<byte> a) => Vector128.Abs(a.AsSByte()).AsByte();
    public static Vector128<byte> AbsW(Vector128<byte> a) => Vector128.Abs(a.AsInt16()).AsByte();
    public static Vector128<byte> AbsD(Vector128<byte> a) => Vector128.Abs(a.AsInt32()).AsByte();

    public static Vector128<byte> SignB(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsSByte(); var y = b.AsSByte();
        Span<sbyte> r = stackalloc sbyte[16];
        for (int k = 0; k < 16; k++) r[k] = y[k] < 0 ? unchecked((sbyte)-x[k]) : y[k] == 0 ? (sbyte)0 : x[k];
        return Vector128.Create((ReadOnlySpan<sbyte>)r).AsByte();
    }

    public static Vector128<byte> SignW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++) r[k] = y[k] < 0 ? unchecked((short)-x[k]) : y[k] == 0 ? (short)0 : x[k];
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    public static Vector128<byte> SignD(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32(); var y = b.AsInt32();
        Span<int> r = stackalloc int[4];
        for (int k = 0; k < 4; k++) r[k] = y[k] < 0 ? unchecked(-x[k]) : y[k] == 0 ? 0 : x[k];
        return Vector128.Create((ReadOnlySpan<int>)r).AsByte();
    }

    // Horizontal operations: pairs of a fill the low half, pairs of b the high half.
    private static Vector128<byte> HorizontalW(Vector128<byte> a, Vector128<byte> b, int kind)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 4; k++)
        {
            r[k] = Pair(x[2 * k], x[2 * k + 1], kind);
            r[k + 4] = Pair(y[2 * k], y[2 * k + 1], kind);
        }
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();

        static short Pair(short u, short v, int kind) => kind switch
        {
            0 => unchecked((short)(u + v)),
            1 => unchecked((short)(u - v)),
            2 => SseInt.SatS16(u + v),
            _ => SseInt.SatS16(u - v),
        };
    }

    public static Vector128<byte> HAddW(Vector128<byte> a, Vector128<byte> b) => HorizontalW(a, b, 0);
    public static Vector128<byte> HSubW(Vector128<byte> a, Vector128<byte> b) => HorizontalW(a, b, 1);
    public static Vector128<byte> HAddSW(Vector128<byte> a, Vector128<byte> b) => HorizontalW(a, b, 2);
    public static Vector128<byte> HSubSW(Vector128<byte> a, Vector128<byte> b) => HorizontalW(a, b, 3);

    public static Vector128<byte> HAddD(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32(); var y = b.AsInt32();
        return Vector128.Create(unchecked(x[0] + x[1]), unchecked(x[2] + x[3]), unchecked(y[0] + y[1]), unchecked(y[2] + y[3])).AsByte();
    }

    public static Vector128<byte> HSubD(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32(); var y = b.AsInt32();
        return Vector128.Create(unchecked(x[0] - x[1]), unchecked(x[2] - x[3]), unchecked(y[0] - y[1]), unchecked(y[2] - y[3])).AsByte();
    }

    /// <summary>PMADDUBSW: unsigned bytes of a times signed bytes of b, adjacent pairs summed with signed saturation.</summary>
    public static Vector128<byte> MaddUbsW(Vector128<byte> a, Vector128<byte> b)
    {
        var y = b.AsSByte();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++) r[k] = SseInt.SatS16(a[2 * k] * y[2 * k] + a[2 * k + 1] * y[2 * k + 1]);
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    /// <summary>PMULHRSW: (a × b + 2^14) >> 15 per signed word.</summary>
    public static Vector128<byte> MulHrsW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt16(); var y = b.AsInt16();
        Span<short> r = stackalloc short[8];
        for (int k = 0; k < 8; k++) r[k] = unchecked((short)(((x[k] * y[k] >> 14) + 1) >> 1));
        return Vector128.Create((ReadOnlySpan<short>)r).AsByte();
    }

    // ---- SSE4.1 ---- (min/max, PCMPEQQ/PCMPGTQ, PMULDQ and PMOVSX/ZX are Sse41Int's, shared with the legacy forms)

    public static Vector128<byte> MulLoD(Vector128<byte> a, Vector128<byte> b) => (a.AsInt32() * b.AsInt32()).AsByte();

    /// <summary>PACKUSDW: signed dwords of a then b, saturated to unsigned words.</summary>
    public static Vector128<byte> PackUsDW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32(); var y = b.AsInt32();
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 4; k++) { r[k] = SseInt.SatU16(x[k]); r[k + 4] = SseInt.SatU16(y[k]); }
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PBLENDW: word k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendW(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt16(); var y = b.AsUInt16();
        for (int k = 0; k < 8; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>BLENDPS / VPBLENDD: dword k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendD(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt32(); var y = b.AsUInt32();
        for (int k = 0; k < 4; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>BLENDPD: qword k from b when imm bit k is set.</summary>
    public static Vector128<byte> BlendQ(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var x = a.AsUInt64(); var y = b.AsUInt64();
        for (int k = 0; k < 2; k++) if ((imm >> k & 1) != 0) x = x.WithElement(k, y[k]);
        return x.AsByte();
    }

    /// <summary>PBLENDVB: byte k from b when the mask byte's top bit is set.</summary>
    public static Vector128<byte> BlendVB(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsSByte(), 7).AsByte(), b, a);

    /// <summary>BLENDVPS: dword k from b when the mask dword's sign bit is set.</summary>
    public static Vector128<byte> BlendVD(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsInt32(), 31).AsByte(), b, a);

    /// <summary>BLENDVPD: qword k from b when the mask qword's sign bit is set.</summary>
    public static Vector128<byte> BlendVQ(Vector128<byte> a, Vector128<byte> b, Vector128<byte> mask) =>
        Vector128.ConditionalSelect(Vector128.ShiftRightArithmetic(mask.AsInt64(), 63).AsByte(), b, a);

    /// <summary>MPSADBW on one lane: eight sums of absolute differences of 4-byte groups.</summary>
    public static Vector128<byte> Mpsadbw(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        int ao = ((imm >> 2) & 1) * 4, bo = (imm & 3) * 4;
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 8; k++)
        {
            int s = 0;
            for (int j = 0; j < 4; j++) s += Math.Abs(a[ao + k + j] - b[bo + j]);
            r[k] = (ushort)s;
        }
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PHMINPOSUW: the smallest unsigned word and its index (lowest index on ties).</summary>
    public static Vector128<byte> MinPosUW(Vector128<byte> a)
    {
        var x = a.AsUInt16();
        int best = 0;
        for (int k = 1; k < 8; k++) if (x[k] < x[best]) best = k;
        return Vector128.Create((ushort)x[best], (ushort)best, 0, 0, 0, 0, 0, 0).AsByte();
    }

    // ---- SSE4.2 string compares (PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM) ----

    /// <summary>The number of elements before the first zero element (implicit-length forms).</summary>
    public static int ImplicitLength(Vector128<byte> v, bool words)
    {
        int n = words ? 8 : 16;
        for (int k = 0; k < n; k++)
            if ((words ? v.AsUInt16()[k] : v[k]) == 0) return k;
        return n;
    }

    /// <summary>An explicit length (EAX/EDX or RAX/RDX): its absolute value, saturated to the element count.</summary>
    public static int ExplicitLength(long len, bool words)
    {
        int n = words ? 8 : 16;
        return len == long.MinValue || Math.Abs(len) >= n ? n : (int)Math.Abs(len);
    }

    /// <summary>The string-compare core: IntRes2 (one bit per element of <paramref name="b"/>) for
    /// source format imm[1:0], aggregation imm[3:2] and polarity imm[5:4], with element validity from the
    /// lengths as the SDM's override table prescribes.</summary>
    public static int StringCompare(Vector128<byte> a, int lenA, Vector128<byte> b, int lenB, int imm)
    {
        bool words = (imm & 1) != 0, signed = (imm & 2) != 0;
        int n = words ? 8 : 16;
        int agg = (imm >> 2) & 3;
        int res = 0;
        for (int j = 0; j < n; j++)
        {
            bool r;
            switch (agg)
            {
                case 0: // equal any
                    r = false;
                    for (int i = 0; i < lenA && !r; i++) r = j < lenB && Element(a, i, words, signed) == Element(b, j, words, signed);
                    break;
                case 1: // ranges: pairs (lo, hi) of a
                    r = false;
                    for (int i = 0; i + 1 < n && !r; i += 2)
                    {
                        bool ge = i < lenA && j < lenB && Element(b, j, words, signed) >= Element(a, i, words, signed);
                        bool le = i + 1 < lenA && j < lenB && Element(b, j, words, signed) <= Element(a, i + 1, words, signed);
                        r = ge && le;
                    }
                    break;
                case 2: // equal each
                    r = j >= lenA && j >= lenB || j < lenA && j < lenB && Element(a, j, words, signed) == Element(b, j, words, signed);
                    break;
                default: // equal ordered: a occurs in b starting at j
                    r = true;
                    for (int k = 0; k < n - j && r; k++)
                    {
                        if (k >= lenA) break;
                        r = j + k < lenB && Element(a, k, words, signed) == Element(b, j + k, words, signed);
                    }
                    break;
            }
            if (r) res |= 1 << j;
        }
        int mask = (1 << n) - 1;
        return ((imm >> 4) & 3) switch
        {
            1 => ~res & mask,
            3 => res ^ ((1 << lenB) - 1),
            _ => res,
        };
    }

    private static int Element(Vector128<byte> v, int k, bool words, bool signed) =>
        words ? (signed ? v.AsInt16()[k] : v.AsUInt16()[k]) : (signed ? (sbyte)v[k] : v[k]);

    /// <summary>The PCMPxSTRM result: the bit mask in the low bits, or (imm[6]) each bit widened to a byte/word.</summary>
    public static Vector128<byte> StringMask(int res, int imm)
    {
        bool words = (imm & 1) != 0;
        if ((imm & 0x40) == 0) return Vector128.CreateScalar((ushort)res).AsByte();
        Span<byte> r = stackalloc byte[16];
        int size = words ? 2 : 1;
        for (int k = 0; k < 16; k++) r[k] = ((res >> (k / size)) & 1) != 0 ? (byte)0xFF : (byte)0;
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>The PCMPxSTRI result: the least (or, with imm[6], most) significant set bit, or the element count.</summary>
    public static int StringIndex(int res, int imm)
    {
        int n = (imm & 1) != 0 ? 8 : 16;
        if (res == 0) return n;
        return (imm & 0x40) != 0 ? 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)res) : System.Numerics.BitOperations.TrailingZeroCount(res);
    }
}
