using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>MOV and its extending forms, LEA, XCHG, CMOVcc, SETcc, the accumulator conversions and BSWAP.</summary>
internal static class DataMove
{
    [Handles(Mnemonic.Mov)]
    private static void Mov(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        Operands.Write(p, i, 0, size, Operands.Read(p, i, 1, size));
    }

    [Handles(Mnemonic.Movzx)]
    private static void Movzx(Processor p, in Instruction i) =>
        Operands.Write(p, i, 0, Operands.Size(i, 0), Operands.Read(p, i, 1, Operands.Size(i, 1)));

    [Handles(Mnemonic.Movsx, Mnemonic.Movsxd)]
    private static void Movsx(Processor p, in Instruction i)
    {
        int from = Operands.Size(i, 1);
        Operands.Write(p, i, 0, Operands.Size(i, 0), Operands.SignExtend(Operands.Read(p, i, 1, from), from));
    }

    [Handles(Mnemonic.Lea)]
    private static void Lea(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, Operands.EffectiveAddress(p, i));

    [Handles(Mnemonic.Xchg)]
    private static void Xchg(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        if (i.Op0Kind == OpKind.Register && i.Op1Kind == OpKind.Register)
        {
            ulong a = Operands.GetReg(ref p.State, i.Op0Register), b = Operands.GetReg(ref p.State, i.Op1Register);
            Operands.SetReg(ref p.State, i.Op0Register, b);
            Operands.SetReg(ref p.State, i.Op1Register, a);
            return;
        }
        // XCHG with memory is always locked.
        int memOp = i.Op0Kind == OpKind.Memory ? 0 : 1;
        var reg = Operands.Reg(i, 1 - memOp);
        ulong old = p.Memory.Exchange(Operands.Address(p, i), size, Operands.GetReg(ref p.State, reg));
        Operands.SetReg(ref p.State, reg, old);
    }

    [Handles(Mnemonic.Cmovo, Mnemonic.Cmovno, Mnemonic.Cmovb, Mnemonic.Cmovae, Mnemonic.Cmove, Mnemonic.Cmovne,
        Mnemonic.Cmovbe, Mnemonic.Cmova, Mnemonic.Cmovs, Mnemonic.Cmovns, Mnemonic.Cmovp, Mnemonic.Cmovnp,
        Mnemonic.Cmovl, Mnemonic.Cmovge, Mnemonic.Cmovle, Mnemonic.Cmovg)]
    private static void Cmovcc(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        // The source is read (and may fault) whatever the condition; a 32-bit destination is always written.
        ulong v = Operands.Read(p, i, 1, size);
        if (Flags.Condition(p.State.Rflags, (int)i.ConditionCode - 1)) Operands.SetReg(ref p.State, i.Op0Register, v);
        else if (size == 4) Operands.SetReg(ref p.State, i.Op0Register, Operands.GetReg(ref p.State, i.Op0Register));
    }

    [Handles(Mnemonic.Seto, Mnemonic.Setno, Mnemonic.Setb, Mnemonic.Setae, Mnemonic.Sete, Mnemonic.Setne,
        Mnemonic.Setbe, Mnemonic.Seta, Mnemonic.Sets, Mnemonic.Setns, Mnemonic.Setp, Mnemonic.Setnp,
        Mnemonic.Setl, Mnemonic.Setge, Mnemonic.Setle, Mnemonic.Setg)]
    private static void Setcc(Processor p, in Instruction i) =>
        Operands.Write(p, i, 0, 1, Flags.Condition(p.State.Rflags, (int)i.ConditionCode - 1) ? 1UL : 0UL);

    [Handles(Mnemonic.Cbw)]
    private static void Cbw(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, Register.AX, (ulong)(long)(sbyte)p.State.Gpr[CpuState.Rax]);

    [Handles(Mnemonic.Cwde)]
    private static void Cwde(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, Register.EAX, (ulong)(long)(short)p.State.Gpr[CpuState.Rax]);

    [Handles(Mnemonic.Cdqe)]
    private static void Cdqe(Processor p, in Instruction i) =>
        p.State.Gpr[CpuState.Rax] = (ulong)(long)(int)p.State.Gpr[CpuState.Rax];

    [Handles(Mnemonic.Cwd)]
    private static void Cwd(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, Register.DX, (short)p.State.Gpr[CpuState.Rax] < 0 ? 0xFFFFUL : 0);

    [Handles(Mnemonic.Cdq)]
    private static void Cdq(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, Register.EDX, (int)p.State.Gpr[CpuState.Rax] < 0 ? 0xFFFF_FFFFUL : 0);

    [Handles(Mnemonic.Cqo)]
    private static void Cqo(Processor p, in Instruction i) =>
        p.State.Gpr[CpuState.Rdx] = (long)p.State.Gpr[CpuState.Rax] < 0 ? ulong.MaxValue : 0;

    [Handles(Mnemonic.Bswap)]
    private static void Bswap(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong v = Operands.GetReg(ref p.State, i.Op0Register);
        // BSWAP of a 16-bit register is undefined; real CPUs give zero.
        ulong r = size switch
        {
            8 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v),
            4 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)v),
            _ => 0,
        };
        Operands.SetReg(ref p.State, i.Op0Register, r);
    }

    [Handles(Mnemonic.Xlatb)]
    private static void Xlatb(Processor p, in Instruction i)
    {
        ulong a = p.State.Gpr[CpuState.Rbx] + (p.State.Gpr[CpuState.Rax] & 0xFF);
        Operands.SetReg(ref p.State, Register.AL, p.Memory.Read8(a));
    }

    [Handles(Mnemonic.Movbe)]
    private static void Movbe(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        v = size switch
        {
            8 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v),
            4 => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((uint)v),
            _ => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness((ushort)v),
        };
        Operands.Write(p, i, 0, size, v);
    }
}
