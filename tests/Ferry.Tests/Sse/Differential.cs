using System.Runtime.Intrinsics;
using System.Text;
using Ferry.Cpu;
using Ferry.Tests.Oracle;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>How to exercise one instruction form (an Iced <see cref="Code"/>) against the host CPU.</summary>
public sealed record FormSpec(Code Code)
{
    /// <summary>Lanes of every XMM register.</summary>
    public Lane Xmm { get; init; } = Lane.Bytes;
    /// <summary>Lanes of the source operand (operand 1, register or memory) when it differs from <see cref="Xmm"/>.</summary>
    public Lane? Src { get; init; }
    /// <summary>Values of the general registers.</summary>
    public Lane Gpr { get; init; } = Lane.I64;
    /// <summary>Values of the MMX registers.</summary>
    public Lane Mm { get; init; } = Lane.Bytes;
    public int Iterations { get; init; } = 120;
    /// <summary>Relate source lanes to destination lanes (for arithmetic and compares).</summary>
    public bool Correlate { get; init; }
    /// <summary>Immediates to choose from; null means any byte.</summary>
    public int[]? Imm { get; init; }
    /// <summary>Randomize rounding control, DAZ, FTZ and the sticky flags.</summary>
    public bool FloatEnv { get; init; } = true;
    /// <summary>The form accepts a misaligned m128 (LDDQU, the SSE4.2 string compares): memory operands are placed anywhere.</summary>
    public bool Unaligned { get; init; }
    /// <summary>Relate each odd float lane to the even lane below it (for horizontal operations, which combine neighbours).</summary>
    public bool PairLanes { get; init; }
    /// <summary>Fill the upper halves of YMM0–15 with random values (default: for VEX forms, which must
    /// zero or compute them; legacy forms keep them).</summary>
    public bool? RandomUpper { get; init; }
    /// <summary>Memory operands must be aligned to their size (VMOVAPS, VMOVDQA …); null decides by mnemonic.</summary>
    public bool? AlignedMemory { get; init; }
    public override string ToString() => Code.ToString();
}

/// <summary>Runs an instruction natively and under the interpreter from the same random state and
/// compares the complete results: GPRs, arithmetic flags, XMM0–15, MXCSR, x87/MMX state and scratch memory.</summary>
public sealed class Differential
{
    private readonly NativeFixture _f;
    private readonly byte[] _snapshot = new byte[NativeCpu.ScratchSize];
    private readonly byte[] _nativeMem = new byte[NativeCpu.ScratchSize];
    private static readonly Register[] Bases = [Register.RSI, Register.RBX, Register.R13, Register.RBP, Register.R9, Register.RAX, Register.R12];
    private static readonly int[] Disps = [0, 0, 8, -16, 0x40, 0x123, -0x80];

    public Differential(NativeFixture f) => _f = f;

    /// <summary>FERRY_TEST_SCALE=n multiplies every iteration count (see <see cref="TestSeed"/>).</summary>
    private static int Scale => TestSeed.Scale;

    private unsafe Span<byte> Scratch => new((void*)_f.Native.Scratch, NativeCpu.ScratchSize);

    /// <summary>Runs all register and memory variants of <paramref name="spec"/>.</summary>
    public void Check(FormSpec spec, int seed = 0)
    {
        var r = new Random(TestSeed.For(unchecked((int)spec.Code * 7919 + seed * 131 + 0x55E)));
        r.NextBytes(Scratch);
        var op = spec.Code.ToOpCode();
        bool hasMem = false, hasReg = true;
        for (int k = 0; k < op.OpCount; k++)
        {
            var kind = op.GetOpKind(k);
            if (kind is OpCodeOperandKind.xmm_or_mem or OpCodeOperandKind.ymm_or_mem or OpCodeOperandKind.mm_or_mem or OpCodeOperandKind.r32_or_mem
                or OpCodeOperandKind.r64_or_mem or OpCodeOperandKind.r8_or_mem or OpCodeOperandKind.r16_or_mem) hasMem = true;
            if (kind == OpCodeOperandKind.mem) { hasMem = true; hasReg = false; }
        }
        for (int n = 0; n < spec.Iterations * Scale; n++)
        {
            bool mem = hasMem && (!hasReg || (n & 1) == 1);
            RunOne(spec, r, mem);
        }
    }

