using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>Data movement between XMM/MMX registers, general registers and memory: full, scalar,
/// half and masked moves, sign-mask extraction and the non-temporal stores (plain stores here).</summary>
public static class SseMove
{
    [Handles(Mnemonic.Movaps, Mnemonic.Movapd, Mnemonic.Movdqa, Mnemonic.Movntps, Mnemonic.Movntpd, Mnemonic.Movntdq)]
    public static void MoveAligned(Processor p, in Instruction i) =>
        SseOperands.WriteAligned(p, i, 0, SseOperands.ReadAligned(p, i, 1));

    [Handles(Mnemonic.Movups, Mnemonic.Movupd, Mnemonic.Movdqu)]
    public static void MoveUnaligned(Processor p, in Instruction i) =>
        Operands.WriteXmm(p, i, 0, Operands.ReadXmm(p, i, 1));

    [Handles(Mnemonic.Movss)]
    public static void Movss(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write32(Operands.Address(p, i), SseOperands.Xmm(p, i, 1).AsUInt32().ToScalar()); return; }
        ref var d = ref SseOperands.Xmm(p, i, 0);
        // A load zeroes the rest of the register; a register-to-register move merges.
        if (i.Op1Kind == OpKind.Memory) d = Vector128.CreateScalar(p.Memory.Read32(Operands.Address(p, i))).AsByte();
        else d = d.AsUInt32().WithElement(0, SseOperands.Xmm(p, i, 1).AsUInt32().ToScalar()).AsByte();
    }

    // Mnemonic.Movsd also names the string move, so the SSE2 forms are claimed by code.
    [HandlesCode(Code.Movsd_xmm_xmmm64, Code.Movsd_xmmm64_xmm)]
    public static void Movsd(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), SseOperands.Xmm(p, i, 1).AsUInt64().ToScalar()); return; }
        ref var d = ref SseOperands.Xmm(p, i, 0);
        if (i.Op1Kind == OpKind.Memory) d = Vector128.CreateScalar(p.Memory.Read64(Operands.Address(p, i))).AsByte();
        else d = d.AsUInt64().WithElement(0, SseOperands.Xmm(p, i, 1).AsUInt64().ToScalar()).AsByte();
    }

    [Handles(Mnemonic.Movlps, Mnemonic.Movlpd)]
    public static void MoveLow(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), SseOperands.Xmm(p, i, 1).AsUInt64()[0]); return; }
        ulong v = p.Memory.Read64(Operands.Address(p, i));
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, v).AsByte();
    }

    [Handles(Mnemonic.Movhps, Mnemonic.Movhpd)]
    public static void MoveHigh(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), SseOperands.Xmm(p, i, 1).AsUInt64()[1]); return; }
        ulong v = p.Memory.Read64(Operands.Address(p, i));
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(1, v).AsByte();
    }

    [Handles(Mnemonic.Movhlps)]
    public static void Movhlps(Processor p, in Instruction i)
    {
        ulong v = SseOperands.Xmm(p, i, 1).AsUInt64()[1];
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(0, v).AsByte();
    }

    [Handles(Mnemonic.Movlhps)]
    public static void Movlhps(Processor p, in Instruction i)
    {
        ulong v = SseOperands.Xmm(p, i, 1).AsUInt64()[0];
        ref var d = ref SseOperands.Xmm(p, i, 0);
        d = d.AsUInt64().WithElement(1, v).AsByte();
    }

    [Handles(Mnemonic.Movd)]
    public static void Movd(Processor p, in Instruction i)
    {
        var dst = i.Op0Kind == OpKind.Register ? i.Op0Register : Register.None;
        if (dst.IsXMM()) { SseOperands.Xmm(p, i, 0) = Vector128.CreateScalar((uint)Operands.Read(p, i, 1, 4)).AsByte(); return; }
        if (SseOperands.IsMmx(dst))
        {
            ulong v = Operands.Read(p, i, 1, 4);
            SseOperands.EnterMmx(ref p.State);
            SseOperands.WriteMm(ref p.State, dst, v);
            return;
        }
        var src = i.Op1Register;
        if (src.IsXMM()) { Operands.Write(p, i, 0, 4, SseOperands.Xmm(p, i, 1).AsUInt32().ToScalar()); return; }
        uint m = (uint)p.State.Fpr[src - Register.MM0].Mantissa;
        Operands.Write(p, i, 0, 4, m);
        SseOperands.EnterMmx(ref p.State);
    }

    [Handles(Mnemonic.Movq)]
    public static void Movq(Processor p, in Instruction i)
    {
        var dst = i.Op0Kind == OpKind.Register ? i.Op0Register : Register.None;
        var src = i.Op1Kind == OpKind.Register ? i.Op1Register : Register.None;
        ulong v;
        if (src.IsXMM()) v = SseOperands.Xmm(p, i, 1).AsUInt64().ToScalar();
        else if (SseOperands.IsMmx(src)) v = p.State.Fpr[src - Register.MM0].Mantissa;
        else v = Operands.Read(p, i, 1, 8);
        if (dst.IsXMM()) SseOperands.Xmm(p, i, 0) = Vector128.CreateScalar(v).AsByte();
        else if (SseOperands.IsMmx(dst)) SseOperands.WriteMm(ref p.State, dst, v);
        else Operands.Write(p, i, 0, 8, v);
        if (SseOperands.IsMmx(src) || SseOperands.IsMmx(dst)) SseOperands.EnterMmx(ref p.State);
    }

    [Handles(Mnemonic.Movq2dq)]
    public static void Movq2dq(Processor p, in Instruction i)
    {
        SseOperands.Xmm(p, i, 0) = Vector128.CreateScalar(p.State.Fpr[i.Op1Register - Register.MM0].Mantissa).AsByte();
        SseOperands.EnterMmx(ref p.State);
    }

    [Handles(Mnemonic.Movdq2q)]
    public static void Movdq2q(Processor p, in Instruction i)
    {
        SseOperands.EnterMmx(ref p.State);
        SseOperands.WriteMm(ref p.State, i.Op0Register, SseOperands.Xmm(p, i, 1).AsUInt64().ToScalar());
    }

    [Handles(Mnemonic.Movntq)]
    public static void Movntq(Processor p, in Instruction i)
    {
        p.Memory.Write64(Operands.Address(p, i), p.State.Fpr[i.Op1Register - Register.MM0].Mantissa);
        SseOperands.EnterMmx(ref p.State);
    }

    [Handles(Mnemonic.Movnti)]
    public static void Movnti(Processor p, in Instruction i)
    {
        int size = i.Op1Register.GetSize();
        Operands.Write(p, i, 0, size, Operands.GetReg(ref p.State, i.Op1Register));
    }

    [Handles(Mnemonic.Movmskps)]
    public static void Movmskps(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, SseOperands.Xmm(p, i, 1).AsSingle().ExtractMostSignificantBits());

    [Handles(Mnemonic.Movmskpd)]
    public static void Movmskpd(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, SseOperands.Xmm(p, i, 1).AsDouble().ExtractMostSignificantBits());

    [Handles(Mnemonic.Pmovmskb)]
    public static void Pmovmskb(Processor p, in Instruction i)
    {
        var src = i.Op1Register;
        if (SseOperands.IsMmx(src))
        {
            ulong v = p.State.Fpr[src - Register.MM0].Mantissa;
            Operands.SetReg(ref p.State, i.Op0Register, Vector128.CreateScalar(v).AsByte().ExtractMostSignificantBits() & 0xFF);
            SseOperands.EnterMmx(ref p.State);
            return;
        }
        Operands.SetReg(ref p.State, i.Op0Register, SseOperands.Xmm(p, i, 1).ExtractMostSignificantBits());
    }

    [Handles(Mnemonic.Maskmovdqu, Mnemonic.Maskmovq)]
    public static void Maskmov(Processor p, in Instruction i)
    {
        bool mmx = SseOperands.IsMmx(i.Op1Register);
        Vector128<byte> data, mask;
        if (mmx)
        {
            data = Vector128.CreateScalar(p.State.Fpr[i.Op1Register - Register.MM0].Mantissa).AsByte();
            mask = Vector128.CreateScalar(p.State.Fpr[i.Op2Register - Register.MM0].Mantissa).AsByte();
        }
        else
        {
            data = SseOperands.Xmm(p, i, 1);
            mask = SseOperands.Xmm(p, i, 2);
        }
        ulong a = p.State.Gpr[CpuState.Rdi];
        if (i.Op0Kind == OpKind.MemorySegEDI) a &= 0xFFFF_FFFF;
        var seg = i.MemorySegment;
        if (seg == Register.FS) a += p.State.FsBase;
        else if (seg == Register.GS) a += p.State.GsBase;
        int n = mmx ? 8 : 16;
        for (int k = 0; k < n; k++)
            if ((mask[k] & 0x80) != 0) p.Memory.Write8(a + (ulong)k, data[k]);
        if (mmx) SseOperands.EnterMmx(ref p.State);
    }
}
