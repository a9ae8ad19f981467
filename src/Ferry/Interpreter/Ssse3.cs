using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SSSE3 (PSHUFB … PALIGNR), each mnemonic in its MMX (mm, mm/m64) and XMM (xmm, xmm/m128) form.</summary>
public static unsafe class Ssse3
{
    [Handles(Mnemonic.Pshufb)] public static void Pshufb(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.Pshufb);
    [Handles(Mnemonic.Phaddw)] public static void Phaddw(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HaddW);
    [Handles(Mnemonic.Phaddd)] public static void Phaddd(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HaddD);
    [Handles(Mnemonic.Phaddsw)] public static void Phaddsw(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HaddSW);
    [Handles(Mnemonic.Phsubw)] public static void Phsubw(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HsubW);
    [Handles(Mnemonic.Phsubd)] public static void Phsubd(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HsubD);
    [Handles(Mnemonic.Phsubsw)] public static void Phsubsw(Processor p, in Instruction i) => Binary(p, i, &Ssse3Int.HsubSW);
    [Handles(Mnemonic.Pmaddubsw)] public static void Pmaddubsw(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Ssse3Int.MaddUbsW);
    [Handles(Mnemonic.Pmulhrsw)] public static void Pmulhrsw(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Ssse3Int.MulHrsW);
    [Handles(Mnemonic.Psignb)] public static void Psignb(Processor p, in Instruction i) => Signed(p, i, 1);
    [Handles(Mnemonic.Psignw)] public static void Psignw(Processor p, in Instruction i) => Signed(p, i, 2);
    [Handles(Mnemonic.Psignd)] public static void Psignd(Processor p, in Instruction i) => Signed(p, i, 4);
    [Handles(Mnemonic.Pabsb)] public static void Pabsb(Processor p, in Instruction i) => Absolute(p, i, 1);
    [Handles(Mnemonic.Pabsw)] public static void Pabsw(Processor p, in Instruction i) => Absolute(p, i, 2);
    [Handles(Mnemonic.Pabsd)] public static void Pabsd(Processor p, in Instruction i) => Absolute(p, i, 4);

    [Handles(Mnemonic.Palignr)]
    public static void Palignr(Processor p, in Instruction i)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        var a = SseOperands.ReadVecDest(p, i, mmx);
        SseOperands.WriteVecDest(p, i, Ssse3Int.Alignr(a, b, i.Immediate8, mmx ? 8 : 16), mmx);
    }

    /// <summary>dest = op(dest, src, width) for the MMX (width 8) or XMM (width 16) form.</summary>
    private static void Binary(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, int, Vector128<byte>> op)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        SseOperands.WriteVecDest(p, i, op(SseOperands.ReadVecDest(p, i, mmx), b, mmx ? 8 : 16), mmx);
    }

    private static void Signed(Processor p, in Instruction i, int elemSize)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        var a = SseOperands.ReadVecDest(p, i, mmx);
        SseOperands.WriteVecDest(p, i, elemSize switch { 1 => Ssse3Int.SignB(a, b), 2 => Ssse3Int.SignW(a, b), _ => Ssse3Int.SignD(a, b) }, mmx);
    }

    private static void Absolute(Processor p, in Instruction i, int elemSize)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var a = SseOperands.ReadVec(p, i, 1, mmx);
        SseOperands.WriteVecDest(p, i, elemSize switch { 1 => Ssse3Int.AbsB(a), 2 => Ssse3Int.AbsW(a), _ => Ssse3Int.AbsD(a) }, mmx);
    }
}