    private void RunOne(FormSpec spec, Random r, bool memForm)
    {
        var s = new CpuState();
        s.Reset();
        for (int g = 0; g < 16; g++) s.Gpr[g] = SseValues.Element(r, spec.Gpr, 8);
        s.Gpr[CpuState.Rsp] = _f.StackTop;
        s.Rflags = Flags.Reserved1 | Flags.IF | ((ulong)r.Next(0x1000) & Flags.Status);
        if (spec.FloatEnv)
        {
            s.Mxcsr = MxcsrBits.Masks | ((uint)r.Next(4) << MxcsrBits.RcShift);
            if (r.Next(3) == 0) s.Mxcsr |= MxcsrBits.DAZ;
            if (r.Next(3) == 0) s.Mxcsr |= MxcsrBits.FTZ;
            if (r.Next(4) == 0) s.Mxcsr |= (uint)r.Next(64);
        }
        for (int x = 0; x < 16; x++) s.Xmm(x) = SseValues.Vec(r, spec.Xmm);
        if (spec.PairLanes) for (int x = 0; x < 16; x++) s.Xmm(x) = SseValues.PairUp(r, spec.Xmm, s.Xmm(x));
        if ((spec.RandomUpper ?? IsVex(spec.Code)) && NativeCpu.HasAvx)
            for (int x = 0; x < 16; x++) s.YmmHigh(x) = SseValues.Vec(r, spec.Xmm);
        for (int m = 0; m < 8; m++)
            s.Fpr[m] = new Float80(SseValues.Vec(r, spec.Mm).AsUInt64()[0], (ushort)r.Next(0x10000));
        s.FpTop = (byte)r.Next(8);
        s.FpEmpty = (byte)r.Next(256);

        var ins = Build(spec, r, memForm, ref s, out ulong memAddr, out int memSize);
        if (memSize > 0)
        {
            var lane = spec.Src ?? MemLane(spec);
            Span<byte> bytes = stackalloc byte[32];
            for (int h = 0; h < 2; h++)
            {
                var v = SseValues.Vec(r, lane);
                if (spec.PairLanes) v = SseValues.PairUp(r, lane, v);
                var kind0 = spec.Code.ToOpCode().GetOpKind(0);
                // VEX arithmetic relates its memory operand to the first source (VEX.vvvv), legacy to the destination.
                int rel = IsVex(spec.Code) && ins.OpCount > 2 && ins.Op1Kind == OpKind.Register && IsVector(ins.Op1Register) ? 1 : 0;
                if (spec.Correlate && (kind0 is OpCodeOperandKind.xmm_reg or OpCodeOperandKind.ymm_reg) && IsVector(ins.GetOpRegister(rel)))
                    v = SseValues.Correlate(r, lane, v, h == 0 ? s.Xmm(Operands(ins, rel)) : s.YmmHigh(Operands(ins, rel)));
                v.CopyTo(bytes[(16 * h)..]);
            }
            int off = (int)(memAddr - _f.Native.Scratch);
            bytes[..Math.Min(memSize, NativeCpu.ScratchSize - off)].CopyTo(Scratch[off..]);
        }
        else if (spec.Src is { } vsrc && IsVex(spec.Code) && RmOperand(spec.Code) is var rm && rm >= 0 && IsVector(ins.GetOpRegister(rm)))
        {
            s.Xmm(Operands(ins, rm)) = SseValues.Vec(r, vsrc);
            s.YmmHigh(Operands(ins, rm)) = SseValues.Vec(r, vsrc);
        }
        else if (spec.Src is { } src && ins.OpCount > 1 && ins.Op1Kind == OpKind.Register && ins.Op1Register.IsXMM())
            s.Xmm(Operands(ins, 1)) = SseValues.Vec(r, src);
        if (spec.Correlate && !memForm && ins.OpCount > 1 && ins.Op0Register.IsXMM() && ins.Op1Kind == OpKind.Register && ins.Op1Register.IsXMM() && !IsVex(spec.Code))
        {
            int a = Operands(ins, 0), b = Operands(ins, 1);
            if (a != b) s.Xmm(b) = SseValues.Correlate(r, spec.Src ?? spec.Xmm, s.Xmm(b), s.Xmm(a));
        }
        if (spec.Correlate && !memForm && IsVex(spec.Code) && ins.OpCount > 2 && ins.Op1Kind == OpKind.Register && ins.Op2Kind == OpKind.Register
            && IsVector(ins.Op1Register) && IsVector(ins.Op2Register))
        {
            int a = Operands(ins, 1), b = Operands(ins, 2);
            if (a != b)
            {
                s.Xmm(b) = SseValues.Correlate(r, spec.Src ?? spec.Xmm, s.Xmm(b), s.Xmm(a));
                s.YmmHigh(b) = SseValues.Correlate(r, spec.Src ?? spec.Xmm, s.YmmHigh(b), s.YmmHigh(a));
            }
        }

        var code = Encode(ins);
        string memIn = memSize > 0 ? Convert.ToHexString(Scratch.Slice((int)(memAddr - _f.Native.Scratch), memSize)) : "";
        var diff = RunBoth(code, s);
        var mem = Scratch;
        if (!mem.SequenceEqual(_nativeMem))
        {
            for (int k = 0; k < mem.Length; k++)
                if (mem[k] != _nativeMem[k]) { diff.AppendLine($"  memory +0x{k:x}: native {_nativeMem[k]:x2} emu {mem[k]:x2}"); if (diff.Length > 2000) break; }
            _nativeMem.CopyTo(mem);
        }
        if (diff.Length == 0) CoverageLog.Passed(code);
        if (diff.Length > 0)
            Assert.Fail($"{ins} ({spec.Code}) mismatch {TestSeed.Replay}\n  input MXCSR {s.Mxcsr:x8} RFLAGS {s.Rflags:x}\n{Inputs(ins, s)}{(memSize > 0 ? $"  memory in (bytes, little-endian): {memIn}\n" : "")}{diff}");
    }

