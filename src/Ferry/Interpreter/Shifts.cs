using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR, SHLD, SHRD. A masked count of zero changes
/// neither the destination nor the flags.</summary>
internal static class Shifts
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Count(Processor p, in Instruction i, int size)
    {
        ulong c = i.OpCount < 2 ? 1 : Operands.Kind(i, 1) == OpKind.Register ? p.State.Gpr[CpuState.Rcx] & 0xFF : Operands.Immediate(i, 1);
        return (int)(c & (size == 8 ? 63UL : 31UL));
    }

    // A zero count changes nothing, except that a 32-bit register destination is still written and so
    // loses its upper half, as on hardware; and a memory destination is still read and written back, so an
    // unmapped or read-only one faults (the host CPU does: tests/guest/shift_count_zero_fault.c).
    private static void NoShift(Processor p, in Instruction i, int size)
    {
        if (i.Op0Kind == OpKind.Memory) Operands.Write(p, i, 0, size, Operands.Read(p, i, 0, size));
        else if (size == 4 && i.Op0Kind == OpKind.Register)
            Operands.SetReg(ref p.State, i.Op0Register, Operands.GetReg(ref p.State, i.Op0Register));
    }

    private static ulong Msb(ulong v, int size) => (v >> (size * 8 - 1)) & 1;

    [Handles(Mnemonic.Shl, Mnemonic.Sal)]
    private static void Shl(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        int n = Count(p, i, size);
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        Operands.Write(p, i, 0, size, ShlValue(a, n, size, out ulong f));
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    // The result of a non-zero shift count n and its status flags; shared with the register forms below.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShlValue(ulong a, int n, int size, out ulong f)
    {
        int bits = size * 8;
        ulong r = n >= 64 ? 0 : (a << n) & Flags.Mask(size);
        ulong cf = n <= bits ? (a >> (bits - n)) & 1 : 0;
        f = Flags.Logic(r, size) | cf;
        if ((Msb(r, size) ^ cf) != 0) f |= Flags.OF;
        return r;
    }

    [Handles(Mnemonic.Shr)]
    private static void Shr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        int n = Count(p, i, size);
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        Operands.Write(p, i, 0, size, ShrValue(a, n, size, out ulong f));
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShrValue(ulong a, int n, int size, out ulong f)
    {
        ulong r = n >= 64 ? 0 : a >> n;
        ulong cf = n <= 64 ? (a >> (n - 1)) & 1 : 0;
        f = Flags.Logic(r, size) | cf;
        if (Msb(a, size) != 0) f |= Flags.OF;
        return r;
    }

    [Handles(Mnemonic.Sar)]
    private static void Sar(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0);
        int n = Count(p, i, size);
        if (n == 0) { NoShift(p, i, size); return; }
        Operands.Write(p, i, 0, size, SarValue(Operands.Read(p, i, 0, size), n, size, out ulong f));
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SarValue(ulong v, int n, int size, out ulong f)
    {
        long a = (long)Operands.SignExtend(v, size);
        ulong r = (ulong)(a >> Math.Min(n, 63)) & Flags.Mask(size);
        ulong cf = (ulong)(a >> Math.Min(n - 1, 63)) & 1;
        f = Flags.Logic(r, size) | cf;
        return r;
    }

    private enum Kind { Shl, Shr, Sar }

    // SHL/SHR/SAR of a 32- or 64-bit register, specialized at decode time (OperandForms.Select asks here).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OnRegister(Processor p, in Instruction i, Kind kind, int size, Register first)
    {
        int n = Count(p, i, size);
        ref ulong d = ref Operands.Gpr(ref p.State, (i.Op0Register - first) & 15);
        if (n == 0) { if (size == 4) d = (uint)d; return; }
        ulong a = d & Flags.Mask(size), f;
        d = kind switch
        {
            Kind.Shl => ShlValue(a, n, size, out f),
            Kind.Shr => ShrValue(a, n, size, out f),
            _ => SarValue(a, n, size, out f),
        };
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    private static void ShlR64(Processor p, in Instruction i) => OnRegister(p, i, Kind.Shl, 8, Register.RAX);
    private static void ShlR32(Processor p, in Instruction i) => OnRegister(p, i, Kind.Shl, 4, Register.EAX);
    private static void ShrR64(Processor p, in Instruction i) => OnRegister(p, i, Kind.Shr, 8, Register.RAX);
    private static void ShrR32(Processor p, in Instruction i) => OnRegister(p, i, Kind.Shr, 4, Register.EAX);
    private static void SarR64(Processor p, in Instruction i) => OnRegister(p, i, Kind.Sar, 8, Register.RAX);
    private static void SarR32(Processor p, in Instruction i) => OnRegister(p, i, Kind.Sar, 4, Register.EAX);

    /// <summary>The register-form handler of a SHL/SAL/SHR/SAR <paramref name="i"/>, or 0.</summary>
    internal static unsafe nint RegisterForm(in Instruction i)
    {
        if (i.Op0Kind != OpKind.Register) return 0;
        bool q = i.Op0Register.IsGPR64();
        if (!q && !i.Op0Register.IsGPR32()) return 0;
        return i.Mnemonic switch
        {
            Mnemonic.Shl or Mnemonic.Sal => q ? (nint)(delegate*<Processor, in Instruction, void>)&ShlR64 : (nint)(delegate*<Processor, in Instruction, void>)&ShlR32,
            Mnemonic.Shr => q ? (nint)(delegate*<Processor, in Instruction, void>)&ShrR64 : (nint)(delegate*<Processor, in Instruction, void>)&ShrR32,
            Mnemonic.Sar => q ? (nint)(delegate*<Processor, in Instruction, void>)&SarR64 : (nint)(delegate*<Processor, in Instruction, void>)&SarR32,
            _ => 0,
        };
    }

    private static ulong Rotl(ulong a, int n, int bits) =>
        n == 0 ? a : ((a << n) | (a >> (bits - n))) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1);

    [Handles(Mnemonic.Rol)]
    private static void Rol(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        int n = Count(p, i, size);
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        ulong r = Rotl(a, n % bits, bits);
        Operands.Write(p, i, 0, size, r);
        ulong cf = r & 1;
        ulong f = cf | ((Msb(r, size) ^ cf) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Ror)]
    private static void Ror(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        int n = Count(p, i, size);
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        ulong r = Rotl(a, (bits - n % bits) % bits, bits);
        Operands.Write(p, i, 0, size, r);
        ulong cf = Msb(r, size);
        ulong f = cf | ((Msb(r, size) ^ ((r >> (bits - 2)) & 1)) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Rcl)]
    private static void Rcl(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        int n = Count(p, i, size) % (bits + 1);
        if (Count(p, i, size) == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        UInt128 wide = ((UInt128)(p.State.Rflags & 1) << bits) | a; // CF:dest as a (bits+1)-bit value
        UInt128 mask = ((UInt128)1 << (bits + 1)) - 1;
        if (n != 0) wide = ((wide << n) | (wide >> (bits + 1 - n))) & mask;
        ulong r = (ulong)wide & Flags.Mask(size);
        ulong cf = (ulong)(wide >> bits) & 1;
        Operands.Write(p, i, 0, size, r);
        ulong f = cf | ((Msb(r, size) ^ cf) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Rcr)]
    private static void Rcr(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        int n = Count(p, i, size) % (bits + 1);
        if (Count(p, i, size) == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size);
        ulong cfIn = p.State.Rflags & 1;
        UInt128 wide = ((UInt128)cfIn << bits) | a;
        UInt128 mask = ((UInt128)1 << (bits + 1)) - 1;
        if (n != 0) wide = ((wide >> n) | (wide << (bits + 1 - n))) & mask;
        ulong r = (ulong)wide & Flags.Mask(size);
        ulong cf = (ulong)(wide >> bits) & 1;
        Operands.Write(p, i, 0, size, r);
        // OF is defined for 1-bit rotates as the XOR of the two top bits of the result.
        ulong f = cf | ((Msb(r, size) ^ ((r >> (bits - 2)) & 1)) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.CF | Flags.OF);
    }

    [Handles(Mnemonic.Shld)]
    private static void Shld(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong c = Operands.Kind(i, 2) == OpKind.Register ? p.State.Gpr[CpuState.Rcx] & 0xFF : Operands.Immediate(i, 2);
        int n = (int)(c & (size == 8 ? 63UL : 31UL));
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size), b = Operands.GetReg(ref p.State, i.Op1Register);
        // Counts above the operand size (16-bit forms only) are undefined in Intel's manual; this is what
        // the AMD parts the differential tests run on compute: the source fills in again below the
        // destination (dest:src:src), and CF is cleared.
        UInt128 wide = n <= bits ? ((UInt128)a << bits) | b : ((UInt128)a << (2 * bits)) | ((UInt128)b << bits) | b;
        int top = n <= bits ? 2 * bits : 3 * bits;
        ulong r = (ulong)(wide >> (top - bits - n)) & Flags.Mask(size);
        ulong cf = n <= bits ? (a >> (bits - n)) & 1 : 0;
        Operands.Write(p, i, 0, size, r);
        ulong f = Flags.Logic(r, size) | cf | ((Msb(r, size) ^ Msb(a, size)) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }

    [Handles(Mnemonic.Shrd)]
    private static void Shrd(Processor p, in Instruction i)
    {
        int size = Operands.Size(i, 0), bits = size * 8;
        ulong c = Operands.Kind(i, 2) == OpKind.Register ? p.State.Gpr[CpuState.Rcx] & 0xFF : Operands.Immediate(i, 2);
        int n = (int)(c & (size == 8 ? 63UL : 31UL));
        if (n == 0) { NoShift(p, i, size); return; }
        ulong a = Operands.Read(p, i, 0, size), b = Operands.GetReg(ref p.State, i.Op1Register);
        UInt128 wide = ((UInt128)b << bits) | a; // src:dest, shifted right
        // Counts above the operand size (16-bit forms only): as SHLD, the AMD host's src:src:dest, CF cleared.
        if (n > bits) wide = ((UInt128)b << (2 * bits)) | wide;
        ulong r = (ulong)(wide >> n) & Flags.Mask(size);
        ulong cf = n <= bits ? (ulong)(wide >> (n - 1)) & 1 : 0;
        Operands.Write(p, i, 0, size, r);
        ulong f = Flags.Logic(r, size) | cf | ((Msb(r, size) ^ Msb(a, size)) != 0 ? Flags.OF : 0);
        p.State.Rflags = Flags.Merge(p.State.Rflags, f, Flags.Status);
    }
}
