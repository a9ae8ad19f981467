using System.Buffers.Binary;
using Ferry.Cpu;
using Ferry.Memory;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>x87 control instructions: status and control word access, initialization, exception
/// clearing, WAIT, the environment and state images (FNSTENV/FLDENV, FNSAVE/FRSTOR,
/// FXSAVE/FXRSTOR), and the no-ops.</summary>
public static class X87Control
{
    /// <summary>MXCSR bits FXRSTOR/LDMXCSR accept: every defined bit, DAZ included.</summary>
    public const uint MxcsrMask = 0x0000_FFFF;
    /// <summary>The selectors a 64-bit Linux process runs with, as the environment images record them.</summary>
    private const ushort CodeSelector = 0x33, DataSelector = 0;

    /// <summary>The saved code selector: the user CS once an x87 instruction has run, 0 after FNINIT.
    /// (A selector loaded by FLDENV/FRSTOR/FXRSTOR is not kept: 64-bit code never reads it back.)</summary>
    private static ushort LastCodeSelector(in CpuState s) => (s.Fop & X87.OpcodeAtIp) != 0 ? CodeSelector : (ushort)0;

    /// <summary>FSW as software sees it, with TOP in bits 11–13.</summary>
    public static ushort StatusWord(in CpuState s) => (ushort)((s.Fsw & ~0x3800) | ((s.FpTop & 7) << 11));

    private static void SetStatusWord(ref CpuState s, ushort fsw)
    {
        s.FpTop = (byte)((fsw >> 11) & 7);
        s.Fsw = (ushort)(fsw & ~0x3800);
    }

    /// <summary>Loaded control words keep only the defined bits; bit 6 always reads as 1.</summary>
    private static ushort ControlWord(ushort v) => (ushort)((v & 0x1F3F) | 0x0040);

    [Handles(Mnemonic.Fnstsw)]
    public static void Fnstsw(Processor p, in Instruction i)
    {
        ushort v = StatusWord(p.State);
        if (Operands.Kind(i, 0) == OpKind.Register) Operands.SetReg(ref p.State, Register.AX, v);
        else p.Memory.Write16(Operands.Address(p, i), v);
    }

    [Handles(Mnemonic.Fstsw)]
    public static void Fstsw(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Fnstsw(p, i);
    }

    [Handles(Mnemonic.Fnstcw)]
    public static void Fnstcw(Processor p, in Instruction i) => p.Memory.Write16(Operands.Address(p, i), p.State.Fcw);

    [Handles(Mnemonic.Fstcw)]
    public static void Fstcw(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Fnstcw(p, i);
    }

    /// <summary>FLDCW: unmasking a flagged exception makes it pending (ES), to fault at the next waiting instruction.</summary>
    [Handles(Mnemonic.Fldcw)]
    public static void Fldcw(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        ushort v = p.Memory.Read16(Operands.Address(p, i));
        p.State.Fcw = ControlWord(v);
        X87.UpdateSummary(ref p.State);
    }

    [Handles(Mnemonic.Fninit)]
    public static void Fninit(Processor p, in Instruction i) => Initialize(ref p.State);

    [Handles(Mnemonic.Finit)]
    public static void Finit(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Initialize(ref p.State);
    }

    /// <summary>The FNINIT state; the register contents survive, only their tags are emptied.</summary>
    internal static void Initialize(ref CpuState s)
    {
        s.Fcw = 0x037F;
        s.Fsw = 0;
        s.FpTop = 0;
        s.FpEmpty = 0xFF;
        s.Fop = 0;
        s.FpuIp = 0;
        s.FpuDp = 0;
    }

    [Handles(Mnemonic.Fnclex)]
    public static void Fnclex(Processor p, in Instruction i) =>
        p.State.Fsw &= unchecked((ushort)~(X87Status.Exceptions | X87Status.SF | X87Status.ES | X87Status.B));

    [Handles(Mnemonic.Fclex)]
    public static void Fclex(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Fnclex(p, i);
    }

    /// <summary>WAIT/FWAIT: delivers a pending unmasked x87 exception, else does nothing.</summary>
    [Handles(Mnemonic.Wait)]
    public static void Wait(Processor p, in Instruction i) => X87.CheckPending(p);