    // Runs the code natively and under the interpreter from the same state and scratch memory; returns the
    // register differences, with the native run's memory in _nativeMem and the interpreter's in Scratch.
    private StringBuilder RunBoth(byte[] code, CpuState s)
    {
        Scratch.CopyTo(_snapshot);
        var native = s;
        _f.Native.Run(ref native, code);
        ResetHost();
        Scratch.CopyTo(_nativeMem);
        _snapshot.CopyTo(Scratch);
        var emu = s;
        var e = _f.Runner.Run(ref emu, code);
        var diff = new StringBuilder();
        if (e != null) diff.AppendLine($"  interpreter raised {e.Kind} (code {e.Code})");
        Compare(native, emu, diff);
        return diff;
    }

    /// <summary>Runs one given instruction from a given state natively and under the interpreter and
    /// asserts that registers, flags, MXCSR and scratch memory agree (except the scratch byte ranges in
    /// <paramref name="ignore"/>). The caller prepares the scratch memory.</summary>
    public void CheckFixed(in Instruction ins, CpuState s, params (int Offset, int Length)[] ignore)
    {
        var code = Encode(ins);
        var diff = RunBoth(code, s);
        var mem = Scratch;
        foreach (var (o, l) in ignore) _nativeMem.AsSpan(o, l).CopyTo(mem[o..]);
        for (int k = 0; k < mem.Length && diff.Length < 2000; k++)
            if (mem[k] != _nativeMem[k]) diff.AppendLine($"  memory +0x{k:x}: native {_nativeMem[k]:x2} emu {mem[k]:x2}");
        _nativeMem.CopyTo(mem);
        if (diff.Length > 0)
            Assert.Fail($"{ins} mismatch {TestSeed.Replay}\n  input MXCSR {s.Mxcsr:x8} RFLAGS {s.Rflags:x}\n{Inputs(ins, s)}{diff}");
        CoverageLog.Passed(code);
    }

    /// <summary>The native scratch memory that memory operands of <see cref="CheckFixed"/> may point into.</summary>
    public Span<byte> ScratchMemory => Scratch;

    /// <summary>The address of <see cref="ScratchMemory"/>.</summary>
    public ulong ScratchAddress => _f.Native.Scratch;

    /// <summary>The top of the stack native snippets run on.</summary>
    public ulong StackTop => _f.StackTop;

    private static Lane MemLane(FormSpec spec)
    {
        var op = spec.Code.ToOpCode();
        for (int k = 0; k < op.OpCount; k++)
        {
            switch (op.GetOpKind(k))
            {
                case OpCodeOperandKind.mm_or_mem: return spec.Mm;
                case OpCodeOperandKind.r32_or_mem: case OpCodeOperandKind.r64_or_mem: return spec.Gpr;
                case OpCodeOperandKind.r8_or_mem: case OpCodeOperandKind.r16_or_mem: return spec.Gpr;
                case OpCodeOperandKind.xmm_or_mem: case OpCodeOperandKind.ymm_or_mem: return spec.Xmm;
            }
        }
        return spec.Xmm;
    }

