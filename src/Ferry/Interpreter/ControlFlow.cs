using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>JMP, Jcc, CALL, RET, LOOP and JRCXZ. Direct targets come from the decoder; RIP already
/// holds the next instruction's address when a handler runs.</summary>
internal static class ControlFlow
{
    private static ulong Target(Processor p, in Instruction i)
    {
        var k = i.Op0Kind;
        if (k == OpKind.NearBranch64 || k == OpKind.NearBranch32 || k == OpKind.NearBranch16) return i.NearBranchTarget;
        return Operands.Read(p, i, 0, 8);
    }

    [Handles(Mnemonic.Jmp)]
    private static void Jmp(Processor p, in Instruction i) => p.State.Rip = Target(p, i);

    [Handles(Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Jb, Mnemonic.Jae, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jbe, Mnemonic.Ja,
        Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp, Mnemonic.Jl, Mnemonic.Jge, Mnemonic.Jle, Mnemonic.Jg)]
    private static void Jcc(Processor p, in Instruction i)
    {
        if (Flags.Condition(p.State.Rflags, (int)i.ConditionCode - 1)) p.State.Rip = i.NearBranchTarget;
    }

    [Handles(Mnemonic.Call)]
    private static void Call(Processor p, in Instruction i)
    {
        ulong target = Target(p, i);
        Operands.Push(p, i.NextIP);
        p.State.Rip = target;
    }

    [Handles(Mnemonic.Ret)]
    private static void Ret(Processor p, in Instruction i)
    {
        ulong target = Operands.Pop(p);
        if (i.OpCount > 0) p.State.Gpr[CpuState.Rsp] += i.Immediate16;
        p.State.Rip = target;
    }

    [Handles(Mnemonic.Loop, Mnemonic.Loope, Mnemonic.Loopne)]
    private static void Loop(Processor p, in Instruction i)
    {
        ref CpuState s = ref p.State;
        // The counter follows the address size: a 67 prefix makes it ECX (Iced gives LOOP no counter operand).
        bool ecx = i.Code is Code.Loop_rel8_64_ECX or Code.Loop_rel8_16_ECX or Code.Loope_rel8_64_ECX or Code.Loope_rel8_16_ECX
            or Code.Loopne_rel8_64_ECX or Code.Loopne_rel8_16_ECX;
        ulong c = (ecx ? s.Gpr[CpuState.Rcx] & 0xFFFF_FFFF : s.Gpr[CpuState.Rcx]) - 1;
        if (ecx) c &= 0xFFFF_FFFF;
        s.Gpr[CpuState.Rcx] = c;
        bool zf = (s.Rflags & Flags.ZF) != 0;
        bool take = c != 0 && i.Mnemonic switch { Mnemonic.Loope => zf, Mnemonic.Loopne => !zf, _ => true };
        if (take) s.Rip = i.NearBranchTarget;
    }

    [Handles(Mnemonic.Jrcxz, Mnemonic.Jecxz)]
    private static void Jrcxz(Processor p, in Instruction i)
    {
        ulong c = i.Mnemonic == Mnemonic.Jecxz ? p.State.Gpr[CpuState.Rcx] & 0xFFFF_FFFF : p.State.Gpr[CpuState.Rcx];
        if (c == 0) p.State.Rip = i.NearBranchTarget;
    }
}
