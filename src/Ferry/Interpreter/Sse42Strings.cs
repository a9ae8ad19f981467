using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM and their VEX forms. Explicit lengths come from
/// EAX/EDX (RAX/RDX with REX.W or VEX.W); the index goes to ECX, the mask to XMM0 (the VEX forms zero
/// bits 255:128). Unlike other legacy SSE instructions the m128 operand needs no alignment.</summary>
public static class Sse42Strings
{
    [Handles(Mnemonic.Pcmpestri, Mnemonic.Pcmpestri64, Mnemonic.Vpcmpestri, Mnemonic.Vpcmpestri64)]
    public static void Pcmpestri(Processor p, in Instruction i) => Run(p, i, true, false);

    [Handles(Mnemonic.Pcmpestrm, Mnemonic.Pcmpestrm64, Mnemonic.Vpcmpestrm, Mnemonic.Vpcmpestrm64)]
    public static void Pcmpestrm(Processor p, in Instruction i) => Run(p, i, true, true);

    [Handles(Mnemonic.Pcmpistri, Mnemonic.Vpcmpistri)]
    public static void Pcmpistri(Processor p, in Instruction i) => Run(p, i, false, false);

    [Handles(Mnemonic.Pcmpistrm, Mnemonic.Vpcmpistrm)]
    public static void Pcmpistrm(Processor p, in Instruction i) => Run(p, i, false, true);

    private static void Run(Processor p, in Instruction i, bool explicitLength, bool mask)
    {
        int imm = i.Immediate8;
        var b = Operands.ReadXmm(p, i, 1);
        var a = SseOperands.Xmm(p, i, 0);
        ref CpuState s = ref p.State;
        int la, lb;
        if (explicitLength)
        {
            bool wide = i.Mnemonic is Mnemonic.Pcmpestri64 or Mnemonic.Pcmpestrm64 or Mnemonic.Vpcmpestri64 or Mnemonic.Vpcmpestrm64;
            ulong rax = s.Gpr[CpuState.Rax], rdx = s.Gpr[CpuState.Rdx];
            la = StringCompare.ExplicitLength(wide ? (long)rax : (int)rax, imm);
            lb = StringCompare.ExplicitLength(wide ? (long)rdx : (int)rdx, imm);
        }
        else
        {
            la = StringCompare.ImplicitLength(a, imm);
            lb = StringCompare.ImplicitLength(b, imm);
        }
        int res = StringCompare.Compare(a, la, b, lb, imm);
        if (mask && i.Code.Encoding() == EncodingKind.VEX) VexOperands.Write128(ref s, 0, StringCompare.Mask(res, imm));
        else if (mask) s.Xmm(0) = StringCompare.Mask(res, imm);
        else s.Gpr[CpuState.Rcx] = (uint)StringCompare.Index(res, imm);
        s.Rflags = (s.Rflags & ~Flags.Status) | StringCompare.StatusFlags(res, la, lb, imm);
    }
}
