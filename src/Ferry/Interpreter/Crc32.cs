using System.Numerics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>CRC32 (SSE4.2): the CRC-32C (Castagnoli, reflected) of an 8/16/32/64-bit source accumulated
/// into the low 32 bits of the destination; a 64-bit destination gets the result zero-extended.
/// Flags are unchanged.</summary>
public static class Crc32
{
    [Handles(Mnemonic.Crc32)]
    public static void Execute(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 1);
        ulong v = Operands.Read(p, i, 1, size);
        ref ulong d = ref p.State.Gpr[Operands.Index(i.Op0Register)];
        d = Accumulate((uint)d, v, size);
    }

    /// <summary>The CRC32 instruction's arithmetic (no pre- or post-inversion).</summary>
    public static uint Accumulate(uint crc, ulong v, int size) => size switch
    {
        1 => BitOperations.Crc32C(crc, (byte)v),
        2 => BitOperations.Crc32C(crc, (ushort)v),
        4 => BitOperations.Crc32C(crc, (uint)v),
        _ => BitOperations.Crc32C(crc, v),
    };
}
