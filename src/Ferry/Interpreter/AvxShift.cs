using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX shifts: by the low qword of an xmm/m128 count (the same count for both lanes), by an
/// immediate, whole-lane byte shifts, and the AVX2 per-element variable shifts.</summary>
public static class AvxShift
{
    [Handles(Mnemonic.Vpsllw)] public static void Vpsllw(Processor p, in Instruction i) => Shift(p, i, 16, 0);
    [Handles(Mnemonic.Vpslld)] public static void Vpslld(Processor p, in Instruction i) => Shift(p, i, 32, 0);
    [Handles(Mnemonic.Vpsllq)] public static void Vpsllq(Processor p, in Instruction i) => Shift(p, i, 64, 0);
    [Handles(Mnemonic.Vpsrlw)] public static void Vpsrlw(Processor p, in Instruction i) => Shift(p, i, 16, 1);
    [Handles(Mnemonic.Vpsrld)] public static void Vpsrld(Processor p, in Instruction i) => Shift(p, i, 32, 1);
    [Handles(Mnemonic.Vpsrlq)] public static void Vpsrlq(Processor p, in Instruction i) => Shift(p, i, 64, 1);
    [Handles(Mnemonic.Vpsraw)] public static void Vpsraw(Processor p, in Instruction i) => Shift(p, i, 16, 2);
    [Handles(Mnemonic.Vpsrad)] public static void Vpsrad(Processor p, in Instruction i) => Shift(p, i, 32, 2);

    private static void Shift(Processor p, in Instruction i, int bits, int kind)
    {
        bool w = VexOperands.Wide(i);
        ulong count = i.Op2Kind == OpKind.Immediate8 ? i.Immediate8 : VexOperands.Read128(p, i, 2).AsUInt64()[0];
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        var lo = Apply(a.GetLower(), count, bits, kind);
        var hi = w ? Apply(a.GetUpper(), count, bits, kind) : Vector128<byte>.Zero;
        VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 0)) = Vector256.Create(lo, hi);
    }

    private static Vector128<byte> Apply(Vector128<byte> a, ulong count, int bits, int kind) => kind switch
    {
        0 => SseInt.Sll(a, count, bits),
        1 => SseInt.Srl(a, count, bits),
        _ => SseInt.Sra(a, count, bits),
    };

    [Handles(Mnemonic.Vpslldq)]
    public static unsafe void Vpslldq(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &SseInt.ByteShiftLeft);

    [Handles(Mnemonic.Vpsrldq)]
    public static unsafe void Vpsrldq(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &SseInt.ByteShiftRight);

    // ---- AVX2 variable shifts: counts past the element width give zero (logical) or the sign (arithmetic) ----

    [Handles(Mnemonic.Vpsllvd)] public static void Vpsllvd(Processor p, in Instruction i) => Variable32(p, i, 0);
    [Handles(Mnemonic.Vpsrlvd)] public static void Vpsrlvd(Processor p, in Instruction i) => Variable32(p, i, 1);
    [Handles(Mnemonic.Vpsravd)] public static void Vpsravd(Processor p, in Instruction i) => Variable32(p, i, 2);
    [Handles(Mnemonic.Vpsllvq)] public static void Vpsllvq(Processor p, in Instruction i) => Variable64(p, i, 0);
    [Handles(Mnemonic.Vpsrlvq)] public static void Vpsrlvq(Processor p, in Instruction i) => Variable64(p, i, 1);

    private static void Variable32(Processor p, in Instruction i, int kind)
    {
        bool w = VexOperands.Wide(i);
        var c = VexOperands.Read(p, i, 2, w).AsUInt32();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++)
        {
            uint n = c[k];
            r[k] = kind switch
            {
                0 => n > 31 ? 0 : a[k] << (int)n,
                1 => n > 31 ? 0 : a[k] >> (int)n,
                _ => (uint)((int)a[k] >> (int)Math.Min(n, 31)),
            };
        }
        VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 0)) = Vector256.Create((ReadOnlySpan<uint>)r).AsByte();
    }

    private static void Variable64(Processor p, in Instruction i, int kind)
    {
        bool w = VexOperands.Wide(i);
        var c = VexOperands.Read(p, i, 2, w).AsUInt64();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt64();
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < (w ? 4 : 2); k++)
        {
            ulong n = c[k];
            r[k] = n > 63 ? 0 : kind == 0 ? a[k] << (int)n : a[k] >> (int)n;
        }
        VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 0)) = Vector256.Create((ReadOnlySpan<ulong>)r).AsByte();
    }
}
