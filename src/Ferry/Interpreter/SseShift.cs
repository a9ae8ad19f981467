using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Element shifts by an immediate or by the low 64 bits of a register/memory count (PSLL,
/// PSRL, PSRA), and the whole-register byte shifts PSLLDQ/PSRLDQ.</summary>
public static class SseShift
{
    [Handles(Mnemonic.Psllw)] public static void Psllw(Processor p, in Instruction i) => Shift(p, i, 16, 0);
    [Handles(Mnemonic.Pslld)] public static void Pslld(Processor p, in Instruction i) => Shift(p, i, 32, 0);
    [Handles(Mnemonic.Psllq)] public static void Psllq(Processor p, in Instruction i) => Shift(p, i, 64, 0);
    [Handles(Mnemonic.Psrlw)] public static void Psrlw(Processor p, in Instruction i) => Shift(p, i, 16, 1);
    [Handles(Mnemonic.Psrld)] public static void Psrld(Processor p, in Instruction i) => Shift(p, i, 32, 1);
    [Handles(Mnemonic.Psrlq)] public static void Psrlq(Processor p, in Instruction i) => Shift(p, i, 64, 1);
    [Handles(Mnemonic.Psraw)] public static void Psraw(Processor p, in Instruction i) => Shift(p, i, 16, 2);
    [Handles(Mnemonic.Psrad)] public static void Psrad(Processor p, in Instruction i) => Shift(p, i, 32, 2);

    [Handles(Mnemonic.Pslldq)]
    public static void Pslldq(Processor p, in Instruction i)
    {
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = SseInt.ByteShiftLeft(d, i.Immediate8);
    }

    [Handles(Mnemonic.Psrldq)]
    public static void Psrldq(Processor p, in Instruction i)
    {
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = SseInt.ByteShiftRight(d, i.Immediate8);
    }

    private static void Shift(Processor p, in Instruction i, int bits, int kind)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        ulong count = i.Op1Kind == OpKind.Immediate8 ? i.Immediate8 : SseOperands.ReadVec(p, i, 1, mmx).AsUInt64().ToScalar();
        var a = SseOperands.ReadVecDest(p, i, mmx);
        var r = kind switch
        {
            0 => SseInt.Sll(a, count, bits),
            1 => SseInt.Srl(a, count, bits),
            _ => SseInt.Sra(a, count, bits),
        };
        SseOperands.WriteVecDest(p, i, r, mmx);
    }
}
