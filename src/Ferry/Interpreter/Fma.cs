using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>FMA3: VFMADD/VFMSUB/VFNMADD/VFNMSUB/VFMADDSUB/VFMSUBADD in the 132, 213 and 231 operand
/// orders, with a single rounding (<see cref="SseFloat.FmaF32"/>). The digits name which operands are
/// multiplied and which is added: 132 is op1×op3+op2, 213 is op2×op1+op3, 231 is op2×op3+op1.
/// Scalar forms keep bits 127:32 (127:64) of the destination and zero bits 255:128.</summary>
public static class Fma
{
    [Handles(Mnemonic.Vfmadd132ps)] public static void Vfmadd132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 0);
    [Handles(Mnemonic.Vfmadd132pd)] public static void Vfmadd132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 0);
    [Handles(Mnemonic.Vfmadd132ss)] public static void Vfmadd132ss(Processor p, in Instruction i) => Scalar32(p, i, 132, 0);
    [Handles(Mnemonic.Vfmadd132sd)] public static void Vfmadd132sd(Processor p, in Instruction i) => Scalar64(p, i, 132, 0);
    [Handles(Mnemonic.Vfmadd213ps)] public static void Vfmadd213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 0);
    [Handles(Mnemonic.Vfmadd213pd)] public static void Vfmadd213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 0);
    [Handles(Mnemonic.Vfmadd213ss)] public static void Vfmadd213ss(Processor p, in Instruction i) => Scalar32(p, i, 213, 0);
    [Handles(Mnemonic.Vfmadd213sd)] public static void Vfmadd213sd(Processor p, in Instruction i) => Scalar64(p, i, 213, 0);
    [Handles(Mnemonic.Vfmadd231ps)] public static void Vfmadd231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 0);
    [Handles(Mnemonic.Vfmadd231pd)] public static void Vfmadd231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 0);
    [Handles(Mnemonic.Vfmadd231ss)] public static void Vfmadd231ss(Processor p, in Instruction i) => Scalar32(p, i, 231, 0);
    [Handles(Mnemonic.Vfmadd231sd)] public static void Vfmadd231sd(Processor p, in Instruction i) => Scalar64(p, i, 231, 0);
    [Handles(Mnemonic.Vfmsub132ps)] public static void Vfmsub132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 1);
    [Handles(Mnemonic.Vfmsub132pd)] public static void Vfmsub132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 1);
    [Handles(Mnemonic.Vfmsub132ss)] public static void Vfmsub132ss(Processor p, in Instruction i) => Scalar32(p, i, 132, 1);
    [Handles(Mnemonic.Vfmsub132sd)] public static void Vfmsub132sd(Processor p, in Instruction i) => Scalar64(p, i, 132, 1);
    [Handles(Mnemonic.Vfmsub213ps)] public static void Vfmsub213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 1);
    [Handles(Mnemonic.Vfmsub213pd)] public static void Vfmsub213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 1);
    [Handles(Mnemonic.Vfmsub213ss)] public static void Vfmsub213ss(Processor p, in Instruction i) => Scalar32(p, i, 213, 1);
    [Handles(Mnemonic.Vfmsub213sd)] public static void Vfmsub213sd(Processor p, in Instruction i) => Scalar64(p, i, 213, 1);
    [Handles(Mnemonic.Vfmsub231ps)] public static void Vfmsub231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 1);
    [Handles(Mnemonic.Vfmsub231pd)] public static void Vfmsub231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 1);
    [Handles(Mnemonic.Vfmsub231ss)] public static void Vfmsub231ss(Processor p, in Instruction i) => Scalar32(p, i, 231, 1);
    [Handles(Mnemonic.Vfmsub231sd)] public static void Vfmsub231sd(Processor p, in Instruction i) => Scalar64(p, i, 231, 1);
    [Handles(Mnemonic.Vfnmadd132ps)] public static void Vfnmadd132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 2);
    [Handles(Mnemonic.Vfnmadd132pd)] public static void Vfnmadd132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 2);
    [Handles(Mnemonic.Vfnmadd132ss)] public static void Vfnmadd132ss(Processor p, in Instruction i) => Scalar32(p, i, 132, 2);
    [Handles(Mnemonic.Vfnmadd132sd)] public static void Vfnmadd132sd(Processor p, in Instruction i) => Scalar64(p, i, 132, 2);
    [Handles(Mnemonic.Vfnmadd213ps)] public static void Vfnmadd213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 2);
    [Handles(Mnemonic.Vfnmadd213pd)] public static void Vfnmadd213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 2);
    [Handles(Mnemonic.Vfnmadd213ss)] public static void Vfnmadd213ss(Processor p, in Instruction i) => Scalar32(p, i, 213, 2);
    [Handles(Mnemonic.Vfnmadd213sd)] public static void Vfnmadd213sd(Processor p, in Instruction i) => Scalar64(p, i, 213, 2);
    [Handles(Mnemonic.Vfnmadd231ps)] public static void Vfnmadd231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 2);
    [Handles(Mnemonic.Vfnmadd231pd)] public static void Vfnmadd231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 2);
    [Handles(Mnemonic.Vfnmadd231ss)] public static void Vfnmadd231ss(Processor p, in Instruction i) => Scalar32(p, i, 231, 2);
    [Handles(Mnemonic.Vfnmadd231sd)] public static void Vfnmadd231sd(Processor p, in Instruction i) => Scalar64(p, i, 231, 2);
    [Handles(Mnemonic.Vfnmsub132ps)] public static void Vfnmsub132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 3);
    [Handles(Mnemonic.Vfnmsub132pd)] public static void Vfnmsub132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 3);
    [Handles(Mnemonic.Vfnmsub132ss)] public static void Vfnmsub132ss(Processor p, in Instruction i) => Scalar32(p, i, 132, 3);
    [Handles(Mnemonic.Vfnmsub132sd)] public static void Vfnmsub132sd(Processor p, in Instruction i) => Scalar64(p, i, 132, 3);
    [Handles(Mnemonic.Vfnmsub213ps)] public static void Vfnmsub213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 3);
    [Handles(Mnemonic.Vfnmsub213pd)] public static void Vfnmsub213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 3);
    [Handles(Mnemonic.Vfnmsub213ss)] public static void Vfnmsub213ss(Processor p, in Instruction i) => Scalar32(p, i, 213, 3);
    [Handles(Mnemonic.Vfnmsub213sd)] public static void Vfnmsub213sd(Processor p, in Instruction i) => Scalar64(p, i, 213, 3);
    [Handles(Mnemonic.Vfnmsub231ps)] public static void Vfnmsub231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 3);
    [Handles(Mnemonic.Vfnmsub231pd)] public static void Vfnmsub231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 3);
    [Handles(Mnemonic.Vfnmsub231ss)] public static void Vfnmsub231ss(Processor p, in Instruction i) => Scalar32(p, i, 231, 3);
    [Handles(Mnemonic.Vfnmsub231sd)] public static void Vfnmsub231sd(Processor p, in Instruction i) => Scalar64(p, i, 231, 3);
    [Handles(Mnemonic.Vfmaddsub132ps)] public static void Vfmaddsub132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 4);
    [Handles(Mnemonic.Vfmaddsub132pd)] public static void Vfmaddsub132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 4);
    [Handles(Mnemonic.Vfmaddsub213ps)] public static void Vfmaddsub213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 4);
    [Handles(Mnemonic.Vfmaddsub213pd)] public static void Vfmaddsub213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 4);
    [Handles(Mnemonic.Vfmaddsub231ps)] public static void Vfmaddsub231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 4);
    [Handles(Mnemonic.Vfmaddsub231pd)] public static void Vfmaddsub231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 4);
    [Handles(Mnemonic.Vfmsubadd132ps)] public static void Vfmsubadd132ps(Processor p, in Instruction i) => Packed32(p, i, 132, 5);
    [Handles(Mnemonic.Vfmsubadd132pd)] public static void Vfmsubadd132pd(Processor p, in Instruction i) => Packed64(p, i, 132, 5);
    [Handles(Mnemonic.Vfmsubadd213ps)] public static void Vfmsubadd213ps(Processor p, in Instruction i) => Packed32(p, i, 213, 5);
    [Handles(Mnemonic.Vfmsubadd213pd)] public static void Vfmsubadd213pd(Processor p, in Instruction i) => Packed64(p, i, 213, 5);
    [Handles(Mnemonic.Vfmsubadd231ps)] public static void Vfmsubadd231ps(Processor p, in Instruction i) => Packed32(p, i, 231, 5);
    [Handles(Mnemonic.Vfmsubadd231pd)] public static void Vfmsubadd231pd(Processor p, in Instruction i) => Packed64(p, i, 231, 5);

    // kind: 0 a×b+c, 1 a×b−c, 2 −(a×b)+c, 3 −(a×b)−c, 4 subtract in even lanes and add in odd ones, 5 the reverse.
    private static bool NegateAddend(int kind, int lane) => kind switch
    {
        1 or 3 => true,
        4 => (lane & 1) == 0,
        5 => (lane & 1) == 1,
        _ => false,
    };

    private static bool NegateProduct(int kind) => kind is 2 or 3;

    /// <summary>The multiplicands and the addend, by operand number, for an operand order.</summary>
    private static (int X, int Y, int Z) Roles(int order) => order switch
    {
        132 => (0, 2, 1),
        213 => (1, 0, 2),
        _ => (1, 2, 0),
    };

    private static Vector256<byte> Operand(Processor p, in Instruction i, int op, bool wide, Vector256<byte> rm) =>
        op == 2 ? rm : VexOperands.Ymm(ref p.State, VexOperands.Reg(i, op));

    private static void Packed32(Processor p, in Instruction i, int order, int kind)
    {
        bool w = VexOperands.Wide(i);
        var rm = VexOperands.Read(p, i, 2, w);
        var (xo, yo, zo) = Roles(order);
        var x = Operand(p, i, xo, w, rm).AsUInt32(); var y = Operand(p, i, yo, w, rm).AsUInt32(); var z = Operand(p, i, zo, w, rm).AsUInt32();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.FmaF32(x[k], y[k], z[k], NegateProduct(kind), NegateAddend(kind, k), mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    private static void Packed64(Processor p, in Instruction i, int order, int kind)
    {
        bool w = VexOperands.Wide(i);
        var rm = VexOperands.Read(p, i, 2, w);
        var (xo, yo, zo) = Roles(order);
        var x = Operand(p, i, xo, w, rm).AsUInt64(); var y = Operand(p, i, yo, w, rm).AsUInt64(); var z = Operand(p, i, zo, w, rm).AsUInt64();
        uint mx = p.State.Mxcsr, f = 0;
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++) r[k] = SseFloat.FmaF64(x[k], y[k], z[k], NegateProduct(kind), NegateAddend(kind, k), mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    private static void Scalar32(Processor p, in Instruction i, int order, int kind)
    {
        var rm = Vector256.CreateScalar(AvxFloat.ReadS32(p, i, 2)).AsByte();
        var (xo, yo, zo) = Roles(order);
        uint x = Operand(p, i, xo, false, rm).AsUInt32()[0], y = Operand(p, i, yo, false, rm).AsUInt32()[0], z = Operand(p, i, zo, false, rm).AsUInt32()[0];
        uint f = 0;
        uint r = SseFloat.FmaF32(x, y, z, NegateProduct(kind), NegateAddend(kind, 0), p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        int d = VexOperands.Reg(i, 0);
        VexOperands.Write128(ref p.State, d, p.State.Xmm(d).AsUInt32().WithElement(0, r).AsByte());
    }

    private static void Scalar64(Processor p, in Instruction i, int order, int kind)
    {
        var rm = Vector256.CreateScalar(AvxFloat.ReadS64(p, i, 2)).AsByte();
        var (xo, yo, zo) = Roles(order);
        ulong x = Operand(p, i, xo, false, rm).AsUInt64()[0], y = Operand(p, i, yo, false, rm).AsUInt64()[0], z = Operand(p, i, zo, false, rm).AsUInt64()[0];
        uint f = 0;
        ulong r = SseFloat.FmaF64(x, y, z, NegateProduct(kind), NegateAddend(kind, 0), p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        int d = VexOperands.Reg(i, 0);
        VexOperands.Write128(ref p.State, d, p.State.Xmm(d).AsUInt64().WithElement(0, r).AsByte());
    }
}