    private static int Operands(in Instruction ins, int k) => Ferry.Interpreter.Operands.VecIndex(ins.GetOpRegister(k));

    /// <summary>True for VEX-encoded forms.</summary>
    public static bool IsVex(Code c) => c.Encoding() == EncodingKind.VEX;

    /// <summary>The operand encoded in ModRM.rm (register or memory), or -1.</summary>
    public static int RmOperand(Code c)
    {
        var op = c.ToOpCode();
        for (int k = 0; k < op.OpCount; k++)
            if (op.GetOpKind(k) is OpCodeOperandKind.xmm_or_mem or OpCodeOperandKind.ymm_or_mem or OpCodeOperandKind.xmm_rm or OpCodeOperandKind.ymm_rm)
                return k;
        return -1;
    }

    private static bool IsVector(Register r) => r.IsXMM() || r.IsYMM();

    // VEX forms that keep the legacy alignment rule (#GP unless aligned to the operand size).
    private static bool VexNeedsAlignment(Code c) => c.Mnemonic() is Mnemonic.Vmovaps or Mnemonic.Vmovapd or Mnemonic.Vmovdqa
        or Mnemonic.Vmovntps or Mnemonic.Vmovntpd or Mnemonic.Vmovntdq or Mnemonic.Vmovntdqa;

