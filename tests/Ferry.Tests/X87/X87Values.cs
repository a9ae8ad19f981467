using Ferry.Cpu;

namespace Ferry.Tests.X87;

/// <summary>Random and edge-case x87 operands and control words, from a fixed seed.</summary>
public sealed class X87Values
{
    public Random Rng { get; }

    public X87Values(int seed) => Rng = new Random(seed);

    public ulong U64() => (ulong)Rng.NextInt64() ^ ((ulong)Rng.Next(4) << 62);

    public bool Bool() => Rng.Next(2) == 0;

    /// <summary>A control word with all exceptions masked, random rounding and precision.</summary>
    public ushort ControlWord()
    {
        int pc = Rng.Next(8) switch { 0 or 1 => 0, 2 or 3 => 2, 4 => 1, _ => 3 };
        return (ushort)(0x0040 | 0x3F | (pc << 8) | (Rng.Next(4) << 10));
    }

    /// <summary>Random C0–C3 and sticky exception flags (no ES: everything stays masked).</summary>
    public ushort StatusWord() => (ushort)((Rng.Next(16) is var c ? ((c & 7) << 8) | ((c & 8) << 11) : 0) | (Bool() ? Rng.Next(0x40) : 0));

    /// <summary>A significand with the integer bit set and a low-bits pattern that often sits near a
    /// rounding boundary for 24, 53 or 64 bits.</summary>
    public ulong Mantissa()
    {
        ulong m = U64() | Float80.IntegerBit;
        switch (Rng.Next(10))
        {
            case 0: // near a 24-bit boundary
                m = (m & ~((1UL << 40) - 1)) | Boundary(40);
                break;
            case 1: // near a 53-bit boundary
                m = (m & ~((1UL << 11) - 1)) | Boundary(11);
                break;
            case 2: // few significant bits
                m &= ~((1UL << Rng.Next(1, 63)) - 1);
                break;
            case 3:
                m = Float80.IntegerBit | (Bool() ? 0 : ulong.MaxValue >> Rng.Next(1, 64));
                break;
            case 4: // just below a power of two: rounding may carry into the exponent
                m = (ulong.MaxValue << Rng.Next(0, 41)) | (U64() >> Rng.Next(1, 64));
                break;
        }
        return m;
    }

    private ulong Boundary(int bits)
    {
        ulong half = 1UL << (bits - 1);
        return Rng.Next(6) switch
        {
            0 => half,
            1 => half - 1,
            2 => half + 1,
            3 => 0,
            4 => (1UL << bits) - 1,
            _ => half + (ulong)Rng.Next(-3, 4),
        } & ((1UL << bits) - 1);
    }

    public int Exponent() => Rng.Next(12) switch
    {
        0 => Rng.Next(1, 70),
        1 => 0x7FFE - Rng.Next(70),
        2 => Rng.Next(1, 0x7FFF),
        3 => 0x3FFF + Rng.Next(-1100, 1100),
        _ => 0x3FFF + Rng.Next(-70, 70),
    };

    public Float80 Normal() => new(Bool(), Exponent(), Mantissa());

    /// <summary>Any class: mostly normals, with zeros, denormals, infinities, NaNs and (rarely) unsupported encodings.</summary>
    public Float80 Any(bool unsupported = true)
    {
        bool s = Bool();
        return Rng.Next(40) switch
        {
            0 => Float80.Zero(s),
            1 => new Float80(s, 0, U64() >> Rng.Next(1, 64)),
            2 => Float80.Infinity(s),
            3 => new Float80(s, 0x7FFF, Float80.IntegerBit | Float80.QuietBit | (U64() >> Rng.Next(2, 64))),
            4 => new Float80(s, 0x7FFF, Float80.IntegerBit | (U64() >> Rng.Next(2, 64)) | 1),
            5 => Float80.Indefinite,
            6 when unsupported => Rng.Next(3) switch
            {
                0 => new Float80(s, Rng.Next(1, 0x7FFF), U64() >> 1), // unnormal
                1 => new Float80(s, 0x7FFF, U64() >> 1 | 1), // pseudo-NaN
                _ => new Float80(s, 0x7FFF, 0), // pseudo-infinity
            },
            7 => new Float80(s, 0, U64() | Float80.IntegerBit), // pseudo-denormal
            8 => new Float80(s, 0, U64() >> 1),
            9 => new Float80(s, Rng.Next(1, 3), Mantissa()),
            _ => Normal(),
        };
    }

    /// <summary>A second operand related to <paramref name="a"/> (close in value, equal, or
    /// unrelated) so sums cancel, quotients are exact and comparisons hit equality.</summary>
    public Float80 Related(Float80 a)
    {
        switch (Rng.Next(8))
        {
            case 0: return a;
            case 1: return a.Negate();
            case 2:
                {
                    ulong m = a.Mantissa + (ulong)Rng.Next(-4, 5);
                    return new Float80(Bool() ? a.Sign : !a.Sign, a.Exponent, m | (a.Exponent != 0 ? Float80.IntegerBit : 0));
                }
            case 3:
                {
                    int e = Math.Clamp(a.Exponent + Rng.Next(-70, 70), 1, 0x7FFE);
                    return new Float80(Bool(), e, Mantissa());
                }
            default: return Any();
        }
    }

    public uint Single()
    {
        uint s = Bool() ? 0x80000000u : 0;
        return Rng.Next(12) switch
        {
            0 => s,
            1 => s | ((uint)Rng.Next() & 0x7FFFFF),
            2 => s | 0x7F800000,
            3 => s | 0x7FC00000 | ((uint)Rng.Next() & 0x3FFFFF),
            4 => s | 0x7F800000 | ((uint)Rng.Next() & 0x3FFFFF) | 1,
            _ => s | ((uint)Rng.Next(1, 255) << 23) | ((uint)Rng.Next() & 0x7FFFFF),
        };
    }

    public ulong Double()
    {
        ulong s = Bool() ? 1UL << 63 : 0;
        ulong frac = U64() & ((1UL << 52) - 1);
        return Rng.Next(12) switch
        {
            0 => s,
            1 => s | frac,
            2 => s | 0x7FF0_0000_0000_0000,
            3 => s | 0x7FF8_0000_0000_0000 | frac,
            4 => s | 0x7FF0_0000_0000_0000 | (frac >> 1) | 1,
            _ => s | ((ulong)Rng.Next(1, 2047) << 52) | frac,
        };
    }

    public long Integer(int bits)
    {
        long v = Rng.Next(5) switch
        {
            0 => Rng.Next(-5, 5),
            1 => bits == 64 ? long.MinValue : -(1L << (bits - 1)),
            2 => (long)U64(),
            _ => (long)(U64() >> Rng.Next(0, 64)) * (Bool() ? 1 : -1),
        };
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }
}
