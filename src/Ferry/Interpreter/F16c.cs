using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>F16C: VCVTPH2PS and VCVTPS2PH (imm8 bits 1:0 give the rounding unless bit 2 selects MXCSR.RC).</summary>
public static class F16c
{
    [Handles(Mnemonic.Vcvtph2ps)]
    public static void Vcvtph2ps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        Vector128<byte> src;
        if (i.Op1Kind == OpKind.Register) src = p.State.Xmm(VexOperands.Reg(i, 1));
        else
        {
            ulong a = Operands.Address(p, i);
            src = w ? p.Memory.Read128(a) : Vector128.CreateScalar(p.Memory.Read64(a)).AsByte();
        }
        var h = src.AsUInt16();
        uint mx = p.State.Mxcsr, f = 0;
        Span<uint> r = stackalloc uint[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.F16ToF32(h[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        VexOperands.WriteDest(p, i, Vector256.Create((ReadOnlySpan<uint>)r).AsByte(), w);
    }

    [Handles(Mnemonic.Vcvtps2ph)]
    public static void Vcvtps2ph(Processor p, in Instruction i)
    {
        bool w = i.Op1Register.IsYMM();
        var a = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1)).AsUInt32();
        int imm = i.Immediate8;
        uint mx = p.State.Mxcsr;
        if ((imm & 4) == 0) mx = (mx & ~MxcsrBits.RcMask) | ((uint)(imm & 3) << MxcsrBits.RcShift);
        uint f = 0;
        Span<ushort> r = stackalloc ushort[8];
        for (int k = 0; k < (w ? 8 : 4); k++) r[k] = SseFloat.F32ToF16(a[k], mx, ref f);
        SseOperands.Commit(ref p.State, f);
        var v = Vector128.Create((ReadOnlySpan<ushort>)r).AsByte();
        if (i.Op0Kind == OpKind.Memory)
        {
            ulong addr = Operands.Address(p, i);
            if (w) p.Memory.Write128(addr, v); else p.Memory.Write64(addr, v.AsUInt64()[0]);
        }
        else VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), v);
    }
}
