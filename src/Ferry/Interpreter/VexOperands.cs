using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Operand access for VEX-encoded instructions. VEX.128 forms zero bits 255:128 of the
/// destination register (legacy SSE keeps them); VEX memory operands need no alignment except for the
/// explicitly aligned moves; 256-bit forms mostly act on two independent 128-bit lanes.</summary>
public static unsafe class VexOperands
{
    /// <summary>The full YMM register <paramref name="n"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref Vector256<byte> Ymm(ref CpuState s, int n) => ref Unsafe.As<Vector128<byte>, Vector256<byte>>(ref s.Xmm(n));

    /// <summary>The register number (0–15) of register operand <paramref name="op"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reg(in Instruction i, int op) => Operands.VecIndex(i.GetOpRegister(op));

    /// <summary>True when the destination (or, for stores, the source register) is a YMM register: VEX.L=1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Wide(in Instruction i) =>
        i.Op0Kind == OpKind.Register ? i.Op0Register.IsYMM() : i.Op1Register.IsYMM();

    /// <summary>Reads a vector register or memory operand: 32 bytes when <paramref name="wide"/>, else 16 (upper half zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Read(Processor p, in Instruction i, int op, bool wide)
    {
        if (i.GetOpKind(op) == OpKind.Register)
        {
            var v = Ymm(ref p.State, Reg(i, op));
            return wide ? v : Vector256.Create(v.GetLower(), Vector128<byte>.Zero);
        }
        ulong a = Operands.Address(p, i);
        return wide ? p.Memory.Read256(a) : Vector256.Create(p.Memory.Read128(a), Vector128<byte>.Zero);
    }

    /// <summary>A 128-bit register or unaligned m128 operand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Read128(Processor p, in Instruction i, int op) =>
        i.GetOpKind(op) == OpKind.Register ? p.State.Xmm(Reg(i, op)) : p.Memory.Read128(Operands.Address(p, i));

    /// <summary>The address of an aligned memory operand: #GP unless aligned to <paramref name="size"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AlignedAddress(Processor p, in Instruction i, int size)
    {
        ulong a = Operands.Address(p, i);
        if ((a & (ulong)(size - 1)) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        return a;
    }

    /// <summary>Writes the destination register (operand 0); a VEX.128 result zeroes bits 255:128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteDest(Processor p, in Instruction i, Vector256<byte> v, bool wide) =>
        Ymm(ref p.State, Reg(i, 0)) = wide ? v : Vector256.Create(v.GetLower(), Vector128<byte>.Zero);

    /// <summary>Writes a 128-bit result to XMM register <paramref name="n"/>, zeroing bits 255:128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write128(ref CpuState s, int n, Vector128<byte> v) => Ymm(ref s, n) = Vector256.Create(v, Vector128<byte>.Zero);

    /// <summary>dest = op(src1, src2) on each 128-bit lane (VEX.vvvv is src1, ModRM.rm src2).</summary>
    public static void Lanes(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, Vector128<byte>> op)
    {
        bool w = Wide(i);
        var b = Read(p, i, 2, w);
        var a = Ymm(ref p.State, Reg(i, 1));
        var lo = op(a.GetLower(), b.GetLower());
        var hi = w ? op(a.GetUpper(), b.GetUpper()) : Vector128<byte>.Zero;
        Ymm(ref p.State, Reg(i, 0)) = Vector256.Create(lo, hi);
    }

    /// <summary>dest = op(src1, src2, imm8) on each 128-bit lane; the upper lane sees imm8 shifted right by
    /// <paramref name="upperShift"/> (VBLENDPS, VSHUFPD … give each lane its own immediate bits).</summary>
    public static void LanesImm(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, int, Vector128<byte>> op, int upperShift = 0)
    {
        bool w = Wide(i);
        var b = Read(p, i, 2, w);
        var a = Ymm(ref p.State, Reg(i, 1));
        int imm = i.Immediate8;
        var lo = op(a.GetLower(), b.GetLower(), imm);
        var hi = w ? op(a.GetUpper(), b.GetUpper(), imm >> upperShift) : Vector128<byte>.Zero;
        Ymm(ref p.State, Reg(i, 0)) = Vector256.Create(lo, hi);
    }

    /// <summary>dest = op(src, imm8) on each 128-bit lane (two-operand forms with ModRM.rm as the source).</summary>
    public static void UnaryImm(Processor p, in Instruction i, delegate*<Vector128<byte>, int, Vector128<byte>> op)
    {
        bool w = Wide(i);
        var b = Read(p, i, 1, w);
        int imm = i.Immediate8;
        var lo = op(b.GetLower(), imm);
        var hi = w ? op(b.GetUpper(), imm) : Vector128<byte>.Zero;
        Ymm(ref p.State, Reg(i, 0)) = Vector256.Create(lo, hi);
    }

    /// <summary>dest = op(src) on each 128-bit lane.</summary>
    public static void Unary(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>> op)
    {
        bool w = Wide(i);
        var b = Read(p, i, 1, w);
        var lo = op(b.GetLower());
        var hi = w ? op(b.GetUpper()) : Vector128<byte>.Zero;
        Ymm(ref p.State, Reg(i, 0)) = Vector256.Create(lo, hi);
    }
}
