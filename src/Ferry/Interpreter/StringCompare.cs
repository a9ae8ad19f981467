using System.Numerics;
using System.Runtime.Intrinsics;
using Ferry.Cpu;

namespace Ferry.Interpreter;

/// <summary>The packed string comparison engine of PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (Intel SDM
/// vol. 2, section 4.1). imm8[1:0] selects unsigned/signed bytes/words, imm8[3:2] the aggregation
/// (equal any, ranges, equal each, equal ordered), imm8[5:4] the polarity and imm8[6] the output
/// form (most significant index, or a byte/word mask instead of a bit mask).</summary>
public static class StringCompare
{
    /// <summary>Elements per operand: 16 bytes or 8 words.</summary>
    public static int Elements(int imm) => (imm & 1) != 0 ? 8 : 16;

    /// <summary>The length of an implicit (zero-terminated) string: the index of its first zero element, or the element count.</summary>
    public static int ImplicitLength(Vector128<byte> v, int imm)
    {
        int n = Elements(imm);
        for (int k = 0; k < n; k++) if (Element(v, k, imm) == 0) return k;
        return n;
    }

    /// <summary>The length of an explicit string: the absolute value of the signed register, saturated to the element count.</summary>
    public static int ExplicitLength(long reg, int imm)
    {
        ulong mag = reg < 0 ? 0UL - (ulong)reg : (ulong)reg;
        int n = Elements(imm);
        return mag > (ulong)n ? n : (int)mag;
    }

    /// <summary>IntRes2: bit j describes element j of <paramref name="b"/> (the xmm2/m128 operand)
    /// against the set, range list or string in <paramref name="a"/> (xmm1), after polarity.</summary>
    public static int Compare(Vector128<byte> a, int la, Vector128<byte> b, int lb, int imm)
    {
        int n = Elements(imm);
        int agg = (imm >> 2) & 3;
        int res1 = 0;
        switch (agg)
        {
            case 0: // equal any: b[j] is one of the valid elements of a
                for (int j = 0; j < lb; j++)
                    for (int k = 0; k < la; k++)
                        if (Element(a, k, imm) == Element(b, j, imm)) { res1 |= 1 << j; break; }
                break;
            case 1: // ranges: a holds pairs [low, high]; an odd valid element without a partner never matches
                for (int j = 0; j < lb; j++)
                {
                    long v = Element(b, j, imm);
                    for (int k = 0; k + 1 < la; k += 2)
                        if (Element(a, k, imm) <= v && v <= Element(a, k + 1, imm)) { res1 |= 1 << j; break; }
                }
                break;
            case 2: // equal each: element-wise, two invalid elements compare equal
                for (int j = 0; j < n; j++)
                {
                    bool va = j < la, vb = j < lb;
                    if (va && vb ? Element(a, j, imm) == Element(b, j, imm) : !va && !vb) res1 |= 1 << j;
                }
                break;
            default: // equal ordered: the substring a occurs in b at j (an invalid a element matches anything)
                for (int j = 0; j < n; j++)
                {
                    bool match = true;
                    for (int k = 0; k < n - j && match; k++)
                    {
                        if (k >= la) break;
                        if (j + k >= lb || Element(a, k, imm) != Element(b, j + k, imm)) match = false;
                    }
                    if (match) res1 |= 1 << j;
                }
                break;
        }
        int all = (1 << n) - 1;
        return ((imm >> 4) & 3) switch
        {
            1 => ~res1 & all,
            3 => (~res1 & ((1 << lb) - 1)) | (res1 & ~((1 << lb) - 1) & all),
            _ => res1,
        };
    }

    /// <summary>The index PCMPxSTRI writes to ECX: the least (or, with imm8[6], the most) significant set bit, or the element count.</summary>
    public static int Index(int res2, int imm)
    {
        if (res2 == 0) return Elements(imm);
        return (imm & 0x40) != 0 ? 31 - BitOperations.LeadingZeroCount((uint)res2) : BitOperations.TrailingZeroCount(res2);
    }

    /// <summary>The mask PCMPxSTRM writes to XMM0: the bits zero-extended, or with imm8[6] each element all ones or zeros.</summary>
    public static Vector128<byte> Mask(int res2, int imm)
    {
        if ((imm & 0x40) == 0) return Vector128.CreateScalar((uint)res2).AsByte();
        Span<byte> r = stackalloc byte[16];
        int size = (imm & 1) != 0 ? 2 : 1;
        for (int k = 0; k < 16; k++) r[k] = ((res2 >> (k / size)) & 1) != 0 ? (byte)0xFF : (byte)0;
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>CF: any result bit; ZF: b is shorter than the element count; SF: a is; OF: result bit 0. AF and PF are cleared.</summary>
    public static ulong StatusFlags(int res2, int la, int lb, int imm)
    {
        int n = Elements(imm);
        return (res2 != 0 ? Flags.CF : 0) | (lb < n ? Flags.ZF : 0) | (la < n ? Flags.SF : 0) | ((res2 & 1) != 0 ? Flags.OF : 0);
    }

    private static long Element(Vector128<byte> v, int k, int imm) => (imm & 3) switch
    {
        0 => v[k],
        1 => v.AsUInt16()[k],
        2 => (sbyte)v[k],
        _ => v.AsInt16()[k],
    };
}
