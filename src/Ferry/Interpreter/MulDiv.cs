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
        Divide(ref p.State, Operands.Read(p, i, 0, size), size);
    }

    /// <summary>DIV by <paramref name="d"/> (zero-extended, <paramref name="size"/> bytes): the dividend in
    /// AX, DX:AX, EDX:EAX or RDX:RAX, the quotient and remainder written back; #DE before any register changes
    /// when d is zero or the quotient does not fit. Compiled code runs the common cases inline and calls this
    /// for the others.</summary>
    internal static void Divide(ref CpuState s, ulong d, int size)
    {
        if (d == 0) throw new CpuException(CpuExceptionKind.DivideError);
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
                // A dividend that fits in 64 bits (glibc's divisions, nearly all) needs no 128-bit arithmetic,
                // whose UInt128 operators have no ReadyToRun code and were JIT-compiled at every start.
                ulong hi = s.Gpr[CpuState.Rdx], lo = s.Gpr[CpuState.Rax];
                if (hi == 0)
                {
                    s.Gpr[CpuState.Rax] = lo / d;
                    s.Gpr[CpuState.Rdx] = lo % d;
                }
                else if (hi >= d) throw new CpuException(CpuExceptionKind.DivideError);
                else Div128(ref s, hi, lo, d);
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

    // The quotient of RDX:RAX / d when it fits (hi < d); UInt128 only in here, out of line, so that Div itself
    // keeps its ReadyToRun code (UInt128 in a call's signature makes a method JIT-only).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Div128(ref CpuState s, ulong hi, ulong lo, ulong d)
    {
        UInt128 n = ((UInt128)hi << 64) | lo;
        s.Gpr[CpuState.Rax] = (ulong)(n / d);
        s.Gpr[CpuState.Rdx] = (ulong)(n % d);
    }

    [Handles(Mnemonic.Idiv)]
    private static void Idiv(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        DivideSigned(ref p.State, Operands.Read(p, i, 0, size), size);
    }

    /// <summary>IDIV by <paramref name="divisor"/> (its low <paramref name="size"/> bytes, signed), as
    /// <see cref="Divide"/> for DIV.</summary>
    internal static void DivideSigned(ref CpuState s, ulong divisor, int size)
    {
        long d = (long)Operands.SignExtend(divisor, size);
        if (d == 0) throw new CpuException(CpuExceptionKind.DivideError);
        long q, rem;
        if (size == 8)
        {
            ulong hi = s.Gpr[CpuState.Rdx], lo = s.Gpr[CpuState.Rax];
            if (hi != (ulong)((long)lo >> 63))
            {
                // A dividend wider than 64 bits: out of line, as for DIV.
                if (!Idiv128(hi, lo, d, out q, out rem)) throw new CpuException(CpuExceptionKind.DivideError);
            }
            else
            {
                // The one quotient of a 64-bit dividend that does not fit: long.MinValue / -1.
                if ((long)lo == long.MinValue && d == -1) throw new CpuException(CpuExceptionKind.DivideError);
                q = (long)lo / d;
                rem = (long)lo % d;
            }
            s.Gpr[CpuState.Rax] = (ulong)q;
            s.Gpr[CpuState.Rdx] = (ulong)rem;
            return;
        }
        long n = size switch
        {
            1 => (short)s.Gpr[CpuState.Rax],
            2 => (int)(((s.Gpr[CpuState.Rdx] & 0xFFFF) << 16) | (s.Gpr[CpuState.Rax] & 0xFFFF)),
            _ => (long)(((s.Gpr[CpuState.Rdx] & 0xFFFF_FFFF) << 32) | (s.Gpr[CpuState.Rax] & 0xFFFF_FFFF)),
        };
        // The one quotient that overflows a long (0x80000000:00000000 / -1, from EDX:EAX) does not fit in 32 bits either.
        if (n == long.MinValue && d == -1) throw new CpuException(CpuExceptionKind.DivideError);
        q = n / d;
        rem = n % d;
        long max = (long)(Flags.SignBit(size) - 1), min = -max - 1;
        if (q > max || q < min) throw new CpuException(CpuExceptionKind.DivideError);
        switch (size)
        {
            case 1: Operands.SetReg(ref s, Register.AX, (((ulong)rem & 0xFF) << 8) | ((ulong)q & 0xFF)); break;
            case 2: Operands.SetReg(ref s, Register.AX, (ulong)q); Operands.SetReg(ref s, Register.DX, (ulong)rem); break;
            default: Operands.SetReg(ref s, Register.EAX, (ulong)q); Operands.SetReg(ref s, Register.EDX, (ulong)rem); break;
        }
    }

    // RDX:RAX / d as signed 128-bit numbers; false when the quotient does not fit in a long.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool Idiv128(ulong hi, ulong lo, long d, out long q, out long rem)
    {
        Int128 n = (Int128)(((UInt128)hi << 64) | lo);
        Int128 q128 = n / d;
        rem = (long)(n % d);
        q = (long)q128;
        return q128 <= long.MaxValue && q128 >= long.MinValue;
    }
}