    private Instruction Build(FormSpec spec, Random r, bool memForm, ref CpuState s, out ulong memAddr, out int memSize)
    {
        var op = spec.Code.ToOpCode();
        var args = new object[op.OpCount];
        var baseReg = Bases[r.Next(Bases.Length)];
        int disp = Disps[r.Next(Disps.Length)];
        bool maskmov = false;
        for (int k = 0; k < op.OpCount; k++)
        {
            args[k] = op.GetOpKind(k) switch
            {
                OpCodeOperandKind.xmm_reg or OpCodeOperandKind.xmm_rm => Register.XMM0 + r.Next(16),
                OpCodeOperandKind.xmm_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.XMM0 + r.Next(16),
                OpCodeOperandKind.ymm_reg or OpCodeOperandKind.ymm_rm or OpCodeOperandKind.ymm_vvvv or OpCodeOperandKind.ymm_is4 => Register.YMM0 + r.Next(16),
                OpCodeOperandKind.xmm_vvvv or OpCodeOperandKind.xmm_is4 => Register.XMM0 + r.Next(16),
                OpCodeOperandKind.ymm_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.YMM0 + r.Next(16),
                OpCodeOperandKind.r32_vvvv => Register.EAX + Gpr(r),
                OpCodeOperandKind.r64_vvvv => Register.RAX + Gpr(r),
                OpCodeOperandKind.mm_reg or OpCodeOperandKind.mm_rm => Register.MM0 + r.Next(8),
                OpCodeOperandKind.mm_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.MM0 + r.Next(8),
                OpCodeOperandKind.r32_reg => Register.EAX + Gpr(r),
                OpCodeOperandKind.r64_reg => Register.RAX + Gpr(r),
                OpCodeOperandKind.r16_reg => Register.AX + Gpr(r),
                OpCodeOperandKind.r32_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.EAX + Gpr(r),
                OpCodeOperandKind.r64_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.RAX + Gpr(r),
                OpCodeOperandKind.r16_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Register.AX + Gpr(r),
                OpCodeOperandKind.r8_or_mem => memForm ? new MemoryOperand(baseReg, disp) : Gpr8(r),
                OpCodeOperandKind.mem => new MemoryOperand(baseReg, disp),
                OpCodeOperandKind.imm8 => spec.Imm is { } imms ? imms[r.Next(imms.Length)] : r.Next(256),
                OpCodeOperandKind.seg_rDI => (object)(maskmov = true),
                var other => throw new NotSupportedException($"operand kind {other}"),
            };
        }
        Instruction ins;
        if (maskmov)
        {
            var a = (Register)args[1]; var b = (Register)args[2];
            ins = spec.Code switch
            {
                Code.Maskmovdqu_rDI_xmm_xmm => Instruction.CreateMaskmovdqu(64, a, b),
                Code.VEX_Vmaskmovdqu_rDI_xmm_xmm => Instruction.CreateVmaskmovdqu(64, a, b),
                _ => Instruction.CreateMaskmovq(64, a, b),
            };
            memSize = spec.Code is Code.Maskmovdqu_rDI_xmm_xmm or Code.VEX_Vmaskmovdqu_rDI_xmm_xmm ? 16 : 8;
            memAddr = PickAddress(r, memSize, false);
            s.Gpr[7] = memAddr;
            return ins;
        }
        ins = args.Length switch
        {
            0 => Instruction.Create(spec.Code),
            1 => args[0] switch
            {
                Register a => Instruction.Create(spec.Code, a),
                MemoryOperand m => Instruction.Create(spec.Code, m),
                _ => throw new NotSupportedException(),
            },
            2 => (args[0], args[1]) switch
            {
                (Register a, Register b) => Instruction.Create(spec.Code, a, b),
                (Register a, MemoryOperand m) => Instruction.Create(spec.Code, a, m),
                (MemoryOperand m, Register b) => Instruction.Create(spec.Code, m, b),
                (Register a, int imm) => Instruction.Create(spec.Code, a, imm),
                _ => throw new NotSupportedException(),
            },
            3 => (args[0], args[1], args[2]) switch
            {
                (Register a, Register b, int imm) => Instruction.Create(spec.Code, a, b, imm),
                (Register a, MemoryOperand m, int imm) => Instruction.Create(spec.Code, a, m, imm),
                (MemoryOperand m, Register b, int imm) => Instruction.Create(spec.Code, m, b, imm),
                (Register a, Register b, Register c) => Instruction.Create(spec.Code, a, b, c),
                (Register a, Register b, MemoryOperand m) => Instruction.Create(spec.Code, a, b, m),
                (Register a, MemoryOperand m, Register c) => Instruction.Create(spec.Code, a, m, c),
                (MemoryOperand m, Register b, Register c) => Instruction.Create(spec.Code, m, b, c),
                _ => throw new NotSupportedException(),
            },
            4 => (args[0], args[1], args[2], args[3]) switch
            {
                (Register a, Register b, Register c, int imm) => Instruction.Create(spec.Code, a, b, c, imm),
                (Register a, Register b, MemoryOperand m, int imm) => Instruction.Create(spec.Code, a, b, m, imm),
                (Register a, Register b, Register c, Register d) => Instruction.Create(spec.Code, a, b, c, d),
                (Register a, Register b, MemoryOperand m, Register d) => Instruction.Create(spec.Code, a, b, m, d),
                (Register a, Register b, Register c, MemoryOperand m) => Instruction.Create(spec.Code, a, b, c, m),
                _ => throw new NotSupportedException(),
            },
            _ => throw new NotSupportedException(),
        };
        memAddr = 0; memSize = 0;
        if (Array.Exists(args, a => a is MemoryOperand))
        {
            memSize = ins.MemorySize.GetSize();
            bool aligned = spec.AlignedMemory ?? (IsVex(spec.Code)
                ? VexNeedsAlignment(spec.Code)
                : memSize == 16 && !spec.Unaligned && spec.Code.Mnemonic() is not (Mnemonic.Movups or Mnemonic.Movupd or Mnemonic.Movdqu));
            memAddr = PickAddress(r, memSize, aligned);
            s.Gpr[baseReg.GetFullRegister() - Register.RAX] = memAddr - (ulong)(long)disp;
        }
        return ins;
    }

    private static int Gpr(Random r)
    {
        int g = r.Next(15);
        return g >= CpuState.Rsp ? g + 1 : g;
    }

    // Low-byte registers only (AL…R15L without SPL): AH–BH cannot be encoded next to REX.
    private static Register Gpr8(Random r)
    {
        int g = Gpr(r);
        return g < 4 ? Register.AL + g : Register.SPL + (g - 4);
    }

    private ulong PickAddress(Random r, int size, bool aligned)
    {
        int max = NativeCpu.ScratchSize - size;
        int off = r.Next(5) == 0 ? max : r.Next(64, max - 64);
        // Unaligned operands often straddle a page boundary.
        if (!aligned && size > 1 && r.Next(4) == 0) off = 4096 * r.Next(1, NativeCpu.ScratchSize / 4096) - r.Next(1, size);
        if (aligned) off &= -Math.Max(16, size);
        return _f.Native.Scratch + (ulong)off;
    }

