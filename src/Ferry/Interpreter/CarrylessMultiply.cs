using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>PCLMULQDQ: the carry-less (GF(2)[x]) product of one quadword of each operand.</summary>
public static unsafe class CarrylessMultiply
{
    [Handles(Mnemonic.Pclmulqdq)]
    public static void Pclmulqdq(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = Select(SseOperands.Xmm(p, i, 0), SseOperands.ReadAligned(p, i, 1), i.Immediate8);

    /// <summary>VPCLMULQDQ xmm: the first source is VEX.vvvv; bits 255:128 are zeroed.</summary>
    [Handles(Mnemonic.Vpclmulqdq)]
    public static void Vpclmulqdq(Processor p, in Instruction i) => VexOperands.LanesImm(p, i, &Select);

    /// <summary>The product of the quadwords imm8 bit 0 (of <paramref name="a"/>) and bit 4 (of <paramref name="b"/>) choose.</summary>
    public static Vector128<byte> Select(Vector128<byte> a, Vector128<byte> b, int imm)
    {
        var (lo, hi) = Multiply(a.AsUInt64()[imm & 1], b.AsUInt64()[(imm >> 4) & 1]);
        return Vector128.Create(lo, hi).AsByte();
    }

    /// <summary>The 128-bit carry-less product of two quadwords.</summary>
    public static (ulong Lo, ulong Hi) Multiply(ulong a, ulong b)
    {
        ulong lo = 0, hi = 0;
        for (int k = 0; k < 64; k++)
        {
            if (((b >> k) & 1) == 0) continue;
            lo ^= a << k;
            if (k != 0) hi ^= a >> (64 - k);
        }
        return (lo, hi);
    }
}
