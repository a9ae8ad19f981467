using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B: atomic when the destination is memory.</summary>
internal static class Atomics
{
    [Handles(Mnemonic.Xadd)]
    private static void Xadd(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong b = Operands.GetReg(ref p.State, i.Op1Register), a;
        if (i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            a = p.Memory.Read(addr, size);
            while (true)
            {
                ulong seen = p.Memory.CompareExchange(addr, size, a, (a + b) & Flags.Mask(size));
                if (seen == a) break;
                a = seen;
            }
        }
        else
        {
            a = Operands.GetReg(ref p.State, i.Op0Register);
            Operands.SetReg(ref p.State, i.Op0Register, a + b);
        }
        Operands.SetReg(ref p.State, i.Op1Register, a);
        if (i.Op0Kind == OpKind.Register && i.Op0Register == i.Op1Register) Operands.SetReg(ref p.State, i.Op0Register, a + b);
        p.State.Rflags = Flags.Merge(p.State.Rflags, Flags.Add(a, b, a + b, 0, size), Flags.Status);
    }

    [Handles(Mnemonic.Cmpxchg)]
    private static void Cmpxchg(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ref CpuState s = ref p.State;
        ulong acc = s.Gpr[CpuState.Rax] & Flags.Mask(size);
        ulong src = Operands.GetReg(ref s, i.Op1Register);
        ulong old;
        if (i.Op0Kind == OpKind.Memory) old = p.Memory.CompareExchange(Operands.Address(p, i), size, acc, src);
        else
        {
            old = Operands.GetReg(ref s, i.Op0Register);
            if (old == acc) Operands.SetReg(ref s, i.Op0Register, src);
        }
        s.Rflags = Flags.Merge(s.Rflags, Flags.Sub(acc, old, acc - old, 0, size), Flags.Status);
        if (old != acc)
        {
            var reg = size switch { 1 => Register.AL, 2 => Register.AX, 4 => Register.EAX, _ => Register.RAX };
            Operands.SetReg(ref s, reg, old);
        }
    }

    [Handles(Mnemonic.Cmpxchg8b)]
    private static void Cmpxchg8b(Processor p, in Instruction i)
    {
        ref CpuState s = ref p.State;
        ulong expected = (s.Gpr[CpuState.Rdx] << 32) | (s.Gpr[CpuState.Rax] & 0xFFFF_FFFF);
        ulong value = (s.Gpr[CpuState.Rcx] << 32) | (s.Gpr[CpuState.Rbx] & 0xFFFF_FFFF);
        ulong old = p.Memory.CompareExchange(Operands.Address(p, i), 8, expected, value);
        if (old == expected) s.Rflags |= Flags.ZF;
        else
        {
            s.Rflags &= ~Flags.ZF;
            s.Gpr[CpuState.Rax] = old & 0xFFFF_FFFF;
            s.Gpr[CpuState.Rdx] = old >> 32;
        }
    }

    [Handles(Mnemonic.Cmpxchg16b)]
    private static void Cmpxchg16b(Processor p, in Instruction i)
    {
        ulong addr = Operands.Address(p, i);
        if ((addr & 15) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        ref CpuState s = ref p.State;
        UInt128 expected = ((UInt128)s.Gpr[CpuState.Rdx] << 64) | s.Gpr[CpuState.Rax];
        UInt128 value = ((UInt128)s.Gpr[CpuState.Rcx] << 64) | s.Gpr[CpuState.Rbx];
        if (p.Memory.CompareExchange128(addr, ref expected, value)) s.Rflags |= Flags.ZF;
        else
        {
            s.Rflags &= ~Flags.ZF;
            s.Gpr[CpuState.Rax] = (ulong)expected;
            s.Gpr[CpuState.Rdx] = (ulong)(expected >> 64);
        }
    }
}