    [Handles(Mnemonic.Fnop)]
    public static void Fnop(Processor p, in Instruction i) => X87.Begin(p, i);

    /// <summary>8087/287 mode controls: ignored by the 387 and later.</summary>
    [Handles(Mnemonic.Fneni, Mnemonic.Fndisi, Mnemonic.Fnsetpm)]
    public static void Legacy(Processor p, in Instruction i) { }

    [Handles(Mnemonic.Feni, Mnemonic.Fdisi, Mnemonic.Fsetpm)]
    public static void LegacyWaiting(Processor p, in Instruction i) => X87.CheckPending(p);

    /// <summary>The opcode of the last non-control instruction (11 bits: low 3 bits of the escape byte
    /// and the ModR/M byte), recovered from its bytes since only its address is recorded.</summary>
    private static ushort LastOpcode(Processor p)
    {
        ref var s = ref p.State;
        if ((s.Fop & X87.OpcodeAtIp) == 0) return s.Fop;
        try
        {
            ulong a = s.FpuIp;
            for (int k = 0; k < 15; k++, a++)
            {
                byte b = p.Memory.Read8(a);
                if (b >= 0xD8 && b <= 0xDF) return (ushort)(((b & 7) << 8) | p.Memory.Read8(a + 1));
                bool prefix = b is 0x66 or 0x67 or 0xF0 or 0xF2 or 0xF3 or 0x2E or 0x36 or 0x3E or 0x26 or 0x64 or 0x65 or 0x9B
                    || (b & 0xF0) == 0x40;
                if (!prefix) break;
            }
        }
        catch (MemoryFault) { }
        return 0;
    }

    /// <summary>The full tag word: 00 valid, 01 zero, 10 special (NaN, infinity, denormal,
    /// unsupported), 11 empty, two bits per physical register.</summary>
    public static ushort TagWord(in CpuState s)
    {
        int tw = 0;
        for (int r = 0; r < 8; r++)
        {
            int t;
            if (((s.FpEmpty >> r) & 1) != 0) t = 3;
            else
            {
                var x = s.Fpr[r];
                if (x.IsZero) t = 1;
                else if (x.Exponent == 0 || x.Exponent == Float80.MaxExponent || (x.Mantissa & Float80.IntegerBit) == 0) t = 2;
                else t = 0;
            }
            tw |= t << (2 * r);
        }
        return (ushort)tw;
    }

