using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>SSE4.1 blends (immediate and XMM0-controlled, float and integer), dot products, rounding
/// to integral values and INSERTPS.</summary>
public static unsafe class Sse41Float
{
    [Handles(Mnemonic.Blendps)] public static void Blendps(Processor p, in Instruction i) => BlendImm(p, i, &SimdLanes.BlendD);
    [Handles(Mnemonic.Blendpd)] public static void Blendpd(Processor p, in Instruction i) => BlendImm(p, i, &SimdLanes.BlendQ);
    [Handles(Mnemonic.Pblendw)] public static void Pblendw(Processor p, in Instruction i) => BlendImm(p, i, &SimdLanes.BlendW);
    [Handles(Mnemonic.Blendvps)] public static void Blendvps(Processor p, in Instruction i) => BlendVar(p, i, &SimdLanes.BlendVD);
    [Handles(Mnemonic.Blendvpd)] public static void Blendvpd(Processor p, in Instruction i) => BlendVar(p, i, &SimdLanes.BlendVQ);
    [Handles(Mnemonic.Pblendvb)] public static void Pblendvb(Processor p, in Instruction i) => BlendVar(p, i, &SimdLanes.BlendVB);

    [Handles(Mnemonic.Dpps)]
    public static void Dpps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        uint f = 0;
        var r = SseFloatLanes.DpPs(d, b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = r;
    }

    [Handles(Mnemonic.Dppd)]
    public static void Dppd(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        uint f = 0;
        var r = SseFloatLanes.DpPd(d, b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        d = r;
    }

    [Handles(Mnemonic.Roundps)]
    public static void Roundps(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        uint f = 0;
        var r = SseFloatLanes.RoundPs(b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r;
    }

    [Handles(Mnemonic.Roundpd)]
    public static void Roundpd(Processor p, in Instruction i)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        uint f = 0;
        var r = SseFloatLanes.RoundPd(b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        SseOperands.Xmm(p, i, 0) = r;
    }

    [Handles(Mnemonic.Roundss)]
    public static void Roundss(Processor p, in Instruction i)
    {
        uint b = SseOperands.Read32(p, i, 1), f = 0;
        uint r = SseRound.RoundF32(b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt32().WithElement(0, r).AsByte();
    }

    [Handles(Mnemonic.Roundsd)]
    public static void Roundsd(Processor p, in Instruction i)
    {
        ulong b = SseOperands.Read64(p, i, 1);
        uint f = 0;
        ulong r = SseRound.RoundF64(b, i.Immediate8, p.State.Mxcsr, ref f);
        SseOperands.Commit(ref p.State, f);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, r).AsByte();
    }

    /// <summary>INSERTPS: a register source gives lane imm8[7:6]; a memory source is an m32.</summary>
    [Handles(Mnemonic.Insertps)]
    public static void Insertps(Processor p, in Instruction i)
    {
        int imm = i.Immediate8;
        uint v = i.Op1Kind == OpKind.Memory ? p.Memory.Read32(Operands.Address(p, i)) : SseOperands.Xmm(p, i, 1).AsUInt32()[(imm >> 6) & 3];
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = SseFloatLanes.InsertPs(d, v, imm);
    }

    // The lane semantics are SimdLanes', which the VEX forms apply to each 128-bit lane.
    private static void BlendImm(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, int, Vector128<byte>> blend)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = blend(d, b, i.Immediate8);
    }

    // The mask is XMM0 (implicit in the legacy encoding).
    private static void BlendVar(Processor p, in Instruction i, delegate*<Vector128<byte>, Vector128<byte>, Vector128<byte>, Vector128<byte>> blend)
    {
        var b = SseOperands.ReadAligned(p, i, 1);
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = blend(d, b, p.State.Xmm(0));
    }
}
