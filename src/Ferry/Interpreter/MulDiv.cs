using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>MUL, IMUL (one, two and three operands), DIV, IDIV. Division by zero or a quotient
/// that does not fit raises #DE before any register changes.</summary>
internal static class MulDiv
{
    // SF, ZF, AF and PF are undefined after multiplication; this follows what Intel cores produce
    // for SF/ZF/PF (from the low half) and clears AF.
    private static void SetMulFlags(Processor p, ulong low, int size, bool overflow)
    {
        ulong f = Flags.Logic(low, size) & ~Flags.ZF;
        if (overflow) f |= Flags.CF | Flags.OF;
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    [Handles(Mnemonic.Mul)]
    private static void Mul(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong b = Operands.Read(p, i, 0, size);
        ref CpuState s = ref p.State;
        ulong a = s.Gpr[CpuState.Rax] & Flags.Mask(size);
        ulong lo, hi;
        switch (size)
        {
            case 1:
                ulong r8 = a * b;
                Operands.SetReg(ref s, Register.AX, r8);
                lo = r8 & 0xFF; hi = r8 >> 8;
                break;
            case 8:
                hi = Math.BigMul(a, b, out lo);
                s.Gpr[CpuState.Rax] = lo; s.Gpr[CpuState.Rdx] = hi;
                break;
            default:
                ulong r = a * b;
                int bits = size * 8;
                lo = r & Flags.Mask(size); hi = r >> bits;
                Operands.SetReg(ref s, size == 2 ? Register.AX : Register.EAX, lo);
                Operands.SetReg(ref s, size == 2 ? Register.DX : Register.EDX, hi);
                break;
        }
        SetMulFlags(p, lo, size, hi != 0);
    }

    [Handles(Mnemonic.Imul)]
    private static void Imul(Processor p, in Instruction i)
    {
        ref CpuState s = ref p.State;
        if (i.OpCount == 1)
        {
            int size = Operands.Size(i, 0);
            long b = (long)Operands.SignExtend(Operands.Read(p, i, 0, size), size);
            long a = (long)Operands.SignExtend(s.Gpr[CpuState.Rax], size);
            if (size == 8)
            {
                long hi = Math.BigMul(a, b, out long lo);
                s.Gpr[CpuState.Rax] = (ulong)lo; s.Gpr[CpuState.Rdx] = (ulong)hi;
                SetMulFlags(p, (ulong)lo, 8, hi != (lo >> 63));
                return;
            }
            long r = a * b;
            ulong low = (ulong)r & Flags.Mask(size);
            bool ovf = r != (long)Operands.SignExtend(low, size);
            if (size == 1) Operands.SetReg(ref s, Register.AX, (ulong)r);
            else
            {
                Operands.SetReg(ref s, size == 2 ? Register.AX : Register.EAX, low);
                Operands.SetReg(ref s, size == 2 ? Register.DX : Register.EDX, (ulong)(r >> (size * 8)));
            }
            SetMulFlags(p, low, size, ovf);
            return;
        }
        int sz = Operands.Size(i, 0);
        int srcOp = i.OpCount == 2 ? 0 : 1;
        long x = (long)Operands.SignExtend(Operands.Read(p, i, srcOp, sz), sz);
        long y = i.OpCount == 2
            ? (long)Operands.SignExtend(Operands.Read(p, i, 1, sz), sz)
            : (long)Operands.SignExtend(Operands.Immediate(i, 2) & Flags.Mask(sz), sz);
        ulong result;
        bool overflow;
        if (sz == 8)
        {
            long hi = Math.BigMul(x, y, out long lo);
            result = (ulong)lo;
            overflow = hi != (lo >> 63);
        }
        else
        {
            long r = x * y;
            result = (ulong)r & Flags.Mask(sz);
            overflow = r != (long)Operands.SignExtend(result, sz);
        }
        Operands.SetReg(ref s, i.Op0Register, result);
        SetMulFlags(p, result, sz, overflow);
    }

    [Handles(Mnemonic.Div)]
    private static void Div(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        ulong d = Operands.Read(p, i, 0, size);
        if (d == 0) throw new CpuException(CpuExceptionKind.DivideError);
        ref CpuState s = ref p.State;
        switch (size)
        {
            case 1:
            {
                ulong n = s.Gpr[CpuState.Rax] & 0xFFFF;
                ulong q = n / d;
                if (q > 0xFF) throw new CpuException(CpuExceptionKind.DivideError);
                Operands.SetReg(ref s, Register.AX, ((n % d) << 8) | q);
                break;
            }
            case 8:
            {
                UInt128 n = ((UInt128)s.Gpr[CpuState.Rdx] << 64) | s.Gpr[CpuState.Rax];
                UInt128 q = n / d;
                if (q > ulong.MaxValue) throw new CpuException(CpuExceptionKind.DivideError);
                s.Gpr[CpuState.Rax] = (ulong)q;
                s.Gpr[CpuState.Rdx] = (ulong)(n % d);
                break;
            }
            default:
            {
                int bits = size * 8;
                ulong n = ((s.Gpr[CpuState.Rdx] & Flags.Mask(size)) << bits) | (s.Gpr[CpuState.Rax] & Flags.Mask(size));
                ulong q = n / d;
                if (q > Flags.Mask(size)) throw new CpuException(CpuExceptionKind.DivideError);
                Operands.SetReg(ref s, size == 2 ? Register.AX : Register.EAX, q);
                Operands.SetReg(ref s, size == 2 ? Register.DX : Register.EDX, n % d);
                break;
            }
        }
    }

    [Handles(Mnemonic.Idiv)]
    private static void Idiv(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        long d = (long)Operands.SignExtend(Operands.Read(p, i, 0, size), size);
        if (d == 0) throw new CpuException(CpuExceptionKind.DivideError);
        ref CpuState s = ref p.State;
        Int128 n = size switch
        {
            1 => (short)s.Gpr[CpuState.Rax],
            2 => (int)(((s.Gpr[CpuState.Rdx] & 0xFFFF) << 16) | (s.Gpr[CpuState.Rax] & 0xFFFF)),
            4 => (long)(((s.Gpr[CpuState.Rdx] & 0xFFFF_FFFF) << 32) | (s.Gpr[CpuState.Rax] & 0xFFFF_FFFF)),
            _ => (Int128)(((UInt128)s.Gpr[CpuState.Rdx] << 64) | s.Gpr[CpuState.Rax]),
        };
        Int128 q = n / d, rem = n % d;
        long max = (long)(Flags.SignBit(size) - 1), min = -max - 1;
        if (q > max || q < min) throw new CpuException(CpuExceptionKind.DivideError);
        switch (size)
        {
            case 1: Operands.SetReg(ref s, Register.AX, (((ulong)(long)rem & 0xFF) << 8) | ((ulong)(long)q & 0xFF)); break;
            case 2: Operands.SetReg(ref s, Register.AX, (ulong)(long)q); Operands.SetReg(ref s, Register.DX, (ulong)(long)rem); break;
            case 4: Operands.SetReg(ref s, Register.EAX, (ulong)(long)q); Operands.SetReg(ref s, Register.EDX, (ulong)(long)rem); break;
            default: s.Gpr[CpuState.Rax] = (ulong)(long)q; s.Gpr[CpuState.Rdx] = (ulong)(long)rem; break;
        }
    }
}
