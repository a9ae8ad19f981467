using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>AND, OR, XOR, TEST, NOT: CF and OF cleared, SF/ZF/PF from the result, AF cleared.</summary>
internal static class Logic
{
    private enum Op { And, Or, Xor, Test }

    [Handles(Mnemonic.And)] private static void And(Processor p, in Instruction i) => Binary(p, i, Op.And);
    [Handles(Mnemonic.Or)] private static void Or(Processor p, in Instruction i) => Binary(p, i, Op.Or);
    [Handles(Mnemonic.Xor)] private static void Xor(Processor p, in Instruction i) => Binary(p, i, Op.Xor);
    [Handles(Mnemonic.Test)] private static void Test(Processor p, in Instruction i) => Binary(p, i, Op.Test);

    private static ulong Compute(Op op, ulong a, ulong b) => op switch
    {
        Op.Or => a | b,
        Op.Xor => a ^ b,
        _ => a & b,
    };

    private static void Binary(Processor p, in Instruction i, Op op)
    {
        int size = Operands.Size(i, 0);
        ulong b = Operands.Read(p, i, 1, size), r;
        if (i.HasLockPrefix && i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            ulong old = p.Memory.Read(addr, size);
            while (true)
            {
                r = Compute(op, old, b);
                ulong seen = p.Memory.CompareExchange(addr, size, old, r);
                if (seen == old) break;
                old = seen;
            }
        }
        else
        {
            r = Compute(op, Operands.Read(p, i, 0, size), b);
            if (op != Op.Test) Operands.Write(p, i, 0, size, r);
        }
        p.State.Rflags = Flags.Merge(p.State.Rflags, Flags.Logic(r, size), Flags.Status);
    }

    [Handles(Mnemonic.Not)]
    private static void Not(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        if (i.HasLockPrefix && i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            ulong old = p.Memory.Read(addr, size);
            while (true)
            {
                ulong seen = p.Memory.CompareExchange(addr, size, old, ~old & Flags.Mask(size));
                if (seen == old) return;
                old = seen;
            }
        }
        Operands.Write(p, i, 0, size, ~Operands.Read(p, i, 0, size));
    }
}
