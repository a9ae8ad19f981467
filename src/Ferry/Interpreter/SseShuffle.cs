using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Lane rearrangement: shuffles, unpacks (interleaves), packs with saturation, and word
/// insert/extract, in MMX and XMM forms.</summary>
public static class SseShuffle
{
    [Handles(Mnemonic.Pshufd)]
    public static void Pshufd(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = SseInt.ShuffleD(SseOperands.ReadAligned(p, i, 1), i.Immediate8);

    [Handles(Mnemonic.Pshuflw)]
    public static void Pshuflw(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = SseInt.ShuffleW(SseOperands.ReadAligned(p, i, 1), i.Immediate8, 0);

    [Handles(Mnemonic.Pshufhw)]
    public static void Pshufhw(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = SseInt.ShuffleW(SseOperands.ReadAligned(p, i, 1), i.Immediate8, 4);

    [Handles(Mnemonic.Pshufw)]
    public static void Pshufw(Processor p, in Instruction i)
    {
        var a = SseOperands.ReadVec(p, i, 1, true);
        SseOperands.WriteVecDest(p, i, SseInt.ShuffleW(a, i.Immediate8, 0), true);
    }

    [Handles(Mnemonic.Shufps)]
    public static void Shufps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = SseInt.ShufPs(d, b, i.Immediate8);
    }

    [Handles(Mnemonic.Shufpd)]
    public static void Shufpd(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = SseInt.ShufPd(d, b, i.Immediate8);
    }

    [Handles(Mnemonic.Unpcklps)] public static void Unpcklps(Processor p, in Instruction i) => Unpack(p, i, 4, false);
    [Handles(Mnemonic.Unpckhps)] public static void Unpckhps(Processor p, in Instruction i) => Unpack(p, i, 4, true);
    [Handles(Mnemonic.Unpcklpd)] public static void Unpcklpd(Processor p, in Instruction i) => Unpack(p, i, 8, false);
    [Handles(Mnemonic.Unpckhpd)] public static void Unpckhpd(Processor p, in Instruction i) => Unpack(p, i, 8, true);
    [Handles(Mnemonic.Punpcklbw)] public static void Punpcklbw(Processor p, in Instruction i) => Unpack(p, i, 1, false);
    [Handles(Mnemonic.Punpcklwd)] public static void Punpcklwd(Processor p, in Instruction i) => Unpack(p, i, 2, false);
    [Handles(Mnemonic.Punpckldq)] public static void Punpckldq(Processor p, in Instruction i) => Unpack(p, i, 4, false);
    [Handles(Mnemonic.Punpcklqdq)] public static void Punpcklqdq(Processor p, in Instruction i) => Unpack(p, i, 8, false);
    [Handles(Mnemonic.Punpckhbw)] public static void Punpckhbw(Processor p, in Instruction i) => Unpack(p, i, 1, true);
    [Handles(Mnemonic.Punpckhwd)] public static void Punpckhwd(Processor p, in Instruction i) => Unpack(p, i, 2, true);
    [Handles(Mnemonic.Punpckhdq)] public static void Punpckhdq(Processor p, in Instruction i) => Unpack(p, i, 4, true);
    [Handles(Mnemonic.Punpckhqdq)] public static void Punpckhqdq(Processor p, in Instruction i) => Unpack(p, i, 8, true);

    [Handles(Mnemonic.Packsswb)]
    public static void Packsswb(Processor p, in Instruction i) => Pack(p, i, static (a, b, w) => SseInt.PackWB(a, b, w, false));

    [Handles(Mnemonic.Packuswb)]
    public static void Packuswb(Processor p, in Instruction i) => Pack(p, i, static (a, b, w) => SseInt.PackWB(a, b, w, true));

    [Handles(Mnemonic.Packssdw)]
    public static void Packssdw(Processor p, in Instruction i) => Pack(p, i, SseInt.PackDW);

    [Handles(Mnemonic.Pextrw)]
    public static void Pextrw(Processor p, in Instruction i)
    {
        var src = i.Op1Register;
        if (SseOperands.IsMmx(src))
        {
            ulong m = p.State.Fpr[src - Register.MM0].Mantissa;
            Operands.SetReg(ref p.State, i.Op0Register, (ushort)(m >> (16 * (i.Immediate8 & 3))));
            SseOperands.EnterMmx(ref p.State);
            return;
        }
        ushort w = SseOperands.Xmm(p, i, 1).AsUInt16()[i.Immediate8 & 7];
        // The SSE4.1 encoding (66 0F 3A 15) may store to m16.
        if (i.Op0Kind == OpKind.Memory) p.Memory.Write16(Operands.Address(p, i), w);
        else Operands.SetReg(ref p.State, i.Op0Register, w);
    }

    [Handles(Mnemonic.Pinsrw)]
    public static void Pinsrw(Processor p, in Instruction i)
    {
        ushort w = (ushort)Operands.Read(p, i, 1, 2);
        if (SseOperands.IsMmxForm(i))
        {
            ulong m = p.State.Fpr[i.Op0Register - Register.MM0].Mantissa;
            int sh = 16 * (i.Immediate8 & 3);
            SseOperands.EnterMmx(ref p.State);
            SseOperands.WriteMm(ref p.State, i.Op0Register, (m & ~(0xFFFFUL << sh)) | ((ulong)w << sh));
            return;
        }
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt16().WithElement(i.Immediate8 & 7, w).AsByte();
    }

    private static void Unpack(Processor p, in Instruction i, int elemSize, bool high)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        var a = SseOperands.ReadVecDest(p, i, mmx);
        SseOperands.WriteVecDest(p, i, SseInt.Interleave(a, b, elemSize, mmx ? 8 : 16, high), mmx);
    }

    private static void Pack(Processor p, in Instruction i, Func<Vector128<byte>, Vector128<byte>, int, Vector128<byte>> op)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        var a = SseOperands.ReadVecDest(p, i, mmx);
        SseOperands.WriteVecDest(p, i, op(a, b, mmx ? 8 : 16), mmx);
    }
}
