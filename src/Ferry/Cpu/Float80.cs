using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ferry.Cpu;

/// <summary>An x87 double-extended value: 64-bit significand with explicit integer bit, 15-bit
/// exponent and sign, stored as in memory (10 bytes) and padded to 16.</summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
public struct Float80 : IEquatable<Float80>
{
    /// <summary>The significand, integer bit included (bit 63).</summary>
    public ulong Mantissa;
    /// <summary>Sign (bit 15) and biased exponent (bits 0–14).</summary>
    public ushort SignExp;

    public const int Bias = 16383;
    public const int MaxExponent = 0x7FFF;
    public const ulong IntegerBit = 1UL << 63;
    public const ulong QuietBit = 1UL << 62;

    public Float80(ulong mantissa, ushort signExp) { Mantissa = mantissa; SignExp = signExp; }

    public Float80(bool sign, int exponent, ulong mantissa)
    {
        Mantissa = mantissa;
        SignExp = (ushort)((sign ? 0x8000 : 0) | (exponent & 0x7FFF));
    }

    /// <summary>The default NaN the x87 produces for invalid operations ("real indefinite").</summary>
    public static Float80 Indefinite => new(0xC000_0000_0000_0000, 0xFFFF);
    public static Float80 Zero(bool sign) => new(sign, 0, 0);
    public static Float80 Infinity(bool sign) => new(sign, MaxExponent, IntegerBit);
    public static Float80 One => new(IntegerBit, Bias);

    public readonly bool Sign => (SignExp & 0x8000) != 0;
    public readonly int Exponent => SignExp & 0x7FFF;

    public readonly bool IsNaN => Exponent == MaxExponent && (Mantissa & IntegerBit) != 0 && (Mantissa << 1) != 0;
    public readonly bool IsSignalingNaN => IsNaN && (Mantissa & QuietBit) == 0;
    public readonly bool IsInfinity => Exponent == MaxExponent && Mantissa == IntegerBit;
    public readonly bool IsZero => Exponent == 0 && Mantissa == 0;
    /// <summary>Denormals and pseudo-denormals: both raise the denormal-operand exception.</summary>
    public readonly bool IsDenormal => Exponent == 0 && Mantissa != 0;
    /// <summary>Encodings the 387 and later reject: pseudo-NaN, pseudo-infinity and unnormals.</summary>
    public readonly bool IsUnsupported => Exponent != 0 && (Mantissa & IntegerBit) == 0;

    public readonly Float80Class Class
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int e = Exponent;
            if (e == 0) return Mantissa == 0 ? Float80Class.Zero : Float80Class.Denormal;
            if ((Mantissa & IntegerBit) == 0) return Float80Class.Unsupported;
            if (e != MaxExponent) return Float80Class.Normal;
            if ((Mantissa << 1) == 0) return Float80Class.Infinity;
            return (Mantissa & QuietBit) != 0 ? Float80Class.QNaN : Float80Class.SNaN;
        }
    }

    public readonly Float80 Negate() => new(Mantissa, (ushort)(SignExp ^ 0x8000));
    public readonly Float80 Abs() => new(Mantissa, (ushort)(SignExp & 0x7FFF));
    public readonly Float80 WithSign(bool sign) => new(Mantissa, (ushort)((SignExp & 0x7FFF) | (sign ? 0x8000 : 0)));
    /// <summary>A NaN made quiet, as every arithmetic use of a signaling NaN does.</summary>
    public readonly Float80 Quieted() => new(Mantissa | QuietBit, SignExp);

    public readonly bool Equals(Float80 o) => Mantissa == o.Mantissa && SignExp == o.SignExp;
    public override readonly bool Equals(object? obj) => obj is Float80 f && Equals(f);
    public override readonly int GetHashCode() => HashCode.Combine(Mantissa, SignExp);
    public static bool operator ==(Float80 a, Float80 b) => a.Equals(b);
    public static bool operator !=(Float80 a, Float80 b) => !a.Equals(b);
    public override readonly string ToString() => $"{SignExp:X4}:{Mantissa:X16}";
}
