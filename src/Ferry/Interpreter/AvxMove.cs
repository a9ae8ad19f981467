using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;

namespace Ferry.Interpreter;

/// <summary>VEX data movement: full-width and scalar moves, half moves, duplicates, element
/// insert/extract, sign masks, VPTEST/VTESTPS/PD, VZEROUPPER/VZEROALL.</summary>
public static class AvxMove
{
    [Handles(Mnemonic.Vmovups, Mnemonic.Vmovupd, Mnemonic.Vmovdqu, Mnemonic.Vlddqu)]
    public static void MoveUnaligned(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        if (i.Op0Kind == OpKind.Memory)
        {
            var v = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
            ulong a = Operands.Address(p, i);
            if (w) p.Memory.Write256(a, v); else p.Memory.Write128(a, v.GetLower());
            return;
        }
        VexOperands.WriteDest(p, i, VexOperands.Read(p, i, 1, w), w);
    }

    /// <summary>The aligned moves and non-temporal stores/loads: #GP unless the operand is aligned to its size.</summary>
    [Handles(Mnemonic.Vmovaps, Mnemonic.Vmovapd, Mnemonic.Vmovdqa, Mnemonic.Vmovntps, Mnemonic.Vmovntpd, Mnemonic.Vmovntdq, Mnemonic.Vmovntdqa)]
    public static void MoveAligned(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        int size = w ? 32 : 16;
        if (i.Op0Kind == OpKind.Memory)
        {
            var v = VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 1));
            ulong a = VexOperands.AlignedAddress(p, i, size);
            if (w) p.Memory.Write256(a, v); else p.Memory.Write128(a, v.GetLower());
            return;
        }
        Vector256<byte> src;
        if (i.Op1Kind == OpKind.Register) src = VexOperands.Read(p, i, 1, w);
        else
        {
            ulong a = VexOperands.AlignedAddress(p, i, size);
            src = w ? p.Memory.Read256(a) : Vector256.Create(p.Memory.Read128(a), Vector128<byte>.Zero);
        }
        VexOperands.WriteDest(p, i, src, w);
    }

    [Handles(Mnemonic.Vmovss)]
    public static void Vmovss(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write32(Operands.Address(p, i), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().ToScalar()); return; }
        if (i.Op1Kind == OpKind.Memory)
        {
            VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.CreateScalar(p.Memory.Read32(Operands.Address(p, i))).AsByte());
            return;
        }
        var merged = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().WithElement(0, p.State.Xmm(VexOperands.Reg(i, 2)).AsUInt32().ToScalar());
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), merged.AsByte());
    }

    [Handles(Mnemonic.Vmovsd)]
    public static void Vmovsd(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().ToScalar()); return; }
        if (i.Op1Kind == OpKind.Memory)
        {
            VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.CreateScalar(p.Memory.Read64(Operands.Address(p, i))).AsByte());
            return;
        }
        var merged = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().WithElement(0, p.State.Xmm(VexOperands.Reg(i, 2)).AsUInt64().ToScalar());
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), merged.AsByte());
    }

    [Handles(Mnemonic.Vmovd)]
    public static void Vmovd(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Register && i.Op0Register.IsXMM())
            VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.CreateScalar((uint)Operands.Read(p, i, 1, 4)).AsByte());
        else Operands.Write(p, i, 0, 4, p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().ToScalar());
    }

    [Handles(Mnemonic.Vmovq)]
    public static void Vmovq(Processor p, in Instruction i)
    {
        ulong v = i.Op1Kind == OpKind.Register && i.Op1Register.IsXMM()
            ? p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().ToScalar()
            : Operands.Read(p, i, 1, 8);
        if (i.Op0Kind == OpKind.Register && i.Op0Register.IsXMM()) VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.CreateScalar(v).AsByte());
        else Operands.Write(p, i, 0, 8, v);
    }

    [Handles(Mnemonic.Vmovlps, Mnemonic.Vmovlpd)]
    public static void MoveLow(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64()[0]); return; }
        ulong v = p.Memory.Read64(Operands.Address(p, i));
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().WithElement(0, v).AsByte());
    }

    [Handles(Mnemonic.Vmovhps, Mnemonic.Vmovhpd)]
    public static void MoveHigh(Processor p, in Instruction i)
    {
        if (i.Op0Kind == OpKind.Memory) { p.Memory.Write64(Operands.Address(p, i), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64()[1]); return; }
        ulong v = p.Memory.Read64(Operands.Address(p, i));
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().WithElement(1, v).AsByte());
    }

    [Handles(Mnemonic.Vmovhlps)]
    public static void Vmovhlps(Processor p, in Instruction i)
    {
        var a = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64(); var b = p.State.Xmm(VexOperands.Reg(i, 2)).AsUInt64();
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create(b[1], a[1]).AsByte());
    }

    [Handles(Mnemonic.Vmovlhps)]
    public static void Vmovlhps(Processor p, in Instruction i)
    {
        var a = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64(); var b = p.State.Xmm(VexOperands.Reg(i, 2)).AsUInt64();
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create(a[0], b[0]).AsByte());
    }

    [Handles(Mnemonic.Vmovddup)]
    public static void Vmovddup(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        if (!w)
        {
            ulong v = i.Op1Kind == OpKind.Register ? p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64()[0] : p.Memory.Read64(Operands.Address(p, i));
            VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), Vector128.Create(v, v).AsByte());
            return;
        }
        var s = VexOperands.Read(p, i, 1, true).AsUInt64();
        VexOperands.WriteDest(p, i, Vector256.Create(s[0], s[0], s[2], s[2]).AsByte(), true);
    }

    [Handles(Mnemonic.Vmovshdup)]
    public static void Vmovshdup(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var s = VexOperands.Read(p, i, 1, w).AsUInt32();
        VexOperands.WriteDest(p, i, Vector256.Create(s[1], s[1], s[3], s[3], s[5], s[5], s[7], s[7]).AsByte(), w);
    }

    [Handles(Mnemonic.Vmovsldup)]
    public static void Vmovsldup(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var s = VexOperands.Read(p, i, 1, w).AsUInt32();
        VexOperands.WriteDest(p, i, Vector256.Create(s[0], s[0], s[2], s[2], s[4], s[4], s[6], s[6]).AsByte(), w);
    }

    [Handles(Mnemonic.Vmovmskps)]
    public static void Vmovmskps(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, VexOperands.Read(p, i, 1, VexOperands.Wide(i) || i.Op1Register.IsYMM()).AsSingle().ExtractMostSignificantBits() & (i.Op1Register.IsYMM() ? 0xFFu : 0xFu));

    [Handles(Mnemonic.Vmovmskpd)]
    public static void Vmovmskpd(Processor p, in Instruction i) =>
        Operands.SetReg(ref p.State, i.Op0Register, VexOperands.Read(p, i, 1, i.Op1Register.IsYMM()).AsDouble().ExtractMostSignificantBits() & (i.Op1Register.IsYMM() ? 0xFu : 0x3u));

    [Handles(Mnemonic.Vpmovmskb)]
    public static void Vpmovmskb(Processor p, in Instruction i)
    {
        bool w = i.Op1Register.IsYMM();
        uint m = VexOperands.Read(p, i, 1, w).ExtractMostSignificantBits();
        Operands.SetReg(ref p.State, i.Op0Register, w ? m : m & 0xFFFF);
    }

    /// <summary>VMASKMOVDQU: byte stores under a mask to [RDI] (VEX.128 only).</summary>
    [Handles(Mnemonic.Vmaskmovdqu)]
    public static void Vmaskmovdqu(Processor p, in Instruction i)
    {
        var data = p.State.Xmm(VexOperands.Reg(i, 1));
        var mask = p.State.Xmm(VexOperands.Reg(i, 2));
        ulong a = p.State.Gpr[CpuState.Rdi];
        if (i.Op0Kind == OpKind.MemorySegEDI) a &= 0xFFFF_FFFF;
        var seg = i.MemorySegment;
        if (seg == Register.FS) a += p.State.FsBase;
        else if (seg == Register.GS) a += p.State.GsBase;
        for (int k = 0; k < 16; k++)
            if ((mask[k] & 0x80) != 0) p.Memory.Write8(a + (ulong)k, data[k]);
    }

    /// <summary>VPTEST: ZF when src1 AND src2 is zero, CF when src2 AND NOT src1 is zero; AF, OF, PF, SF cleared.</summary>
    [Handles(Mnemonic.Vptest)]
    public static void Vptest(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = VexOperands.Read(p, i, 0, w); var b = VexOperands.Read(p, i, 1, w);
        SetTestFlags(ref p.State, (a & b) == Vector256<byte>.Zero, Vector256.AndNot(b, a) == Vector256<byte>.Zero);
    }

    [Handles(Mnemonic.Vtestps)]
    public static void Vtestps(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = VexOperands.Read(p, i, 0, w).AsUInt32(); var b = VexOperands.Read(p, i, 1, w).AsUInt32();
        var sign = Vector256.Create(0x8000_0000u);
        SetTestFlags(ref p.State, (a & b & sign) == Vector256<uint>.Zero, (Vector256.AndNot(b, a) & sign) == Vector256<uint>.Zero);
    }

    [Handles(Mnemonic.Vtestpd)]
    public static void Vtestpd(Processor p, in Instruction i)
    {
        bool w = VexOperands.Wide(i);
        var a = VexOperands.Read(p, i, 0, w).AsUInt64(); var b = VexOperands.Read(p, i, 1, w).AsUInt64();
        var sign = Vector256.Create(0x8000_0000_0000_0000UL);
        SetTestFlags(ref p.State, (a & b & sign) == Vector256<ulong>.Zero, (Vector256.AndNot(b, a) & sign) == Vector256<ulong>.Zero);
    }

    private static void SetTestFlags(ref CpuState s, bool zf, bool cf) =>
        s.Rflags = (s.Rflags & ~Flags.Status) | (zf ? Flags.ZF : 0) | (cf ? Flags.CF : 0);

    [Handles(Mnemonic.Vzeroupper)]
    public static void Vzeroupper(Processor p, in Instruction i)
    {
        for (int n = 0; n < 16; n++) p.State.YmmHigh(n) = Vector128<byte>.Zero;
    }

    [Handles(Mnemonic.Vzeroall)]
    public static void Vzeroall(Processor p, in Instruction i)
    {
        for (int n = 0; n < 16; n++) VexOperands.Ymm(ref p.State, n) = Vector256<byte>.Zero;
    }

    // ---- element extract and insert ----

    [Handles(Mnemonic.Vpextrb)]
    public static void Vpextrb(Processor p, in Instruction i) => Operands.Write(p, i, 0, i.Op0Kind == OpKind.Memory ? 1 : 4, p.State.Xmm(VexOperands.Reg(i, 1))[i.Immediate8 & 15]);

    [Handles(Mnemonic.Vpextrw)]
    public static void Vpextrw(Processor p, in Instruction i) => Operands.Write(p, i, 0, i.Op0Kind == OpKind.Memory ? 2 : 4, p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt16()[i.Immediate8 & 7]);

    [Handles(Mnemonic.Vpextrd)]
    public static void Vpextrd(Processor p, in Instruction i) => Operands.Write(p, i, 0, 4, p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32()[i.Immediate8 & 3]);

    [Handles(Mnemonic.Vpextrq)]
    public static void Vpextrq(Processor p, in Instruction i) => Operands.Write(p, i, 0, 8, p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64()[i.Immediate8 & 1]);

    [Handles(Mnemonic.Vextractps)]
    public static void Vextractps(Processor p, in Instruction i) => Operands.Write(p, i, 0, 4, p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32()[i.Immediate8 & 3]);

    [Handles(Mnemonic.Vpinsrb)]
    public static void Vpinsrb(Processor p, in Instruction i) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).WithElement(i.Immediate8 & 15, (byte)Operands.Read(p, i, 2, 1)));

    [Handles(Mnemonic.Vpinsrw)]
    public static void Vpinsrw(Processor p, in Instruction i) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt16().WithElement(i.Immediate8 & 7, (ushort)Operands.Read(p, i, 2, 2)).AsByte());

    [Handles(Mnemonic.Vpinsrd)]
    public static void Vpinsrd(Processor p, in Instruction i) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().WithElement(i.Immediate8 & 3, (uint)Operands.Read(p, i, 2, 4)).AsByte());

    [Handles(Mnemonic.Vpinsrq)]
    public static void Vpinsrq(Processor p, in Instruction i) =>
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt64().WithElement(i.Immediate8 & 1, Operands.Read(p, i, 2, 8)).AsByte());

    /// <summary>VINSERTPS: imm[7:6] picks the source dword (register form), imm[5:4] the destination slot, imm[3:0] zeroes.</summary>
    [Handles(Mnemonic.Vinsertps)]
    public static void Vinsertps(Processor p, in Instruction i)
    {
        int imm = i.Immediate8;
        uint v = i.Op2Kind == OpKind.Register ? p.State.Xmm(VexOperands.Reg(i, 2)).AsUInt32()[(imm >> 6) & 3] : p.Memory.Read32(Operands.Address(p, i));
        var r = p.State.Xmm(VexOperands.Reg(i, 1)).AsUInt32().WithElement((imm >> 4) & 3, v);
        for (int k = 0; k < 4; k++) if ((imm >> k & 1) != 0) r = r.WithElement(k, 0u);
        VexOperands.Write128(ref p.State, VexOperands.Reg(i, 0), r.AsByte());
    }

    // ---- PMOVSX / PMOVZX: the source is the low 16/8/4/2 bytes (half, quarter, eighth of the result) ----

    [Handles(Mnemonic.Vpmovsxbw)] public static void Vpmovsxbw(Processor p, in Instruction i) => Extend(p, i, 1, 2, true);
    [Handles(Mnemonic.Vpmovsxbd)] public static void Vpmovsxbd(Processor p, in Instruction i) => Extend(p, i, 1, 4, true);
    [Handles(Mnemonic.Vpmovsxbq)] public static void Vpmovsxbq(Processor p, in Instruction i) => Extend(p, i, 1, 8, true);
    [Handles(Mnemonic.Vpmovsxwd)] public static void Vpmovsxwd(Processor p, in Instruction i) => Extend(p, i, 2, 4, true);
    [Handles(Mnemonic.Vpmovsxwq)] public static void Vpmovsxwq(Processor p, in Instruction i) => Extend(p, i, 2, 8, true);
    [Handles(Mnemonic.Vpmovsxdq)] public static void Vpmovsxdq(Processor p, in Instruction i) => Extend(p, i, 4, 8, true);
    [Handles(Mnemonic.Vpmovzxbw)] public static void Vpmovzxbw(Processor p, in Instruction i) => Extend(p, i, 1, 2, false);
    [Handles(Mnemonic.Vpmovzxbd)] public static void Vpmovzxbd(Processor p, in Instruction i) => Extend(p, i, 1, 4, false);
    [Handles(Mnemonic.Vpmovzxbq)] public static void Vpmovzxbq(Processor p, in Instruction i) => Extend(p, i, 1, 8, false);
    [Handles(Mnemonic.Vpmovzxwd)] public static void Vpmovzxwd(Processor p, in Instruction i) => Extend(p, i, 2, 4, false);
    [Handles(Mnemonic.Vpmovzxwq)] public static void Vpmovzxwq(Processor p, in Instruction i) => Extend(p, i, 2, 8, false);
    [Handles(Mnemonic.Vpmovzxdq)] public static void Vpmovzxdq(Processor p, in Instruction i) => Extend(p, i, 4, 8, false);

    private static void Extend(Processor p, in Instruction i, int from, int to, bool signed)
    {
        bool w = VexOperands.Wide(i);
        int srcBytes = (w ? 32 : 16) * from / to;
        Vector128<byte> src;
        if (i.Op1Kind == OpKind.Register) src = p.State.Xmm(VexOperands.Reg(i, 1));
        else
        {
            Span<byte> b = stackalloc byte[16];
            p.Memory.ReadBytes(Operands.Address(p, i), b[..srcBytes]);
            src = Vector128.Create((ReadOnlySpan<byte>)b);
        }
        var lo = Sse41Int.Extend(src, from, to, signed);
        var hi = w ? Sse41Int.Extend(SseInt.ByteShiftRight(src, srcBytes / 2), from, to, signed) : Vector128<byte>.Zero;
        VexOperands.Ymm(ref p.State, VexOperands.Reg(i, 0)) = Vector256.Create(lo, hi);
    }
}
