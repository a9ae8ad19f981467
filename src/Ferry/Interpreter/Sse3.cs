using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SSE3: ADDSUB, horizontal add/subtract, the duplicating moves, LDDQU and MONITOR/MWAIT.
/// (FISTTP lives with the x87 stores.)</summary>
public static unsafe class Sse3
{
    [Handles(Mnemonic.Addsubps)] public static void Addsubps(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.AddSubPs);
    [Handles(Mnemonic.Addsubpd)] public static void Addsubpd(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.AddSubPd);
    [Handles(Mnemonic.Haddps)] public static void Haddps(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.HaddPs);
    [Handles(Mnemonic.Haddpd)] public static void Haddpd(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.HaddPd);
    [Handles(Mnemonic.Hsubps)] public static void Hsubps(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.HsubPs);
    [Handles(Mnemonic.Hsubpd)] public static void Hsubpd(Processor p, in Instruction i) => Float(p, i, &SseFloatLanes.HsubPd);

    [Handles(Mnemonic.Movsldup)]
    public static void Movsldup(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        SseOperands.Xmm(p, i, 0) = Vector128.Create(b[0], b[0], b[2], b[2]).AsByte();
    }

    [Handles(Mnemonic.Movshdup)]
    public static void Movshdup(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1).AsUInt32();
        SseOperands.Xmm(p, i, 0) = Vector128.Create(b[1], b[1], b[3], b[3]).AsByte();
    }

    /// <summary>MOVDDUP reads only 8 bytes from memory.</summary>
    [Handles(Mnemonic.Movddup)]
    public static void Movddup(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = Vector128.Create(SseOperands.Read64(p, i, 1)).AsByte();

    /// <summary>LDDQU: an unaligned 16-byte load.</summary>
    [Handles(Mnemonic.Lddqu)]
    public static void Lddqu(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = p.Memory.Read128(Operands.Address(p, i));

    /// <summary>MONITOR and MWAIT are #UD at CPL 3 unless the kernel enables them (Linux does not):
    /// the host raises SIGILL for both, so a guest sees the same, as an architectural fault rather
    /// than a missing instruction.</summary>
    [Handles(Mnemonic.Monitor, Mnemonic.Mwait)]
    public static void MonitorMwait(Processor p, in Instruction i) => throw new CpuException(CpuExceptionKind.InvalidOpcode);

    /// <summary>dest = op(dest, src) on float lanes; an unmasked exception leaves dest intact.</summary>
    private static void Float(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, uint, ref uint, Vector128<byte>> op)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        uint f = 0;
        var r = op(d, b, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = r;
    }
}
