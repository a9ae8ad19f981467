using System.Runtime.CompilerServices;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>The x87 register stack and status-word bookkeeping shared by the x87 instruction families.</summary>
internal static class X87
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref Float80 St(ref CpuState s, int i) => ref s.Fpr[(s.FpTop + i) & 7];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsEmpty(ref CpuState s, int i) => ((s.FpEmpty >> ((s.FpTop + i) & 7)) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetValid(ref CpuState s, int i) => s.FpEmpty &= (byte)~(1 << ((s.FpTop + i) & 7));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetEmpty(ref CpuState s, int i) => s.FpEmpty |= (byte)(1 << ((s.FpTop + i) & 7));

    /// <summary>The stack index of an ST(i) register operand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StIndex(in Instruction i, int op) => Operands.Reg(i, op) - Register.ST0;

    /// <summary>Writes ST(i) and marks it valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Set(ref CpuState s, int i, Float80 v)
    {
        St(ref s, i) = v;
        SetValid(ref s, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pop(ref CpuState s)
    {
        SetEmpty(ref s, 0);
        s.FpTop = (byte)((s.FpTop + 1) & 7);
    }

    /// <summary>Waiting x87 instructions first deliver a pending unmasked exception (#MF).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CheckPending(Processor p)
    {
        if ((p.State.Fsw & X87Status.ES) != 0) throw new CpuException(CpuExceptionKind.X87Error);
    }

    /// <summary>Starts a non-control x87 instruction: checks for a pending exception and records its
    /// address as the last x87 instruction pointer (the opcode is recovered from it when saved).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Begin(Processor p, in Instruction i)
    {
        CheckPending(p);
        p.State.FpuIp = i.IP;
        p.State.Fop = OpcodeAtIp;
    }

    /// <summary>A <see cref="CpuState.Fop"/> value meaning "decode the opcode at FpuIp when it is needed".</summary>
    public const ushort OpcodeAtIp = 0x8000;

    /// <summary>The memory operand's address, recorded as the last x87 data pointer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Address(Processor p, in Instruction i) => p.State.FpuDp = Operands.Address(p, i);

    /// <summary>Merges an instruction's exception flags and C1 into FSW; an unmasked exception sets
    /// ES and B so the next waiting instruction faults. Returns false when an unmasked exception
    /// that suppresses the result (invalid, denormal, divide-by-zero) occurred.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Report(ref CpuState s, ushort flags)
    {
        s.Fsw = (ushort)((s.Fsw & ~X87Status.C1) | flags);
        int unmasked = flags & ~s.Fcw & X87Status.Exceptions;
        if (unmasked == 0) return true;
        s.Fsw |= X87Status.ES | X87Status.B;
        return (unmasked & (X87Status.IE | X87Status.DE | X87Status.ZE)) == 0;
    }

    /// <summary>Whether a store to memory happens: unmasked invalid, denormal, overflow and
    /// underflow exceptions leave the destination untouched.</summary>
    public static bool StoreAllowed(ushort fcw, ushort flags) =>
        (flags & ~fcw & (X87Status.IE | X87Status.DE | X87Status.OE | X87Status.UE)) == 0;

    /// <summary>Recomputes ES and B after FSW or FCW were loaded.</summary>
    public static void UpdateSummary(ref CpuState s)
    {
        if ((s.Fsw & ~s.Fcw & X87Status.Exceptions) != 0) s.Fsw |= X87Status.ES | X87Status.B;
        else s.Fsw &= unchecked((ushort)~(X87Status.ES | X87Status.B));
    }

    /// <summary>Stack underflow: an empty register was read. C1 = 0 tells it from an overflow.</summary>
    public const ushort Underflow = X87Status.IE | X87Status.SF;
    /// <summary>Stack overflow: a push found ST(7) in use.</summary>
    public const ushort Overflow = X87Status.IE | X87Status.SF | X87Status.C1;

    /// <summary>Pushes a value; on overflow the masked response pushes the indefinite instead, and
    /// the exceptions of producing the value (e.g. a denormal source) are not reported.</summary>
    public static void Push(ref CpuState s, Float80 v, ushort flags = 0)
    {
        if (!IsEmpty(ref s, 7))
        {
            if (!Report(ref s, Overflow)) return;
            v = Float80.Indefinite;
        }
        else if (!Report(ref s, flags)) return;
        s.FpTop = (byte)((s.FpTop - 1) & 7);
        Set(ref s, 0, v);
    }

    /// <summary>Reads a memory operand of any x87 type as an extended value, raising DE for a
    /// denormal float source (signaling NaNs stay signaling for the consumer).</summary>
    public static Float80 ReadMemory(Processor p, in Instruction i, ref ushort flags)
    {
        ulong a = Address(p, i);
        bool denormal = false;
        Float80 v;
        switch (i.MemorySize)
        {
            case MemorySize.Float32: v = Float80Math.FromSingle(p.Memory.Read32(a), out denormal); break;
            case MemorySize.Float64: v = Float80Math.FromDouble(p.Memory.Read64(a), out denormal); break;
            case MemorySize.Float80: v = ReadFloat80(p, a); break;
            case MemorySize.Int16: v = Float80Math.FromInt64((short)p.Memory.Read16(a)); break;
            case MemorySize.Int32: v = Float80Math.FromInt64((int)p.Memory.Read32(a)); break;
            case MemorySize.Int64: v = Float80Math.FromInt64((long)p.Memory.Read64(a)); break;
            default: throw new CpuException(CpuExceptionKind.InvalidOpcode);
        }
        if (denormal) flags |= X87Status.DE;
        return v;
    }

    public static Float80 ReadFloat80(Processor p, ulong a)
    {
        Span<byte> b = stackalloc byte[10];
        p.Memory.ReadBytes(a, b);
        return new Float80(BitConverter.ToUInt64(b), BitConverter.ToUInt16(b[8..]));
    }

    public static void WriteFloat80(Processor p, ulong a, Float80 v)
    {
        Span<byte> b = stackalloc byte[10];
        BitConverter.TryWriteBytes(b, v.Mantissa);
        BitConverter.TryWriteBytes(b[8..], v.SignExp);
        p.Memory.WriteBytes(a, b);
    }
}
