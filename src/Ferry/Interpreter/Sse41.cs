using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SSE4.1 integer instructions and PCMPGTQ (SSE4.2): xmm, xmm/m128 arithmetic, the
/// extending moves, PTEST, element insert/extract and MOVNTDQA.</summary>
public static unsafe class Sse41
{
    [Handles(Mnemonic.Pminsb)] public static void Pminsb(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MinSB);
    [Handles(Mnemonic.Pmaxsb)] public static void Pmaxsb(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MaxSB);
    [Handles(Mnemonic.Pminuw)] public static void Pminuw(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MinUW);
    [Handles(Mnemonic.Pmaxuw)] public static void Pmaxuw(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MaxUW);
    [Handles(Mnemonic.Pminsd)] public static void Pminsd(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MinSD);
    [Handles(Mnemonic.Pmaxsd)] public static void Pmaxsd(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MaxSD);
    [Handles(Mnemonic.Pminud)] public static void Pminud(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MinUD);
    [Handles(Mnemonic.Pmaxud)] public static void Pmaxud(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MaxUD);
    [Handles(Mnemonic.Pmulld)] public static void Pmulld(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MulLoD);
    [Handles(Mnemonic.Pmuldq)] public static void Pmuldq(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.MulDQ);
    [Handles(Mnemonic.Pcmpeqq)] public static void Pcmpeqq(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.CmpEqQ);
    [Handles(Mnemonic.Pcmpgtq)] public static void Pcmpgtq(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.CmpGtQ);
    [Handles(Mnemonic.Packusdw)] public static void Packusdw(Processor p, in Instruction i) => SseInteger.Binary(p, i, &Sse41Int.PackUsDW);

    [Handles(Mnemonic.Pmovsxbw)] public static void Pmovsxbw(Processor p, in Instruction i) => Extend(p, i, 1, 2, true);
    [Handles(Mnemonic.Pmovsxbd)] public static void Pmovsxbd(Processor p, in Instruction i) => Extend(p, i, 1, 4, true);
    [Handles(Mnemonic.Pmovsxbq)] public static void Pmovsxbq(Processor p, in Instruction i) => Extend(p, i, 1, 8, true);
    [Handles(Mnemonic.Pmovsxwd)] public static void Pmovsxwd(Processor p, in Instruction i) => Extend(p, i, 2, 4, true);
    [Handles(Mnemonic.Pmovsxwq)] public static void Pmovsxwq(Processor p, in Instruction i) => Extend(p, i, 2, 8, true);
    [Handles(Mnemonic.Pmovsxdq)] public static void Pmovsxdq(Processor p, in Instruction i) => Extend(p, i, 4, 8, true);
    [Handles(Mnemonic.Pmovzxbw)] public static void Pmovzxbw(Processor p, in Instruction i) => Extend(p, i, 1, 2, false);
    [Handles(Mnemonic.Pmovzxbd)] public static void Pmovzxbd(Processor p, in Instruction i) => Extend(p, i, 1, 4, false);
    [Handles(Mnemonic.Pmovzxbq)] public static void Pmovzxbq(Processor p, in Instruction i) => Extend(p, i, 1, 8, false);
    [Handles(Mnemonic.Pmovzxwd)] public static void Pmovzxwd(Processor p, in Instruction i) => Extend(p, i, 2, 4, false);
    [Handles(Mnemonic.Pmovzxwq)] public static void Pmovzxwq(Processor p, in Instruction i) => Extend(p, i, 2, 8, false);
    [Handles(Mnemonic.Pmovzxdq)] public static void Pmovzxdq(Processor p, in Instruction i) => Extend(p, i, 4, 8, false);

    [Handles(Mnemonic.Ptest)]
    public static void Ptest(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        p.State.Rflags = (p.State.Rflags & ~Flags.Status) | Sse41Int.PtestFlags(SseOperands.Xmm(p, i, 0), b);
    }

    [Handles(Mnemonic.Mpsadbw)]
    public static void Mpsadbw(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = Sse41Int.Mpsadbw(d, b, i.Immediate8);
    }

    [Handles(Mnemonic.Phminposuw)]
    public static void Phminposuw(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = Sse41Int.Phminposuw(SseOperands.ReadAligned(p, i, 1));

    /// <summary>MOVNTDQA: an aligned load (the streaming hint has no meaning here).</summary>
    [Handles(Mnemonic.Movntdqa)]
    public static void Movntdqa(Processor p, in Instruction i) =>
        SseOperands.Xmm(p, i, 0) = p.Memory.Read128(SseOperands.AlignedAddress(p, i));

    /// <summary>PEXTRB/PEXTRD/PEXTRQ: an element to a general register (zero-extended) or to memory at its own width.</summary>
    [Handles(Mnemonic.Pextrb)] public static void Pextrb(Processor p, in Instruction i) => Extract(p, i, 1);
    [Handles(Mnemonic.Pextrd)] public static void Pextrd(Processor p, in Instruction i) => Extract(p, i, 4);
    [Handles(Mnemonic.Pextrq)] public static void Pextrq(Processor p, in Instruction i) => Extract(p, i, 8);
    [Handles(Mnemonic.Extractps)] public static void Extractps(Processor p, in Instruction i) => Extract(p, i, 4);

    /// <summary>PINSRB/PINSRD/PINSRQ: the low bytes of a general register or an element-sized load replace one element.</summary>
    [Handles(Mnemonic.Pinsrb)] public static void Pinsrb(Processor p, in Instruction i) => Insert(p, i, 1);
    [Handles(Mnemonic.Pinsrd)] public static void Pinsrd(Processor p, in Instruction i) => Insert(p, i, 4);
    [Handles(Mnemonic.Pinsrq)] public static void Pinsrq(Processor p, in Instruction i) => Insert(p, i, 8);

    private static void Extract(Processor p, in Instruction i, int size)
    {
        var v = SseOperands.Xmm(p, i, 1);
        int lanes = 16 / size, k = i.Immediate8 & (lanes - 1);
        ulong e = size switch { 1 => v[k], 4 => v.AsUInt32()[k], _ => v.AsUInt64()[k] };
        if (i.Op0Kind == OpKind.Memory) p.Memory.Write(Operands.Address(p, i), size, e);
        else p.State.Gpr[Operands.Index(i.Op0Register)] = e;
    }

    private static void Insert(Processor p, in Instruction i, int size)
    {
        ulong e = i.Op1Kind == OpKind.Memory ? p.Memory.Read(Operands.Address(p, i), size) : Operands.GetReg(ref p.State, i.Op1Register);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        int k = i.Immediate8 & (16 / size - 1);
        d = size switch
        {
            1 => d.WithElement(k, (byte)e),
            4 => d.AsUInt32().WithElement(k, (uint)e).AsByte(),
            _ => d.AsUInt64().WithElement(k, e).AsByte(),
        };
    }

    // The memory form reads only the bytes it extends; the register form uses the low lanes.
    private static void Extend(Processor p, in Instruction i, int from, int to, bool signed)
    {
        Vector128<byte> a;
        if (i.Op1Kind == OpKind.Memory)
        {
            int n = from * 16 / to;
            a = Vector128.CreateScalar(p.Memory.Read(Operands.Address(p, i), n)).AsByte();
        }
        else a = SseOperands.Xmm(p, i, 1);
        SseOperands.Xmm(p, i, 0) = Sse41Int.Extend(a, from, to, signed);
    }
}
