using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX in-lane shuffles with an immediate (VPSHUFD, VPSHUFLW/HW, VPALIGNR is in
/// <see cref="AvxInteger"/>), VPERMILPS/PD, and the AVX2 lane-crossing permutes.</summary>
public static unsafe class AvxShuffle
{
    [Handles(Mnemonic.Vpshufd)] public static void Vpshufd(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &SseInt.ShuffleD);
    [Handles(Mnemonic.Vpshuflw)] public static void Vpshuflw(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &ShuffleLow);
    [Handles(Mnemonic.Vpshufhw)] public static void Vpshufhw(Processor p, in Instruction i) => VexOperands.UnaryImm(p, i, &ShuffleHigh);

    private static Vector128<byte> ShuffleLow(Vector128<byte> a, int imm) => SseInt.ShuffleW(a, imm, 0);
    private static Vector128<byte> ShuffleHigh(Vector128<byte> a, int imm) => SseInt.ShuffleW(a, imm, 4);

    /// <summary>VPERMILPS: in-lane dword selection by an immediate (same bits for both lanes) or by the low
    /// two bits of each control dword.</summary>
    [Handles(Mnemonic.Vpermilps)]
    public static void Vpermilps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        Vector256<uint> a, c;
        if (Operands.Kind(i, i.OpCount - 1) == OpKind.Immediate8)
        {
            a = VexOperands.Read(p, i, 1, w).AsUInt32();
            int imm = i.Immediate8;
            c = Vector256.Create((uint)imm, (uint)imm >> 2, (uint)imm >> 4, (uint)imm >> 6, (uint)imm, (uint)imm >> 2, (uint)imm >> 4, (uint)imm >> 6);
        }
        else
        {
            c = VexOperands.Read(p, i, 2, w).AsUInt32();
            a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        }
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < 8; k++) r[k] = a[(k & 4) + (int)(c[k] & 3)];
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    /// <summary>VPERMILPD: in-lane qword selection by imm bit k, or by bit 1 of each control qword.</summary>
    [Handles(Mnemonic.Vpermilpd)]
    public static void Vpermilpd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        Vector256<ulong> a, c;
        if (Operands.Kind(i, i.OpCount - 1) == OpKind.Immediate8)
        {
            a = VexOperands.Read(p, i, 1, w).AsUInt64();
            ulong imm = i.Immediate8;
            c = Vector256.Create(imm << 1, imm, imm >> 1, imm >> 2);
        }
        else
        {
            c = VexOperands.Read(p, i, 2, w).AsUInt64();
            a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt64();
        }
        Span<ulong> r = stackalloc ulong[4];
        for (int k = 0; k < 4; k++) r[k] = a[(k & 2) + (int)((c[k] >> 1) & 1)];
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<ulong>)r).AsByte(), w);
    }

    /// <summary>VPERMD/VPERMPS ymm1, ymm2 (indices), ymm3/m256: dword k = src[idx[k] mod 8].</summary>
    [Handles(Mnemonic.Vpermd, Mnemonic.Vpermps)]
    public static void Vpermd(Processor p, in Instruction i)
    {
        var s = VexOperands.Read(p, i, 2, true).AsUInt32();
        var idx = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < 8; k++) r[k] = s[(int)(idx[k] & 7)];
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), true);
    }

    /// <summary>VPERMQ/VPERMPD ymm1, ymm2/m256, imm8.</summary>
    [Handles(Mnemonic.Vpermq, Mnemonic.Vpermpd)]
    public static void Vpermq(Processor p, in Instruction i)
    {
        var s = VexOperands.Read(p, i, 1, true).AsUInt64();
        int imm = i.Immediate8;
        VexOperands.WriteDest(p, i, Vector256.Create(s[imm & 3], s[(imm >> 2) & 3], s[(imm >> 4) & 3], s[(imm >> 6) & 3]).AsByte(), true);
    }

    /// <summary>VPERM2F128/VPERM2I128: each result lane is one of the four source lanes (imm bits 1:0 and 5:4) or zero (bits 3 and 7).</summary>
    [Handles(Mnemonic.Vperm2f128, Mnemonic.Vperm2i128)]
    public static void Vperm2f128(Processor p, in Instruction i)
    {
        var b = VexOperands.Read(p, i, 2, true);
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        int imm = i.Immediate8;
        VexOperands.WriteDest(p, i, Vector256.Create(Select(a, b, imm), Select(a, b, imm >> 4)), true);

        static Vector128<byte> Select(Vector256<byte> a, Vector256<byte> b, int c) =>
            (c & 8) != 0 ? Vector128<byte>.Zero : (c & 3) switch { 0 => a.GetLower(), 1 => a.GetUpper(), 2 => b.GetLower(), _ => b.GetUpper() };
    }

    /// <summary>VINSERTF128/VINSERTI128 ymm1, ymm2, xmm3/m128, imm8: imm bit 0 picks the lane replaced.</summary>
    [Handles(Mnemonic.Vinsertf128, Mnemonic.Vinserti128)]
    public static void Vinsertf128(Processor p, in Instruction i)
    {
        var v = VexOperands.Read128(p, i, 2);
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        VexOperands.WriteDest(p, i, (i.Immediate8 & 1) == 0 ? a.WithLower(v) : a.WithUpper(v), true);
    }

    /// <summary>VEXTRACTF128/VEXTRACTI128 xmm1/m128, ymm2, imm8.</summary>
    [Handles(Mnemonic.Vextractf128, Mnemonic.Vextracti128)]
    public static void Vextractf128(Processor p, in Instruction i)
    {
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        var v = (i.Immediate8 & 1) == 0 ? a.GetLower() : a.GetUpper();
        if (i.Op0Kind == OpKind.Memory) p.Memory.Write128(Operands.Address(p, i), v);
        else VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), v);
    }

    // ---- broadcasts ----

    [Handles(Mnemonic.Vpbroadcastb)] public static void Vpbroadcastb(Processor p, in Instruction i) => Broadcast(p, i, 1);
    [Handles(Mnemonic.Vpbroadcastw)] public static void Vpbroadcastw(Processor p, in Instruction i) => Broadcast(p, i, 2);
    [Handles(Mnemonic.Vpbroadcastd, Mnemonic.Vbroadcastss)] public static void Vpbroadcastd(Processor p, in Instruction i) => Broadcast(p, i, 4);
    [Handles(Mnemonic.Vpbroadcastq, Mnemonic.Vbroadcastsd)] public static void Vpbroadcastq(Processor p, in Instruction i) => Broadcast(p, i, 8);
    [Handles(Mnemonic.Vbroadcastf128, Mnemonic.Vbroadcasti128)] public static void Vbroadcastf128(Processor p, in Instruction i) => Broadcast(p, i, 16);

    /// <summary>Replicates the low element of an XMM register or a memory element of <paramref name="size"/> bytes.</summary>
    private static void Broadcast(Processor p, in Instruction i, int size)
    {
        bool w = VexOperands.Wide(i);
        Vector128<byte> e;
        if (i.Op1Kind == OpKind.Register) e = p.State.Xmm(VexOperands.Reg(i, 1));
        else
        {
            ulong a = Operands.Address(p, i);
            e = size == 16 ? p.Memory.Read128(a) : Vector128.CreateScalar(p.Memory.Read(a, size)).AsByte();
        }
        Vector128<byte> lane = size switch
        {
            1 => Vector128.Create(e[0]),
            2 => Vector128.Create(e.AsUInt16()[0]).AsByte(),
            4 => Vector128.Create(e.AsUInt32()[0]).AsByte(),
            8 => Vector128.Create(e.AsUInt64()[0]).AsByte(),
            _ => e,
        };
        VexOperands.WriteDest(p, i, Vector256.Create(lane, lane), w);
    }
}