    /// <summary>Builds the protected-mode environment: 28 bytes for 32/64-bit operand size, 14 for 16-bit.</summary>
    private static int WriteEnvironment(Processor p, Span<byte> b, bool small)
    {
        ref var s = ref p.State;
        ushort fop = LastOpcode(p);
        if (small)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, s.Fcw);
            BinaryPrimitives.WriteUInt16LittleEndian(b[2..], StatusWord(s));
            BinaryPrimitives.WriteUInt16LittleEndian(b[4..], TagWord(s));
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)s.FpuIp);
            BinaryPrimitives.WriteUInt16LittleEndian(b[8..], LastCodeSelector(s));
            BinaryPrimitives.WriteUInt16LittleEndian(b[10..], (ushort)s.FpuDp);
            BinaryPrimitives.WriteUInt16LittleEndian(b[12..], DataSelector);
            return 14;
        }
        // Reserved upper halves read as ones.
        BinaryPrimitives.WriteUInt32LittleEndian(b, 0xFFFF_0000u | s.Fcw);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], 0xFFFF_0000u | StatusWord(s));
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], 0xFFFF_0000u | TagWord(s));
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)s.FpuIp);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], LastCodeSelector(s) | ((uint)(fop & 0x7FF) << 16));
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], (uint)s.FpuDp);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], 0xFFFF_0000u | DataSelector);
        return 28;
    }

    private static int ReadEnvironment(ref CpuState s, ReadOnlySpan<byte> b, bool small)
    {
        ushort fcw, fsw, ftw;
        if (small)
        {
            fcw = BinaryPrimitives.ReadUInt16LittleEndian(b);
            fsw = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
            ftw = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
            s.FpuIp = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]);
            s.FpuDp = BinaryPrimitives.ReadUInt16LittleEndian(b[10..]);
            s.Fop = 0;
        }
        else
        {
            fcw = BinaryPrimitives.ReadUInt16LittleEndian(b);
            fsw = BinaryPrimitives.ReadUInt16LittleEndian(b[4..]);
            ftw = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
            s.FpuIp = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]);
            s.Fop = (ushort)((BinaryPrimitives.ReadUInt32LittleEndian(b[16..]) >> 16) & 0x7FF);
            s.FpuDp = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]);
        }
        s.Fcw = ControlWord(fcw);
        SetStatusWord(ref s, fsw);
        // Only "empty" survives from the tag word: the other tags are recomputed from the contents.
        byte empty = 0;
        for (int r = 0; r < 8; r++)
            if (((ftw >> (2 * r)) & 3) == 3) empty |= (byte)(1 << r);
        s.FpEmpty = empty;
        X87.UpdateSummary(ref s);
        return small ? 14 : 28;
    }

    private static bool Small(in Instruction i) => i.MemorySize is MemorySize.FpuEnv14 or MemorySize.FpuState94;

    /// <summary>FNSTENV stores the environment, then masks every exception.</summary>
    [Handles(Mnemonic.Fnstenv)]
    public static void Fnstenv(Processor p, in Instruction i)
    {
        Span<byte> b = stackalloc byte[28];
        int n = WriteEnvironment(p, b, Small(i));
        p.Memory.WriteBytes(Operands.Address(p, i), b[..n]);
        p.State.Fcw |= X87Status.Exceptions;
    }

    [Handles(Mnemonic.Fstenv)]
    public static void Fstenv(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Fnstenv(p, i);
    }

    [Handles(Mnemonic.Fldenv)]
    public static void Fldenv(Processor p, in Instruction i)
    {
        bool small = Small(i);
        Span<byte> b = stackalloc byte[28];
        b = b[..(small ? 14 : 28)];
        p.Memory.ReadBytes(Operands.Address(p, i), b);
        ReadEnvironment(ref p.State, b, small);
    }

    /// <summary>FNSAVE: the environment followed by ST(0)–ST(7), then FNINIT.</summary>
    [Handles(Mnemonic.Fnsave)]
    public static void Fnsave(Processor p, in Instruction i)
    {
        ref var s = ref p.State;
        Span<byte> b = stackalloc byte[108];
        int n = WriteEnvironment(p, b, Small(i));
        for (int k = 0; k < 8; k++)
        {
            var x = X87.St(ref s, k);
            BinaryPrimitives.WriteUInt64LittleEndian(b[(n + 10 * k)..], x.Mantissa);
            BinaryPrimitives.WriteUInt16LittleEndian(b[(n + 10 * k + 8)..], x.SignExp);
        }
        p.Memory.WriteBytes(Operands.Address(p, i), b[..(n + 80)]);
        Initialize(ref s);
    }

    [Handles(Mnemonic.Fsave)]
    public static void Fsave(Processor p, in Instruction i)
    {
        X87.CheckPending(p);
        Fnsave(p, i);
    }

    [Handles(Mnemonic.Frstor)]
    public static void Frstor(Processor p, in Instruction i)
    {
        bool small = Small(i);
        Span<byte> b = stackalloc byte[108];
        b = b[..(small ? 94 : 108)];
        p.Memory.ReadBytes(Operands.Address(p, i), b);
        ref var s = ref p.State;
        int n = ReadEnvironment(ref s, b, small);
        for (int k = 0; k < 8; k++)
            X87.St(ref s, k) = new Float80(BinaryPrimitives.ReadUInt64LittleEndian(b[(n + 10 * k)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(b[(n + 10 * k + 8)..]));
    }

    /// <summary>FXSAVE/FXSAVE64: the 512-byte image. Like the AMD processors it was checked against,
    /// the last instruction/data pointers and opcode are stored only while an exception is pending
    /// (ES), else as zeros; bytes 416–511 are left untouched.</summary>
    [Handles(Mnemonic.Fxsave, Mnemonic.Fxsave64)]
    public static void Fxsave(Processor p, in Instruction i)
    {
        ulong a = Operands.Address(p, i);
        if ((a & 15) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        ref var s = ref p.State;
        Span<byte> b = stackalloc byte[416];
        b.Clear();
        WriteX87Image(p, b, i.Mnemonic == Mnemonic.Fxsave64);
        BinaryPrimitives.WriteUInt32LittleEndian(b[24..], s.Mxcsr);
        BinaryPrimitives.WriteUInt32LittleEndian(b[28..], MxcsrMask);
        for (int k = 0; k < 16; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(b[(160 + 16 * k)..], s.Vec[k * 4]);
            BinaryPrimitives.WriteUInt64LittleEndian(b[(168 + 16 * k)..], s.Vec[k * 4 + 1]);
        }
        p.Memory.WriteBytes(a, b);
    }

    /// <summary>The x87 part of an FXSAVE/XSAVE legacy region (bytes 0–23 and 32–159 of a cleared
    /// buffer), in the 64-bit (REX.W) or 32-bit-pointer layout. Also used by XSAVE.</summary>
    internal static void WriteX87Image(Processor p, Span<byte> b, bool is64)
    {
        ref var s = ref p.State;
        BinaryPrimitives.WriteUInt16LittleEndian(b, s.Fcw);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], StatusWord(s));
        b[4] = (byte)~s.FpEmpty;
        if ((s.Fsw & X87Status.ES) != 0)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], LastOpcode(p));
            if (is64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(b[8..], s.FpuIp);
                BinaryPrimitives.WriteUInt64LittleEndian(b[16..], s.FpuDp);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(b[8..], (uint)s.FpuIp);
                BinaryPrimitives.WriteUInt16LittleEndian(b[12..], LastCodeSelector(s));
                BinaryPrimitives.WriteUInt32LittleEndian(b[16..], (uint)s.FpuDp);
                BinaryPrimitives.WriteUInt16LittleEndian(b[20..], DataSelector);
            }
        }
        for (int k = 0; k < 8; k++)
        {
            var x = X87.St(ref s, k);
            BinaryPrimitives.WriteUInt64LittleEndian(b[(32 + 16 * k)..], x.Mantissa);
            BinaryPrimitives.WriteUInt16LittleEndian(b[(40 + 16 * k)..], x.SignExp);
        }
    }

    [Handles(Mnemonic.Fxrstor, Mnemonic.Fxrstor64)]
    public static void Fxrstor(Processor p, in Instruction i)
    {
        ulong a = Operands.Address(p, i);
        if ((a & 15) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        Span<byte> b = stackalloc byte[416];
        p.Memory.ReadBytes(a, b);
        uint mxcsr = BinaryPrimitives.ReadUInt32LittleEndian(b[24..]);
        if ((mxcsr & ~MxcsrMask) != 0) throw new CpuException(CpuExceptionKind.GeneralProtection);
        ref var s = ref p.State;
        ReadX87Image(ref s, b, i.Mnemonic == Mnemonic.Fxrstor64);
        s.Mxcsr = mxcsr;
        for (int k = 0; k < 16; k++)
        {
            s.Vec[k * 4] = BinaryPrimitives.ReadUInt64LittleEndian(b[(160 + 16 * k)..]);
            s.Vec[k * 4 + 1] = BinaryPrimitives.ReadUInt64LittleEndian(b[(168 + 16 * k)..]);
        }
    }

    /// <summary>Loads the x87 part of an FXSAVE/XSAVE legacy region (see <see cref="WriteX87Image"/>).</summary>
    internal static void ReadX87Image(ref CpuState s, ReadOnlySpan<byte> b, bool is64)
    {
        s.Fcw = ControlWord(BinaryPrimitives.ReadUInt16LittleEndian(b));
        SetStatusWord(ref s, BinaryPrimitives.ReadUInt16LittleEndian(b[2..]));
        s.FpEmpty = (byte)~b[4];
        s.Fop = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(b[6..]) & 0x7FF);
        if (is64)
        {
            s.FpuIp = BinaryPrimitives.ReadUInt64LittleEndian(b[8..]);
            s.FpuDp = BinaryPrimitives.ReadUInt64LittleEndian(b[16..]);
        }
        else
        {
            s.FpuIp = BinaryPrimitives.ReadUInt32LittleEndian(b[8..]);
            s.FpuDp = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]);
        }
        for (int k = 0; k < 8; k++)
            X87.St(ref s, k) = new Float80(BinaryPrimitives.ReadUInt64LittleEndian(b[(32 + 16 * k)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(b[(40 + 16 * k)..]));
    }
}
