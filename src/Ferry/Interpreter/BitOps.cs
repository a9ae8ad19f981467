using System.Numerics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>BT, BTS, BTR, BTC, BSF, BSR, POPCNT, TZCNT, LZCNT.</summary>
internal static class BitOps
{
    private enum Op { Test, Set, Reset, Complement }

    [Handles(Mnemonic.Bt)] private static void Bt(Processor p, in Instruction i) => BitTest(p, i, Op.Test);
    [Handles(Mnemonic.Bts)] private static void Bts(Processor p, in Instruction i) => BitTest(p, i, Op.Set);
    [Handles(Mnemonic.Btr)] private static void Btr(Processor p, in Instruction i) => BitTest(p, i, Op.Reset);
    [Handles(Mnemonic.Btc)] private static void Btc(Processor p, in Instruction i) => BitTest(p, i, Op.Complement);

    private static ulong Apply(Op op, ulong v, ulong bit) => op switch
    {
        Op.Set => v | bit,
        Op.Reset => v & ~bit,
        Op.Complement => v ^ bit,
        _ => v,
    };

    private static void BitTest(Processor p, in Instruction i, Op op)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong offset;
        ulong cf;
        if (i.Op0Kind == OpKind.Memory && i.Op1Kind == OpKind.Register)
        {
            // A register bit offset addresses memory beyond the operand: signed, in operand-size units.
            long off = (long)Operands.SignExtend(Operands.GetReg(ref p.State, i.Op1Register), size);
            ulong addr = Operands.Address(p, i) + (ulong)((off >> BitOperations.Log2((uint)bits)) * size);
            int bit = (int)(off & (bits - 1));
            cf = RmwBit(p, addr, size, bit, op, i.HasLockPrefix);
        }
        else
        {
            offset = (i.Op1Kind == OpKind.Register ? Operands.GetReg(ref p.State, i.Op1Register) : Operands.Immediate(i, 1)) & (ulong)(bits - 1);
            if (i.Op0Kind == OpKind.Memory)
                cf = RmwBit(p, Operands.Address(p, i), size, (int)offset, op, i.HasLockPrefix);
            else
            {
                ulong v = Operands.GetReg(ref p.State, i.Op0Register);
                cf = (v >> (int)offset) & 1;
                if (op != Op.Test) Operands.SetReg(ref p.State, i.Op0Register, Apply(op, v, 1UL << (int)offset));
            }
        }
        p.State.Rflags = Flags.Merge(p.State.Rflags, cf, Flags.CF);
    }

    private static ulong RmwBit(Processor p, ulong addr, int size, int bit, Op op, bool locked)
    {
        ulong mask = 1UL << bit;
        if (op == Op.Test) return (p.Memory.Read(addr, size) >> bit) & 1;
        ulong old = p.Memory.Read(addr, size);
        if (locked)
        {
            while (true)
            {
                ulong seen = p.Memory.CompareExchange(addr, size, old, Apply(op, old, mask));
                if (seen == old) break;
                old = seen;
            }
        }
        else p.Memory.Write(addr, size, Apply(op, old, mask));
        return (old >> bit) & 1;
    }

    [Handles(Mnemonic.Bsf)]
    private static void Bsf(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        if (v == 0) { p.State.Rflags |= Flags.ZF; return; }
        Operands.SetReg(ref p.State, i.Op0Register, (ulong)BitOperations.TrailingZeroCount(v));
        p.State.Rflags &= ~Flags.ZF;
    }

    [Handles(Mnemonic.Bsr)]
    private static void Bsr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        if (v == 0) { p.State.Rflags |= Flags.ZF; return; }
        Operands.SetReg(ref p.State, i.Op0Register, (ulong)(63 - BitOperations.LeadingZeroCount(v)));
        p.State.Rflags &= ~Flags.ZF;
    }

    [Handles(Mnemonic.Popcnt)]
    private static void Popcnt(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        Operands.SetReg(ref p.State, i.Op0Register, (ulong)BitOperations.PopCount(v));
        p.State.Rflags = Flags.Merge(p.State.Rflags, v == 0 ? Flags.ZF : 0, Flags.Status);
    }

    // Without BMI1 the F3 0F BC encoding executes as BSF (gcc emits "rep bsf" for that reason), and
    // without LZCNT F3 0F BD executes as BSR; Iced decodes them as TZCNT/LZCNT either way.
    [Handles(Mnemonic.Tzcnt)]
    private static void Tzcnt(Processor p, in Instruction i)
    {
        if (!p.Cpuid.HasBmi1) { Bsf(p, i); return; }
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        ulong r = v == 0 ? (ulong)(size * 8) : (ulong)BitOperations.TrailingZeroCount(v);
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ulong f = (v == 0 ? Flags.CF : 0) | (r == 0 ? Flags.ZF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.ZF);
    }

    [Handles(Mnemonic.Lzcnt)]
    private static void Lzcnt(Processor p, in Instruction i)
    {
        if (!p.Cpuid.HasLzcnt) { Bsr(p, i); return; }
        int size = Operands.Size(i, 0);
        ulong v = Operands.Read(p, i, 1, size);
        ulong r = (ulong)(BitOperations.LeadingZeroCount(v) - (64 - size * 8));
        Operands.SetReg(ref p.State, i.Op0Register, r);
        ulong f = (v == 0 ? Flags.CF : 0) | (r == 0 ? Flags.ZF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.ZF);
    }
}
