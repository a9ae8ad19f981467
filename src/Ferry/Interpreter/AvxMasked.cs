using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Element selection by mask: VBLENDVPS/PD, VPBLENDVB (mask in the is4 register), and the masked
/// loads and stores VMASKMOVPS/PD, VPMASKMOVD/Q, which touch (and can fault on) only the elements whose
/// mask sign bit is set; masked-out load elements read as zero.</summary>
public static unsafe class AvxMasked
{
    [Handles(Mnemonic.Vblendvps)] public static void Vblendvps(Processor p, in Instruction i) => BlendV(p, i, &SimdLanes.BlendVD);
    [Handles(Mnemonic.Vblendvpd)] public static void Vblendvpd(Processor p, in Instruction i) => BlendV(p, i, &SimdLanes.BlendVQ);
    [Handles(Mnemonic.Vpblendvb)] public static void Vpblendvb(Processor p, in Instruction i) => BlendV(p, i, &SimdLanes.BlendVB);

    private static void BlendV(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>> op)
    {
        bool w = VexOperands.Wide(i);
        var b = VexOperands.Read(p, i, 2, w);
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        var m = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 3));
        var lo = op(a.GetLower(), b.GetLower(), m.GetLower());
        var hi = w ? op(a.GetUpper(), b.GetUpper(), m.GetUpper()) : Vector128<byte>.Zero;
        VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 0)) = Vector256.Create(lo, hi);
    }

    [Handles(Mnemonic.Vmaskmovps, Mnemonic.Vpmaskmovd)] public static void Vmaskmovps(Processor p, in Instruction i) => MaskMove(p, i, 4);
    [Handles(Mnemonic.Vmaskmovpd, Mnemonic.Vpmaskmovq)] public static void Vmaskmovpd(Processor p, in Instruction i) => MaskMove(p, i, 8);

    private static void MaskMove(Processor p, in Instruction i, int size)
    {
        bool w = VexOperands.Wide(i);
        int n = (w ? 32 : 16) / size;
        ulong a = Operands.Address(p, i);
        var mask = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
        if (i.Op0Kind == OpKind.Memory)
        {
            var data = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 2));
            // Check every selected element before writing any, so a fault leaves memory untouched.
            for (int k = 0; k < n; k++)
                if (Selected(mask, k, size)) p.Memory.Read(a + (ulong)(k * size), size);
            for (int k = 0; k < n; k++)
                if (Selected(mask, k, size)) p.Memory.Write(a + (ulong)(k * size), size, Element(data, k, size));
            return;
        }
        Span<ulong> r = stackalloc ulong[4];
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        for (int k = 0; k < n; k++)
        {
            if (!Selected(mask, k, size)) continue;
            ulong v = p.Memory.Read(a + (ulong)(k * size), size);
            for (int j = 0; j < size; j++) bytes[k * size + j] = (byte)(v >> (8 * j));
        }
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<byte>)bytes), w);
    }

    private static bool Selected(Vector256<byte> mask, int k, int size) => (mask[k * size + size - 1] & 0x80) != 0;

    private static ulong Element(Vector256<byte> v, int k, int size) => size == 4 ? v.AsUInt32()[k] : v.AsUInt64()[k];
}
