using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>PCLMULQDQ: the carry-less (GF(2)[x]) product of one quadword of each operand.</summary>
public static class CarrylessMultiply
{
    [Handles(Mnemonic.Pclmulqdq)]
    public static void Pclmulqdq(Processor p, in Instruction i)
    {
        var a = SseOperands.Xmm(p, i, 0).AsUInt64();
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt64();
        int imm = i.Immediate8;
        var (lo, hi) = Multiply(a[imm & 1], b[(imm >> 4) & 1]);
        SseOperands.Xmm(p, i, 0) = Vector128.Create(lo, hi).AsByte();
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