    public static byte[] Encode(in Instruction ins)
    {
        var w = new ByteWriter();
        var enc = Iced.Intel.Encoder.Create(64, w);
        enc.Encode(ins, 0x1000);
        return w.Bytes.ToArray();
    }

    /// <summary>Leaves the host thread with a clean MXCSR and x87 state after a native snippet.</summary>
    private void ResetHost()
    {
        var clean = new CpuState();
        clean.Reset();
        clean.Gpr[CpuState.Rsp] = _f.StackTop;
        _f.Native.Run(ref clean, ReadOnlySpan<byte>.Empty);
    }

    private static void Compare(in CpuState n, in CpuState e, StringBuilder d)
    {
        for (int g = 0; g < 16; g++)
            if (n.Gpr[g] != e.Gpr[g]) d.AppendLine($"  GPR{g}: native {n.Gpr[g]:x16} emu {e.Gpr[g]:x16}");
        const ulong cmpFlags = Flags.Status | Flags.DF;
        if ((n.Rflags & cmpFlags) != (e.Rflags & cmpFlags)) d.AppendLine($"  RFLAGS: native {n.Rflags & cmpFlags:x} emu {e.Rflags & cmpFlags:x}");
        for (int x = 0; x < 16; x++)
        {
            var a = n.Xmm(x).AsUInt64(); var b = e.Xmm(x).AsUInt64();
            if (a != b) d.AppendLine($"  XMM{x}: native {a[1]:x16}_{a[0]:x16} emu {b[1]:x16}_{b[0]:x16}");
            var c = n.YmmHigh(x).AsUInt64(); var f = e.YmmHigh(x).AsUInt64();
            if (c != f) d.AppendLine($"  YMM{x}[255:128]: native {c[1]:x16}_{c[0]:x16} emu {f[1]:x16}_{f[0]:x16}");
        }
        if (n.Mxcsr != e.Mxcsr) d.AppendLine($"  MXCSR: native {n.Mxcsr:x8} emu {e.Mxcsr:x8}");
        if (n.FpTop != e.FpTop) d.AppendLine($"  FPTOP: native {n.FpTop} emu {e.FpTop}");
        if (n.FpEmpty != e.FpEmpty) d.AppendLine($"  FPEMPTY: native {n.FpEmpty:x2} emu {e.FpEmpty:x2}");
        if (n.Fsw != e.Fsw || n.Fcw != e.Fcw) d.AppendLine($"  FSW/FCW: native {n.Fsw:x4}/{n.Fcw:x4} emu {e.Fsw:x4}/{e.Fcw:x4}");
        for (int m = 0; m < 8; m++)
            if (n.Fpr[m].Mantissa != e.Fpr[m].Mantissa || n.Fpr[m].SignExp != e.Fpr[m].SignExp)
                d.AppendLine($"  R{m}: native {n.Fpr[m].SignExp:x4}:{n.Fpr[m].Mantissa:x16} emu {e.Fpr[m].SignExp:x4}:{e.Fpr[m].Mantissa:x16}");
    }

    private static string Inputs(in Instruction ins, in CpuState s)
    {
        var sb = new StringBuilder();
        for (int k = 0; k < ins.OpCount; k++)
        {
            if (ins.GetOpKind(k) != OpKind.Register) continue;
            var reg = ins.GetOpRegister(k);
            if (reg.IsXMM() || reg.IsYMM())
            {
                int n = Ferry.Interpreter.Operands.VecIndex(reg);
                var v = s.Xmm(n).AsUInt64(); var h = s.YmmHigh(n).AsUInt64();
                sb.AppendLine($"  in {reg}: {h[1]:x16}_{h[0]:x16}_{v[1]:x16}_{v[0]:x16}");
            }
            else if (reg >= Register.MM0 && reg <= Register.MM7) sb.AppendLine($"  in {reg}: {s.Fpr[reg - Register.MM0].Mantissa:x16} (top {s.FpTop}, empty {s.FpEmpty:x2})");
            else if (reg.IsGPR()) sb.AppendLine($"  in {reg}: {s.Gpr[reg.GetFullRegister() - Register.RAX]:x16}");
        }
        return sb.ToString();
    }

    private sealed class ByteWriter : CodeWriter
    {
        public readonly List<byte> Bytes = new();
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
