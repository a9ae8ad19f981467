using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>ADD, ADC, SUB, SBB, CMP, INC, DEC, NEG: integer arithmetic with the six status flags.</summary>
internal static class Arithmetic
{
    private enum Op { Add, Adc, Sub, Sbb, Cmp }

    [Handles(Mnemonic.Add)] private static void Add(Processor p, in Instruction i) => Binary(p, i, Op.Add);
    [Handles(Mnemonic.Adc)] private static void Adc(Processor p, in Instruction i) => Binary(p, i, Op.Adc);
    [Handles(Mnemonic.Sub)] private static void Sub(Processor p, in Instruction i) => Binary(p, i, Op.Sub);
    [Handles(Mnemonic.Sbb)] private static void Sbb(Processor p, in Instruction i) => Binary(p, i, Op.Sbb);
    [Handles(Mnemonic.Cmp)] private static void Cmp(Processor p, in Instruction i) => Binary(p, i, Op.Cmp);

    private static ulong Compute(Op op, ulong a, ulong b, ulong cf, int size, out ulong flags)
    {
        ulong r;
        switch (op)
        {
            case Op.Add: r = a + b; flags = Flags.Add(a, b, r, 0, size); break;
            case Op.Adc: r = a + b + cf; flags = Flags.Add(a, b, r, cf, size); break;
            case Op.Sbb: r = a - b - cf; flags = Flags.Sub(a, b, r, cf, size); break;
            default: r = a - b; flags = Flags.Sub(a, b, r, 0, size); break;
        }
        return r & Flags.Mask(size);
    }

    private static void Binary(Processor p, in Instruction i, Op op)
    {
        int size = Operands.Size(i, 0);
        ulong b = Operands.Read(p, i, 1, size);
        ref CpuState s = ref p.State;
        ulong cf = s.Rflags & Flags.CF;
        ulong flags;
        if (i.HasLockPrefix && i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            ulong old = p.Memory.Read(addr, size), r;
            while (true)
            {
                r = Compute(op, old, b, cf, size, out flags);
                ulong seen = p.Memory.CompareExchange(addr, size, old, r);
                if (seen == old) break;
                old = seen;
            }
        }
        else
        {
            ulong a = Operands.Read(p, i, 0, size);
            ulong r = Compute(op, a, b, cf, size, out flags);
            if (op != Op.Cmp) Operands.Write(p, i, 0, size, r);
        }
        s.Rflags = Flags.Merge(s.Rflags, flags, Flags.Status);
    }

    // Shared by INC, DEC and NEG: a unary read-modify-write, atomic under LOCK.
    private static ulong Unary(Processor p, in Instruction i, Func<ulong, ulong> f)
    {
        int size = Operands.Size(i, 0);
        if (i.HasLockPrefix && i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            ulong old = p.Memory.Read(addr, size);
            while (true)
            {
                ulong seen = p.Memory.CompareExchange(addr, size, old, f(old) & Flags.Mask(size));
                if (seen == old) return old;
                old = seen;
            }
        }
        ulong a = Operands.Read(p, i, 0, size);
        Operands.Write(p, i, 0, size, f(a) & Flags.Mask(size));
        return a;
    }

    [Handles(Mnemonic.Inc)]
    private static void Inc(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong a = Unary(p, i, static x => x + 1);
        // INC leaves CF alone.
        p.State.Rflags = Flags.Merge(p.State.Rflags, Flags.Add(a, 1, a + 1, 0, size), Flags.Status & ~Flags.CF);
    }

    [Handles(Mnemonic.Dec)]
    private static void Dec(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong a = Unary(p, i, static x => x - 1);
        p.State.Rflags = Flags.Merge(p.State.Rflags, Flags.Sub(a, 1, a - 1, 0, size), Flags.Status & ~Flags.CF);
    }

    [Handles(Mnemonic.Neg)]
    private static void Neg(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong a = Unary(p, i, static x => 0 - x);
        p.State.Rflags = Flags.Merge(p.State.Rflags, Flags.Sub(0, a, 0 - a, 0, size), Flags.Status);
    }
}
