using System.Runtime.Intrinsics;
using Ferry.Cpu;
using Iced.Intel;
using Xunit;

namespace Ferry.Tests.Sse;

/// <summary>Faults the host cannot be asked about without killing the test process (misaligned
/// operands, unmasked SIMD exceptions, #GP from LDMXCSR, page faults): the interpreter must raise the
/// exception and leave every register and memory byte as it was.</summary>
[Collection("SseNative")]
public sealed unsafe class FaultTests
{
    private readonly NativeFixture _f;
    public FaultTests(NativeFixture f) => _f = f;

    private static CpuState NewState(Random r)
    {
        var s = new CpuState();
        s.Reset();
        for (int x = 0; x < 16; x++) s.Xmm(x) = SseValues.Vec(r, Lane.F32);
        for (int m = 0; m < 8; m++) s.Fpr[m] = new Float80((ulong)r.NextInt64(), 0x1234);
        s.FpTop = 3;
        s.FpEmpty = 0xF0;
        return s;
    }

    private void ExpectFault(Instruction ins, CpuState s, CpuExceptionKind kind)
    {
        var code = Differential.Encode(ins);
        var mem = new Span<byte>((void*)_f.Native.Scratch, 256).ToArray();
        var after = s;
        var e = _f.Runner.Run(ref after, code);
        Assert.True(e?.Kind == kind, $"{ins}: expected {kind}, got {e?.Kind.ToString() ?? "none"}");
        after.Rip = s.Rip;
        Assert.True(Equal(s, after), $"{ins}: state changed by a faulting instruction");
        Assert.True(mem.AsSpan().SequenceEqual(new Span<byte>((void*)_f.Native.Scratch, 256)), $"{ins}: memory changed");
    }

    private static bool Equal(CpuState a, CpuState b) =>
        new ReadOnlySpan<byte>(&a, sizeof(CpuState)).SequenceEqual(new ReadOnlySpan<byte>(&b, sizeof(CpuState)));

    public static TheoryData<string> AlignedForms()
    {
        var d = new TheoryData<string>();
        foreach (var c in Enum.GetValues<Code>())
        {
            if (c.Encoding() != EncodingKind.Legacy || !c.ToOpCode().Mode64) continue;
            if (!c.CpuidFeatures().Any(f => f is CpuidFeature.SSE or CpuidFeature.SSE2 or CpuidFeature.SSE3 or CpuidFeature.SSSE3
                or CpuidFeature.SSE4_1 or CpuidFeature.SSE4_2)) continue;
            if (c.Mnemonic() is Mnemonic.Movups or Mnemonic.Movupd or Mnemonic.Movdqu or Mnemonic.Maskmovdqu) continue;
            if (MisalignedOk(c)) continue;
            var op = c.ToOpCode();
            bool m128 = false;
            for (int k = 0; k < op.OpCount; k++)
                if (op.GetOpKind(k) is OpCodeOperandKind.xmm_or_mem or OpCodeOperandKind.mem) m128 = true;
            if (!m128 || op.OpCount < 2 || op.GetOpKind(0) is not (OpCodeOperandKind.xmm_reg or OpCodeOperandKind.mm_reg or OpCodeOperandKind.mem or OpCodeOperandKind.xmm_or_mem)) continue;
            var probe = Build(c, 0);
            if (probe.MemorySize.GetSize() == 16) d.Add(c.ToString());
        }
        return d;
    }

    // LDDQU and the SSE4.2 string compares take any m128 (checked on the host: no fault).
    private static bool MisalignedOk(Code c) => c.Mnemonic() is Mnemonic.Lddqu or Mnemonic.Pcmpestri or Mnemonic.Pcmpestri64
        or Mnemonic.Pcmpestrm or Mnemonic.Pcmpestrm64 or Mnemonic.Pcmpistri or Mnemonic.Pcmpistrm;

    /// <summary>The forms that accept a misaligned m128 do not fault on one (the differential tests
    /// compare their results with the host's at misaligned addresses).</summary>
    [Theory]
    [InlineData(Code.Lddqu_xmm_m128)]
    [InlineData(Code.Pcmpestri_xmm_xmmm128_imm8)]
    [InlineData(Code.Pcmpestrm64_xmm_xmmm128_imm8)]
    [InlineData(Code.Pcmpistri_xmm_xmmm128_imm8)]
    [InlineData(Code.Pcmpistrm_xmm_xmmm128_imm8)]
    public void MisalignedM128Accepted(Code code)
    {
        Assert.True(MisalignedOk(code));
        var s = NewState(new Random(6));
        s.Gpr[6] = _f.Native.Scratch + 64 + 7;
        Assert.Null(_f.Runner.Run(ref s, Differential.Encode(Build(code, 0))));
    }

