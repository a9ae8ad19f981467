using System.Buffers.Binary;

namespace Ferry.Cpu;

/// <summary>The 512-byte FXSAVE64 image of the x87 and SSE state: the format of FXSAVE/FXRSTOR and
/// of the fpstate in a Linux signal frame.</summary>
public static class FxsaveImage
{
    public const uint MxcsrMask = 0xFFFF;

    public static void Save(ref CpuState s, Span<byte> b)
    {
        b[..512].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(b, s.Fcw);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], (ushort)((s.Fsw & ~0x3800) | ((s.FpTop & 7) << 11)));
        b[4] = (byte)~s.FpEmpty;
        BinaryPrimitives.WriteUInt16LittleEndian(b[6..], s.Fop);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], s.FpuIp);
        BinaryPrimitives.WriteUInt64LittleEndian(b[16..], s.FpuDp);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], s.Mxcsr);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], MxcsrMask);
        for (int k = 0; k < 8; k++)
        {
            var x = s.Fpr[(s.FpTop + k) & 7];
            BinaryPrimitives.WriteUInt64LittleEndian(b[(32 + 16 * k)..], x.Mantissa);
            BinaryPrimitives.WriteUInt16LittleEndian(b[(40 + 16 * k)..], x.SignExp);
        }
        for (int k = 0; k < 16; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b[(160 + 16 * k)..], s.Vec[k * 4]);
            BinaryPrimitives.WriteUInt64LittleEndian(b[(168 + 16 * k)..], s.Vec[k * 4 + 1]);
        }
    }

    public static void Load(ref CpuState s, ReadOnlySpan<byte> b)
    {
        s.Fcw = BinaryPrimitives.ReadUInt16LittleEndian(b);
        ushort fsw = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        s.FpTop = (byte)((fsw >> 11) & 7);
        s.Fsw = (ushort)(fsw & ~0x3800);
        s.FpEmpty = (byte)~b[4];
        s.Fop = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(b[6..]) & 0x7FF);
        s.FpuIp = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
        s.FpuDp = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        s.Mxcsr = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]) & MxcsrMask;
        for (int k = 0; k < 8; k++)
            s.Fpr[(s.FpTop + k) & 7] = new Float80(BinaryPrimitives.ReadUInt64LittleEndian(b[(32 + 16 * k)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(b[(40 + 16 * k)..]));
        for (int k = 0; k < 16; k++)
        {
            s.Vec[k * 4] = BinaryPrimitives.ReadUInt64LittleEndian(b[(160 + 16 * k)..]);
            s.Vec[k * 4 + 1] = BinaryPrimitives.ReadUInt64LittleEndian(b[(168 + 16 * k)..]);
        }
    }
}
