using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>CLC, STC, CMC, CLD, STD, LAHF, SAHF.</summary>
internal static class FlagOps
{
    [Handles(Mnemonic.Clc)] private static void Clc(Processor p, in Instruction i) => p.State.Rflags &= ~Flags.CF;
    [Handles(Mnemonic.Stc)] private static void Stc(Processor p, in Instruction i) => p.State.Rflags |= Flags.CF;
    [Handles(Mnemonic.Cmc)] private static void Cmc(Processor p, in Instruction i) => p.State.Rflags ^= Flags.CF;
    [Handles(Mnemonic.Cld)] private static void Cld(Processor p, in Instruction i) => p.State.Rflags &= ~Flags.DF;
    [Handles(Mnemonic.Std)] private static void Std(Processor p, in Instruction i) => p.State.Rflags |= Flags.DF;

    private const ulong AhFlags = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;

    [Handles(Mnemonic.Lahf)]
    private static void Lahf(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, Register.AH, (p.State.Rflags & AhFlags) | Flags.Reserved1);

    [Handles(Mnemonic.Sahf)]
    private static void Sahf(Processor p, in Instruction i) =>
        p.State.Rflags = Flags.Merge(p.State.Rflags, (p.State.Gpr[CpuState.Rax] >> 8) & 0xFF, AhFlags);
}
