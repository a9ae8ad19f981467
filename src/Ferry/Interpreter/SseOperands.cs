using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Operand access shared by the SSE and MMX families: aligned 128-bit memory, scalar-width
/// reads, MMX registers (aliasing the x87 mantissas) and MXCSR exception delivery.</summary>
public static class SseOperands
{
    /// <summary>The XMM register of register operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref Vector128<byte> Xmm(Processor p, in Instruction i, int op) =>
        ref p.State.Xmm(Operands.VecIndex(i.GetOpRegister(op)));

    /// <summary>Legacy-SSE 16-byte memory operands must be 16-byte aligned (MOVUPS, MOVDQU and the
    /// partial loads excepted); AMD's MXCSR.MM misaligned mode is never enabled by Linux.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignedAddress(Processor p, in Instruction i)
    {
        ulong a = Operands.Address(p, i);
        if ((a & 15) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        return a;
    }

    /// <summary>Reads an XMM register or an aligned m128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ReadAligned(Processor p, in Instruction i, int op) =>
        i.GetOpKind(op) == OpKind.Register ? Xmm(p, i, op) : p.Memory.Read128(AlignedAddress(p, i));

    /// <summary>Writes an XMM register or an aligned m128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteAligned(Processor p, in Instruction i, int op, Vector128<byte> v)
    {
        if (i.GetOpKind(op) == OpKind.Register) Xmm(p, i, op) = v;
        else p.Memory.Write128(AlignedAddress(p, i), v);
    }

    /// <summary>The low dword of an XMM register, or an m32 (only four bytes are touched).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Read32(Processor p, in Instruction i, int op) =>
        i.GetOpKind(op) == OpKind.Register ? Xmm(p, i, op).AsUInt32().ToScalar() : p.Memory.Read32(Operands.Address(p, i));

    /// <summary>The low qword of an XMM register, or an m64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read64(Processor p, in Instruction i, int op) =>
        i.GetOpKind(op) == OpKind.Register ? Xmm(p, i, op).AsUInt64().ToScalar() : p.Memory.Read64(Operands.Address(p, i));

    /// <summary>Delivers the exceptions an SSE instruction detected: the flags become sticky in MXCSR,
    /// and an unmasked one raises #XM before the destination is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Commit(ref CpuState s, uint flags)
    {
        if (flags == 0) return;
        s.Mxcsr |= flags;
        uint unmasked = MxcsrBits.Unmasked(s.Mxcsr, flags);
        if (unmasked != 0) throw new CpuException(CpuExceptionKind.SimdError, 0, (int)unmasked);
    }

    // ---- MMX ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMmx(Register r) => r >= Register.MM0 && r <= Register.MM7;

    /// <summary>True when operand 0 is an MMX register (the 64-bit form of a shared mnemonic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMmxForm(in Instruction i) => IsMmx(i.Op0Register);

    /// <summary>An MMX register or an m64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadMm(Processor p, in Instruction i, int op) =>
        i.GetOpKind(op) == OpKind.Register ? p.State.Fpr[i.GetOpRegister(op) - Register.MM0].Mantissa : p.Memory.Read64(Operands.Address(p, i));

    /// <summary>Every MMX instruction but EMMS switches the x87 stack to MMX use: TOP=0, all tags valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void EnterMmx(ref CpuState s)
    {
        s.FpTop = 0;
        s.FpEmpty = 0;
    }

    /// <summary>Writes MMX register <paramref name="r"/>: the mantissa takes the value and the
    /// exponent field reads as all ones, as on hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteMm(ref CpuState s, Register r, ulong v)
    {
        ref var f = ref s.Fpr[r - Register.MM0];
        f.Mantissa = v;
        f.SignExp = 0xFFFF;
    }

    /// <summary>Source operand <paramref name="op"/> of an integer SIMD instruction: for the MMX form the
    /// 64-bit value in the low half (an m32 for the PUNPCKL forms that read only 32 bits), else an XMM
    /// register or aligned m128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ReadVec(Processor p, in Instruction i, int op, bool mmx)
    {
        if (!mmx) return ReadAligned(p, i, op);
        if (i.GetOpKind(op) == OpKind.Memory && i.MemorySize.GetSize() == 4)
            return Vector128.CreateScalar((ulong)p.Memory.Read32(Operands.Address(p, i))).AsByte();
        return Vector128.CreateScalar(ReadMm(p, i, op)).AsByte();
    }

    /// <summary>The destination register (operand 0) of an integer SIMD instruction as a source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ReadVecDest(Processor p, in Instruction i, bool mmx) =>
        mmx ? Vector128.CreateScalar(p.State.Fpr[i.Op0Register - Register.MM0].Mantissa).AsByte() : Xmm(p, i, 0);

    /// <summary>Writes the destination register (operand 0) of an integer SIMD instruction; the MMX
    /// form takes the low 64 bits and makes the x87 transition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteVecDest(Processor p, in Instruction i, Vector128<byte> v, bool mmx)
    {
        if (mmx)
        {
            EnterMmx(ref p.State);
            WriteMm(ref p.State, i.Op0Register, v.AsUInt64().ToScalar());
        }
        else Xmm(p, i, 0) = v;
    }
}
