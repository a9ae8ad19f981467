using System.Buffers.Binary;
using Ferry.Cpu;

namespace Ferry.Tests.Oracle;

/// <summary>Converts between <see cref="CpuState"/> and the 512-byte FXSAVE image the host CPU uses.</summary>
public static class FxImage
{
    public static void Save(ref CpuState s, Span<byte> fx)
    {
        fx.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(fx, s.Fcw);
        BinaryPrimitives.WriteUInt16LittleEndian(fx[2..], (ushort)((s.Fsw & ~0x3800) | ((s.FpTop & 7) << 11)));
        fx[4] = (byte)~s.FpEmpty; // abridged tag: 1 = valid
        BinaryPrimitives.WriteUInt16LittleEndian(fx[6..], s.Fop);
        BinaryPrimitives.WriteUInt32LittleEndian(fx[24..], s.Mxcsr);
        BinaryPrimitives.WriteUInt32LittleEndian(fx[28..], 0xFFFF);
        for (int i = 0; i < 8; i++)
        {
            var r = s.Fpr[(s.FpTop + i) & 7];
            BinaryPrimitives.WriteUInt64LittleEndian(fx[(32 + 16 * i)..], r.Mantissa);
            BinaryPrimitives.WriteUInt16LittleEndian(fx[(40 + 16 * i)..], r.SignExp);
        }
        for (int i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(fx[(160 + 16 * i)..], s.Vec[i * 4]);
            BinaryPrimitives.WriteUInt64LittleEndian(fx[(168 + 16 * i)..], s.Vec[i * 4 + 1]);
        }
    }

    public static void Load(ref CpuState s, ReadOnlySpan<byte> fx)
    {
        s.Fcw = BinaryPrimitives.ReadUInt16LittleEndian(fx);
        ushort fsw = BinaryPrimitives.ReadUInt16LittleEndian(fx[2..]);
        s.FpTop = (byte)((fsw >> 11) & 7);
        s.Fsw = (ushort)(fsw & ~0x3800);
        s.FpEmpty = (byte)~fx[4];
        s.Fop = BinaryPrimitives.ReadUInt16LittleEndian(fx[6..]);
        s.Mxcsr = BinaryPrimitives.ReadUInt32LittleEndian(fx[24..]);
        for (int i = 0; i < 8; i++)
        {
            s.Fpr[(s.FpTop + i) & 7] = new Float80(
                BinaryPrimitives.ReadUInt64LittleEndian(fx[(32 + 16 * i)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(fx[(40 + 16 * i)..]));
        }
        for (int i = 0; i < 16; i++)
        {
            s.Vec[i * 4] = BinaryPrimitives.ReadUInt64LittleEndian(fx[(160 + 16 * i)..]);
            s.Vec[i * 4 + 1] = BinaryPrimitives.ReadUInt64LittleEndian(fx[(168 + 16 * i)..]);
        }
    }
}
