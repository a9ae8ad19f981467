using System.Runtime.Intrinsics;
using Ferry.Cpu;

namespace Ferry.Interpreter;

/// <summary>SSE4.1 and SSE4.2 integer lane operations on 128-bit values (min/max, multiplies, 64-bit
/// compares, packing, sign/zero extension, PTEST, MPSADBW, PHMINPOSUW).</summary>
public static class Sse41Int
{
    public static Vector128<byte> MinSB(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsSByte(), b.AsSByte()).AsByte();
    public static Vector128<byte> MaxSB(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsSByte(), b.AsSByte()).AsByte();
    public static Vector128<byte> MinUW(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt16(), b.AsUInt16()).AsByte();
    public static Vector128<byte> MaxUW(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt16(), b.AsUInt16()).AsByte();
    public static Vector128<byte> MinSD(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsInt32(), b.AsInt32()).AsByte();
    public static Vector128<byte> MaxSD(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsInt32(), b.AsInt32()).AsByte();
    public static Vector128<byte> MinUD(Vector128<byte> a, Vector128<byte> b) => Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsByte();
    public static Vector128<byte> MaxUD(Vector128<byte> a, Vector128<byte> b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsByte();

    /// <summary>PMULLD: the low 32 bits of each dword product.</summary>
    public static Vector128<byte> MulLoD(Vector128<byte> a, Vector128<byte> b) => (a.AsUInt32() * b.AsUInt32()).AsByte();

    /// <summary>PMULDQ: the signed low dword of each qword, multiplied to 64 bits.</summary>
    public static Vector128<byte> MulDQ(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt64(); var y = b.AsInt64();
        return Vector128.Create((long)(int)x[0] * (int)y[0], (long)(int)x[1] * (int)y[1]).AsByte();
    }

    public static Vector128<byte> CmpEqQ(Vector128<byte> a, Vector128<byte> b) => Vector128.Equals(a.AsUInt64(), b.AsUInt64()).AsByte();
    public static Vector128<byte> CmpGtQ(Vector128<byte> a, Vector128<byte> b) => Vector128.GreaterThan(a.AsInt64(), b.AsInt64()).AsByte();

    /// <summary>PACKUSDW: signed dwords of a then of b, saturated to unsigned words.</summary>
    public static Vector128<byte> PackUsDW(Vector128<byte> a, Vector128<byte> b)
    {
        var x = a.AsInt32(); var y = b.AsInt32();
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 4; k++)
        {
            r[k] = SseInt.SatU16(x[k]);
            r[4 + k] = SseInt.SatU16(y[k]);
        }
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PMOVSX*/PMOVZX*: the low lanes of <paramref name="a"/>, <paramref name="from"/> bytes each,
    /// extended to <paramref name="to"/> bytes.</summary>
    public static Vector128<byte> Extend(Vector128<byte> a, int from, int to, bool signed)
    {
        Span<byte> r = stackalloc byte[16];
        for (int k = 0; k < 16 / to; k++)
        {
            ulong v = 0;
            for (int j = 0; j < from; j++) v |= (ulong)a[k * from + j] << (8 * j);
            if (signed) v = Operands.SignExtend(v, from);
            for (int j = 0; j < to; j++) r[k * to + j] = (byte)(v >> (8 * j));
        }
        return Vector128.Create((ReadOnlySpan<byte>)r);
    }

    /// <summary>PTEST: ZF when a AND b is zero, CF when (NOT a) AND b is zero; AF, OF, PF and SF cleared.</summary>
    public static ulong PtestFlags(Vector128<byte> a, Vector128<byte> b) =>
        ((a & b) == Vector128<byte>.Zero ? Flags.ZF : 0) | (Vector128.AndNot(b, a) == Vector128<byte>.Zero ? Flags.CF : 0);

    /// <summary>MPSADBW: eight sums of absolute differences between the four bytes of b at dword
    /// imm8[1:0] and the sliding four-byte windows of a from byte 4·imm8[2].</summary>
    public static Vector128<byte> Mpsadbw(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        int src = (imm & 3) * 4, dst = ((imm >> 2) & 1) * 4;
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < 8; k++)
        {
            int s = 0;
            for (int j = 0; j < 4; j++) s += Math.Abs(a[dst + k + j] - b[src + j]);
            r[k] = (ushort)s;
        }
        return Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
    }

    /// <summary>PHMINPOSUW: the smallest unsigned word in bits 15:0, its (lowest) index in bits 18:16, zeros above.</summary>
    public static Vector128<byte> Phminposuw(Vector128<byte> a)
    {
        var x = a.AsUInt16();
        int best = 0;
        for (int k = 1; k < 8; k++) if (x[k] < x[best]) best = k;
        return Vector128.CreateScalar((uint)x[best] | ((uint)best << 16)).AsByte();
    }
}
