using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>PUSH, POP, ENTER, LEAVE, PUSHF, POPF.</summary>
internal static class Stack
{
    [Handles(Mnemonic.Push)]
    private static void Push(Processor p, in Instruction i)
    {
        // Immediates arrive sign-extended to the operand size (8 bytes unless a 66 prefix says 2).
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 0, size);
        Operands.Push(p, v, size);
    }

    [Handles(Mnemonic.Pop)]
    private static void Pop(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ref ulong rsp = ref p.State.Gpr[CpuState.Rsp];
        ulong v = p.Memory.Read(rsp, size);
        if (i.Op0Kind == OpKind.Register)
        {
            rsp += (ulong)size;
            Operands.SetReg(ref p.State, i.Op0Register, v);
            return;
        }
        // A memory destination is addressed with RSP already incremented; a fault restores it.
        ulong old = rsp;
        rsp += (ulong)size;
        try { p.Memory.Write(Operands.Address(p, i), size, v); }
        catch { p.State.Gpr[CpuState.Rsp] = old; throw; }
    }

    [Handles(Mnemonic.Leave)]
    private static void Leave(Processor p, in Instruction i)
    {
        // With a 66 prefix only BP is popped; the upper bits of RBP stay.
        int size = i.Code == Code.Leavew ? 2 : 8;
        ref CpuState s = ref p.State;
        ulong rbp = s.Gpr[CpuState.Rbp];
        ulong v = p.Memory.Read(rbp, size);
        s.Gpr[CpuState.Rsp] = rbp + (ulong)size;
        s.Gpr[CpuState.Rbp] = size == 8 ? v : (rbp & ~0xFFFFUL) | v;
    }

    [Handles(Mnemonic.Enter)]
    private static void Enter(Processor p, in Instruction i)
    {
        // A 66 prefix makes every push a word (BP, the copied frame pointers, the frame temp); in
        // 64-bit mode RBP still receives the whole 64-bit frame temp.
        int op = i.Code == Code.Enterw_imm16_imm8 ? 2 : 8;
        ulong size = i.Immediate16;
        int level = i.Immediate8_2nd & 31;
        ref CpuState s = ref p.State;
        ulong rbp = s.Gpr[CpuState.Rbp];
        Operands.Push(p, rbp, op);
        ulong frame = s.Gpr[CpuState.Rsp];
        for (int l = 1; l < level; l++)
        {
            rbp -= (ulong)op;
            Operands.Push(p, p.Memory.Read(rbp, op), op);
        }
        if (level > 0) Operands.Push(p, frame, op);
        // With a 16-bit operand size only BP receives the frame pointer; RBP's upper bits stay.
        s.Gpr[CpuState.Rbp] = op == 2 ? (s.Gpr[CpuState.Rbp] & ~0xFFFFUL) | (frame & 0xFFFF) : frame;
        s.Gpr[CpuState.Rsp] -= size;
    }

    [Handles(Mnemonic.Pushfq, Mnemonic.Pushf)]
    private static void Pushf(Processor p, in Instruction i)
    {
        // RF and VM read as zero when pushed.
        ulong f = p.State.Rflags & ~0x30000UL;
        Operands.Push(p, f, i.Mnemonic == Mnemonic.Pushf ? 2 : 8);
    }

    [Handles(Mnemonic.Popfq, Mnemonic.Popf)]
    private static void Popf(Processor p, in Instruction i)
    {
        int size = i.Mnemonic == Mnemonic.Popf ? 2 : 8;
        ulong v = Operands.Pop(p, size);
        ulong mask = Flags.UserWritable & Flags.Mask(size);
        p.State.Rflags = ((p.State.Rflags & ~mask) | (v & mask)) | Flags.Reserved1;
    }
}