    private static Instruction Build(Code c, int disp)
    {
        var op = c.ToOpCode();
        var mem = new MemoryOperand(Register.RSI, disp);
        bool memFirst = op.GetOpKind(0) is OpCodeOperandKind.mem or OpCodeOperandKind.xmm_or_mem && op.GetOpKind(1) == OpCodeOperandKind.xmm_reg;
        var r0 = op.GetOpKind(0) == OpCodeOperandKind.mm_reg ? Register.MM2 : Register.XMM2;
        return op.OpCount switch
        {
            2 => memFirst ? Instruction.Create(c, mem, Register.XMM3) : Instruction.Create(c, r0, mem),
            _ => Instruction.Create(c, r0, mem, 0x1B),
        };
    }

    [Theory, MemberData(nameof(AlignedForms))]
    public void MisalignedM128RaisesGP(string code)
    {
        var r = new Random(1);
        foreach (int off in new[] { 1, 4, 8, 15 })
        {
            var s = NewState(r);
            s.Gpr[6] = _f.Native.Scratch + 64 + (ulong)off;
            ExpectFault(Build(Enum.Parse<Code>(code), 0), s, CpuExceptionKind.GeneralProtection);
        }
    }

    public static TheoryData<Code, uint, ulong, ulong> Unmasked => new()
    {
        // code, MXCSR, low qword of xmm1 (dest), low qword of xmm2 (source)
        { Code.Divps_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.ZE << 7), 0x3F800000_3F800000, 0 },
        { Code.Divss_xmm_xmmm32, 0x1F80 & ~(MxcsrBits.ZE << 7), 0x3F800000, 0 },
        { Code.Addsd_xmm_xmmm64, 0x1F80 & ~(MxcsrBits.PE << 7), 0x3FF0000000000000, 0x3CA0000000000001 },
        { Code.Mulpd_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.OE << 7), 0x7FE0000000000000, 0x7FE0000000000000 },
        { Code.Mulss_xmm_xmmm32, 0x1F80 & ~(MxcsrBits.UE << 7), 0x00800000, 0x3F000000 },
        { Code.Addss_xmm_xmmm32, 0x1F80 & ~(MxcsrBits.UE << 7), 0x00000001, 0x00000000 },
        { Code.Addss_xmm_xmmm32, 0x1F80 & ~(MxcsrBits.DE << 7), 0x00000001, 0x3F800000 },
        { Code.Sqrtsd_xmm_xmmm64, 0x1F80 & ~(MxcsrBits.IE << 7), 0, 0xBFF0000000000000 },
        { Code.Subps_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7F800001, 0 },
        { Code.Maxsd_xmm_xmmm64, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7FF8000000000000, 0 },
        { Code.Cmpps_xmm_xmmm128_imm8, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7FC00000, 0 },
        { Code.Comiss_xmm_xmmm32, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7FC00000, 0 },
        { Code.Ucomisd_xmm_xmmm64, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7FF0000000000001, 0 },
        { Code.Cvtsd2si_r32_xmmm64, 0x1F80 & ~(MxcsrBits.IE << 7), 0, 0x7FF8000000000000 },
        { Code.Cvttss2si_r64_xmmm32, 0x1F80 & ~(MxcsrBits.PE << 7), 0, 0x3FC00000 },
        { Code.Cvtsd2ss_xmm_xmmm64, 0x1F80 & ~(MxcsrBits.OE << 7), 0, 0x47F0000000000000 },
        { Code.Cvtpd2ps_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.PE << 7), 0, 0x3FF0000000000001 },
        { Code.Cvtsi2ss_xmm_rm64, 0x1F80 & ~(MxcsrBits.PE << 7), 0, 0 },
        { Code.Cvtps2pi_mm_xmmm64, 0x1F80 & ~(MxcsrBits.IE << 7), 0, 0x7F800000 },
    };

    [Theory, MemberData(nameof(Unmasked))]
    public void UnmaskedExceptionRaisesXmAndKeepsDestination(Code code, uint mxcsr, ulong dst, ulong src)
    {
        var s = NewState(new Random(2));
        s.Mxcsr = mxcsr;
        s.Xmm(1) = Vector128.Create(dst, dst).AsByte();
        s.Xmm(2) = Vector128.Create(src, src).AsByte();
        s.Gpr[3] = 0x7FFF_FFFF_FFFF_FFFF; // cvtsi2ss source: inexact
        var op = code.ToOpCode();
        Instruction ins;
        if (op.GetOpKind(0) is OpCodeOperandKind.r32_reg) ins = Instruction.Create(code, Register.EAX, Register.XMM2);
        else if (op.GetOpKind(0) is OpCodeOperandKind.r64_reg) ins = Instruction.Create(code, Register.RAX, Register.XMM2);
        else if (op.GetOpKind(0) is OpCodeOperandKind.mm_reg) ins = Instruction.Create(code, Register.MM1, Register.XMM2);
        else if (op.GetOpKind(1) is OpCodeOperandKind.r64_or_mem) ins = Instruction.Create(code, Register.XMM1, Register.RBX);
        else if (op.OpCount == 3) ins = Instruction.Create(code, Register.XMM1, Register.XMM2, 1);
        else ins = Instruction.Create(code, Register.XMM1, Register.XMM2);
        var after = s;
        var e = _f.Runner.Run(ref after, Differential.Encode(ins));
        Assert.True(e?.Kind == CpuExceptionKind.SimdError, $"{ins}: expected #XM, got {e?.Kind.ToString() ?? "none"}");
        Assert.NotEqual(0u, after.Mxcsr & MxcsrBits.AllFlags & ~(mxcsr >> 7));
        after.Mxcsr = s.Mxcsr;
        after.Rip = s.Rip;
        Assert.True(Equal(s, after), $"{ins}: registers changed");
    }

    public static TheoryData<Code, uint, ulong, ulong, int> UnmaskedV2 => new()
    {
        // code, MXCSR, low qword of xmm1 (dest), low qword of xmm2 (source), imm8
        { Code.Addsubps_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7F800000, 0x7F800000, 0 },
        { Code.Addsubpd_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.PE << 7), 0x3FF0000000000000, 0x3CA0000000000001, 0 },
        { Code.Haddps_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.OE << 7), 0x7F7FFFFF_7F7FFFFF, 0, 0 },
        { Code.Hsubpd_xmm_xmmm128, 0x1F80 & ~(MxcsrBits.DE << 7), 0x0000000000000001, 0, 0 },
        { Code.Dpps_xmm_xmmm128_imm8, 0x1F80 & ~(MxcsrBits.UE << 7), 0x00800000, 0x3F000000, 0x11 },
        { Code.Dppd_xmm_xmmm128_imm8, 0x1F80 & ~(MxcsrBits.IE << 7), 0x7FF0000000000000, 0, 0x31 },
        { Code.Roundps_xmm_xmmm128_imm8, 0x1F80 & ~(MxcsrBits.PE << 7), 0, 0x3FC00000_3FC00000, 1 },
        { Code.Roundsd_xmm_xmmm64_imm8, 0x1F80 & ~(MxcsrBits.IE << 7), 0, 0x7FF0000000000001, 4 },
    };

    [Theory, MemberData(nameof(UnmaskedV2))]
    public void UnmaskedV2ExceptionRaisesXmAndKeepsDestination(Code code, uint mxcsr, ulong dst, ulong src, int imm)
    {
        var s = NewState(new Random(7));
        s.Mxcsr = mxcsr;
        s.Xmm(1) = Vector128.Create(dst, dst).AsByte();
        s.Xmm(2) = Vector128.Create(src, src).AsByte();
        var ins = code.ToOpCode().OpCount == 3 ? Instruction.Create(code, Register.XMM1, Register.XMM2, imm) : Instruction.Create(code, Register.XMM1, Register.XMM2);
        var after = s;
        var e = _f.Runner.Run(ref after, Differential.Encode(ins));
        Assert.True(e?.Kind == CpuExceptionKind.SimdError, $"{ins}: expected #XM, got {e?.Kind.ToString() ?? "none"}");
        after.Mxcsr = s.Mxcsr;
        after.Rip = s.Rip;
        Assert.True(Equal(s, after), $"{ins}: registers changed");
    }

    /// <summary>imm8[3] of ROUND* suppresses the precision exception even when it is unmasked.</summary>
    [Fact]
    public void RoundWithSuppressedPrecisionDoesNotFault()
    {
        var s = NewState(new Random(8));
        s.Mxcsr = 0x1F80 & ~(MxcsrBits.PE << 7);
        s.Xmm(2) = Vector128.Create(0x3FC00000u).AsByte();
        var e = _f.Runner.Run(ref s, Differential.Encode(Instruction.Create(Code.Roundps_xmm_xmmm128_imm8, Register.XMM1, Register.XMM2, 8)));
        Assert.Null(e);
        Assert.Equal(0x40000000u, s.Xmm(1).AsUInt32()[0]);
        Assert.Equal(0u, s.Mxcsr & MxcsrBits.PE);
    }

    [Fact]
    public void LdmxcsrReservedBitsRaiseGP()
    {
        var s = NewState(new Random(3));
        s.Gpr[6] = _f.Native.Scratch;
        foreach (uint v in new[] { 0x10000u, 0x20000u, 0x80000000u })
        {
            *(uint*)_f.Native.Scratch = v | 0x1F80;
            ExpectFault(Instruction.Create(Code.Ldmxcsr_m32, new MemoryOperand(Register.RSI)), s, CpuExceptionKind.GeneralProtection);
        }
    }

    /// <summary>A faulting memory operand leaves the x87/MMX state, MXCSR and registers untouched.</summary>
    [Fact]
    public void PageFaultsLeaveStateIntact()
    {
        var s = NewState(new Random(4));
        s.Gpr[6] = 0x1000; // unmapped
        s.Gpr[7] = 0x1000;
        s.Mxcsr = 0x1F80;
        var bad = new MemoryOperand(Register.RSI);
        var forms = new[]
        {
            Instruction.Create(Code.Paddb_mm_mmm64, Register.MM1, bad),
            Instruction.Create(Code.Movq_mm_mmm64, Register.MM1, bad),
            Instruction.Create(Code.Movq_mmm64_mm, bad, Register.MM1),
            Instruction.Create(Code.Movd_mm_rm32, Register.MM1, bad),
            Instruction.Create(Code.Movd_rm32_mm, bad, Register.MM1),
            Instruction.Create(Code.Movntq_m64_mm, bad, Register.MM1),
            Instruction.Create(Code.Pinsrw_mm_r32m16_imm8, Register.MM1, bad, 2),
            Instruction.Create(Code.Punpcklbw_mm_mmm32, Register.MM1, bad),
            Instruction.Create(Code.Psllq_mm_mmm64, Register.MM1, bad),
            Instruction.Create(Code.Cvtpi2ps_xmm_mmm64, Register.XMM1, bad),
            Instruction.Create(Code.Cvtps2pi_mm_xmmm64, Register.MM1, bad),
            Instruction.Create(Code.Addps_xmm_xmmm128, Register.XMM1, bad),
            Instruction.Create(Code.Addss_xmm_xmmm32, Register.XMM1, bad),
            Instruction.Create(Code.Comisd_xmm_xmmm64, Register.XMM1, bad),
            Instruction.Create(Code.Movss_xmm_xmmm32, Register.XMM1, bad),
            Instruction.Create(Code.Movhps_xmm_m64, Register.XMM1, bad),
            Instruction.Create(Code.Cvtsi2sd_xmm_rm64, Register.XMM1, bad),
            Instruction.Create(Code.Ldmxcsr_m32, bad),
            Instruction.Create(Code.Stmxcsr_m32, bad),
            Instruction.Create(Code.Clflush_m8, bad),
            Instruction.CreateMaskmovq(64, Register.MM1, Register.MM2),
        };
        s.Fpr[2] = new Float80(ulong.MaxValue, 0);
        foreach (var ins in forms) ExpectFault(ins, s, CpuExceptionKind.PageFault);
    }

    /// <summary>Prefetches are hints: an unmapped address must not fault.</summary>
    [Fact]
    public void PrefetchNeverFaults()
    {
        var s = NewState(new Random(5));
        s.Gpr[6] = 0x1000;
        foreach (var c in new[] { Code.Prefetchnta_m8, Code.Prefetcht0_m8, Code.Prefetcht1_m8, Code.Prefetcht2_m8, Code.Prefetchw_m8, Code.Prefetch_m8 })
        {
            var after = s;
            Assert.Null(_f.Runner.Run(ref after, Differential.Encode(Instruction.Create(c, new MemoryOperand(Register.RSI)))));
        }
    }
}
