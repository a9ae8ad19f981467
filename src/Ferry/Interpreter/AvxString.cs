using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX forms of the SSE4.2 string compares (lane semantics in <see cref="SimdLanes"/>): explicit
/// lengths in EAX/EDX (RAX/RDX with VEX.W) or implicit ones ending at a zero element; the index goes to
/// ECX, the mask to XMM0 (bits 255:128 zeroed). CF: some result bit set; ZF/SF: the second/first operand
/// is shorter than a register; OF: result bit 0; AF, PF cleared.</summary>
public static class AvxString
{
    [Handles(Mnemonic.Vpcmpestri, Mnemonic.Vpcmpestri64)] public static void Vpcmpestri(Processor p, in Instruction i) => Compare(p, i, true, false);
    [Handles(Mnemonic.Vpcmpestrm, Mnemonic.Vpcmpestrm64)] public static void Vpcmpestrm(Processor p, in Instruction i) => Compare(p, i, true, true);
    [Handles(Mnemonic.Vpcmpistri)] public static void Vpcmpistri(Processor p, in Instruction i) => Compare(p, i, false, false);
    [Handles(Mnemonic.Vpcmpistrm)] public static void Vpcmpistrm(Processor p, in Instruction i) => Compare(p, i, false, true);

    private static void Compare(Processor p, in Instruction i, bool explicitLength, bool mask)
    {
        var b = VexOperands.Read128(p, i, 1);
        ref var s = ref p.State;
        var a = s.Xmm(VexOperands.Reg(i, 0));
        int imm = i.Immediate8;
        bool words = (imm & 1) != 0;
        int n = words ? 8 : 16;
        int lenA, lenB;
        if (explicitLength)
        {
            bool wide = i.Mnemonic is Mnemonic.Vpcmpestri64 or Mnemonic.Vpcmpestrm64;
            long ra = wide ? (long)s.Gpr[CpuState.Rax] : (int)s.Gpr[CpuState.Rax];
            long rd = wide ? (long)s.Gpr[CpuState.Rdx] : (int)s.Gpr[CpuState.Rdx];
            lenA = SimdLanes.ExplicitLength(ra, words);
            lenB = SimdLanes.ExplicitLength(rd, words);
        }
        else
        {
            lenA = SimdLanes.ImplicitLength(a, words);
            lenB = SimdLanes.ImplicitLength(b, words);
        }
        int res = SimdLanes.StringCompare(a, lenA, b, lenB, imm);
        if (mask) VexOperands.Write128(ref s, 0, SimdLanes.StringMask(res, imm));
        else s.Gpr[CpuState.Rcx] = (uint)SimdLanes.StringIndex(res, imm);
        s.Rflags = (s.Rflags & ~Flags.Status)
            | (res != 0 ? Flags.CF : 0) | (lenB < n ? Flags.ZF : 0) | (lenA < n ? Flags.SF : 0) | ((res & 1) != 0 ? Flags.OF : 0);
    }
}
