using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Integer SIMD arithmetic, compares and logic (PADD … PXOR) in both the MMX (mm, mm/m64)
/// and SSE2 (xmm, xmm/m128) forms of each mnemonic.</summary>
public static unsafe class SseInteger
{
    [Handles(Mnemonic.Paddb)] public static void Paddb(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddB);
    [Handles(Mnemonic.Paddw)] public static void Paddw(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddW);
    [Handles(Mnemonic.Paddd)] public static void Paddd(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddD);
    [Handles(Mnemonic.Paddq)] public static void Paddq(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddQ);
    [Handles(Mnemonic.Psubb)] public static void Psubb(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubB);
    [Handles(Mnemonic.Psubw)] public static void Psubw(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubW);
    [Handles(Mnemonic.Psubd)] public static void Psubd(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubD);
    [Handles(Mnemonic.Psubq)] public static void Psubq(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubQ);
    [Handles(Mnemonic.Paddsb)] public static void Paddsb(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddSatSB);
    [Handles(Mnemonic.Paddsw)] public static void Paddsw(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddSatSW);
    [Handles(Mnemonic.Paddusb)] public static void Paddusb(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddSatUB);
    [Handles(Mnemonic.Paddusw)] public static void Paddusw(Processor p, in Instruction i) => Binary(p, i, &SseInt.AddSatUW);
    [Handles(Mnemonic.Psubsb)] public static void Psubsb(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubSatSB);
    [Handles(Mnemonic.Psubsw)] public static void Psubsw(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubSatSW);
    [Handles(Mnemonic.Psubusb)] public static void Psubusb(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubSatUB);
    [Handles(Mnemonic.Psubusw)] public static void Psubusw(Processor p, in Instruction i) => Binary(p, i, &SseInt.SubSatUW);
    [Handles(Mnemonic.Pmullw)] public static void Pmullw(Processor p, in Instruction i) => Binary(p, i, &SseInt.MulLoW);
    [Handles(Mnemonic.Pmulhw)] public static void Pmulhw(Processor p, in Instruction i) => Binary(p, i, &SseInt.MulHiSW);
    [Handles(Mnemonic.Pmulhuw)] public static void Pmulhuw(Processor p, in Instruction i) => Binary(p, i, &SseInt.MulHiUW);
    [Handles(Mnemonic.Pmuludq)] public static void Pmuludq(Processor p, in Instruction i) => Binary(p, i, &SseInt.MulUDQ);
    [Handles(Mnemonic.Pmaddwd)] public static void Pmaddwd(Processor p, in Instruction i) => Binary(p, i, &SseInt.MaddWD);
    [Handles(Mnemonic.Pavgb)] public static void Pavgb(Processor p, in Instruction i) => Binary(p, i, &SseInt.AvgB);
    [Handles(Mnemonic.Pavgw)] public static void Pavgw(Processor p, in Instruction i) => Binary(p, i, &SseInt.AvgW);
    [Handles(Mnemonic.Pminub)] public static void Pminub(Processor p, in Instruction i) => Binary(p, i, &SseInt.MinUB);
    [Handles(Mnemonic.Pmaxub)] public static void Pmaxub(Processor p, in Instruction i) => Binary(p, i, &SseInt.MaxUB);
    [Handles(Mnemonic.Pminsw)] public static void Pminsw(Processor p, in Instruction i) => Binary(p, i, &SseInt.MinSW);
    [Handles(Mnemonic.Pmaxsw)] public static void Pmaxsw(Processor p, in Instruction i) => Binary(p, i, &SseInt.MaxSW);
    [Handles(Mnemonic.Psadbw)] public static void Psadbw(Processor p, in Instruction i) => Binary(p, i, &SseInt.Sadbw);
    [Handles(Mnemonic.Pcmpeqb)] public static void Pcmpeqb(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpEqB);
    [Handles(Mnemonic.Pcmpeqw)] public static void Pcmpeqw(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpEqW);
    [Handles(Mnemonic.Pcmpeqd)] public static void Pcmpeqd(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpEqD);
    [Handles(Mnemonic.Pcmpgtb)] public static void Pcmpgtb(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpGtB);
    [Handles(Mnemonic.Pcmpgtw)] public static void Pcmpgtw(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpGtW);
    [Handles(Mnemonic.Pcmpgtd)] public static void Pcmpgtd(Processor p, in Instruction i) => Binary(p, i, &SseInt.CmpGtD);
    [Handles(Mnemonic.Pand)] public static void Pand(Processor p, in Instruction i) => Binary(p, i, &SseInt.And);
    [Handles(Mnemonic.Pandn)] public static void Pandn(Processor p, in Instruction i) => Binary(p, i, &SseInt.AndNot);
    [Handles(Mnemonic.Por)] public static void Por(Processor p, in Instruction i) => Binary(p, i, &SseInt.Or);
    [Handles(Mnemonic.Pxor)] public static void Pxor(Processor p, in Instruction i) => Binary(p, i, &SseInt.Xor);

    /// <summary>dest = op(dest, src) for the MMX or XMM form.</summary>
    public static void Binary(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, Vector128<byte>> op)
    {
        bool mmx = SseOperands.IsMmxForm(i);
        var b = SseOperands.ReadVec(p, i, 1, mmx);
        SseOperands.WriteVecDest(p, i, op(SseOperands.ReadVecDest(p, i, mmx), b), mmx);
    }
}
