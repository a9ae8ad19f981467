using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>AVX2 gathers: VPGATHERDD/DQ/QD/QQ and VGATHERDPS/DPD/QPS/QPD. Elements whose mask sign bit
/// is set are loaded from base + index[j]·scale + disp in order, each clearing its mask element as it
/// completes, so a fault leaves the elements already gathered in the destination and the mask showing
/// what is left; the others keep the destination's value. On completion the whole mask is zero, and a
/// VEX.128 form (or a result narrower than 256 bits) zeroes the rest of both registers.</summary>
public static class AvxGather
{
    [Handles(Mnemonic.Vpgatherdd, Mnemonic.Vgatherdps)] public static void Vpgatherdd(Processor p, in Instruction i) => Gather(p, i, 4, 4);
    [Handles(Mnemonic.Vpgatherdq, Mnemonic.Vgatherdpd)] public static void Vpgatherdq(Processor p, in Instruction i) => Gather(p, i, 4, 8);
    [Handles(Mnemonic.Vpgatherqd, Mnemonic.Vgatherqps)] public static void Vpgatherqd(Processor p, in Instruction i) => Gather(p, i, 8, 4);
    [Handles(Mnemonic.Vpgatherqq, Mnemonic.Vgatherqpd)] public static void Vpgatherqq(Processor p, in Instruction i) => Gather(p, i, 8, 8);

    private static void Gather(Processor p, in Instruction i, int indexSize, int elemSize)
    {
        int d = VexOperands.Reg(i, 0), m = VexOperands.Reg(i, 2);
        var indexReg = i.MemoryIndex;
        int x = Operands.VecIndex(indexReg);
        // The destination, index and mask registers must all differ.
        if (d == m || d == x || m == x) throw new CpuException(CpuExceptionKind.InvalidOpcode);
        int destBytes = i.Op0Register.IsYMM() ? 32 : 16;
        int indexBytes = indexReg.IsYMM() ? 32 : 16;
        int n = Math.Min(destBytes / elemSize, indexBytes / indexSize);
        ulong disp = i.MemoryDisplacement64;
        ulong baseAddr = i.MemoryBase == Register.None ? 0 : p.State.Gpr[Operands.Index(i.MemoryBase)];
        ulong seg = i.SegmentPrefix == Register.FS ? p.State.FsBase : i.SegmentPrefix == Register.GS ? p.State.GsBase : 0;
        ulong scale = (ulong)i.MemoryIndexScale;
        bool addr32 = i.MemoryBase.IsGPR32();
        var index = VexOperands.Ymm(ref p.State, x);
        for (int j = 0; j < n; j++)
        {
            ref var mask = ref VexOperands.Ymm(ref p.State, m);
            if ((mask[j * elemSize + elemSize - 1] & 0x80) == 0) continue;
            ulong idx = indexSize == 4 ? (ulong)(long)index.AsInt32()[j] : index.AsUInt64()[j];
            ulong a = baseAddr + idx * scale + disp;
            if (addr32) a &= 0xFFFF_FFFF; // 0x67 address-size prefix
            a += seg;
            ulong v = p.Memory.Read(a, elemSize);
            ref var dest = ref VexOperands.Ymm(ref p.State, d);
            dest = elemSize == 4 ? dest.AsUInt32().WithElement(j, (uint)v).AsByte() : dest.AsUInt64().WithElement(j, v).AsByte();
            mask = elemSize == 4 ? mask.AsUInt32().WithElement(j, 0u).AsByte() : mask.AsUInt64().WithElement(j, 0UL).AsByte();
        }
        VexOperands.Ymm(ref p.State, m) = Vector256<byte>.Zero;
        int keep = n * elemSize;
        if (keep < 32)
        {
            ref var dest = ref VexOperands.Ymm(ref p.State, d);
            Span<byte> b = stackalloc byte[32];
            dest.CopyTo(b);
            b[keep..].Clear();
            dest = Vector256.Create((ReadOnlySpan<byte>)b);
        }
    }
}
